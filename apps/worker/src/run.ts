/** Process lifecycle shared by main.ts and test fixtures: start, wait for a signal, drain, exit. */
import type { WorkerEnv } from "./env";
import type { Logger } from "./logger";
import type { Registry } from "./registry";
import { startWorkerProcess } from "./worker-process";

export async function runUntilSignal(registry: Registry, env: WorkerEnv, log: Logger): Promise<void> {
  let proc;
  try {
    proc = await startWorkerProcess(registry, env, log);
  } catch (err) {
    log.fatal({ err: err instanceof Error ? err.message : String(err) }, "worker failed to start");
    process.exit(1);
  }
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down: finishing active jobs");
    const drained = await proc.stop();
    log.info({ drained }, "worker stopped");
    process.exit(drained ? 0 : 1);
  };
  process.on("SIGTERM", (s) => void shutdown(s));
  process.on("SIGINT", (s) => void shutdown(s));
}
