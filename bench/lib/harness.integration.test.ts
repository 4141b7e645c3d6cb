import pg from "pg";
import { describe, expect, it } from "vitest";
import { pgConfigFromUrl, withDatabase } from "../../packages/db/src/pg-config";
import { seedSuite } from "../suites/seed";
import { dropPrefix, newRedisPrefix, redisCommand, redisUrl } from "./redis-prefix";
import type { CaseLine } from "./suite";
import { serverUrl, tempDatabases } from "./temp-db";

async function databasesLike(prefix: string): Promise<string[]> {
  const c = new pg.Client(pgConfigFromUrl(withDatabase(serverUrl(), "postgres")));
  await c.connect();
  try {
    const { rows } = await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${prefix}%`]);
    return rows.map((r) => r.datname);
  } finally {
    await c.end();
  }
}

describe("benchmark harness", () => {
  it("runs the seed suite on private databases, emits contract lines, and leaves nothing behind", async () => {
    const databases = tempDatabases("seedtest");
    const redisPrefix = newRedisPrefix("seedtest");
    const lines: CaseLine[] = [];
    try {
      await redisCommand(redisUrl(), "SET", `${redisPrefix}probe`, "1");
      const summary = await seedSuite.run({
        suite: "seed",
        scale: 400,
        seed: 3,
        args: {},
        databases,
        redisUrl: redisUrl(),
        redisPrefix,
        log: () => {},
        emit: (l) => lines.push(l),
      });
      expect(summary.ok).toBe(true);
      expect(summary.checked).toMatch(/row counts and content hashes equal/);
      expect(summary.speedup).toBeGreaterThan(0);
      expect(lines.map((l) => [l.case, l.variant, l.scale])).toEqual([["load", "baseline", 400], ["load", "platform", 400]]);
      for (const l of lines) {
        expect(l.runs).toBe(1);
        expect(l.per_s).toBeGreaterThan(0);
        expect(l.wall_ms).toBeGreaterThan(0);
        expect(l.peak_rss_mb).toBeGreaterThan(0);
        expect(l.rows).toBe(lines[0]!.rows);
      }
      expect((await databasesLike(databases.prefix)).length).toBeGreaterThan(0);
    } finally {
      await databases.dropAll();
      await dropPrefix(redisPrefix);
    }
    expect(await databasesLike(databases.prefix)).toEqual([]);
    expect(await redisCommand(redisUrl(), "EXISTS", `${redisPrefix}probe`)).toBe(0);
  }, 180_000);
});
