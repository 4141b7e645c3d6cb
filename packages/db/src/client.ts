import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { dbEnv } from "./env";
import { pgConfigFromUrl } from "./pg-config";

export type Db = PrismaClient;

const urls = new WeakMap<PrismaClient, string>();

/** A Prisma client over the pg driver adapter (no native engine). */
export function createDb(url: string, opts: { max?: number } = {}): PrismaClient {
  const db = new PrismaClient({ adapter: new PrismaPg(pgConfigFromUrl(url, opts.max ?? 10)) });
  urls.set(db, url);
  return db;
}

/** The URL a client was created for (raw connections such as COPY need it), if created here. */
export function databaseUrlOf(db: PrismaClient): string | undefined {
  return urls.get(db);
}

const globalForDb = globalThis as unknown as { __mktDb?: PrismaClient };

/** The process-wide client for DATABASE_URL (one per process, survives Next.js hot reload). */
export function getDb(): PrismaClient {
  if (!globalForDb.__mktDb) {
    const url = dbEnv().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set");
    globalForDb.__mktDb = createDb(url);
  }
  return globalForDb.__mktDb;
}
