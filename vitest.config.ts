import { defineConfig } from "vitest/config";

// Test tiers by file name: *.test.ts (unit, no services) and *.integration.test.ts (real
// PostgreSQL and Redis, a throw-away database cloned from a migrated template per test file).
// Playwright specs (*.spec.ts under e2e/) run separately.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "apps/*/src/**/*.test.ts", "apps/*/test/**/*.test.ts", "bench/**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "**/node_modules/**"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["packages/*/src/**/*.integration.test.ts", "packages/*/test/**/*.integration.test.ts", "apps/*/src/**/*.integration.test.ts", "apps/*/test/**/*.integration.test.ts", "bench/**/*.integration.test.ts"],
          globalSetup: ["packages/db/src/testing/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: "forks",
          maxWorkers: 2,
        },
      },
    ],
  },
});
