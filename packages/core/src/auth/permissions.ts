/**
 * Roles and the permissions they carry. Every tRPC procedure and API route names one permission
 * (see packages/api/src/trpc.ts); this table is the only place that decides who holds it.
 */
export const ROLES = [
  "ADMIN",
  "MARKETING_MANAGER",
  "ANALYST",
  "APPROVER",
  "BRANCH_MANAGER",
  "RM",
] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "customer:read", // search customers and open the 360° view (masked)
  "customer:unmask", // reveal masked personal data, with a reason (audited)
  "import:read", // see import batches, the data dictionary, data quality
  "import:write", // upload source data
  "identity:manage", // reverse identity merges
  "org:read", // see the org tree
  "org:manage", // edit the org tree
  "user:read",
  "user:manage", // create users, change roles (audited)
  "apikey:manage",
  "audit:read",
  "settings:manage",
  "self", // any signed-in user: own profile, locale, sign-out
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ALL: readonly Permission[] = PERMISSIONS;

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  ADMIN: ALL,
  MARKETING_MANAGER: ["self", "customer:read", "import:read", "org:read"],
  ANALYST: ["self", "customer:read", "import:read", "import:write", "org:read"],
  APPROVER: ["self", "customer:read", "audit:read", "org:read", "import:read"],
  BRANCH_MANAGER: ["self", "customer:read", "customer:unmask", "org:read", "user:read"],
  RM: ["self", "customer:read", "customer:unmask"],
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
