/**
 * Group commit of real-time events against a real database: requests applied together answer as
 * if applied alone, in order — duplicates inside one request, across requests of one group and
 * across groups are stored and applied once; a request with a customer outside its key's subtree
 * is refused alone; concurrent submissions are all stored, each exactly once, and every signal of
 * a request is published before it is answered.
 */
import type { Customer } from "@mkt/db";
import { createCustomer, createOrgTree } from "@mkt/db/seed/index";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TagEventCommitter } from "./group-commit";
import { installTagLibrary } from "./install-library";
import { applyTagEventRequests, UnknownCustomersError, type TagChange, type TagEvent } from "./realtime";

let t: TestDb;
let inside: Customer[];
let outside: Customer;
let branchPath: string;

beforeAll(async () => {
  t = await createTestDb();
  const org = await createOrgTree(t.db);
  branchPath = org.branch.path;
  inside = [];
  for (let i = 0; i < 6; i++) inside.push(await createCustomer(t.db, { orgUnit: org.subBranch }));
  outside = await createCustomer(t.db, { orgUnit: org.prefixSubBranch });
  await installTagLibrary(t.db);
});
afterAll(async () => {
  await t?.drop();
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const transfer = (eventId: string, customerId: number, m = 1, amount = 80_000): TagEvent => ({ eventId, customerId, type: "TRANSFER_OUT", occurredAt: minutesAgo(m), amount });
const req = (events: TagEvent[], orgPath = branchPath) => ({ events, orgPath, apiKeyId: null });
const stored = async (ids: string[]) => t.db.tagEvent.findMany({ where: { eventId: { in: ids } }, orderBy: { eventId: "asc" } });

describe("applyTagEventRequests (one group)", () => {
  it("answers each request as if applied alone, in order: the first occurrence of an event id is the one stored", async () => {
    const [a, b] = inside;
    const out = await applyTagEventRequests(t.db, [
      req([transfer("g1-1", a!.id), transfer("g1-1", a!.id), transfer("g1-2", b!.id, 2, 100)]),
      req([transfer("g1-2", a!.id), transfer("g1-3", b!.id)]),
    ]);
    expect(out.map((o) => (o.ok ? { accepted: o.applied.accepted, duplicates: o.applied.duplicates } : "refused"))).toEqual([
      { accepted: 2, duplicates: 1 },
      { accepted: 1, duplicates: 1 },
    ]);
    // g1-2 as the first request sent it (customer b, small amount), not as the second did.
    expect((await stored(["g1-1", "g1-2", "g1-3"])).map((e) => [e.eventId, e.customerId])).toEqual([
      ["g1-1", a!.id],
      ["g1-2", b!.id],
      ["g1-3", b!.id],
    ]);
    // Every matching event yields its signal, duplicates too (at least once, keyed by event id).
    const signals = out.map((o) => (o.ok ? o.applied.changes.map((c) => `${c.eventId}:${c.customerId}`) : []));
    expect(signals).toEqual([[`g1-1:${a!.id}`, `g1-1:${a!.id}`], [`g1-2:${a!.id}`, `g1-3:${b!.id}`]]);
    // The realtime values come from stored events only: a's value from g1-1, b's from g1-3.
    const values = await t.db.realtimeTagValue.findMany({ where: { customerId: { in: [a!.id, b!.id] } }, orderBy: { customerId: "asc" } });
    expect(values.map((v) => [v.customerId, v.eventId])).toEqual([
      [a!.id, "g1-1"],
      [b!.id, "g1-3"],
    ]);
  });

  it("the same batch in a later group is all duplicates and changes no value", async () => {
    const c = inside[2]!;
    const batch = [transfer("g2-1", c.id, 3), transfer("g2-2", c.id, 2)];
    const [first] = await applyTagEventRequests(t.db, [req(batch)]);
    expect(first).toMatchObject({ ok: true, applied: { accepted: 2, duplicates: 0 } });
    const before = await t.db.realtimeTagValue.findMany({ where: { customerId: c.id } });
    const [again] = await applyTagEventRequests(t.db, [req(batch)]);
    expect(again).toMatchObject({ ok: true, applied: { accepted: 0, duplicates: 2 } });
    expect(again!.ok && again!.applied.changes).toHaveLength(2);
    expect(await t.db.realtimeTagValue.findMany({ where: { customerId: c.id } })).toEqual(before);
    expect(before.map((v) => v.eventId)).toEqual(["g2-2"]); // the later expiry wins
  });

  it("a request with a customer outside its subtree is refused alone; the rest of the group is applied", async () => {
    const d = inside[3]!;
    const out = await applyTagEventRequests(t.db, [req([transfer("g3-in", d.id), transfer("g3-out", outside.id)]), req([transfer("g3-ok", d.id)])]);
    expect(out[0]!.ok).toBe(false);
    expect(!out[0]!.ok && out[0]!.error).toBeInstanceOf(UnknownCustomersError);
    expect(!out[0]!.ok && out[0]!.error.customerIds).toEqual([outside.id]);
    expect(out[1]).toMatchObject({ ok: true, applied: { accepted: 1, duplicates: 0 } });
    expect((await stored(["g3-in", "g3-out", "g3-ok"])).map((e) => e.eventId)).toEqual(["g3-ok"]);
    expect(await t.db.realtimeTagValue.count({ where: { customerId: outside.id } })).toBe(0);
  });
});

describe("the cached REALTIME tags", () => {
  it("a change to the published REALTIME tags is seen by the next group (the statement checks the cache's fingerprint)", async () => {
    const c = inside[4]!;
    const [before] = await applyTagEventRequests(t.db, [req([transfer("fp-1", c.id)])]);
    expect(before!.ok && before!.applied.changes.map((x) => x.tagCode)).toEqual(["LARGE_FUND_MOVEMENT_24H"]);
    await t.db.tag.update({ where: { code: "LARGE_FUND_MOVEMENT_24H" }, data: { code: "LARGE_FUND_MOVEMENT_24H_V2" } });
    try {
      const [after] = await applyTagEventRequests(t.db, [req([transfer("fp-2", c.id)])]);
      expect(after).toMatchObject({ ok: true, applied: { accepted: 1 } });
      expect(after!.ok && after!.applied.changes.map((x) => x.tagCode)).toEqual(["LARGE_FUND_MOVEMENT_24H_V2"]);
      expect(await t.db.tagEvent.count({ where: { eventId: "fp-2" } })).toBe(1);
    } finally {
      await t.db.tag.update({ where: { code: "LARGE_FUND_MOVEMENT_24H_V2" }, data: { code: "LARGE_FUND_MOVEMENT_24H" } });
    }
  });
});

describe("TagEventCommitter", () => {
  it("concurrent requests (with resends among them) are grouped; every event is stored once and every signal published before the answer", async () => {
    const published: TagChange[] = [];
    const committer = new TagEventCommitter(t.db, {
      publish: async (changes) => {
        await new Promise((r) => setTimeout(r, 5));
        published.push(...changes);
      },
    });
    const ids = inside.map((c) => c.id);
    // 60 requests of 5 events; every third request resends the previous one's events.
    const requests = Array.from({ length: 60 }, (_, r) => {
      const base = r % 3 === 2 ? r - 1 : r;
      return req(Array.from({ length: 5 }, (_, i) => transfer(`cc-${base}-${i}`, ids[(base + i) % ids.length]!, 1 + (i % 3))));
    });
    const results = await Promise.all(
      requests.map(async (r) => {
        const res = await committer.submit(r);
        // Answered only after its own signals went out.
        const mine = r.events.map((e) => e.eventId);
        expect(mine.every((id) => published.some((c) => c.eventId === id))).toBe(true);
        return res;
      }),
    );
    expect(committer.groups).toBeLessThan(60);
    expect(committer.requests).toBe(60);
    const accepted = results.reduce((n, r) => n + (r.ok ? r.applied.accepted : 0), 0);
    const distinct = new Set(requests.flatMap((r) => r.events.map((e) => e.eventId)));
    expect(accepted).toBe(distinct.size);
    expect(results.every((r) => r.ok && r.published)).toBe(true);
    expect(await t.db.tagEvent.count({ where: { eventId: { startsWith: "cc-" } } })).toBe(distinct.size);
    expect(published).toHaveLength(60 * 5);
  });

  it("a failed publication answers published: false (the events stay stored; a resend publishes)", async () => {
    const committer = new TagEventCommitter(t.db, { publish: () => Promise.reject(new Error("redis down")) });
    const r = await committer.submit(req([transfer("pf-1", inside[4]!.id)]));
    expect(r).toMatchObject({ ok: true, published: false, applied: { accepted: 1 } });
    expect(await t.db.tagEvent.count({ where: { eventId: "pf-1" } })).toBe(1);
  });

  it("a database failure rejects every request of the group, and the committer keeps working", async () => {
    const broken = new TagEventCommitter(t.db, {});
    // An amount beyond numeric(18,2) (the route's schema refuses it; the committer does not check).
    const failing = broken.submit(req([transfer("db-1", inside[5]!.id, 1, 1e17)]));
    await expect(failing).rejects.toThrow();
    expect(await t.db.tagEvent.count({ where: { eventId: "db-1" } })).toBe(0);
    await expect(broken.submit(req([transfer("db-2", inside[5]!.id)]))).resolves.toMatchObject({ ok: true, applied: { accepted: 1 } });
  });
});
