/**
 * The signed-in user for server components (layouts and pages), read once per request through the
 * same `me.get` procedure the client uses. Server-only: imports the API's server entry.
 */
import { appRouter, createCallerFactory, createContext } from "@mkt/api";
import { clientIp } from "@mkt/api/http/client-ip";
import { getAuth, getDb } from "@mkt/api/server";
import type { Permission } from "@mkt/core/auth/permissions";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import type { ShellUser } from "./shell-user";

const createCaller = createCallerFactory(appRouter);

/** The user of this request, or null when not signed in (or the session has ended). */
export const getShellUser = cache(async (): Promise<ShellUser | null> => {
  const h = await headers();
  const ctx = await createContext({ db: getDb(), auth: getAuth(), headers: h, ip: clientIp(h) });
  if (!ctx.user) return null;
  const me = await createCaller(ctx).me.get();
  return {
    name: me.name,
    role: me.role,
    orgUnit: { code: me.orgUnit.code, name: me.orgUnit.name, nameEn: me.orgUnit.nameEn, level: me.orgUnit.level },
    permissions: me.permissions,
  };
});

/** For pages: the signed-in user (else off to /login) and whether they hold `permission`. */
export async function pageAccess(permission: Permission): Promise<{ user: ShellUser; allowed: boolean }> {
  const user = await getShellUser();
  if (!user) redirect("/login");
  return { user, allowed: user.permissions.includes(permission) };
}
