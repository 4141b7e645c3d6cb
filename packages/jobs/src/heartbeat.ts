/**
 * Worker heartbeats: each worker process refreshes a key with a TTL; a key that expired means
 * the worker is gone. Written by apps/worker, read by GET /api/health — through this contract,
 * so the web app never imports worker code.
 */
import type { Redis } from "ioredis";
import { z } from "zod";

export const HEARTBEAT_INTERVAL_MS = 10_000;
/** Three missed beats and the worker is considered dead. */
export const HEARTBEAT_TTL_MS = 3 * HEARTBEAT_INTERVAL_MS;

const heartbeatSchema = z.object({
  id: z.string(),
  startedAt: z.iso.datetime(),
  lastBeatAt: z.iso.datetime(),
  queues: z.array(z.string()),
});

export type WorkerHeartbeat = z.infer<typeof heartbeatSchema>;

export function heartbeatKey(prefix: string, workerId: string): string {
  return `${prefix}:worker:${workerId}:heartbeat`;
}

export async function writeHeartbeat(redis: Redis, prefix: string, beat: WorkerHeartbeat): Promise<void> {
  await redis.set(heartbeatKey(prefix, beat.id), JSON.stringify(beat), "PX", HEARTBEAT_TTL_MS);
}

export async function removeHeartbeat(redis: Redis, prefix: string, workerId: string): Promise<void> {
  await redis.del(heartbeatKey(prefix, workerId));
}

/** The workers alive now (their key has not expired), oldest first. */
export async function listWorkerHeartbeats(redis: Redis, prefix: string): Promise<WorkerHeartbeat[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", heartbeatKey(prefix, "*"), "COUNT", 100);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== "0");
  if (keys.length === 0) return [];
  const values = await redis.mget(...keys);
  return values
    .flatMap((v) => {
      const parsed = v ? heartbeatSchema.safeParse(JSON.parse(v)) : undefined;
      return parsed?.success ? [parsed.data] : [];
    })
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}
