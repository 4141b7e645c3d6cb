/**
 * The segment router on the fixture bank (HO → BR01 (S01, S02), BR010 (S01); eight customers):
 * draft counts follow the caller's scope, saved segments are guarded, membership leaves refuse
 * cycles and other branches' segments, archiving is refused while a segment is used, static lists
 * are matched through identity resolution with a line-by-line report (a malformed file creates
 * nothing), and the masked preview never shows a clear phone.
 */
import { installTagLibrary } from "@mkt/core/tags/install-library";
import { createTagRun, executeTagRun } from "@mkt/core/tags/run";
import { bitmapFromBytes } from "@mkt/core/segments/bitmap";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callPath, outcome } from "../../test/call";
import { buildBank, contextFor, type Bank } from "../../test/fixtures";

let t: TestDb;
let bank: Bank;

beforeAll(async () => {
  t = await createTestDb();
  process.env.DATABASE_URL = t.url;
  process.env.BETTER_AUTH_SECRET ??= "x".repeat(32);
  bank = await buildBank(t.db);
  await installTagLibrary(t.db);
  await executeTagRun({ db: t.db, databaseUrl: t.url }, (await createTagRun(t.db, { trigger: "MANUAL" })).id);
}, 120_000);
afterAll(async () => t?.drop());

const as = (userKey: string) => contextFor(t.db, bank.users[userKey]!.id);
const everyone = { kind: "group", op: "and", children: [] };
const holdsTimeDeposit = { kind: "holding", category: "TIME_DEPOSIT", held: true };
const ids = (...keys: string[]) => keys.map((k) => bank.customers[k]!.id).sort((a, b) => a - b);

async function save(userKey: string, name: string, rule: unknown): Promise<{ id: string; count: number }> {
  return (await callPath(await as(userKey), "segment.create", { name, rule })) as { id: string; count: number };
}

describe("segment router", () => {
  it("counts a draft over the caller's scope only", async () => {
    const count = async (user: string, rule: unknown) => ((await callPath(await as(user), "segment.count", { rule })) as { count: number }).count;
    expect(await count("hoMarketing", everyone)).toBe(8);
    expect(await count("br01Manager", everyone)).toBe(5);
    expect(await count("br010Manager", everyone)).toBe(2);
    expect(await count("rmS01a", everyone)).toBe(1);
    // Every fixture customer holds a time deposit; NOT of it leaves nobody.
    expect(await count("br01Manager", { kind: "group", op: "and", not: true, children: [holdsTimeDeposit] })).toBe(0);
    expect(await count("hoMarketing", { kind: "tag", tag: "GENDER", op: "in", values: ["M", "F", "U"] })).toBe(8);
  });

  it("names the problem in a bad rule (unknown tag, wrong operator, too deep)", async () => {
    const ctx = await as("hoMarketing");
    await expect(callPath(ctx, "segment.count", { rule: { kind: "tag", tag: "NO_SUCH_TAG", op: "isEmpty" } })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/NO_SUCH_TAG/) });
    await expect(callPath(ctx, "segment.count", { rule: { kind: "tag", tag: "GENDER", op: "gt", value: 3 } })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/operator gt/) });
    let deep: unknown = holdsTimeDeposit;
    for (let i = 0; i < 10; i++) deep = { kind: "group", op: "and", children: [deep] };
    await expect(callPath(ctx, "segment.count", { rule: deep })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/deeper than/) });
  });

  it("previews matching customers masked", async () => {
    const out = (await callPath(await as("br01Manager"), "segment.preview", { rule: everyone })) as { items: { id: number; phone: string | null; name: string }[] };
    expect(out.items.map((i) => i.id).sort((a, b) => a - b)).toEqual(ids("cBR01", "cS01a", "cS01b", "cS01none", "cS02"));
    for (const item of out.items) {
      const c = Object.values(bank.customers).find((x) => x.id === item.id)!;
      expect(item.phone).not.toBe(c.phone);
      expect(item.phone).toMatch(/^\d{3}\*+\d{4}$/);
      expect(item.name).not.toBe(c.name);
    }
  });

  it("saves with a snapshot, lists and guards by scope", async () => {
    const s = await save("br01Manager", "分行定期客户", holdsTimeDeposit);
    expect(s.count).toBe(5);
    const snap = await t.db.segmentSnapshot.findFirstOrThrow({ where: { segmentId: s.id } });
    expect(snap.trigger).toBe("SAVE");
    expect(bitmapFromBytes(snap.members).toArray()).toEqual(ids("cBR01", "cS01a", "cS01b", "cS01none", "cS02"));

    const list = (await callPath(await as("hoMarketing"), "segment.list", {})) as { items: { id: string; count: number; trend: unknown[] }[] };
    expect(list.items.find((i) => i.id === s.id)).toMatchObject({ count: 5, trend: [expect.objectContaining({ count: 5 })] });
    const br010 = (await callPath(await as("br010Manager"), "segment.list", {})) as { items: { id: string }[] };
    expect(br010.items.map((i) => i.id)).not.toContain(s.id);

    expect(await outcome(await as("br010Manager"), "segment.get", { segmentId: s.id })).toBe("NOT_FOUND");
    expect(await outcome(await as("rmS01a"), "segment.get", { segmentId: s.id })).toBe("NOT_FOUND");
    expect(await outcome(await as("hoAnalyst"), "segment.get", { segmentId: s.id })).toBe("OK");
    expect(await outcome(await as("br010Manager"), "segment.update", { segmentId: s.id, name: "x" })).toBe("NOT_FOUND");

    const again = (await callPath(await as("br01Manager"), "segment.snapshot", { segmentId: s.id })) as { count: number };
    expect(again.count).toBe(5);
    expect(await t.db.segmentSnapshot.count({ where: { segmentId: s.id } })).toBe(2);
  });

  it("refuses membership cycles, self-reference and other branches' segments", async () => {
    const a = await save("br01Manager", "A", holdsTimeDeposit);
    const b = await save("br01Manager", "B", { kind: "segment", segmentId: a.id, in: true });
    const c = await save("br01Manager", "C", { kind: "group", op: "or", children: [{ kind: "segment", segmentId: b.id, in: true }] });
    expect(c.count).toBe(5);
    const ctx = await as("br01Manager");
    await expect(callPath(ctx, "segment.update", { segmentId: a.id, rule: { kind: "segment", segmentId: c.id, in: true } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/cycle \(A → C → B → A\)|cycle/),
    });
    await expect(callPath(ctx, "segment.update", { segmentId: a.id, rule: { kind: "segment", segmentId: a.id, in: false } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // A's rule is unchanged.
    expect((await t.db.segment.findUniqueOrThrow({ where: { id: a.id } })).ruleVersion).toBe(1);

    const other = await save("br010Manager", "BR010 segment", everyone);
    await expect(callPath(ctx, "segment.count", { rule: { kind: "segment", segmentId: other.id, in: true } })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/not found/) });

    // Archiving a segment others use is refused with their names; unused, it archives.
    await expect(callPath(ctx, "segment.archive", { segmentId: a.id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringMatching(/"B"/) });
    expect(await outcome(ctx, "segment.archive", { segmentId: c.id })).toBe("OK");
    expect((await t.db.segment.findUniqueOrThrow({ where: { id: c.id } })).status).toBe("ARCHIVED");
  });

  it("excludes a member of another segment with in: false", async () => {
    const s01 = await save("br01Manager", "S01 via preview list", { kind: "holding", category: "FUND", held: true });
    const ctx = await as("br01Manager");
    const none = (await callPath(ctx, "segment.count", { rule: { kind: "segment", segmentId: s01.id, in: false } })) as { count: number };
    expect(none.count).toBe(5 - s01.count);
  });
});

describe("static list import", () => {
  const b64 = (s: string | Uint8Array) => Buffer.from(s).toString("base64");

  it("matches phones through identity resolution, in scope only, and reports the rest by line", async () => {
    const c = bank.customers;
    const phone = (k: string) => c[k]!.phone;
    const fullWidth = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    const csv = [
      "手机号,备注",
      `+86 ${phone("cS01a").slice(0, 3)}-${phone("cS01a").slice(3, 7)}-${phone("cS01a").slice(7)},spaced`, // line 2: matches
      `${fullWidth(phone("cS02"))},全角`, // line 3: matches
      `${phone("cBR010")},other branch`, // line 4: out of scope → unmatched
      "12345,bad", // line 5: invalid
      `${phone("cS01a")},again`, // line 6: duplicate of line 2
      "13912345678,nobody", // line 7: unmatched
      ",no phone", // line 8: empty value → invalid
    ].join("\n");
    const out = (await callPath(await as("br01Manager"), "segment.import", { name: "名单客群", matchBy: "PHONE", fileName: "list.csv", contentBase64: b64(csv) })) as {
      id: string;
      status: string;
      segmentId: string;
      totalRows: number;
      matchedRows: number;
      unmatchedRows: number;
      invalidRows: number;
      duplicateRows: number;
    };
    expect(out).toMatchObject({ status: "APPLIED", totalRows: 7, matchedRows: 2, unmatchedRows: 2, invalidRows: 2, duplicateRows: 1 });
    const seg = await t.db.segment.findUniqueOrThrow({ where: { id: out.segmentId } });
    expect(seg.kind).toBe("STATIC");
    expect(bitmapFromBytes(seg.members!).toArray()).toEqual(ids("cS01a", "cS02"));
    expect(seg.latestCount).toBe(2);

    const report = (await callPath(await as("br01Manager"), "segment.importReport", { importId: out.id })) as { items: { line: number; code: string; valueMasked: string | null }[] };
    expect(report.items.map((r) => [r.line, r.code])).toEqual([
      [4, "UNMATCHED"],
      [5, "INVALID"],
      [6, "DUPLICATE"],
      [7, "UNMATCHED"],
      [8, "INVALID"],
    ]);
    expect(report.items[0]!.valueMasked).toBe(`${phone("cBR010").slice(0, 3)}****${phone("cBR010").slice(-4)}`);
    expect(await t.db.auditLog.count({ where: { action: "IMPORT", targetId: out.segmentId } })).toBe(1);
    // Another branch cannot read the import.
    expect(await outcome(await as("br010Manager"), "segment.importGet", { importId: out.id })).toBe("NOT_FOUND");

    // The same file again for the same name is the same import.
    const again = (await callPath(await as("br01Manager"), "segment.import", { name: "名单客群", matchBy: "PHONE", fileName: "list.csv", contentBase64: b64(csv) })) as { id: string };
    expect(again.id).toBe(out.id);
  });

  it("matches certificate numbers in any spelling (a list of one column without a header)", async () => {
    const cert = bank.customers.cS01b!.certNo;
    const csv = [` ${cert.toLowerCase()} `, "110105199001011234" /* wrong check digit → invalid */].join("\r\n");
    const out = (await callPath(await as("hoAnalyst"), "segment.import", { name: "证件名单", matchBy: "CERT_NO", contentBase64: b64(csv) })) as { status: string; segmentId: string; matchedRows: number; invalidRows: number };
    expect(out).toMatchObject({ status: "APPLIED", matchedRows: 1, invalidRows: 1 });
    const seg = await t.db.segment.findUniqueOrThrow({ where: { id: out.segmentId } });
    expect(bitmapFromBytes(seg.members!).toArray()).toEqual(ids("cS01b"));
  });

  it("refuses a malformed file and creates nothing", async () => {
    const before = await t.db.segment.count();
    const ctx = await as("br01Manager");
    const noHeader = (await callPath(ctx, "segment.import", { name: "坏文件", matchBy: "PHONE", contentBase64: b64("13800000000,张三\n13900000000,李四\n") })) as { status: string; error: { code: string; line: number } };
    expect(noHeader).toMatchObject({ status: "REJECTED", error: { code: "NO_COLUMN", line: 1 } });
    const wrongColumn = (await callPath(ctx, "segment.import", { name: "坏文件2", matchBy: "CERT_NO", contentBase64: b64("手机号\n13800000000\n") })) as { status: string; error: { code: string; message: string } };
    expect(wrongColumn).toMatchObject({ status: "REJECTED", error: { code: "NO_COLUMN", message: expect.stringMatching(/证件号码/) } });
    const badQuote = (await callPath(ctx, "segment.import", { name: "坏文件3", matchBy: "PHONE", contentBase64: b64('手机号\n"13800000000\n13900000000\n') })) as { status: string; error: { code: string } };
    expect(badQuote).toMatchObject({ status: "REJECTED", error: { code: "BAD_CSV" } });
    const brokenXlsx = (await callPath(ctx, "segment.import", { name: "坏文件4", matchBy: "PHONE", contentBase64: b64(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])) })) as { status: string; error: { code: string } };
    expect(brokenXlsx).toMatchObject({ status: "REJECTED", error: { code: "BAD_XLSX" } });
    const nothingMatched = (await callPath(ctx, "segment.import", { name: "无匹配", matchBy: "PHONE", contentBase64: b64("手机号\n13912345670\n") })) as { status: string; error: { code: string }; unmatchedRows: number };
    expect(nothingMatched).toMatchObject({ status: "REJECTED", error: { code: "NO_MATCH" }, unmatchedRows: 1 });
    expect(await t.db.segment.count()).toBe(before);
    expect(await outcome(ctx, "segment.import", { name: "x", matchBy: "EMAIL", contentBase64: b64("a") })).toBe("BAD_REQUEST");
  });
});
