import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import pg from "pg";
import { e2eEnv } from "./env";

export const DEMO_PASSWORD = "Demo@2026";
const SHOTS = path.resolve("test-results/screenshots");

/**
 * Signs in through the real form. The browser's language cookie is set to zh-CN first (and so
 * saved to the user's profile at sign-in); `locale: null` signs in without one, so the console
 * takes the language from the profile.
 */
export async function signIn(page: Page, username: string, { locale = "zh-CN" }: { locale?: "zh-CN" | null } = {}) {
  if (locale) await page.context().addCookies([{ name: "locale", value: locale, url: (await e2eEnv()).baseURL }]);
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await page.waitForURL("**/dashboard");
}

/** A full-page screenshot under test-results/screenshots/, for a person to look at. */
export async function screenshot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  // Charts and fonts settle after the data arrives.
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Reads the run's database directly, to pick fixtures (e.g. another RM's customer). */
export async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: (await e2eEnv()).databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** The first row of a query that must return one (fails the test clearly when it returns none). */
export async function queryOne<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T> {
  const [row] = await query<T>(sql, params);
  if (!row) throw new Error(`expected a row from: ${sql}`);
  return row;
}

/** A mobile number as masking shows it: first 3 and last 4 digits, stars between. */
export const MASKED_PHONE = /^\d{3}\*+\d{4}$/;

/** Every cell is masked (or empty): stars present and never 7 digits in a row. */
export function expectAllMasked(texts: string[]) {
  expect(texts.length).toBeGreaterThan(0);
  for (const raw of texts) {
    const text = raw.trim();
    if (text === "—") continue;
    expect(text).toContain("*");
    expect(text).not.toMatch(/\d{7}/);
  }
}
