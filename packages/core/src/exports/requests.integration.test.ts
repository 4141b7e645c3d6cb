/**
 * Export requests end to end below the API: request (masked / unmasked), approval above the
 * admin's threshold by a different user, the job body (one file however often it runs), the
 * signed, expiring, requester-only download, expiry — and the audit rows of each step.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import roaring from "roaring";
import { ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedBank } from "@mkt/db/seed/index";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { DomainError } from "../domain-error";
import { bitmapToBytes } from "../segments/bitmap";
import { seedTagCenter } from "../tags/seed";
import { authorizeDownload } from "./download";
import { getExport, requestExport, reviewExport, type ExportActor } from "./requests";
import { expireExports, runSegmentExport } from "./run";
import { setExportSettings } from "./settings";
import { readRows } from "./testing/parse-back";

const { RoaringBitmap32 } = roaring;
const SECRET = "x".repeat(40);

let t: TestDb;
let dir: string;
let segmentId: string;
const queued: string[] = [];
const deps = { enqueue: async (id: string) => void queued.push(id), linkSecret: SECRET };
const actors: Record<string, ExportActor> = {};

async function actor(username: string): Promise<ExportActor> {
  const u = await t.db.user.findUniqueOrThrow({ where: { username }, include: { orgUnit: true } });
  return { id: u.id, name: u.name, role: u.role, orgUnitId: u.orgUnitId, orgPath: u.orgUnit.path, locale: "zh-CN" };
}

const run = (id: string, extra: { signal?: AbortSignal; finalAttempt?: boolean } = {}) =>
  runSegmentExport({ db: t.db, databaseUrl: t.url, dir, ...extra }, id);

beforeAll(async () => {
  t = await createTestDb();
  const { asOf } = await seedBank(t.url, { customers: 300, seed: 5, asOf: "2026-06-30" });
  await seedTagCenter(t.url, { asOf });
  for (const name of ["admin", "approver", "analyst", "bm_br01", "bm_br02"]) actors[name] = await actor(name);
  const members = new RoaringBitmap32();
  members.addRange(1, 301);
  const segment = await t.db.segment.create({
    data: { name: "高净值客户/测试", kind: "STATIC", ownerId: actors.admin!.id, orgUnitId: actors.admin!.orgUnitId, members: bitmapToBytes(members) },
  });
  segmentId = segment.id;
  await t.db.segmentSnapshot.create({ data: { segmentId, trigger: "STATIC", count: members.size, members: bitmapToBytes(members) } });
  await setExportSettings(t.db, actors.admin!, { approvalThreshold: 100, linkHours: 24 });
  dir = await mkdtemp(path.join(tmpdir(), "mkt-export-req-"));
}, 180_000);

afterAll(async () => {
  await t?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const audits = (targetId: string) => t.db.auditLog.findMany({ where: { targetId }, orderBy: { id: "asc" } });
const base = () => ({ segmentId, columns: ["customerNo", "name", "phone"], format: "CSV" as "CSV" | "XLSX" });

describe("requesting", () => {
  it("queues a masked export at once and audits the request", async () => {
    const e = await requestExport(t.db, actors.analyst!, { ...base(), masked: true }, deps);
    expect(e).toMatchObject({ status: "QUEUED", masked: true, rowCount: 300, approvalRequired: false, downloadUrl: null });
    expect(queued).toContain(e.id);
    const [audit] = await audits(e.id);
    expect(audit).toMatchObject({ action: "EXPORT", actorId: actors.analyst!.id, targetType: "SegmentExport" });
    expect(audit!.details).toMatchObject({ step: "request", masked: true, rows: 300, format: "CSV" });
  });

  it("refuses unmasked without the permission, and without a reason", async () => {
    await expect(requestExport(t.db, actors.analyst!, { ...base(), masked: false, reason: "营销名单核对" }, deps)).rejects.toThrow(DomainError);
    await expect(requestExport(t.db, actors.admin!, { ...base(), masked: false }, deps)).rejects.toThrow(ZodError);
  });

  it("refuses an unknown tag column and XLSX beyond Excel's rows before anything is created", async () => {
    const before = await t.db.segmentExport.count();
    await expect(requestExport(t.db, actors.analyst!, { ...base(), columns: ["tag:NO_SUCH_TAG"] }, deps)).rejects.toThrow(/unknown or unpublished tag: NO_SUCH_TAG/);
    expect(await t.db.segmentExport.count()).toBe(before);
  });
});

describe("approval above the threshold", () => {
  it("waits for a different user's approval; self-approval is refused; approval queues it", async () => {
    const before = queued.length;
    const e = await requestExport(t.db, actors.admin!, { ...base(), masked: false, reason: "监管报送核对客户信息" }, deps);
    expect(e).toMatchObject({ status: "PENDING_APPROVAL", approvalRequired: true, masked: false });
    expect(queued.length).toBe(before);
    await expect(reviewExport(t.db, actors.admin!, e.id, "APPROVE", undefined, deps)).rejects.toThrow(/requested it/);
    const approved = await reviewExport(t.db, actors.approver!, e.id, "APPROVE", "同意", deps);
    expect(approved).toMatchObject({ status: "QUEUED", reviewedBy: { id: actors.approver!.id } });
    expect(queued.at(-1)).toBe(e.id);
    await expect(reviewExport(t.db, actors.approver!, e.id, "APPROVE", undefined, deps)).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await audits(e.id)).map((a) => a.action)).toEqual(["EXPORT", "APPROVE"]);
  });

  it("a rejected export is never queued", async () => {
    const e = await requestExport(t.db, actors.admin!, { ...base(), masked: false, reason: "核对" + "客户名单" }, deps);
    const rejected = await reviewExport(t.db, actors.approver!, e.id, "REJECT", "理由不足", deps);
    expect(rejected.status).toBe("REJECTED");
    expect(queued).not.toContain(e.id);
    await expect(run(e.id)).rejects.toThrow(/REJECTED/);
    expect((await audits(e.id)).map((a) => a.action)).toEqual(["EXPORT", "REJECT"]);
  });

  it("below the threshold an unmasked export needs no approval", async () => {
    await setExportSettings(t.db, actors.admin!, { approvalThreshold: 1_000, linkHours: 24 });
    const e = await requestExport(t.db, actors.bm_br01!, { ...base(), masked: false, reason: "客户回访核对" }, deps);
    expect(e).toMatchObject({ status: "QUEUED", approvalRequired: false });
    await setExportSettings(t.db, actors.admin!, { approvalThreshold: 100, linkHours: 24 });
  });
});

describe("the job and the download", () => {
  it("writes one file however often the job runs; a failed attempt leaves no file", async () => {
    const e = await requestExport(t.db, actors.bm_br01!, { ...base(), masked: true, format: "XLSX" }, deps);
    const aborted = new AbortController();
    aborted.abort(new Error("worker shutting down"));
    await expect(run(e.id, { signal: aborted.signal, finalAttempt: false })).rejects.toThrow(/shutting down/);
    expect((await t.db.segmentExport.findUniqueOrThrow({ where: { id: e.id } })).status).toBe("QUEUED");
    expect((await readdir(dir)).filter((f) => f.startsWith(e.id))).toEqual([]);

    const first = await run(e.id);
    expect(first.status).toBe("SUCCEEDED");
    // a retried delivery of the same job after success: nothing new
    expect(await run(e.id)).toEqual({ status: "SKIPPED" });
    // a retry after a crash that left the row RUNNING rewrites the same file
    await t.db.segmentExport.update({ where: { id: e.id }, data: { status: "RUNNING" } });
    const second = await run(e.id);
    expect(second.checksum).toBe(first.checksum);
    expect((await readdir(dir)).filter((f) => f.startsWith(e.id))).toEqual([`${e.id}.xlsx`]);

    const row = await t.db.segmentExport.findUniqueOrThrow({ where: { id: e.id } });
    const bytes = await readFile(row.filePath!);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(row.checksum);
    expect(Number(row.fileSize)).toBe(bytes.length);
    // the file holds only the requester's branch (BR01) customers
    const inScope = await t.db.customer.count({ where: { orgPath: { startsWith: actors.bm_br01!.orgPath } } });
    expect(row.rowsWritten).toBe(inScope);
    expect((await readRows(row.filePath!, "XLSX")).length).toBe(inScope + 1);
    expect(row).toMatchObject({ status: "SUCCEEDED", progress: 100 });
  });

  it("downloads only for the requester, with a valid, unexpired link, and audits each download", async () => {
    const e = await requestExport(t.db, actors.analyst!, { ...base(), masked: true }, deps);
    await run(e.id);
    const row = await t.db.segmentExport.findUniqueOrThrow({ where: { id: e.id } });
    const dto = await getExport(t.db, actors.analyst!, e.id, SECRET);
    const url = new URL(dto.downloadUrl!, "http://x");
    const link = { exp: url.searchParams.get("exp"), sig: url.searchParams.get("sig"), secret: SECRET };

    const ok = await authorizeDownload(t.db, actors.analyst!, e.id, link);
    const takenAt = (await t.db.segmentSnapshot.findFirstOrThrow({ where: { segmentId } })).takenAt;
    expect(ok).toMatchObject({ path: row.filePath, fileName: `高净值客户_测试_${takenAt.toISOString().slice(0, 10)}.csv` });
    expect(await authorizeDownload(t.db, actors.bm_br02!, e.id, link)).toMatchObject({ status: 404 });
    expect(await authorizeDownload(t.db, actors.analyst!, e.id, { ...link, exp: String(Number(link.exp) + 3_600_000) })).toMatchObject({ status: 403 });
    expect(await authorizeDownload(t.db, actors.analyst!, e.id, link, new Date(row.expiresAt!.getTime() + 1))).toMatchObject({ status: 410 });
    // approvers see the request but do not download it
    expect((await getExport(t.db, actors.approver!, e.id, SECRET)).downloadUrl).toBeNull();

    const downloads = (await audits(e.id)).filter((a) => (a.details as { step?: string }).step === "download");
    expect(downloads).toHaveLength(1);
    expect((await t.db.segmentExport.findUniqueOrThrow({ where: { id: e.id } })).downloads).toBe(1);

    expect(await expireExports(t.db, new Date(row.expiresAt!.getTime() + 1))).toBeGreaterThanOrEqual(1);
    expect((await readdir(dir)).filter((f) => f.startsWith(e.id))).toEqual([]);
    expect(await authorizeDownload(t.db, actors.analyst!, e.id, link)).toMatchObject({ status: 410 });
  });
});
