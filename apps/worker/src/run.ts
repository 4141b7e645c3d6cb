/** Process lifecycle shared by main.ts and test fixtures: start, wait for a signal, drain, exit. */
import type { WorkerEnv } from "./env";
import type { Logger } from "./logger";
import type { Registry } from "./registry";
import { startWorkerProcess } from "./worker-process";

export async function runUntilSignal(registry: Registry, env: WorkerEnv, log: Logger): Promise<void> {
  const starting = startWorkerProcess(registry, env, log);
  // Handlers go in before anything runs: a signal during start-up still drains instead of
  // killing the process with the default action.
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down: finishing active jobs");
    const proc = await starting.catch(() => undefined);
    const drained = proc ? await proc.stop() : true;
    log.info({ drained }, "worker stopped");
    process.exit(drained ? 0 : 1);
  };
  process.on("SIGTERM", (s) => void shutdown(s));
  process.on("SIGINT", (s) => void shutdown(s));
  try {
    await starting;
  } catch (err) {
    log.fatal({ err: err instanceof Error ? err.message : String(err) }, "worker failed to start");
    process.exit(1);
  }
}
