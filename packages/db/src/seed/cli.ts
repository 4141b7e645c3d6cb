/**
 * pnpm seed --customers N [--seed S] [--as-of YYYY-MM-DD] [--database-url URL] [--reset] [--demo] [--if-empty]
 *
 * Loads the synthetic bank into a migrated database (DATABASE_URL by default). `--demo` is the
 * size the platform's start command uses (20,000 customers unless --customers says otherwise) and
 * prints the demo accounts; `--if-empty` exits quietly when the database already has bank data.
 * Progress goes to stderr; the summary (counts, demo accounts) to stdout.
 *
 * `pnpm seed` runs scripts/seed.ts, which passes `afterSeed` to compute the tag center on top
 * (this package cannot import @mkt/core); running this file directly loads the bank only.
 */
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { dbEnv } from "../env";
import { DEFAULT_SEED, SeedRefusedError, seedBank } from "./seed-bank";
import { DEMO_EMAIL_DOMAIN, DEMO_PASSWORD } from "./staff";

const DEMO_CUSTOMERS = 20_000;

export interface SeedCliHooks {
  /** Runs after a fresh seed with `--demo` (the bank's business date `asOf`). */
  afterSeed?: (ctx: { databaseUrl: string; asOf: string }) => Promise<void>;
}

export async function seedCli(hooks: SeedCliHooks = {}): Promise<number> {
  const { values } = parseArgs({
    options: {
      customers: { type: "string" },
      seed: { type: "string" },
      "as-of": { type: "string" },
      "database-url": { type: "string" },
      reset: { type: "boolean", default: false },
      demo: { type: "boolean", default: false },
      "if-empty": { type: "boolean", default: false },
    },
    strict: true,
  });
  const customers = values.customers ? Number(values.customers) : values.demo ? DEMO_CUSTOMERS : NaN;
  if (!Number.isInteger(customers) || customers < 1) {
    console.error("usage: pnpm seed --customers N [--seed S] [--as-of YYYY-MM-DD] [--database-url URL] [--reset] [--demo] [--if-empty]");
    return 2;
  }
  const seed = values.seed ? Number(values.seed) : DEFAULT_SEED;
  if (!Number.isInteger(seed)) {
    console.error("--seed must be an integer");
    return 2;
  }
  if (values["as-of"] && !/^\d{4}-\d{2}-\d{2}$/.test(values["as-of"])) {
    console.error("--as-of must be YYYY-MM-DD");
    return 2;
  }
  const url = values["database-url"] ?? dbEnv().DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/marketing";
  const t0 = performance.now();
  try {
    const result = await seedBank(url, {
      customers,
      seed,
      ...(values["as-of"] ? { asOf: values["as-of"] } : {}),
      reset: values.reset,
      log: (m) => console.error(m),
    });
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    const rows = Object.values(result.counts).reduce((a, b) => a + b, 0);
    console.log(`Seeded ${customers.toLocaleString("en")} customers (${rows.toLocaleString("en")} rows, seed ${result.seed}, as of ${result.asOf}) in ${seconds} s`);
    for (const [table, n] of Object.entries(result.counts)) console.log(`  ${table.padEnd(22)} ${n.toLocaleString("en").padStart(12)}`);
    if (values.demo) {
      console.log(`\nDemo accounts (password ${DEMO_PASSWORD} for every staff user; e-mail <username>@${DEMO_EMAIL_DOMAIN}):`);
      for (const u of result.roster.users.filter((x) => x.demo)) console.log(`  ${u.username.padEnd(16)} ${u.role.padEnd(18)} ${u.orgUnitId.replace(/^org_/, "")}`);
      await hooks.afterSeed?.({ databaseUrl: url, asOf: result.asOf });
    }
    return 0;
  } catch (err) {
    if (err instanceof SeedRefusedError) {
      if (values["if-empty"]) {
        console.error("database already has bank data; nothing to do");
        return 0;
      }
      console.error(err.message);
      return 3;
    }
    throw err;
  }
}

export function exitWith(code: Promise<number>): void {
  code.then(
    (c) => process.exit(c),
    (err) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      process.exit(1);
    },
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) exitWith(seedCli());
