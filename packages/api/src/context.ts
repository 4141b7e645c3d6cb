import type { Role } from "@mkt/core";
import type { Db } from "@mkt/db";

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
