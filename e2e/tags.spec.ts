/**
 * The tag center, maker-checker end to end: an analyst defines a rule tag (the server's rule check
 * is shown under the editor), previews its distribution and submits it; an approver publishes it
 * from the inbox; the catalogue lists it as published; the run history shows the seeded run; an
 * analyst starts the next run from the console, which the worker computes while the history shows
 * its progress; after it the new tag's value shows on a customer's 360° page.
 * The e2e server seeds the starter library and one computed run (seedTagCenter) and runs the worker.
 */
import { expect, test } from "@playwright/test";
import { query, queryOne, screenshot, signIn } from "./support/helpers";

const CODE = "E2E_CARD_ACTIVE_AUM";

test.describe.configure({ mode: "serial" });
test.use({ viewport: { width: 1440, height: 900 } });

test("an analyst defines a rule tag, previews it and submits it for approval", async ({ page }) => {
  await signIn(page, "analyst");
  await page.goto("/tags");
  const catalogue = page.getByTestId("tag-catalogue");
  await expect(catalogue.getByRole("link", { name: /AUM_LATEST/ })).toBeVisible();
  await page.getByTestId("category-tree").getByRole("button", { name: /^交易/ }).click();
  await expect(catalogue.getByRole("link", { name: /PAYROLL_CUSTOMER/ })).toBeVisible();
  await expect(catalogue.getByRole("link", { name: /AUM_LATEST/ })).toHaveCount(0);
  await screenshot(page, "tags-catalogue-analyst-desktop-zh");

  await page.getByRole("link", { name: "新建标签" }).click();
  const form = page.getByTestId("tag-form");
  await form.getByLabel("标签编码").fill(CODE);
  await form.getByLabel("中文名称").fill("活跃刷卡且资产5万以上");
  await form.getByLabel("英文名称").fill("Active card user with AUM of 50k or more");
  await form.getByLabel("口径（中文）").fill("近30天信用卡消费2笔及以上，且月末资产不低于5万元。");
  await form.getByLabel("口径（英文）").fill("Two or more card purchases in the last 30 days and month-end AUM of at least 50,000 CNY.");
  await form.getByLabel("变更说明").fill("新建标签");

  // A rule that reads an unknown tag is refused by the server, which names the problem.
  const rule = form.getByLabel("规则（JSON）");
  const example = await rule.inputValue();
  await rule.fill('{ "tag": "NO_SUCH_TAG" }');
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(form.getByText(/unknown tag NO_SUCH_TAG/)).toBeVisible();
  await rule.fill("{ not json");
  await page.getByRole("button", { name: "预览分布" }).click();
  await expect(form.getByText(/不是有效的 JSON/)).toBeVisible();

  await rule.fill(example);
  await page.getByRole("button", { name: "预览分布" }).click();
  const preview = page.getByTestId("rule-preview");
  await expect(preview).toContainText("样本覆盖率");
  await expect(preview.getByTestId("distribution-chart")).toBeVisible();
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, "tags-new-preview-analyst-desktop-zh");

  await page.getByRole("button", { name: "保存并提交审批" }).click();
  await page.waitForURL(`**/tags/${CODE}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("活跃刷卡且资产5万以上");
  await expect(page.getByTestId("tag-versions")).toContainText("审批中");
  const [version] = await query<{ status: string; created_by: string }>(
    "SELECT v.status::text, u.username AS created_by FROM tag_version v JOIN tag t ON t.id = v.tag_id JOIN staff_user u ON u.id = v.created_by_id WHERE t.code = $1",
    [CODE],
  );
  expect(version).toEqual({ status: "IN_REVIEW", created_by: "analyst" });
  await screenshot(page, "tags-detail-in-review-analyst-desktop-zh");
});

test("an approver publishes it from the inbox and the catalogue lists it as published", async ({ page }) => {
  await signIn(page, "approver");
  await page.goto("/tags/approvals");
  const row = page.getByTestId("tag-approvals").getByRole("row").filter({ hasText: CODE });
  await expect(row).toContainText("新标签");
  await expect(page.getByRole("navigation", { name: "主导航" }).first().locator('[aria-current="page"]')).toHaveText(["标签审批"]);
  await screenshot(page, "tags-approvals-approver-desktop-zh");
  await row.getByRole("button", { name: "通过" }).click();
  const dialog = page.getByRole("dialog", { name: `通过 ${CODE} v1` });
  await dialog.getByLabel("审批意见（选填）").fill("口径清晰，同意发布");
  await dialog.getByRole("button", { name: "通过" }).click();
  await expect(page.getByText("没有待审批的标签")).toBeVisible();

  await page.goto("/tags");
  await page.getByLabel("搜索").fill(CODE);
  const listed = page.getByTestId("tag-catalogue").getByRole("row").filter({ hasText: CODE });
  await expect(listed).toContainText("已发布");
  await listed.getByRole("link").click();
  await expect(page.getByTestId("tag-versions")).toContainText("口径清晰，同意发布");
  await expect(page.getByTestId("tag-versions")).toContainText("已发布");
});

test("the run history shows the seeded run as current, and a library tag its quality", async ({ page }) => {
  await signIn(page, "analyst");
  await page.goto("/tags/runs");
  const run = page.getByTestId("tag-runs").getByRole("row").filter({ hasText: "当前生效" });
  await expect(run).toContainText("成功");
  await expect(run).toContainText("82 个标签");
  await expect(page.getByRole("button", { name: "启动计算" })).toBeVisible();
  await run.getByRole("button", { name: "详情" }).click();
  await expect(page.getByTestId("run-tag-stats").getByRole("row")).toHaveCount(83);
  await page.getByRole("dialog").getByRole("button", { name: "关闭" }).first().click();
  await screenshot(page, "tags-runs-analyst-desktop-zh");

  await page.goto("/tags/AUM_BAND");
  await expect(page.getByTestId("distribution-chart")).toBeVisible();
  await expect(page.getByText("覆盖率").first()).toBeVisible();
  // A page longer than the window: the sidebar's column (and its background) runs its whole length.
  await page.waitForLoadState("networkidle");
  const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
  expect(pageHeight).toBeGreaterThan(900);
  expect((await page.getByTestId("sidebar-column").boundingBox())?.height).toBeCloseTo(pageHeight, 0);
  await screenshot(page, "tags-detail-aum-band-analyst-desktop-zh");
});

test("in English: catalogue, tag page and runs", async ({ page }) => {
  await signIn(page, "approver");
  await page.getByRole("group", { name: "界面语言" }).getByRole("button", { name: "EN" }).click();
  await page.goto("/tags");
  await expect(page.getByRole("heading", { name: "Tag catalogue", level: 1 })).toBeVisible();
  await expect(page.getByTestId("tag-catalogue")).toContainText("Published");
  await screenshot(page, "tags-catalogue-approver-desktop-en");
  // 83 tags at 25 a page.
  const pager = page.getByRole("navigation", { name: "Pagination" });
  await expect(pager).toContainText("Page 1 of 4");
  await pager.getByRole("button", { name: "Next" }).click();
  await expect(pager).toContainText("Page 2 of 4");
  await page.goto(`/tags/${CODE}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Active card user with AUM of 50k or more");
  await expect(page.getByRole("button", { name: "Retire" })).toBeVisible();
  await screenshot(page, "tags-detail-approver-desktop-en");
  await page.goto("/tags/PAYROLL_CUSTOMER");
  await expect(page.getByTestId("distribution-chart")).toBeVisible();
  await screenshot(page, "tags-detail-payroll-approver-desktop-en");
  await page.goto("/tags/runs");
  await expect(page.getByTestId("tag-runs")).toContainText("Current");
  await screenshot(page, "tags-runs-approver-desktop-en");
});

test("an analyst starts a run from the console; the history shows its progress until it is current", async ({ page }) => {
  await signIn(page, "analyst");
  await page.goto("/tags/runs");
  const runs = page.getByTestId("tag-runs");
  await expect(runs.getByRole("row").filter({ hasText: "当前生效" })).toContainText("82 个标签");
  const before = await queryOne<{ last: number; customers: number }>("SELECT id AS last, customers FROM tag_run ORDER BY id DESC LIMIT 1");

  const startButton = page.getByRole("button", { name: "启动计算" });
  await startButton.click();
  const confirm = page.getByRole("dialog", { name: "立即重新计算全部标签？" });
  await confirm.getByRole("button", { name: "启动计算" }).click();
  await expect(confirm).toBeHidden();
  const started = await queryOne<{ id: number; trigger: string; requested_by: string }>(
    "SELECT r.id, r.trigger::text, u.username AS requested_by FROM tag_run r JOIN staff_user u ON u.id = r.requested_by_id WHERE r.id > $1",
    [before.last],
  );
  expect(started).toMatchObject({ trigger: "MANUAL", requested_by: "analyst" });

  // While the worker computes it the new run heads the history with its progress (polled), and
  // no second run can be started.
  const row = runs.getByRole("row").filter({ has: page.getByText(`#${started.id}`, { exact: true }) });
  await expect(row).toContainText("计算中");
  await expect(row.getByRole("progressbar", { name: `批次 #${started.id} 进度` })).toBeVisible();
  await expect(runs.getByRole("row").nth(1)).toContainText(`#${started.id}`);
  await expect(startButton).toBeDisabled();

  // It finishes: every published tag (the library and the new one) over every customer, and it
  // replaces the seeded run as the current one.
  await expect(row).toContainText("成功", { timeout: 120_000 });
  await expect(row).toContainText("当前生效");
  await expect(row).toContainText(`83 个标签 × ${before.customers.toLocaleString("zh-CN")} 位客户`);
  await expect(row).toContainText("手动");
  await expect(row.getByRole("progressbar")).toHaveCount(0);
  await expect(runs.getByRole("row").filter({ hasText: "当前生效" })).toHaveCount(1);
  await expect(startButton).toBeEnabled();
  expect(await queryOne("SELECT r.status::text, r.progress, r.tag_count FROM tag_run r JOIN tag_current_run c ON c.run_id = r.id")).toEqual({
    status: "SUCCEEDED",
    progress: 100,
    tag_count: 83,
  });
  await screenshot(page, "tags-runs-started-analyst-desktop-zh");
});

test("after that run, the new tag shows on a customer's 360° page", async ({ page }) => {
  const [holder] = await query<{ customer_id: number }>("SELECT customer_id FROM customer_tag_value WHERE tag_code = $1 AND value_num = 1 ORDER BY customer_id LIMIT 1", [CODE]);
  expect(holder, `a customer with ${CODE}`).toBeDefined();

  await signIn(page, "analyst");
  await page.goto(`/customers/${holder!.customer_id}`);
  const tags = page.getByTestId("customer-tags");
  await expect(tags.getByRole("link", { name: "活跃刷卡且资产5万以上" })).toBeVisible();
  await screenshot(page, "customer-360-tags-analyst-desktop-zh");
});

test.describe("at phone width", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("an RM browses the catalogue and a tag page", async ({ page }) => {
    await signIn(page, "rm_br01s01");
    await page.goto("/tags");
    await expect(page.getByRole("link", { name: "新建标签" })).toHaveCount(0);
    await page.getByLabel("搜索").fill("AUM");
    await page.getByTestId("tag-catalogue").getByRole("link", { name: /AUM_BAND/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("AUM层级");
    await expect(page.getByTestId("distribution-chart")).toBeVisible();
    await expect(page.getByRole("button", { name: "下线" })).toHaveCount(0);
    await screenshot(page, "tags-detail-rm-phone-zh");
  });
});
