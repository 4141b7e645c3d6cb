/**
 * English and phone width: the locale switch in the header changes every label and survives a
 * reload; at 390 × 844 the console uses a bottom bar and a drawer, results become cards and the
 * 360° view stacks.
 */
import { expect, test } from "@playwright/test";
import { query, screenshot, signIn } from "./support/helpers";

test("the console switches to English and stays in English, also on the next sign-in", async ({ page, browser }) => {
  await signIn(page, "rm_br01s01");
  await page.getByRole("group", { name: "界面语言" }).getByRole("button", { name: "EN" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Hello");
  await page.reload();
  const nav = page.getByRole("navigation", { name: "Main navigation" });
  await expect(nav.getByRole("link", { name: "Customers" })).toBeVisible();
  await expect(page.getByTestId("user-badge").first()).toContainText("Relationship manager");
  await screenshot(page, "dashboard-rm-desktop-en");

  await nav.getByRole("link", { name: "Customers" }).click();
  await expect(page.getByRole("heading", { name: "Customers", level: 1 })).toBeVisible();
  await expect(page.getByTestId("customer-results").getByRole("table")).toBeVisible();
  await screenshot(page, "customers-rm-desktop-en");
  await page.getByTestId("customer-results").getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
  await screenshot(page, "customer-360-rm-desktop-en");

  await nav.getByRole("link", { name: "Benefits" }).click();
  await expect(page.getByTestId("coming-soon")).toContainText("This area arrives in a later release");
  await screenshot(page, "coming-soon-benefits-desktop-en");

  // The choice was saved to the profile: a browser without the cookie opens in English too.
  const fresh = await browser.newContext();
  const again = await fresh.newPage();
  await signIn(again, "rm_br01s01", { locale: null });
  await expect(again.getByRole("heading", { level: 1 })).toContainText("Hello");
  await fresh.close();
});

test.describe("at phone width", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("an RM uses the bottom bar, the drawer, result cards and the stacked 360° view", async ({ page }) => {
    await signIn(page, "rm_br01s01");
    const bottom = page.getByRole("navigation", { name: "快捷导航" });
    await expect(bottom).toBeVisible();
    await expect(page.getByRole("navigation", { name: "主导航" }).first()).toBeHidden();
    await screenshot(page, "dashboard-rm-phone-zh");

    await bottom.getByRole("button", { name: "更多" }).click();
    const drawer = page.getByRole("dialog", { name: "菜单" });
    await expect(drawer.getByRole("link", { name: "权益中心" })).toBeVisible();
    await screenshot(page, "drawer-rm-phone-zh");
    await drawer.getByRole("link", { name: "客户", exact: true }).click();
    await expect(drawer).toBeHidden();

    const results = page.getByTestId("customer-results");
    await expect(results.getByRole("list").getByRole("link").first()).toBeVisible();
    await expect(results.getByRole("table")).toBeHidden();
    await screenshot(page, "customers-rm-phone-zh");

    const [withHoldings] = await query<{ id: number }>(
      "SELECT c.id FROM customer c JOIN holding h ON h.customer_id = c.id JOIN staff_user u ON u.id = c.rm_id WHERE u.username = 'rm_br01s01' AND h.status = 'ACTIVE' ORDER BY c.id LIMIT 1",
    );
    await page.goto(`/customers/${withHoldings!.id}`);
    await expect(page.getByTestId("holdings").getByRole("listitem").first()).toBeVisible();
    // Nothing wider than the phone: the page never scrolls sideways.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "customer-360-rm-phone-zh");

    await page.getByRole("group", { name: "界面语言" }).getByRole("button", { name: "EN" }).click();
    await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
    await screenshot(page, "customer-360-rm-phone-en");
  });
});
