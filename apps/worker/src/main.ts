/**
 * The worker process: `tsx apps/worker/src/main.ts`. Runs the jobs of the registry until
 * SIGTERM/SIGINT, then drains (active jobs finish within SHUTDOWN_GRACE_MS) and exits 0.
 */
import { parseWorkerEnv, type WorkerEnv } from "./env";
import { createLogger } from "./logger";
import { registry } from "./registry";
import { runUntilSignal } from "./run";

let env: WorkerEnv;
try {
  env = parseWorkerEnv();
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(2);
}
const log = createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT, workerId: env.WORKER_ID });
await runUntilSignal(registry, env, log);
