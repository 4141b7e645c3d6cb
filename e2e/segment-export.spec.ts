/**
 * Segment exports end to end in Chromium, with the e2e server's worker writing the files: a
 * head-office marketing manager exports a segment to CSV from its page, watches the progress and
 * downloads the file; an analyst (no unmask permission) exports XLSX and gets every name, mobile,
 * ID and card cell masked. Both files are parsed back here. The segment is a static list of every
 * seeded customer, written straight into the run's database (building segments is segments.spec).
 */
import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { readRows, type ParsedCell } from "../packages/core/src/exports/testing/parse-back";
import { bitmapToBytes, RoaringBitmap32 } from "../packages/core/src/segments/bitmap";
import { query, screenshot, signIn } from "./support/helpers";

test.describe.configure({ mode: "serial" });
test.use({ viewport: { width: 1440, height: 900 } });

const SEGMENT_ID = `e2e_export_${Date.now().toString(36)}`;
let total = 0;

test.beforeAll(async () => {
  const [count] = await query<{ n: number }>("SELECT count(*)::int AS n FROM customer");
  total = count!.n;
  const members = new RoaringBitmap32();
  members.addRange(1, total + 1);
  const bytes = Buffer.from(bitmapToBytes(members));
  const [owner] = await query<{ id: string; org_unit_id: string }>("SELECT id, org_unit_id FROM staff_user WHERE username = 'marketing'");
  await query(
    `INSERT INTO segment (id, name, kind, status, members, owner_id, org_unit_id, latest_count, latest_taken_at, created_at, updated_at)
     VALUES ($1, 'E2E 导出客群 😀', 'STATIC', 'ACTIVE', $2, $3, $4, $5, now(), now(), now())`,
    [SEGMENT_ID, bytes, owner!.id, owner!.org_unit_id, total],
  );
  await query(`INSERT INTO segment_snapshot (id, segment_id, taken_at, trigger, count, members) VALUES ($1, $2, now(), 'STATIC', $3, $4)`, [
    `${SEGMENT_ID}_s1`,
    SEGMENT_ID,
    total,
    bytes,
  ]);
});

/** Opens the export dialog on the segment's page, requests an export and downloads the file. */
async function exportAndDownload(page: Page, format: "CSV" | "XLSX", shot: string): Promise<{ path: string; rows: ParsedCell[][] }> {
  await page.goto(`/segments/${SEGMENT_ID}`);
  await page.getByTestId("export-open").click();
  await expect(page.getByTestId("export-col-name")).toBeChecked();
  await page.getByTestId(`export-format-${format}`).check();
  await screenshot(page, `${shot}-dialog`);
  await page.getByTestId("export-submit").click();
  const progress = page.getByTestId("export-progress");
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 60_000 });
  await screenshot(page, `${shot}-ready`);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-download").click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`\\.${format.toLowerCase()}$`));
  const path = await download.path();
  return { path, rows: await readRows(path, format) };
}

/** Name, mobile, ID number and card number (columns 2–5 of the default choice) are all masked. */
function expectPersonalColumnsMasked(rows: ParsedCell[][]) {
  const [header, ...data] = rows;
  expect(header!.slice(0, 5)).toEqual(["客户号", "姓名", "手机号", "证件号码", "借记卡号"]);
  expect(data.length).toBe(total);
  // plain checks in the loop, one expect at the end (an expect per cell is a traced step each)
  const cells = data.flatMap((r) => r.slice(1, 5)).filter((c) => c !== null).map(String);
  expect(cells.length).toBeGreaterThan(total * 3);
  expect(cells.filter((c) => !c.includes("*") || /\d{7}/.test(c))).toEqual([]);
}

test("a marketing manager exports a segment to CSV and downloads it", async ({ page }) => {
  await signIn(page, "marketing");
  const { path, rows } = await exportAndDownload(page, "CSV", "export-marketing");
  expect((await readFile(path)).subarray(0, 3).toString("hex")).toBe("efbbbf");
  expectPersonalColumnsMasked(rows);
  const phones = await query<{ phone: string }>("SELECT phone FROM customer WHERE phone IS NOT NULL LIMIT 50");
  const text = (await readFile(path)).toString("utf8");
  expect(phones.filter(({ phone }) => text.includes(phone))).toEqual([]);

  // The export list is reached from the navigation: 客群 → 客群导出与审批 (the export dialog closed first).
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toBeHidden();
  const nav = page.getByRole("navigation", { name: "主导航" }).first();
  const exportsLink = nav.getByRole("link", { name: "客群导出与审批" });
  if (!(await exportsLink.isVisible())) await nav.getByRole("button", { name: "客群", exact: true }).click();
  await exportsLink.click();
  await page.waitForURL("**/segments/exports");
  await expect(exportsLink).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("exports-mine")).toContainText("E2E 导出客群 😀");
  await screenshot(page, "export-list");
});

test("an analyst without unmask permission gets a masked XLSX", async ({ page }) => {
  await signIn(page, "analyst");
  await page.goto(`/segments/${SEGMENT_ID}`);
  await page.getByTestId("export-open").click();
  await expect(page.getByTestId("export-unmasked")).toBeDisabled();
  await page.keyboard.press("Escape");
  const { rows } = await exportAndDownload(page, "XLSX", "export-analyst");
  expectPersonalColumnsMasked(rows);
  const audit = await query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'EXPORT' AND details->>'step' = 'download'");
  expect(audit[0]!.n).toBeGreaterThanOrEqual(2);
});

test("approvers reach export approvals from the navigation (zh-CN and en); an RM has no entry", async ({ page }) => {
  await signIn(page, "approver");
  const nav = page.getByRole("navigation", { name: "主导航" }).first();
  await nav.getByRole("button", { name: "客群", exact: true }).click();
  await nav.getByRole("link", { name: "客群导出与审批" }).click();
  await page.waitForURL("**/segments/exports");
  await expect(page.getByRole("heading", { name: "客群导出", level: 1 })).toBeVisible();
  await page.getByRole("group", { name: "界面语言" }).getByRole("button", { name: "EN" }).click();
  const en = page.getByRole("navigation", { name: "Main navigation" }).first();
  await expect(en.getByRole("link", { name: "Exports & approvals" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("heading", { name: "Segment exports", level: 1 })).toBeVisible();
  await page.getByRole("group", { name: "Language" }).getByRole("button", { name: "中", exact: true }).click();
  await expect(nav.getByRole("link", { name: "客群导出与审批" })).toBeVisible();

  const rm = await page.context().browser()!.newPage({ viewport: { width: 1440, height: 900 } });
  await signIn(rm, "rm_br01s01");
  const rmNav = rm.getByRole("navigation", { name: "主导航" }).first();
  await rmNav.getByRole("button", { name: "客群", exact: true }).click();
  await expect(rmNav.getByRole("link", { name: "客群列表" })).toBeVisible();
  await expect(rmNav.getByRole("link", { name: "客群导出与审批" })).toHaveCount(0);
  await rm.close();
});
