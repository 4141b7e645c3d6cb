/**
 * The cap locks of a send chunk (guardrails-sql.ts `capLockSql`) in PostgreSQL: sparse chunks lock
 * their customers one by one under shared block locks, so two event-triggered waves over different
 * customers go side by side, while any two chunks over one customer — fine or by block — still take
 * turns.
 */
import { Prisma } from "@mkt/db";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Channel } from "../channels/provider";
import { capLockSql, FINE_LOCK_MAX, useFineLocks } from "./guardrails-sql";

describe("cap locks", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  }, 60_000);
  afterAll(async () => t?.drop());

  /** Holds the chunk's locks until `release` is called; resolves `locked` once they are taken. */
  function hold(ids: number[], fine: boolean, channel: Channel = "SMS") {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const taken = new Promise<void>((r) => (locked = r));
    const done = t.db.$transaction(
      async (tx) => {
        await tx.$queryRaw`${capLockSql(channel, Prisma.sql`SELECT unnest(${ids}::int[])`, fine)}`;
        locked();
        await released;
      },
      { timeout: 30_000 },
    );
    return { taken, release, done };
  }

  /** Whether the chunk's locks can be taken within 300 ms while others hold theirs. */
  async function canLock(ids: number[], fine: boolean, channel: Channel = "SMS"): Promise<boolean> {
    try {
      await t.db.$transaction(async (tx) => {
        await tx.$executeRaw`SET LOCAL lock_timeout = '300ms'`;
        await tx.$queryRaw`${capLockSql(channel, Prisma.sql`SELECT unnest(${ids}::int[])`, fine)}`;
      });
      return true;
    } catch (err) {
      if (/lock timeout/i.test(String(err))) return false;
      throw err;
    }
  }

  it("sparse chunks over different customers do not wait for each other; one shared customer makes them take turns", async () => {
    const a = hold([10, 5_000, 9_000, 400_000], true);
    await a.taken;
    // Same blocks as a (0, 4, 8, 390), other customers.
    expect(await canLock([11, 5_001, 9_001, 400_001], true)).toBe(true);
    expect(await canLock([12, 5_000, 700_000], true)).toBe(false);
    // Another channel's caps are independent.
    expect(await canLock([12, 5_000, 700_000], true, "EMAIL")).toBe(true);
    a.release();
    await a.done;
    expect(await canLock([12, 5_000, 700_000], true)).toBe(true);
  });

  it("a chunk that locks whole blocks excludes sparse chunks in those blocks, and the other way round", async () => {
    const dense = hold([5_000, 5_001, 5_002], false);
    await dense.taken;
    expect(await canLock([5_003, 900_000], true)).toBe(false);
    expect(await canLock([20_000, 900_000], true)).toBe(true);
    dense.release();
    await dense.done;

    const sparse = hold([5_003, 900_000], true);
    await sparse.taken;
    expect(await canLock([5_000, 5_001], false)).toBe(false);
    expect(await canLock([20_000, 20_001], false)).toBe(true);
    sparse.release();
    await sparse.done;
  });

  it("fine locks for small chunks only: a batch campaign's full chunks lock whole blocks", () => {
    expect(useFineLocks([1, 10_000, 50_000])).toBe(true);
    expect(useFineLocks([5_000])).toBe(true);
    expect(useFineLocks(Array.from({ length: FINE_LOCK_MAX + 1 }, (_, i) => i * 1_000))).toBe(false);
    expect(useFineLocks(Array.from({ length: 2_048 }, (_, i) => 1 + i))).toBe(false);
  });
});
