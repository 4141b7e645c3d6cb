/**
 * The IDOR matrix for segments: every fixture user against a segment built by every user who may
 * build one, across the procedures that take a segment id (and the overlap's id list). The
 * expected answer walks the fixture tree's parent links (BR01 / BR010 share a prefix): a segment
 * is visible in its unit's subtree, and to an RM only when the RM owns it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasPermission, type Permission } from "@mkt/core";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { callPath, outcome } from "./call";
import { buildBank, contextFor, inSubtree, type Bank, type FixtureUser } from "./fixtures";

let t: TestDb;
let bank: Bank;
interface FixtureSegment {
  id: string;
  ownerKey: string;
  unitKey: string;
}
const segments: FixtureSegment[] = [];
const imports: FixtureSegment[] = [];

beforeAll(async () => {
  t = await createTestDb();
  process.env.DATABASE_URL = t.url; // the segment engine reads tag columns over its own connection
  bank = await buildBank(t.db);
  const rule = { kind: "holding", category: "TIME_DEPOSIT", held: true };
  for (const u of Object.values(bank.users)) {
    if (!hasPermission(u.role, "segment:write")) continue;
    const ctx = await contextFor(t.db, u.id);
    const s = (await callPath(ctx, "segment.create", { name: `seg ${u.key}`, rule })) as { id: string };
    segments.push({ id: s.id, ownerKey: u.key, unitKey: u.unitKey });
    // A list with every fixture phone: each uploader matches the customers of their own scope.
    const csv = ["手机号", ...Object.values(bank.customers).map((c) => c.phone)].join("\n");
    const imp = (await callPath(ctx, "segment.import", { name: `list ${u.key}`, matchBy: "PHONE", contentBase64: Buffer.from(csv).toString("base64") })) as { id: string };
    imports.push({ id: imp.id, ownerKey: u.key, unitKey: u.unitKey });
  }
}, 120_000);
afterAll(() => t.drop());

const sees = (u: FixtureUser, s: FixtureSegment) => inSubtree(bank, s.unitKey, u.unitKey) && (u.role !== "RM" || s.ownerKey === u.key);

function expected(u: FixtureUser, permission: Permission, visible: boolean): string {
  if (!hasPermission(u.role, permission)) return "FORBIDDEN";
  return visible ? "OK" : "NOT_FOUND";
}

async function matrix(
  items: FixtureSegment[],
  path: string,
  permission: Permission,
  input: (s: FixtureSegment, u: FixtureUser) => unknown,
  visible: (u: FixtureUser, s: FixtureSegment) => boolean = sees,
) {
  const wrong: string[] = [];
  const answers = new Set<string>();
  for (const u of Object.values(bank.users)) {
    const ctx = await contextFor(t.db, u.id);
    for (const s of items) {
      const want = expected(u, permission, visible(u, s));
      const got = await outcome(ctx, path, input(s, u));
      answers.add(got);
      if (got !== want) wrong.push(`${u.key} → ${s.ownerKey}'s: expected ${want}, got ${got}`);
    }
  }
  return { wrong, answers: [...answers].sort() };
}

describe("IDOR matrix: segments", () => {
  it("builds one segment and one list per user who may", () => {
    // Every role but the approver builds segments: 10 of the 11 fixture users.
    expect(segments.length).toBe(10);
    expect(imports.length).toBe(10);
  });

  it.each([
    ["segment.get", "segment:read"],
    ["segment.members", "segment:read"],
    ["segment.profile", "segment:read"],
    ["segment.snapshot", "segment:write"],
    ["segment.update", "segment:write"],
  ] as const)("%s: exactly the segments in scope", async (path, permission) => {
    const r = await matrix(segments, path, permission, (s) => (path === "segment.update" ? { segmentId: s.id, description: "checked" } : { segmentId: s.id }));
    expect(r.wrong).toEqual([]);
    expect(r.answers).toContain("NOT_FOUND");
  });

  it("segment.overlap: answers only when every segment is in scope", async () => {
    // Paired with another segment the user sees if there is one (else any other): OK iff both are visible.
    const partner = (s: FixtureSegment, u: FixtureUser) => segments.find((x) => x.id !== s.id && sees(u, x)) ?? segments.find((x) => x.id !== s.id)!;
    const r = await matrix(
      segments,
      "segment.overlap",
      "segment:read",
      (s, u) => ({ segmentIds: [partner(s, u).id, s.id] }),
      (u, s) => sees(u, s) && sees(u, partner(s, u)),
    );
    expect(r.wrong).toEqual([]);
    expect(r.answers).toContain("OK");
    expect(r.answers).toContain("NOT_FOUND");
  });

  it("segment.importGet / importReport: exactly the imports in scope", async () => {
    for (const path of ["segment.importGet", "segment.importReport"]) {
      const r = await matrix(imports, path, "segment:read", (s) => ({ importId: s.id }));
      expect(r.wrong, path).toEqual([]);
    }
  });

  it("segment.list never returns a segment out of scope", async () => {
    for (const u of Object.values(bank.users)) {
      if (!hasPermission(u.role, "segment:read")) continue;
      const out = (await callPath(await contextFor(t.db, u.id), "segment.list", { pageSize: 100 })) as { items: { id: string }[] };
      const want = segments.filter((s) => sees(u, s)).map((s) => s.id);
      // Static lists from the imports are listed too; compare the rule segments only.
      expect(out.items.map((i) => i.id).filter((id) => segments.some((s) => s.id === id)).sort(), u.key).toEqual(want.sort());
    }
  });

  it("a list matches only the uploader's customers", async () => {
    const rm = imports.find((i) => i.ownerKey === "rmS01a")!;
    const imp = await t.db.segmentImport.findUniqueOrThrow({ where: { id: rm.id } });
    expect(imp).toMatchObject({ status: "APPLIED", matchedRows: 1, unmatchedRows: 7 });
  });
});
