/**
 * Playwright's web server for the e2e run: prepares the throw-away database (migrate + a small
 * demo bank with its tag library and one tag run) while Next.js builds, then serves the console
 * against it until Playwright stops it.
 * Progress goes to stderr; set DEBUG=pw:webserver to see it during a run.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "../../packages/db/src/migrate";
import { buildIsCurrent, recordBuild, sourceFingerprint } from "../../scripts/lib/build-stamp";
import { seedBank } from "../../packages/db/src/seed/seed-bank";
import { seedTagCenter } from "../../packages/core/src/tags/seed";
import { dropDatabase } from "../../packages/db/src/testing/databases";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const webDir = path.join(root, "apps/web");
const next = path.join(webDir, "node_modules/.bin/next");

const databaseUrl = process.env.DATABASE_URL;
const port = process.env.E2E_PORT;
if (!databaseUrl || !port) throw new Error("server.ts is started by playwright.config.ts (DATABASE_URL, E2E_PORT)");

/** E2E_SKIP_BUILD=1 serves whatever build is there (when iterating on the specs only). */
const skipBuild = process.env.E2E_SKIP_BUILD === "1";
const baseEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
/** The process currently running (build, then server): signals are passed on to it. */
const current: { child: ChildProcess | null } = { child: null };
/** The worker (campaign dispatch on the sandbox provider, …), so campaign funnels fill in. */
const background: { worker: ChildProcess | null } = { worker: null };

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: webDir, env, stdio: ["ignore", "inherit", "inherit"] });
    current.child = p;
    p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited with ${code}`))));
  });
}

async function prepareDatabase() {
  const t0 = Date.now();
  await migrate(databaseUrl!, { quiet: true });
  const { asOf } = await seedBank(databaseUrl!, { customers: 3000 });
  // The starter tag library and one computed run: segments and the tag console build on them.
  const t1 = Date.now();
  await seedTagCenter(databaseUrl!, { asOf });
  console.error(`e2e: database ready in ${Date.now() - t0} ms (tag library and run ${Date.now() - t1} ms)`);
}

/**
 * Builds the console unless the last build (by `pnpm start` or an earlier run; same stamp) is of
 * the current sources, so a running platform's build is not replaced by an identical one.
 */
async function build() {
  if (skipBuild) return;
  const fingerprint = sourceFingerprint(root);
  if (buildIsCurrent(root, fingerprint)) {
    console.error("e2e: console build is up to date");
    return;
  }
  const t0 = Date.now();
  await run(next, ["build"], { ...baseEnv, NODE_ENV: "production" });
  recordBuild(root, fingerprint);
  console.error(`e2e: next build in ${Date.now() - t0} ms`);
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    current.child?.kill(signal);
    background.worker?.kill(signal);
    process.exit(0);
  });
}

try {
  await Promise.all([prepareDatabase(), build()]);
} catch (err) {
  console.error(`e2e: server preparation failed: ${err instanceof Error ? err.message : String(err)}`);
  current.child?.kill("SIGTERM");
  await dropDatabase(process.env.E2E_DATABASE_NAME!).catch(() => undefined);
  process.exit(1);
}
const serveEnv = {
  ...baseEnv,
  NODE_ENV: "production",
  DATABASE_URL: databaseUrl,
  BETTER_AUTH_SECRET: randomBytes(32).toString("hex"),
  BETTER_AUTH_URL: `http://127.0.0.1:${port}`,
  // Sign-in lockout counters of this run stay apart from a developer's running platform.
  REDIS_PREFIX: process.env.E2E_DATABASE_NAME,
  // Every browser of the suite signs in from 127.0.0.1: the per-address flood limit (30/min) would
  // refuse a fast run's sign-ins. The per-username failure lockout, which a spec tests, still applies.
  AUTH_SIGNIN_PER_MINUTE: "600",
};
const serve = spawn(next, ["start", "--port", port, "--hostname", "127.0.0.1"], {
  cwd: webDir,
  env: serveEnv,
  stdio: ["ignore", "inherit", "inherit"],
});
current.child = serve;
serve.on("exit", (code) => (background.worker?.kill("SIGTERM"), process.exit(code ?? 0)));
background.worker = spawn(path.join(root, "node_modules/.bin/tsx"), ["apps/worker/src/main.ts"], {
  cwd: root,
  env: { ...serveEnv, NODE_ENV: "development", LOG_LEVEL: "warn", CAMPAIGN_SWEEP_MS: "1000" },
  stdio: ["ignore", "inherit", "inherit"],
});
