/**
 * Head-office users: an analyst sees customers of several branches but cannot reveal personal
 * data; an admin manages users and issues an API key that is shown once.
 */
import { expect, test } from "@playwright/test";
import { expectAllMasked, screenshot, signIn } from "./support/helpers";

test("a head-office analyst sees customers across branches, masked, without reveal", async ({ page }) => {
  await signIn(page, "analyst");
  await expect(page.getByTestId("scope-text")).toHaveText("您可以查看全行客户。");
  await page.goto("/customers");
  const results = page.getByTestId("customer-results");
  await expect(results.getByRole("table")).toBeVisible();
  const orgs = new Set(await results.locator("tbody tr td:nth-child(4)").allInnerTexts());
  const branches = new Set([...orgs].map((name) => name.slice(0, 2)));
  expect(orgs.size).toBeGreaterThan(1);
  expect(branches.size, `branches seen: ${[...orgs].join(", ")}`).toBeGreaterThan(1);
  expectAllMasked(await results.getByTestId("masked-phone").allInnerTexts());
  await screenshot(page, "customers-analyst-desktop-zh");

  // Keyset pages under the list: next shows other customers, previous the first ones again.
  const pager = results.getByRole("navigation", { name: "分页" });
  const firstRow = results.getByRole("table").getByRole("link").first();
  const firstHref = await firstRow.getAttribute("href");
  await expect(pager).toContainText("第 1 页");
  await expect(pager.getByRole("button", { name: "上一页" })).toBeDisabled();
  await pager.getByRole("button", { name: "下一页" }).click();
  await expect(pager).toContainText("第 2 页");
  await expect(firstRow).not.toHaveAttribute("href", firstHref!);
  await pager.getByRole("button", { name: "上一页" }).click();
  await expect(pager).toContainText("第 1 页");
  await expect(firstRow).toHaveAttribute("href", firstHref!);
  await expect(pager.getByRole("button", { name: "上一页" })).toBeDisabled();

  await results.getByRole("link").first().click();
  await expect(page.getByTestId("profile-card")).toBeVisible();
  await expect(page.getByRole("button", { name: "查看明文" })).toHaveCount(0);
  // Pages beyond the role's permissions are refused (and their procedures would be too).
  await page.goto("/admin/api-keys");
  await expect(page.getByText("无权访问")).toBeVisible();
});

test("an admin sees the org tree and users, and an issued API key is shown once", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/admin/org");
  await expect(page.getByTestId("org-tree").getByRole("treeitem").first()).toContainText("总行");
  await screenshot(page, "admin-org-desktop-zh");

  await page.goto("/admin/users");
  await expect(page.getByTestId("user-table").getByRole("row").filter({ hasText: "rm_br01s01" }).first()).toBeVisible();
  await screenshot(page, "admin-users-desktop-zh");

  await page.goto("/admin/api-keys");
  await page.getByRole("button", { name: "创建密钥" }).click();
  const dialog = page.getByRole("dialog", { name: "创建 API 密钥" });
  await dialog.getByLabel("名称").fill("核心系统夜间批量");
  await dialog.getByRole("button", { name: "创建密钥" }).click();
  const key = page.getByTestId("new-api-key");
  await expect(key).toHaveText(/\S{20,}/);
  await screenshot(page, "admin-api-key-created-desktop-zh");
  const clear = (await key.innerText()).trim();
  await page.getByRole("button", { name: "我已保存" }).click();
  const table = page.getByTestId("api-key-table");
  await expect(table.getByText("核心系统夜间批量").first()).toBeVisible();
  // Only the prefix is listed afterwards, never the key.
  await expect(page.getByText(clear)).toHaveCount(0);
});
