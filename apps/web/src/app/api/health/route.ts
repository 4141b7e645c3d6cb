/**
 * GET /api/health — public (load balancers and the start command poll it). 200 when PostgreSQL
 * and Redis both answer, else 503; lists the workers with a live heartbeat. See health.ts.
 */
import { getDb } from "@mkt/db";
import { getJobsClient } from "@mkt/jobs";
import { healthReport } from "./health";

export const dynamic = "force-dynamic";

/** Access declaration: anyone, no org scope, no personal data. */
export const access = { permission: "public", scope: "none" } as const;

export async function GET(): Promise<Response> {
  const report = await healthReport({ db: getDb(), jobs: getJobsClient() });
  return Response.json(report, { status: report.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
}
