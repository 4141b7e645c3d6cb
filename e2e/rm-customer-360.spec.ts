/**
 * A branch relationship manager: signs in, sees only own customers (masked), searches by phone
 * tail, opens the 360° view, cannot open another RM's customer, and reveals a phone number with a
 * reason — which the audit log then shows to an approver.
 */
import { expect, test } from "@playwright/test";
import { expectAllMasked, MASKED_PHONE, query, screenshot, signIn } from "./support/helpers";

const RM = "rm_br01s01";

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(RM);
  await page.getByLabel("密码", { exact: true }).fill("not-the-password");
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page.getByTestId("login-error")).toHaveText("用户名或密码错误");
  await screenshot(page, "login-error-desktop-zh");
});

test("repeated wrong passwords lock the sign-in and say for how long", async ({ page }) => {
  // A user no other spec signs in as: the lockout (5 failures per username and address) is real.
  await page.goto("/login");
  await page.getByLabel("用户名").fill("marketing_br01");
  for (let attempt = 1; attempt <= 6; attempt++) {
    await page.getByLabel("密码", { exact: true }).fill(`wrong-password-${attempt}`);
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await expect(page.getByTestId("login-error")).toHaveText(attempt <= 5 ? "用户名或密码错误" : /^尝试次数过多，请 \d+ 秒后再试$/);
  }
  await screenshot(page, "login-locked-desktop-zh");
});

test("an RM works their own customers, masked, and reveals a phone with a reason", async ({ page, browser }) => {
  const [rm] = await query<{ id: string; name: string }>("SELECT id, name FROM staff_user WHERE username = $1", [RM]);
  await signIn(page, RM);
  await expect(page.getByTestId("user-badge").first()).toContainText("客户经理");
  await screenshot(page, "dashboard-rm-desktop-zh");

  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "客户", exact: true }).click();
  const results = page.getByTestId("customer-results");
  await expect(results.getByRole("table")).toBeVisible();
  // Only customers assigned to this RM, with masked phones.
  const rmCells = await results.locator("tbody tr td:nth-child(5)").allInnerTexts();
  expect(new Set(rmCells)).toEqual(new Set([rm!.name]));
  expectAllMasked(await results.getByTestId("masked-phone").allInnerTexts());
  await screenshot(page, "customers-rm-desktop-zh");

  // Search by the phone tail of one of the RM's own customers.
  const [target] = await query<{ id: number; phone: string; customer_no: string }>(
    `SELECT id, phone, customer_no FROM customer c WHERE rm_id = $1 AND phone ~ '^1[0-9]{10}$'
       AND EXISTS (SELECT 1 FROM monthly_balance m WHERE m.customer_id = c.id) ORDER BY id LIMIT 1`,
    [rm!.id],
  );
  await page.getByLabel("搜索客户").fill(target!.phone.slice(-4));
  await page.getByRole("button", { name: "搜索", exact: true }).click();
  await expect(results.getByRole("link", { name: `查看客户 ${target!.customer_no}` })).toBeVisible();
  await results.getByRole("link", { name: `查看客户 ${target!.customer_no}` }).click();

  await expect(page).toHaveURL(new RegExp(`/customers/${target!.id}$`));
  const profile = page.getByTestId("profile-card");
  await expect(profile.getByTestId("phone-masked")).toHaveText(MASKED_PHONE);
  await expect(page.getByTestId("consents-grid")).toBeVisible();
  await expect(page.getByTestId("aum-trend").locator(".recharts-area").first()).toBeVisible();
  await screenshot(page, "customer-360-rm-desktop-zh");

  // Reveal: a reason is required, then the clear phone number is shown.
  await profile.getByRole("button", { name: "查看明文" }).click();
  const dialog = page.getByRole("dialog", { name: "查看客户明文信息" });
  await dialog.getByRole("button", { name: "确认查看" }).click();
  await expect(dialog.getByText("请填写至少 4 个字的事由")).toBeVisible();
  await dialog.getByLabel("查看事由").fill("客户来电核实身份");
  await dialog.getByRole("button", { name: "确认查看" }).click();
  await expect(profile.getByTestId("phone-clear")).toHaveText(target!.phone);
  await screenshot(page, "customer-360-unmasked-desktop-zh");

  // Another RM's customer is "not found", exactly like a customer that does not exist.
  const [other] = await query<{ id: number }>("SELECT id FROM customer WHERE rm_id IS DISTINCT FROM $1 ORDER BY id LIMIT 1", [rm!.id]);
  await page.goto(`/customers/${other!.id}`);
  await expect(page.getByText("未找到该客户")).toBeVisible();

  // The reveal is in the audit log, with its reason, for compliance.
  const approver = await browser.newContext();
  const audit = await approver.newPage();
  await signIn(audit, "approver");
  await audit.goto("/admin/audit");
  await audit.getByLabel("操作类型").selectOption("UNMASK");
  await audit.getByRole("button", { name: "筛选" }).click();
  const row = audit.getByTestId("audit-table").getByRole("row").filter({ hasText: "客户来电核实身份" });
  await expect(row.first()).toContainText(rm!.name);
  await screenshot(audit, "audit-log-approver-desktop-zh");
  await approver.close();
});
