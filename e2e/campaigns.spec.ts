/**
 * Campaigns end to end in Chromium (seed 001's example): a head-office marketing manager creates a
 * campaign over a segment, writes the SMS and call templates (the SMS preview carries the opt-out
 * line), draws SMS → wait → branch (responded?) → call / RM lead on the canvas and submits; the
 * approver sees the audience after the guardrails, sample messages and cost, and approves; the
 * manager launches and the funnel fills in (the e2e server runs the worker on the sandbox
 * provider). Screenshots at 1440 px in zh-CN and en, and the leads list of an RM at 390 px.
 */
import { randomBytes } from "node:crypto";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { RoaringBitmap32, bitmapToBytes } from "../packages/core/src/segments/bitmap";
import { query, screenshot, signIn } from "./support/helpers";
import { e2eEnv } from "./support/env";

test.describe.configure({ mode: "serial" });
test.use({ viewport: { width: 1440, height: 900 } });

const CAMPAIGN = `E2E 定期到期续存 ${Date.now() % 100_000}`;
const SEGMENT = `E2E 到期定期客户 ${Date.now() % 100_000}`;
let campaignId = "";

/**
 * A head-office segment of customers who allow marketing SMS and hold a valid risk assessment, with
 * one snapshot (as the segment center saves it); SMS without quiet hours in this bank, so the run
 * sends at whatever hour the suite runs (quiet hours have their own tests).
 */
test.beforeAll(async () => {
  await query(`INSERT INTO contact_policy (channel, daily_cap, weekly_cap, quiet_start, quiet_end, updated_at) VALUES ('SMS', NULL, NULL, '00:00', '00:00', now())
               ON CONFLICT (channel) DO UPDATE SET quiet_start = '00:00', quiet_end = '00:00', daily_cap = NULL, weekly_cap = NULL`);
  const [marketing] = await query<{ id: string; org_unit_id: string }>("SELECT id, org_unit_id FROM staff_user WHERE username = 'marketing'");
  const ids = (
    await query<{ id: number }>(
      `SELECT c.id FROM customer c WHERE EXISTS (SELECT 1 FROM consent k WHERE k.customer_id = c.id AND k.purpose = 'MARKETING' AND k.channel = 'SMS' AND k.granted)
         AND (SELECT ra.expires_at FROM risk_assessment ra WHERE ra.customer_id = c.id ORDER BY ra.assessed_at DESC LIMIT 1) > now() + interval '1 day'
       ORDER BY c.id LIMIT 240`,
    )
  ).map((r) => r.id);
  const members = Buffer.from(bitmapToBytes(new RoaringBitmap32(ids)));
  const segmentId = `seg${randomBytes(8).toString("hex")}`;
  const snapshotId = `snp${randomBytes(8).toString("hex")}`;
  await query(
    `INSERT INTO segment (id, name, kind, owner_id, org_unit_id, members, latest_snapshot_id, latest_count, latest_taken_at, updated_at)
     VALUES ($1, $2, 'STATIC', $3, $4, $5, $6, $7, now(), now())`,
    [segmentId, SEGMENT, marketing!.id, marketing!.org_unit_id, members, snapshotId, ids.length],
  );
  await query(`INSERT INTO segment_snapshot (id, segment_id, trigger, count, members) VALUES ($1, $2, 'SAVE', $3, $4)`, [snapshotId, segmentId, ids.length, members]);
});

/** The centre of a node's handle on the canvas (target: top, source: by output). */
async function handle(node: Locator, kind: "source" | "target", index = 0) {
  const box = await node.locator(`.react-flow__handle.${kind}`).nth(index).boundingBox();
  expect(box).not.toBeNull();
  return { x: box!.x + box!.width / 2, y: box!.y + box!.height / 2 };
}

/** Draws an edge by dragging from an output handle to a node's input handle. */
async function connect(page: Page, from: Locator, to: Locator, output = 0) {
  const a = await handle(from, "source", output);
  const b = await handle(to, "target");
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
}

const node = (page: Page, key: string, nth = 0) => page.getByTestId("flow-canvas").getByTestId(`flow-node-${key}`).nth(nth);

test("a marketing manager designs the campaign: templates with preview, the flow on the canvas, submit", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "marketing");
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "营销活动", exact: true }).click();
  await page.getByTestId("campaign-new").click();

  // The wizard: basics → audience → schedule and budget.
  await page.getByTestId("campaign-name").fill(CAMPAIGN);
  await page.getByLabel("营销目标").fill("到期定期客户续存，提升理财持有率");
  // A low-risk product (R1), so suitability holds for every assessed customer.
  await page.getByRole("group", { name: "推广产品" }).locator("label", { hasText: "R1" }).first().getByRole("checkbox").check();
  await page.getByTestId("campaign-form-next").click();
  const segment = page.getByTestId("campaign-segment");
  await expect(segment.locator("option", { hasText: SEGMENT })).toHaveCount(1);
  await segment.selectOption((await segment.locator("option", { hasText: SEGMENT }).getAttribute("value"))!);
  await page.getByTestId("campaign-form-next").click();
  await page.getByTestId("campaign-budget").fill("500");
  await expect(page.getByTestId("campaign-delivery-alert")).toHaveValue("80"); // the default threshold
  await page.getByTestId("campaign-delivery-alert").fill("90");
  await page.getByTestId("campaign-form-next").click();
  await page.waitForURL(/\/campaigns\/[^/]+\/edit\?tab=templates/);
  campaignId = page.url().split("/campaigns/")[1]!.split("/")[0]!;

  // Templates: SMS (the preview carries the opt-out line) and the call script.
  await page.getByTestId("template-add").selectOption("SMS");
  await expect(page.getByTestId("template-preview")).toContainText("未填写落地页地址");
  await page.getByLabel("落地页地址").fill("https://bank.example/renew");
  const body = page.getByTestId("template-preview-body");
  await expect(body).toContainText("拒收请回复R");
  await expect(body).toContainText(/\/t\/\w{10,}/); // a sample short link of the real shape
  await expect(body).not.toContainText("{{");
  await expect(page.getByTestId("template-preview")).not.toContainText("未填写落地页地址");
  await page.getByTestId("template-add").selectOption("CALL");
  await page.getByTestId("templates-save").click();
  await expect(page.getByTestId("templates-save")).toBeDisabled();
  await page.getByTestId("template-list").getByRole("button").first().click();
  await expect(body).toContainText("拒收请回复R");
  await screenshot(page, "campaign-templates-desktop-zh");

  // The flow: drag the SMS step onto the canvas, click-add the rest (a tall window keeps every
  // handle of the canvas on screen for the mouse).
  await page.setViewportSize({ width: 1440, height: 1280 });
  await page.getByTestId("editor-tab-flow").click();
  const canvas = page.getByTestId("flow-canvas");
  await expect(node(page, "entry")).toBeVisible();
  // Dropped to the right of the entry/exit column, so no node covers another's handles.
  const box = (await canvas.boundingBox())!;
  await page.getByTestId("palette-SMS").dragTo(canvas, { targetPosition: { x: box.width - 160, y: box.height / 2 } });
  await expect(node(page, "SMS")).toBeVisible();
  for (const key of ["wait", "branch", "CALL", "lead"]) {
    await page.getByTestId(`palette-${key}`).click();
    await expect(node(page, key)).toBeVisible();
  }
  await page.locator(".react-flow__controls-fitview").click();
  // fit view animates: handles are measured once the nodes stand still (else a drag can end on a
  // neighbour's handle)
  await expect
    .poll(async () => {
      const before = await node(page, "SMS").boundingBox();
      await page.waitForTimeout(150);
      const after = await node(page, "SMS").boundingBox();
      return JSON.stringify(before) === JSON.stringify(after);
    })
    .toBe(true);

  await connect(page, node(page, "entry"), node(page, "SMS"));
  await connect(page, node(page, "SMS"), node(page, "wait"));
  await connect(page, node(page, "wait"), node(page, "branch"));
  await connect(page, node(page, "branch"), node(page, "lead"), 0); // yes: showed interest → RM
  await connect(page, node(page, "branch"), node(page, "CALL"), 1); // no response → call centre
  await connect(page, node(page, "CALL"), node(page, "exit"));
  await connect(page, node(page, "lead"), node(page, "exit"));
  await expect(canvas.locator(".react-flow__edge")).toHaveCount(7);

  // The branch looks at the SMS step's outcome.
  await node(page, "branch").click();
  await page.getByTestId("panel-branch-step").selectOption({ index: 1 });
  await page.getByTestId("flow-save").click();
  await expect(page.getByTestId("flow-status")).not.toHaveText("保存中…");
  expect(await canvas.getByTestId("flow-node-errors").allInnerTexts()).toEqual([]);
  await expect(page.getByTestId("flow-status")).toHaveText("流程校验通过");
  await screenshot(page, "campaign-flow-desktop-zh");

  await page.getByTestId("campaign-submit").click();
  await page.getByRole("dialog").getByRole("button", { name: "提交审批" }).click();
  await expect(page.getByTestId("campaign-status")).toHaveText("待审批");
});

test("the approver sees audience after suppression, samples and cost, and approves", async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await signIn(page, "approver");
  await page.goto("/campaigns");
  // At 1440 px every column fits: the table does not scroll sideways and the actions are in view.
  const table = page.getByTestId("campaign-list").locator("table");
  await expect(table).toBeVisible();
  const fit = await table.evaluate((t) => ({ scroll: t.parentElement!.scrollWidth, client: t.parentElement!.clientWidth }));
  expect(fit.scroll).toBeLessThanOrEqual(fit.client);
  const action = (await page.getByTestId("campaign-list").locator("tbody tr").first().locator("td").last().boundingBox())!;
  expect(action.x + action.width).toBeLessThanOrEqual(1440);
  await screenshot(page, "campaign-list-desktop-zh");
  await page.getByTestId("campaign-status-filter").selectOption("PENDING_APPROVAL");
  await page.getByTestId("campaign-list").getByRole("link", { name: "去审批" }).first().click();
  await page.waitForURL(`**/campaigns/${campaignId}/review`);
  await expect(page.getByTestId("review-eligible")).toHaveText(/^[1-9][\d,]*$/);
  await expect(page.getByTestId("review-samples")).toContainText("拒收请回复R");
  await expect(page.getByTestId("review-cost")).toHaveText(/¥/);
  await screenshot(page, "campaign-approval-desktop-zh");
  await page.getByTestId("review-note").fill("文案与受众合规，同意投放");
  await page.getByTestId("review-approve").click();
  await expect(page.getByTestId("campaign-status")).toHaveText("已批准");
  await page.close();
});

test("the manager launches and the funnel fills in; pause and resume; English view", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "marketing");
  await page.goto(`/campaigns/${campaignId}`);
  await page.getByTestId("campaign-launch").click();
  await page.getByRole("dialog").getByRole("button", { name: "投放" }).click();
  await expect(page.getByTestId("campaign-status")).toHaveText("进行中");
  // The worker sends on the sandbox provider; the page polls.
  await expect(page.getByTestId("funnel-sent")).not.toHaveText("0", { timeout: 60_000 });
  await expect(page.getByTestId("funnel-delivered")).not.toHaveText("0", { timeout: 60_000 });
  await expect(page.getByTestId("funnel-control-reached")).not.toHaveText("0");
  await screenshot(page, "campaign-monitor-desktop-zh");

  await page.getByTestId("campaign-pause").click();
  await page.getByRole("dialog").getByRole("button", { name: "暂停" }).click();
  await expect(page.getByTestId("campaign-status")).toHaveText("已暂停");
  await page.getByTestId("campaign-resume").click();
  await page.getByRole("dialog").getByRole("button", { name: "恢复" }).click();
  await expect(page.getByTestId("campaign-status")).toHaveText("进行中");

  await page.context().addCookies([{ name: "locale", value: "en", url: (await e2eEnv()).baseURL }]);
  await page.reload();
  await expect(page.getByTestId("campaign-status")).toHaveText("Running");
  await screenshot(page, "campaign-monitor-desktop-en");
  await page.goto(`/campaigns/${campaignId}/edit`);
  await expect(node(page, "SMS")).toBeVisible();
  await screenshot(page, "campaign-flow-desktop-en");
  await page.goto("/campaigns");
  await expect(page.getByTestId("campaign-list")).toContainText(CAMPAIGN);
  await screenshot(page, "campaigns-desktop-en");
});

test("an RM sees their own leads on a phone", async ({ browser }) => {
  const [rm] = await query<{ id: string; org_unit_id: string }>("SELECT id, org_unit_id FROM staff_user WHERE username = 'rm_br01s01'");
  const own = await query<{ id: number }>("SELECT id FROM customer WHERE rm_id = $1 ORDER BY id LIMIT 3", [rm!.id]);
  for (const [i, c] of own.entries()) {
    await query(
      `INSERT INTO lead (id, customer_id, rm_id, org_unit_id, campaign_id, priority, due_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6::"LeadPriority", now() + ($7 || ' days')::interval, now())`,
      [`lead${randomBytes(8).toString("hex")}`, c.id, rm!.id, rm!.org_unit_id, campaignId, ["HIGH", "MEDIUM", "LOW"][i], String(i + 1)],
    );
  }
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await signIn(page, "rm_br01s01");
  await page.goto("/leads");
  const list = page.getByTestId("lead-list");
  await expect(list).toContainText(CAMPAIGN);
  await expect(list.getByRole("link")).toHaveCount(own.length);
  await screenshot(page, "leads-phone-zh");
  await page.close();
});
