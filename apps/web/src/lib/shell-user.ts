import type { Permission, Role } from "@mkt/core/auth/permissions";

/** What the console shell needs to know about the signed-in user (serialisable for client components). */
export interface ShellUser {
  name: string;
  role: Role;
  orgUnit: { code: string; name: string; nameEn: string; level: "HEAD_OFFICE" | "BRANCH" | "SUB_BRANCH" };
  permissions: Permission[];
}
