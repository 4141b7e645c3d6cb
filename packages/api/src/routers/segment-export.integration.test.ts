/**
 * segmentExport through the tRPC router and the download route: the IDOR matrix of every fixture
 * user against a segment of every unit (out of scope = NOT_FOUND, BR01 / BR010 not confused),
 * exports visible only to their requester and in-scope approvers, approval by a different user,
 * and GET /api/exports/{id} (401 / 404 / 200 with the file's bytes).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasPermission, type Permission } from "@mkt/core";
import { runSegmentExport } from "@mkt/core/exports/run";
import { setExportSettings } from "@mkt/core/exports/settings";
import { bitmapToBytes, RoaringBitmap32 } from "@mkt/core/segments/bitmap";
import { createTestDb, testRedisPrefix, type TestDb } from "@mkt/db/testing";
import { getJobsClient } from "@mkt/jobs";
import { callPath, outcome } from "../../test/call";
import { buildBank, contextFor, inSubtree, type Bank, type FixtureUser } from "../../test/fixtures";
import { loadSessionUser } from "../auth/session";
import { getExportDownload } from "./segment-export-download";

const SECRET = "s".repeat(40);

let t: TestDb;
let bank: Bank;
let dir: string;
interface Seg {
  id: string;
  unitKey: string;
  ownerKey: string;
}
const segments: Seg[] = [];
interface Exp {
  id: string;
  requesterKey: string;
  unitKey: string;
}
const exportsMade: Exp[] = [];

beforeAll(async () => {
  process.env.REDIS_PREFIX = testRedisPrefix();
  process.env.EXPORT_LINK_SECRET = SECRET;
  t = await createTestDb();
  bank = await buildBank(t.db);
  dir = await mkdtemp(path.join(tmpdir(), "mkt-export-api-"));
  // One segment per unit, owned by a user of that unit who builds segments (an RM's for sub-branches).
  for (const unit of Object.values(bank.units)) {
    const owner = Object.values(bank.users).find((u) => u.unitKey === unit.key && hasPermission(u.role, "segment:write"));
    if (!owner) continue;
    const members = new RoaringBitmap32(Object.values(bank.customers).filter((c) => inSubtree(bank, c.unitKey, unit.key)).map((c) => c.id));
    const s = await t.db.segment.create({ data: { name: `seg ${unit.key}`, kind: "STATIC", ownerId: owner.id, orgUnitId: unit.id, members: bitmapToBytes(members) } });
    await t.db.segmentSnapshot.create({ data: { segmentId: s.id, trigger: "STATIC", count: members.size, members: bitmapToBytes(members) } });
    segments.push({ id: s.id, unitKey: unit.key, ownerKey: owner.key });
  }
  await setExportSettings(t.db, { id: bank.users.hoAdmin!.id, name: "admin", role: "ADMIN", orgUnitId: bank.units.HO!.id, orgPath: bank.units.HO!.path }, { approvalThreshold: 0, linkHours: 24 });
}, 120_000);

afterAll(async () => {
  await getJobsClient().close();
  await t?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const seesSegment = (u: FixtureUser, s: Seg) => inSubtree(bank, s.unitKey, u.unitKey) && (u.role !== "RM" || s.ownerKey === u.key);
const expected = (u: FixtureUser, permission: Permission, visible: boolean) => (!hasPermission(u.role, permission) ? "FORBIDDEN" : visible ? "OK" : "NOT_FOUND");

describe("IDOR matrix: segment exports", () => {
  it("segmentExport.request: only segments the caller sees", async () => {
    const wrong: string[] = [];
    const answers = new Set<string>();
    for (const u of Object.values(bank.users)) {
      const ctx = await contextFor(t.db, u.id);
      for (const s of segments) {
        const want = expected(u, "export:write", seesSegment(u, s));
        let got: string;
        try {
          const e = (await callPath(ctx, "segmentExport.request", { segmentId: s.id, columns: ["customerNo", "name"], format: "CSV" })) as { id: string };
          exportsMade.push({ id: e.id, requesterKey: u.key, unitKey: u.unitKey });
          got = "OK";
        } catch (err) {
          got = (err as { code?: string }).code ?? String(err);
        }
        answers.add(got);
        if (got !== want) wrong.push(`${u.key} → ${s.unitKey}: expected ${want}, got ${got}`);
      }
    }
    expect(wrong).toEqual([]);
    expect([...answers].sort()).toEqual(["FORBIDDEN", "NOT_FOUND", "OK"]);
  }, 120_000);

  it("a snapshot of another segment is NOT_FOUND", async () => {
    const ctx = await contextFor(t.db, bank.users.br01Manager!.id);
    const own = segments.find((s) => s.unitKey === "BR01")!;
    const other = segments.find((s) => s.unitKey === "BR010")!;
    const snap = await t.db.segmentSnapshot.findFirstOrThrow({ where: { segmentId: other.id } });
    expect(await outcome(ctx, "segmentExport.request", { segmentId: own.id, snapshotId: snap.id, columns: ["customerNo"], format: "CSV" })).toBe("NOT_FOUND");
  });

  it("segmentExport.get: the requester, or an approver whose subtree holds the request", async () => {
    const wrong: string[] = [];
    for (const u of Object.values(bank.users)) {
      const ctx = await contextFor(t.db, u.id);
      for (const e of exportsMade) {
        const visible = inSubtree(bank, e.unitKey, u.unitKey) && (e.requesterKey === u.key || hasPermission(u.role, "export:approve"));
        const want = expected(u, "export:read", visible);
        const got = await outcome(ctx, "segmentExport.get", { exportId: e.id });
        if (got !== want) wrong.push(`${u.key} → ${e.requesterKey}'s: expected ${want}, got ${got}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it("unmasked: FORBIDDEN without export:unmasked; approval by a different user in scope", async () => {
    const br01 = segments.find((s) => s.unitKey === "BR01")!;
    const br010 = segments.find((s) => s.unitKey === "BR010")!;
    const unmasked = { columns: ["customerNo", "name", "phone"], format: "CSV", masked: false, reason: "核对客户联系方式" };
    expect(await outcome(await contextFor(t.db, bank.users.hoAnalyst!.id), "segmentExport.request", { segmentId: br01.id, ...unmasked })).toBe("FORBIDDEN");

    const mine = (await callPath(await contextFor(t.db, bank.users.br01Manager!.id), "segmentExport.request", { segmentId: br01.id, ...unmasked })) as { id: string; status: string };
    expect(mine.status).toBe("PENDING_APPROVAL");
    const other = (await callPath(await contextFor(t.db, bank.users.br010Manager!.id), "segmentExport.request", { segmentId: br010.id, ...unmasked })) as { id: string };
    // BR01's admin cannot reach BR010's request (prefix trap), an approver without scope problems can
    expect(await outcome(await contextFor(t.db, bank.users.br01Admin!.id), "segmentExport.approve", { exportId: other.id })).toBe("NOT_FOUND");
    expect(await outcome(await contextFor(t.db, bank.users.hoMarketing!.id), "segmentExport.approve", { exportId: mine.id })).toBe("FORBIDDEN");
    expect(await outcome(await contextFor(t.db, bank.users.hoApprover!.id), "segmentExport.approve", { exportId: mine.id })).toBe("OK");

    const own = (await callPath(await contextFor(t.db, bank.users.hoAdmin!.id), "segmentExport.request", { segmentId: br01.id, ...unmasked })) as { id: string };
    expect(await outcome(await contextFor(t.db, bank.users.hoAdmin!.id), "segmentExport.approve", { exportId: own.id })).toBe("PRECONDITION_FAILED");

    const approvals = (await callPath(await contextFor(t.db, bank.users.hoApprover!.id), "segmentExport.list", { view: "approvals" })) as { items: { id: string }[] };
    expect(approvals.items.map((i) => i.id).sort()).toEqual([other.id, own.id].sort());
  });
});

describe("GET /api/exports/{id}", () => {
  it("serves the requester's finished file and nobody else's", async () => {
    const requester = bank.users.hoMarketing!;
    const e = exportsMade.find((x) => x.requesterKey === requester.key)!;
    await runSegmentExport({ db: t.db, databaseUrl: t.url, dir }, e.id);
    const dto = (await callPath(await contextFor(t.db, requester.id), "segmentExport.get", { exportId: e.id })) as { downloadUrl: string; checksum: string };
    const url = `http://localhost${dto.downloadUrl}`;
    const as = (userId: string | null) => ({ db: t.db, linkSecret: SECRET, sessionUser: async () => (userId ? loadSessionUser(t.db, userId) : null) });

    expect((await getExportDownload(new Request(url), e.id, as(null))).status).toBe(401);
    expect((await getExportDownload(new Request(url), e.id, as(bank.users.rmS01a!.id))).status).toBe(403);
    expect((await getExportDownload(new Request(url), e.id, as(bank.users.hoAnalyst!.id))).status).toBe(404);
    expect((await getExportDownload(new Request(url.replace(/sig=[^&]+/, "sig=forged")), e.id, as(requester.id))).status).toBe(403);

    const res = await getExportDownload(new Request(url), e.id, as(requester.id));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; .*filename\*=UTF-8''seg%20HO_\d{4}-\d{2}-\d{2}\.csv$/);
    const body = Buffer.from(await res.arrayBuffer());
    const row = await t.db.segmentExport.findUniqueOrThrow({ where: { id: e.id } });
    expect(body.equals(await readFile(row.filePath!))).toBe(true);
    expect(body.subarray(0, 3).toString("hex")).toBe("efbbbf");
  });
});
