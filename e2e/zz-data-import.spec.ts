/**
 * Data import in the console: a file with bad rows is refused whole, with every bad line and its
 * reason on the batch page; the corrected file is applied; sending it again changes nothing; the
 * data-quality page shows the source.
 *
 * Named to run last (specs run in file order): it adds customers after the tag run, and the
 * other specs compare counts with the seeded bank.
 */
import { expect, test, type Page } from "@playwright/test";
import { query, screenshot, signIn } from "./support/helpers";

const SOURCE = "E2ECRM";

async function upload(page: Page, name: string, csv: string) {
  await page.goto("/data/imports");
  await page.getByLabel("源系统代码").fill(SOURCE);
  await page.getByLabel("文件").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(`\uFEFF${csv}`, "utf8") });
  await page.getByRole("button", { name: "上传并校验" }).click();
  return page.getByTestId("upload-result");
}

test("an analyst's file with bad rows is refused whole; the corrected file is applied once", async ({ page }) => {
  const [branch] = await query<{ code: string }>("SELECT code FROM org_unit WHERE level = 'BRANCH' ORDER BY code LIMIT 1");
  const header = "source_key,name,phone,birth_date,org_unit_code";
  const bad = [header, `E2E-1,测试客户甲,13800138001,1980-05-01,${branch!.code}`, `E2E-2,,13800138002,1981-06-02,${branch!.code}`, `E2E-3,测试客户丙,12345,1990-02-30,${branch!.code}`].join("\n");

  await signIn(page, "analyst");
  const refused = await upload(page, "customers-bad.csv", bad);
  await expect(refused).toContainText("文件被拒绝：2 行有错误，未写入任何数据");
  await refused.getByRole("link", { name: "查看批次详情" }).click();
  const errors = page.getByRole("table", { name: "错误明细" });
  await expect(errors).toBeVisible();
  const lines = await errors.locator("tbody tr td:first-child").allInnerTexts();
  // Line numbers count the header as line 1: rows 2 (E2E-1) is fine; 3 lacks a name; 4 has two problems.
  expect(new Set(lines.map((l) => l.trim()))).toEqual(new Set(["3", "4"]));
  await expect(errors).toContainText("姓名");
  await expect(errors).toContainText("手机号");
  await screenshot(page, "data-import-rejected-desktop-zh");
  expect(await query("SELECT 1 FROM source_record WHERE source_system = $1", [SOURCE])).toHaveLength(0);

  const good = [header, `E2E-1,测试客户甲,13800138001,1980-05-01,${branch!.code}`, `E2E-2,测试客户乙,13800138002,1981-06-02,${branch!.code}`].join("\n");
  await expect(await upload(page, "customers-good.csv", good)).toContainText("已入库：新增 2 行");
  expect(await query("SELECT source_key FROM source_record WHERE source_system = $1 ORDER BY source_key", [SOURCE])).toEqual([{ source_key: "E2E-1" }, { source_key: "E2E-2" }]);

  await expect(await upload(page, "customers-good-again.csv", good)).toContainText("与已导入的批次内容相同，未重复导入");
  expect(await query("SELECT 1 FROM source_record WHERE source_system = $1", [SOURCE])).toHaveLength(2);

  await page.goto("/data/quality");
  const card = page.getByTestId(`quality-${SOURCE}`);
  await expect(card.getByRole("heading", { name: SOURCE, exact: true })).toBeVisible();
  await screenshot(page, "data-quality-desktop-zh");
});
