/**
 * Segments end to end in Chromium: a head-office marketing manager builds a nested segment in
 * the visual builder — an age-band condition AND (holds wealth management OR holds funds) —
 * watching the live count follow each change, checks the masked preview, saves it and profiles
 * it (TGI per tag value). A branch manager's count of the same rule covers only the branch. A
 * list of phones becomes a static segment with its unmatched rows reported by line.
 * The e2e server seeds 3,000 customers, the tag library and one computed tag run.
 */
import { expect, test, type Page } from "@playwright/test";
import { MASKED_PHONE, query, screenshot, signIn, queryOne } from "./support/helpers";

test.describe.configure({ mode: "serial" });
test.use({ viewport: { width: 1440, height: 900 } });

/** The live count once it has settled (no debounce pending, no request in flight). */
async function settledCount(page: Page): Promise<number> {
  const el = page.getByTestId("live-count");
  await expect(el).toHaveAttribute("aria-busy", "false");
  await expect(el).not.toHaveText("—");
  return Number((await el.textContent())!.replace(/\D/g, ""));
}

/** Waits for the count to move away from `previous`, and returns the new settled value. */
async function countChangesFrom(page: Page, previous: number): Promise<number> {
  await expect.poll(() => settledCount(page), { timeout: 20_000 }).not.toBe(previous);
  return settledCount(page);
}

const SEGMENT = `E2E 中年理财或基金客户 ${Date.now() % 100_000}`;

test("a marketing manager builds a nested segment watching the count, saves it and profiles it", async ({ page }) => {
  const { n: total } = await queryOne<{ n: number }>("SELECT count(*)::int AS n FROM customer");
  await signIn(page, "marketing");
  await page.goto("/segments");
  await page.getByTestId("new-segment").click();
  await page.waitForURL("**/segments/new");

  // No condition yet: everyone in the head office's scope.
  expect(await settledCount(page)).toBe(total);

  // AGE_BAND in (35–44, 45–54).
  await page.getByTestId("add-tag").last().click();
  const first = page.getByTestId("rule-condition").first();
  await first.getByLabel("标签主题").selectOption({ label: "自然属性" });
  await first.getByLabel("标签", { exact: true }).selectOption("AGE_BAND");
  await first.getByRole("button", { name: "35–44岁" }).click();
  const byAge = await countChangesFrom(page, total);
  await first.getByRole("button", { name: "45–54岁" }).click();
  const byAge2 = await countChangesFrom(page, byAge);
  expect(byAge2).toBeGreaterThan(byAge);
  expect(byAge2).toBeLessThan(total);

  // AND a nested OR group: holds wealth management OR holds funds.
  await page.getByTestId("add-group").last().click();
  const group = page.getByTestId("rule-group");
  await expect(group.getByTestId("group-op")).toHaveValue("or");
  await group.getByTestId("add-holding").click();
  const onlyWealth = await countChangesFrom(page, byAge2);
  expect(onlyWealth).toBeLessThan(byAge2);
  await group.getByTestId("add-holding").click();
  await group.getByTestId("rule-condition").nth(1).getByLabel("类别").selectOption("FUND");
  const nested = await countChangesFrom(page, onlyWealth);
  expect(nested).toBeGreaterThan(onlyWealth);
  expect(nested).toBeLessThanOrEqual(byAge2);

  // The count agrees with SQL over the seeded data (an independent check of the whole tree).
  const { n: sql } = await queryOne<{ n: number }>(
    `SELECT count(*)::int AS n FROM customer c
     WHERE EXISTS (SELECT 1 FROM customer_tag_value v WHERE v.customer_id = c.id AND v.tag_code = 'AGE_BAND' AND v.value_label IN ('35_44', '45_54'))
       AND (EXISTS (SELECT 1 FROM account a WHERE a.customer_id = c.id AND a.kind IN ('WEALTH', 'FUND') AND a.status <> 'CLOSED')
         OR EXISTS (SELECT 1 FROM holding h JOIN product p ON p.id = h.product_id WHERE h.customer_id = c.id AND h.status = 'ACTIVE' AND p.category IN ('WEALTH', 'FUND')))`,
  );
  expect(nested).toBe(sql);

  // The preview shows matching customers, masked.
  const preview = page.getByTestId("segment-preview");
  await expect(preview.locator("tbody tr").first()).toBeVisible();
  const phones = await preview.locator("tbody tr td:nth-child(3)").allTextContents();
  expect(phones.length).toBeGreaterThan(0);
  for (const p of phones) if (p.trim() !== "—") expect(p.trim()).toMatch(MASKED_PHONE);
  await screenshot(page, "segments-builder-desktop-zh");

  await page.getByTestId("segment-name").fill(SEGMENT);
  await page.getByTestId("segment-save").click();
  await page.waitForURL(/\/segments\/(?!new)[^/]+$/);
  await expect(page.getByRole("heading", { level: 1, name: SEGMENT })).toBeVisible();
  await expect(page.getByTestId("segment-count")).toHaveText(nested.toLocaleString("zh-CN"));

  // Profile: TGI per value of the default tags; the age bands outside the rule have none.
  const profile = page.getByTestId("segment-profile");
  await expect(profile.getByRole("figure", { name: "年龄段 的 TGI" })).toBeVisible();
  const ageTable = profile.getByRole("table", { name: "年龄段 各取值的占比与 TGI" });
  await expect(ageTable.getByRole("row", { name: /35–44岁/ })).toBeVisible();
  const under25 = ageTable.getByRole("row", { name: /25岁以下/ });
  await expect(under25.locator("td").last()).toHaveText("0");
  await expect(profile.getByText("人均 AUM")).toBeVisible();
  await screenshot(page, "segments-profile-desktop-zh");

  // It is listed with its count.
  await page.goto("/segments");
  const row = page.getByTestId("segment-list").getByRole("row", { name: new RegExp(SEGMENT) });
  await expect(row).toContainText(nested.toLocaleString("zh-CN"));
  await screenshot(page, "segments-list-desktop-zh");
});

test("a branch manager counts the same kind of rule over the branch only", async ({ page }) => {
  await signIn(page, "bm_br01");
  await page.goto("/segments/new");
  const { n: branch } = await queryOne<{ n: number }>(
    "SELECT count(*)::int AS n FROM customer c JOIN org_unit o ON o.id = c.org_unit_id JOIN staff_user u ON u.username = 'bm_br01' JOIN org_unit mine ON mine.id = u.org_unit_id WHERE c.org_path LIKE mine.path || '%'",
  );
  expect(await settledCount(page)).toBe(branch);
  // The head office's segment is not offered to a branch for membership.
  await page.getByTestId("add-segment").last().click();
  await expect(page.getByTestId("rule-condition").first().getByRole("option", { name: SEGMENT })).toHaveCount(0);
});

test("a list of phones becomes a static segment, unmatched rows reported by line", async ({ page }) => {
  // Phones that identify exactly one customer (the seed has shared and dirty ones), and one nobody has.
  const rows = await query<{ phone: string }>(
    `SELECT c.phone FROM customer c WHERE c.phone ~ '^1[3-9][0-9]{9}$'
       AND NOT EXISTS (SELECT 1 FROM customer c2 WHERE c2.phone = c.phone AND c2.id <> c.id)
       AND NOT EXISTS (SELECT 1 FROM source_record s WHERE s.phone_norm = c.phone AND s.customer_id <> c.id)
     ORDER BY c.id LIMIT 3`,
  );
  const { p: nobody } = await queryOne<{ p: string }>(
    `SELECT p FROM generate_series(0, 999) g, LATERAL (SELECT '1990000' || lpad(g::text, 4, '0') AS p) x
     WHERE NOT EXISTS (SELECT 1 FROM customer WHERE phone = x.p) AND NOT EXISTS (SELECT 1 FROM source_record WHERE phone_norm = x.p) LIMIT 1`,
  );
  const csv = ["手机号", ...rows.map((r) => r.phone), "12345", nobody, rows[0]!.phone].join("\n");
  await signIn(page, "marketing");
  await page.goto("/segments/import");
  await page.getByTestId("import-name").fill("E2E 名单客群");
  await page.getByTestId("import-match-by").selectOption("PHONE");
  await page.getByTestId("import-file").setInputFiles({ name: "名单.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByTestId("import-submit").click();
  const result = page.getByTestId("import-result");
  await expect(result).toBeVisible();
  await expect(result.getByTestId("import-matchedRows")).toHaveText("3");
  await expect(result.getByTestId("import-invalidRows")).toHaveText("1");
  await expect(result.getByTestId("import-duplicateRows")).toHaveText("1");
  const report = result.getByTestId("import-report");
  await expect(report.getByRole("row", { name: /^5\s+格式无效/ })).toBeVisible();
  await expect(report.getByRole("row", { name: /^6\s+未匹配/ })).toBeVisible();
  await expect(report.getByRole("row", { name: /^7\s+重复/ })).toBeVisible();
  await screenshot(page, "segments-import-desktop-zh");
  await result.getByRole("link", { name: "查看客群" }).click();
  await expect(page.getByTestId("segment-count")).toHaveText("3");
});
