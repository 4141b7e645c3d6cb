/**
 * End-to-end tests of the console in Debian's Chromium (never a downloaded browser).
 * The web server is started by e2e/support/server.ts: it creates a throw-away database, migrates
 * and seeds a small demo bank, builds and starts Next.js against it; global teardown drops it.
 * `E2E_SKIP_BUILD=1` serves the build that is there (when only the specs changed).
 */
import { defineConfig } from "@playwright/test";
import { e2eEnv } from "./e2e/support/env";

const env = await e2eEnv();

export default defineConfig({
  testDir: "e2e",
  testMatch: "*.spec.ts",
  outputDir: "test-results/e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // Two cores: one worker keeps the server responsive and the run deterministic.
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [["list"]],
  globalTeardown: "./e2e/support/global-teardown.ts",
  use: {
    baseURL: env.baseURL,
    browserName: "chromium",
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "pnpm exec tsx e2e/support/server.ts",
    url: `${env.baseURL}/login`,
    // A production build takes a few minutes on two cores.
    timeout: 900_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: {
      E2E_DATABASE_NAME: env.databaseName,
      E2E_PORT: String(env.port),
      DATABASE_URL: env.databaseUrl,
    },
  },
});
