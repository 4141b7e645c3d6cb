/**
 * The resident index against the SQL baseline on a seeded bank with the tag library computed:
 * random rule trees (every operator, NOT groups and leaves, behaviour windows, holdings, segment
 * membership) give identical members in three scopes — head office, a branch and an RM.
 */
import { seedBank } from "@mkt/db/seed/index";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { RoaringBitmap32 } from "../bitmap";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrgScope } from "../../auth/scope";
import { installTagLibrary } from "../../tags/install-library";
import { createTagRun, executeTagRun } from "../../tags/run";
import { countSegment, segmentMembers } from "../engine";
import { segmentMembersSql } from "../sql";
import { randomRule, seededRandom, vocabularyOf } from "./random-rules";
import { ResidentSegmentIndex } from "./resident";

const NOW = new Date("2026-06-30T15:00:00+08:00");
let t: TestDb;
let resident: ResidentSegmentIndex;
let scopes: OrgScope[];
const saved = new RoaringBitmap32();
const resolveSegment = async (id: string) => {
  if (id !== "seg-1") throw new Error(`unknown segment ${id}`);
  return saved;
};

beforeAll(async () => {
  t = await createTestDb();
  await seedBank(t.url, { customers: 2500, seed: 11, asOf: "2026-06-30" });
  await installTagLibrary(t.db);
  const run = await createTagRun(t.db, { trigger: "MANUAL", asOf: new Date("2026-07-01T00:00:00+08:00") });
  await executeTagRun({ db: t.db, databaseUrl: t.url }, run.id);
  resident = new ResidentSegmentIndex(t.db, { databaseUrl: t.url, clock: () => NOW });
  await resident.rebuild();
  for (let id = 1; id <= 2500; id += 3) saved.add(id);
  const rm = await t.db.customer.findFirstOrThrow({ where: { rmId: { not: null } }, select: { rmId: true, orgPath: true } });
  scopes = [
    { kind: "subtree", orgPath: "/HO/" },
    { kind: "subtree", orgPath: "/HO/BR01/" },
    { kind: "rm", orgPath: rm.orgPath, rmId: rm.rmId! },
  ];
}, 300_000);
afterAll(async () => {
  resident?.close();
  await t?.drop();
});

describe("resident index vs SQL baseline", () => {
  it("gives the same members for 150 random rule trees in three scopes", async () => {
    const index = await resident.get();
    const products = await t.db.product.findMany({ select: { code: true }, take: 5, orderBy: { id: "asc" } });
    const vocab = vocabularyOf(index, { productCodes: products.map((p) => p.code) });
    expect(vocab.tags.length).toBeGreaterThan(40);
    const rand = seededRandom(20261130);
    const mismatches: string[] = [];
    let nonTrivial = 0;
    for (let i = 0; i < 150; i++) {
      let rule = randomRule(rand, vocab, 4);
      if (i % 10 === 0) rule = { kind: "group", op: "or", children: [rule, { kind: "segment", segmentId: "seg-1", in: i % 20 === 0 }] };
      const scope = scopes[i % scopes.length]!;
      const opts = { resolveSegment, now: NOW, index: resident };
      const got = (await segmentMembers(t.db, rule, scope, opts)).toArray();
      const want = await segmentMembersSql(t.db, rule, scope, { tags: index.catalogue, now: NOW, resolveSegment });
      expect(await countSegment(t.db, rule, scope, opts)).toBe(got.length);
      if (got.length !== want.length || got.some((id, k) => id !== want[k])) {
        mismatches.push(`tree ${i} (${scope.orgPath}): index ${got.length}, sql ${want.length}: ${JSON.stringify(rule)}`);
      }
      if (want.length > 0 && want.length < 2500) nonTrivial++;
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(nonTrivial).toBeGreaterThan(60);
  }, 300_000);
});
