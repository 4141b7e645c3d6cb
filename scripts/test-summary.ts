/**
 * Adds up the JSON reports of the test runners (Vitest and Playwright) written by test.sh into
 * one plain line, `tests: N passed, N failed[, N skipped]`, printed last so CI logs end with it.
 *   tsx scripts/test-summary.ts <report.json>…   (missing files are stages that did not run)
 */
import { existsSync, readFileSync } from "node:fs";

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests?: number;
  numTodoTests?: number;
}

interface PlaywrightReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number };
}

function count(file: string): Counts {
  const report = JSON.parse(readFileSync(file, "utf8")) as VitestReport | PlaywrightReport;
  if ("stats" in report) {
    const s = report.stats;
    return { passed: s.expected + s.flaky, failed: s.unexpected, skipped: s.skipped };
  }
  return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0) };
}

const total: Counts = { passed: 0, failed: 0, skipped: 0 };
for (const file of process.argv.slice(2).filter((f) => existsSync(f))) {
  try {
    const c = count(file);
    total.passed += c.passed;
    total.failed += c.failed;
    total.skipped += c.skipped;
  } catch {
    console.error(`(could not read test report ${file})`);
  }
}
console.log(`tests: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`);
