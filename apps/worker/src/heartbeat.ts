/** Keeps this process's heartbeat key alive so GET /api/health can list running workers. */
import { HEARTBEAT_INTERVAL_MS, removeHeartbeat, writeHeartbeat, type Redis } from "@mkt/jobs";
import type { Logger } from "./logger";

export interface Heartbeat {
  stop(): Promise<void>;
}

export async function startHeartbeat(opts: { redis: Redis; prefix: string; workerId: string; queues: string[]; log: Logger }): Promise<Heartbeat> {
  const { redis, prefix, workerId, queues, log } = opts;
  const startedAt = new Date().toISOString();
  const beat = () => writeHeartbeat(redis, prefix, { id: workerId, startedAt, lastBeatAt: new Date().toISOString(), queues });
  await beat();
  const timer = setInterval(() => {
    beat().catch((err: unknown) => log.warn({ err }, "heartbeat failed"));
  }, HEARTBEAT_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await removeHeartbeat(redis, prefix, workerId).catch(() => undefined);
    },
  };
}
