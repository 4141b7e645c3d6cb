/**
 * The health report behind GET /api/health: whether PostgreSQL and Redis answer, how fast, which
 * workers have a live heartbeat, and whether this process's resident segment index (built at
 * boot, see instrumentation.ts) is ready. The status depends on the services only: counts wait
 * for the index while it builds. No error text or configuration leaves this function.
 */
import type { Db } from "@mkt/db";
import { segmentEngineStatus } from "@mkt/core/segments/engine";
import type { SegmentIndexStatus } from "@mkt/core/segments/index/resident";
import { listWorkerHeartbeats, type JobsClient } from "@mkt/jobs";

const TIMEOUT_MS = 2_000;

export interface Check {
  ok: boolean;
  latencyMs: number;
}

export interface HealthReport {
  status: "ok" | "unavailable";
  db: Check;
  redis: Check;
  workers: { id: string; lastBeatAt: string }[];
  /** The resident segment index of this process (`idle`: not asked for yet). */
  segments: SegmentIndexStatus;
}

async function check(probe: () => Promise<unknown>): Promise<Check> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch {
    return { ok: false, latencyMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

export async function healthReport(deps: { db: Db; jobs: JobsClient }): Promise<HealthReport> {
  const { db, jobs } = deps;
  const [dbCheck, redisCheck] = await Promise.all([
    check(() => db.$queryRaw`SELECT 1`),
    check(async () => {
      await jobs.ready(TIMEOUT_MS);
      await jobs.redis.ping();
    }),
  ]);
  const workers = redisCheck.ok
    ? (await listWorkerHeartbeats(jobs.redis, jobs.prefix).catch(() => [])).map(({ id, lastBeatAt }) => ({ id, lastBeatAt }))
    : [];
  const segments = segmentEngineStatus(db) ?? { state: "idle", rebuilding: false };
  return { status: dbCheck.ok && redisCheck.ok ? "ok" : "unavailable", db: dbCheck, redis: redisCheck, workers, segments };
}
