import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { dbEnv } from "./env";
import { pgConfigFromUrl } from "./pg-config";

export type Db = PrismaClient;

/** A Prisma client over the pg driver adapter (no native engine). */
export function createDb(url: string, opts: { max?: number } = {}): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pgConfigFromUrl(url, opts.max ?? 10)) });
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
