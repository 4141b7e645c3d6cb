/**
 * The worker process: `tsx apps/worker/src/main.ts`. Runs the jobs of the registry until
 * SIGTERM/SIGINT, then drains (active jobs finish within SHUTDOWN_GRACE_MS) and exits 0.
 */
import { parseWorkerEnv } from "./env";
import { createLogger } from "./logger";
import { registry } from "./registry";
import { runUntilSignal } from "./run";

const env = parseWorkerEnv();
const log = createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT, workerId: env.WORKER_ID });
await runUntilSignal(registry, env, log);
