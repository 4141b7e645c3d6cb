/**
 * pnpm bench <suite> [--scale N] [--seed S] [--<option> value …]
 *
 * Runs one suite against its own databases and Redis prefix, which are removed afterwards even
 * when the suite fails or the run is interrupted. Result lines (JSON, one per line) go to stdout,
 * progress to stderr. Exit status 1 when the variants disagree or the suite fails, 2 on bad usage.
 */
import { parseArgs } from "node:util";
import { dropPrefix, newRedisPrefix, redisUrl } from "./lib/redis-prefix";
import type { CaseLine, SuiteContext } from "./lib/suite";
import { tempDatabases } from "./lib/temp-db";
import { suites } from "./suites/index";

const DEFAULT_SEED = 42;

function usage(message?: string): number {
  if (message) console.error(message);
  console.error(`usage: pnpm bench <suite> [--scale N] [--seed S]\nsuites: ${Object.entries(suites).map(([name, s]) => `\n  ${name.padEnd(10)} ${s.description} (default scale ${s.defaultScale})`).join("")}`);
  return 2;
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, strict: false, options: { scale: { type: "string" }, seed: { type: "string" } } });
  const name = positionals[0];
  if (!name) return usage();
  const suite = suites[name];
  if (!suite) return usage(`unknown suite "${name}"`);
  const scale = values.scale === undefined ? suite.defaultScale : Number(values.scale);
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  if (!Number.isInteger(scale) || scale < 1) return usage("--scale must be a positive integer");
  if (!Number.isInteger(seed)) return usage("--seed must be an integer");
  const { scale: _s, seed: _d, ...args } = values;

  const databases = tempDatabases(name);
  const redisPrefix = newRedisPrefix(name);
  let cleaned: Promise<void> | null = null;
  const cleanup = () =>
    (cleaned ??= (async () => {
      await databases.dropAll().catch((err) => console.error(`could not drop databases ${databases.prefix}*: ${err}`));
      await dropPrefix(redisPrefix).catch((err) => console.error(`could not delete Redis keys ${redisPrefix}*: ${err}`));
    })());
  const interrupted = (signal: NodeJS.Signals) => {
    console.error(`${signal}: cleaning up`);
    void cleanup().then(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);

  const ctx: SuiteContext = {
    suite: name,
    scale,
    seed,
    args,
    databases,
    redisUrl: redisUrl(),
    redisPrefix,
    log: (m) => console.error(`[${name}] ${m}`),
    emit: (line: CaseLine) => console.log(JSON.stringify({ suite: name, ...line })),
  };
  try {
    const summary = await suite.run(ctx);
    console.log(JSON.stringify({ suite: name, summary: true, scale, ...summary }));
    return summary.ok ? 0 : 1;
  } catch (err) {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    console.log(JSON.stringify({ suite: name, summary: true, scale, speedup: null, checked: "suite failed", ok: false, error: err instanceof Error ? err.message : String(err) }));
    return 1;
  } finally {
    await cleanup();
  }
}

main().then((code) => process.exit(code));
