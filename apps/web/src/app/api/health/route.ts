/**
 * GET /api/health — public (load balancers and the start command poll it). Reports whether
 * PostgreSQL and Redis answer, how fast, and which workers have a live heartbeat.
 * 200 when the database and Redis are both up, else 503. Never reports errors' text or config.
 */
import { getDb } from "@mkt/db";
import { getJobsClient, listWorkerHeartbeats } from "@mkt/jobs";

export const dynamic = "force-dynamic";

/** Access declaration read by the route-guard test: anyone, no org scope, no data. */
export const access = { permission: "public", scope: "none" } as const;

const TIMEOUT_MS = 2_000;

interface Check {
  ok: boolean;
  latencyMs: number;
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

export async function GET(): Promise<Response> {
  const jobs = getJobsClient();
  const [db, redis] = await Promise.all([
    check(() => getDb().$queryRaw`SELECT 1`),
    check(async () => {
      await jobs.ready(TIMEOUT_MS);
      await jobs.redis.ping();
    }),
  ]);
  const workers = redis.ok
    ? (await listWorkerHeartbeats(jobs.redis, jobs.prefix).catch(() => [])).map(({ id, lastBeatAt }) => ({ id, lastBeatAt }))
    : [];
  const up = db.ok && redis.ok;
  return Response.json(
    { status: up ? "ok" : "unavailable", db, redis, workers },
    { status: up ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
