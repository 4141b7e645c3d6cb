/**
 * From a request's cookies to the SessionUser the API works with. better-auth validates the
 * signed cookie, expires idle sessions and slides the expiry (its refreshed cookie is copied to
 * the response); here the absolute limit is enforced (a session past it is deleted) and the
 * user must still be active. The user's org unit is read fresh on every request, so a role or
 * org change takes effect at once.
 */
import type { Db } from "@mkt/db";
import type { SessionUser } from "../context";
import { SESSION_ABSOLUTE_SEC, type Auth } from "./create-auth";

export async function loadSessionUser(db: Db, userId: string): Promise<SessionUser | null> {
  const u = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      username: true,
      name: true,
      role: true,
      active: true,
      locale: true,
      orgUnitId: true,
      orgUnit: { select: { path: true, code: true } },
    },
  });
  if (!u || !u.active) return null;
  return {
    id: u.id,
    username: u.username ?? "",
    name: u.name,
    role: u.role,
    orgUnitId: u.orgUnitId,
    orgPath: u.orgUnit.path,
    orgCode: u.orgUnit.code,
    locale: u.locale,
  };
}

export function pastAbsoluteTimeout(createdAt: Date, now = new Date()): boolean {
  return now.getTime() - createdAt.getTime() >= SESSION_ABSOLUTE_SEC * 1000;
}

/**
 * The signed-in user of a request, or null. `resHeaders`, when given, receives the refreshed
 * session cookie (the sliding idle timeout), so the browser's cookie lives as long as the row.
 */
export async function resolveSessionUser(auth: Auth, db: Db, headers: Headers, resHeaders?: Headers): Promise<SessionUser | null> {
  const { headers: authHeaders, response } = await auth.api.getSession({ headers, returnHeaders: true });
  if (!response) return null;
  if (pastAbsoluteTimeout(new Date(response.session.createdAt))) {
    await db.session.deleteMany({ where: { id: response.session.id } });
    return null;
  }
  const user = await loadSessionUser(db, response.user.id);
  if (!user) return null;
  authHeaders?.getSetCookie().forEach((cookie) => resHeaders?.append("set-cookie", cookie));
  return user;
}
