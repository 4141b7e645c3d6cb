/**
 * Integration-test database: `const t = await createTestDb()` in beforeAll, `await t.drop()` in
 * afterAll. The clone is already migrated; it is this test file's alone.
 */
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import "./provided-context";
import { createDb, type Db } from "../client";
import { closeSqlPool } from "../sql-tx";
import { cloneDatabase, dropDatabase, serverUrl } from "./databases";

export interface TestDb {
  db: Db;
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDb(): Promise<TestDb> {
  const template = inject("mktTemplateDb");
  const name = `${inject("mktRunPrefix")}_${randomBytes(4).toString("hex")}`;
  await cloneDatabase(template, name);
  const url = serverUrl(name);
  const db = createDb(url, { max: 5 });
  return {
    db,
    url,
    name,
    async drop() {
      await closeSqlPool(db);
      await db.$disconnect();
      await dropDatabase(name);
    },
  };
}

/** A unique Redis key prefix for a test file (BullMQ `prefix`, rate-limit keys, …). */
export function testRedisPrefix(): string {
  return `t:${randomBytes(4).toString("hex")}`;
}

export { serverUrl } from "./databases";
