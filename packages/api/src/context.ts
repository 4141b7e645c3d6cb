import type { Role } from "@mkt/core";
import type { Db } from "@mkt/db";
import type { Auth } from "./auth/create-auth";
import { resolveSessionUser } from "./auth/session";

export interface SessionUser {
  id: string;
  username: string;
  name: string;
  role: Role;
  orgUnitId: string;
  orgPath: string;
  orgCode: string;
  locale: string;
}

export interface Context {
  db: Db;
  user: SessionUser | null;
  /** Client address for the audit log and rate limits. */
  ip: string | null;
  headers: Headers;
}

export interface CreateContextOptions {
  db: Db;
  auth: Auth;
  headers: Headers;
  ip: string | null;
  /** The response's headers: receives the refreshed session cookie. */
  resHeaders?: Headers;
}

/** The tRPC context of one request: the database and the signed-in user (or null). */
export async function createContext({ db, auth, headers, ip, resHeaders }: CreateContextOptions): Promise<Context> {
  const user = await resolveSessionUser(auth, db, headers, resHeaders);
  return { db, user, ip, headers };
}
