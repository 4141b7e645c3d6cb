/**
 * `dispatch` suite, case `campaign`: a --scale-recipient campaign through every suppression rule
 * (consent, do-not-disturb and complaint lists, quiet hours, frequency caps, suitability, dedupe,
 * control group) into the sandbox provider.
 * - platform: the product's path — launchCampaign, then --workers (default 2) campaign worker
 *   processes (apps/worker campaign-only entry): one wave job reserves the contact ids and cuts
 *   the chunks (~600 recipients on the unthrottled sandbox, one at a time per process), chunk jobs evaluate the guardrails
 *   set-based in SQL, send each chunk as one provider batch and write each contact once with its
 *   outcome. per_s = recipients ÷ wall time from launch to the run's completion; chunk latencies
 *   from the send jobs (processedOn → finishedOn).
 * - baseline: one queued job per message (BullMQ, in this process, concurrency 16) — load the
 *   customer's facts, `decide()`, insert the contact, send a one-message batch, mark it sent — on
 *   the first --baseline-recipients=N (default 20,000) customers in a database with the same data.
 * Checked: every baseline customer got the same decision (sent, or suppressed with the same
 * reason) on both paths, and the provider saw each sent contact exactly once.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import type * as BullMQModule from "../../packages/jobs/node_modules/bullmq";
import { DbLedger, SandboxProvider } from "../../packages/core/src/campaigns/channels/sandbox";
import { launchCampaign } from "../../packages/core/src/campaigns/dispatch/launch";
import { decide } from "../../packages/core/src/campaigns/guardrails/evaluate";
import { createDb, type Db } from "../../packages/db/src/client";
import { campaignDispatchQueue, createJobsClient, listWorkerHeartbeats, queuePrefix, type JobsClient } from "../../packages/jobs/src/index";
import { withPeakRss } from "../lib/rss";
import { perSecond, round, summarize } from "../lib/stats";
import type { Suite, SuiteContext } from "../lib/suite";
import { BENCH_CAMPAIGN_ID, createBenchCampaign, dayZone, loadDispatchData, nightZone } from "./dispatch-data";

// BullMQ is a dependency of @mkt/jobs, not of the root package the benchmarks run from.
export const { Queue, Worker } = createRequire(import.meta.url)("../../packages/jobs/node_modules/bullmq") as typeof BullMQModule;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TARGET_PER_S = 50_000;
const TARGET_CHUNK_P99_MS = 50;

export const dispatchSuite: Suite = {
  description: "campaign dispatch: one queued job per message vs chunked set-based dispatch (case campaign)",
  defaultScale: 100_000,
  async run(ctx) {
    const zones = { day: dayZone(), night: nightZone() };
    const arg = ctx.args["baseline-recipients"];
    const baselineN = Math.min(ctx.scale, typeof arg === "string" ? Number(arg) : 20_000);
    const platform = await runPlatform(ctx, zones);
    const baseline = await runBaseline(ctx, zones, baselineN);

    const mismatches: string[] = [];
    for (let id = 1; id <= baselineN; id++) {
      const a = platform.decisions.get(id) ?? "none";
      const b = baseline.decisions.get(id) ?? "none";
      if (a !== b) mismatches.push(`customer ${id}: platform ${a}, baseline ${b}`);
    }
    if (mismatches.length) ctx.log(`mismatches (${mismatches.length}): ${mismatches.slice(0, 10).join("; ")}`);
    const providerOk = platform.provider.duplicates === 0 && platform.provider.ids === platform.sent && baseline.provider.duplicates === 0;
    const reasons = [...new Set(platform.decisions.values())].filter((d) => d !== "SENT").sort();
    return {
      speedup: round(platform.perS / baseline.perS),
      checked: `${baselineN} recipients decided alike on both paths (${mismatches.length} differ); reasons seen: ${reasons.join(", ")}; provider: ${platform.provider.ids} sent once each, ${platform.provider.duplicates} duplicated`,
      ok: mismatches.length === 0 && providerOk,
      per_s: platform.perS,
      target_per_s: TARGET_PER_S,
      chunk_p99_ms: platform.chunkP99,
      target_chunk_p99_ms: TARGET_CHUNK_P99_MS,
    };
  },
};

interface Outcome {
  decisions: Map<number, string>;
  perS: number;
  sent: number;
  provider: { ids: number; duplicates: number };
}

async function providerCounts(db: Db): Promise<{ ids: number; duplicates: number }> {
  const [row] = await db.$queryRaw<{ ids: number; duplicates: number }[]>`
    SELECT count(*)::int AS ids, count(*) FILTER (WHERE n > 1)::int AS duplicates FROM (SELECT contact_id, count(*) AS n FROM sandbox_message GROUP BY contact_id) m`;
  return row!;
}

export async function decisions(db: Db, upTo: number): Promise<Map<number, string>> {
  const rows = await db.$queryRaw<{ customer_id: number; d: string }[]>`
    SELECT customer_id, CASE WHEN status = 'SUPPRESSED' THEN suppression_reason::text ELSE status::text END AS d
    FROM contact WHERE campaign_id = ${BENCH_CAMPAIGN_ID} AND customer_id <= ${upTo}`;
  return new Map(rows.map((r) => [r.customer_id, r.d === "DELIVERED" ? "SENT" : r.d]));
}

/** `BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` profiles the worker processes. */
export function spawnWorker(env: Record<string, string>): ChildProcess {
  const nodeArgs = process.env.BENCH_WORKER_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", path.join(repoRoot, "apps/worker/src/processors/campaigns/testing/campaign-worker.ts")], {
    cwd: repoRoot,
    // One chunk at a time per process: two processes keep two chunks in flight, as one worker
    // process with the product's default (2) does, with a core's worth of JavaScript each.
    env: { ...process.env, LOG_LEVEL: "warn", LOG_FORMAT: "json", TRACKING_LINK_SECRET: "bench-tracking-secret-0123456789abcdef", TRACKING_BASE_URL: "http://127.0.0.1:3000", QUEUE_CONCURRENCY: JSON.stringify({ "campaign-sends": 1 }), ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return child;
}

async function runPlatform(ctx: SuiteContext, zones: { day: string; night: string }): Promise<Outcome & { chunkP99: number }> {
  const url = await ctx.databases.create("platform");
  const db = createDb(url, { max: 4 });
  ctx.log(`platform: loading ${ctx.scale} customers`);
  const data = await loadDispatchData(db, ctx.scale, zones, ctx.log);
  await createBenchCampaign(db, data, { audience: ctx.scale });
  const jobs = createJobsClient({ url: ctx.redisUrl, prefix: ctx.redisPrefix });
  await jobs.ready(10_000);
  const n = Number(ctx.args.workers ?? 2);
  const workers: ChildProcess[] = [];
  try {
    for (let i = 0; i < n; i++) {
      workers.push(
        spawnWorker({
          DATABASE_URL: url,
          REDIS_URL: ctx.redisUrl,
          REDIS_PREFIX: ctx.redisPrefix,
          WORKER_ID: `bench-dispatch-${i}`,
          CAMPAIGN_SANDBOX_EVENTS: "off",
          CAMPAIGN_TRIGGERS: "off",
          CAMPAIGN_STALL_MS: "120000",
        }),
      );
    }
    await waitForWorkers(jobs, n);
    ctx.log(`platform: launching through ${n} worker processes`);
    const measured = await withPeakRss(async () => {
      const t0 = performance.now();
      await launchCampaign(db, campaignDispatchQueue(jobs), { campaignId: BENCH_CAMPAIGN_ID, actor: null });
      for (;;) {
        const run = await db.campaignRun.findFirst({ where: { campaignId: BENCH_CAMPAIGN_ID } });
        if (run?.status === "COMPLETED") break;
        await new Promise((r) => setTimeout(r, 100));
      }
      return performance.now() - t0;
    });
    const ms = measured.result;
    const completed = await jobs.queue("campaign-sends").getCompleted(0, -1);
    const chunkMs = completed.filter((j) => j.processedOn && j.finishedOn).map((j) => j.finishedOn! - j.processedOn!);
    const lat = summarize(chunkMs);
    ctx.log(`platform: slowest chunks (ms after the first chunk started: ms taken): ${slowest(completed, 12)}`);
    const provider = await providerCounts(db);
    const [{ sent }] = (await db.$queryRaw<{ sent: number }[]>`SELECT count(*)::int AS sent FROM contact WHERE campaign_id = ${BENCH_CAMPAIGN_ID} AND status IN ('SENT', 'DELIVERED')`) as [{ sent: number }];
    const perS = perSecond(ctx.scale, ms);
    ctx.emit({ case: "campaign", variant: "platform", scale: ctx.scale, runs: lat.runs, p50_ms: lat.p50_ms, p95_ms: lat.p95_ms, p99_ms: lat.p99_ms, per_s: perS, wall_ms: Math.round(ms), peak_rss_mb: measured.peakRssMb, sent, chunks: chunkMs.length, workers: n, latency_of: "chunk" });
    return { decisions: await decisions(db, ctx.scale), perS, sent, provider, chunkP99: lat.p99_ms };
  } finally {
    for (const w of workers) w.kill("SIGTERM");
    await Promise.all(workers.map((w) => (w.exitCode === null ? once(w, "exit") : undefined)));
    await jobs.close();
    await db.$disconnect();
  }
}

/** The `n` slowest finished jobs, as "start offset:duration" — where a latency tail comes from (warm-up, a checkpoint). */
function slowest(jobs: { processedOn?: number; finishedOn?: number }[], n: number): string {
  const done = jobs.filter((j) => j.processedOn && j.finishedOn);
  const t0 = Math.min(...done.map((j) => j.processedOn!));
  return done
    .map((j) => ({ at: j.processedOn! - t0, ms: j.finishedOn! - j.processedOn! }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, n)
    .map((x) => `${x.at}:${x.ms}`)
    .join(" ");
}

export async function waitForWorkers(jobs: JobsClient, n: number): Promise<void> {
  const deadline = Date.now() + 300_000; // a loaded machine takes a while to start node + tsx
  while ((await listWorkerHeartbeats(jobs.redis, jobs.prefix)).length < n) {
    if (Date.now() > deadline) throw new Error("campaign workers did not start");
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function runBaseline(ctx: SuiteContext, zones: { day: string; night: string }, n: number): Promise<Outcome> {
  const url = await ctx.databases.create("baseline");
  const db = createDb(url, { max: 16 });
  ctx.log(`baseline: loading ${n} customers`);
  const data = await loadDispatchData(db, n, zones, ctx.log);
  await createBenchCampaign(db, data, { audience: n });
  const prefix = `${ctx.redisPrefix}:baseline`;
  const connection = { url: ctx.redisUrl };
  const queue = new Queue("baseline-sends", { connection, prefix: queuePrefix(prefix) });
  const provider = new SandboxProvider("SMS", { ledger: new DbLedger(db) });
  const run = await db.campaignRun.create({ data: { campaignId: BENCH_CAMPAIGN_ID, launchKey: "baseline", flow: {}, flowVersion: 1 } });
  const policy = (await db.contactPolicy.findUniqueOrThrow({ where: { channel: "SMS" } }))!;
  try {
    ctx.log(`baseline: one job per message × ${n}`);
    const measured = await withPeakRss(async () => {
      const t0 = performance.now();
      for (let i = 1; i <= n; i += 1_000) {
        await queue.addBulk(Array.from({ length: Math.min(1_000, n - i + 1) }, (_, k) => ({ name: "send", data: { customerId: i + k }, opts: { jobId: `m.${i + k}`, removeOnComplete: true } })));
      }
      let done = 0;
      const finished = new Promise<void>((resolve) => {
        const worker = new Worker(
          "baseline-sends",
          async (job) => {
            await sendOne(db, provider, run.id, job.data.customerId as number, { dailyCap: policy.dailyCap, weeklyCap: policy.weeklyCap, quiet: { start: policy.quietStart, end: policy.quietEnd } });
          },
          { connection, prefix: queuePrefix(prefix), concurrency: 16 },
        );
        worker.on("completed", () => {
          if (++done === n) void worker.close().then(() => resolve());
        });
        worker.on("failed", (_job, err) => ctx.log(`baseline job failed: ${err.message}`));
      });
      await finished;
      return performance.now() - t0;
    });
    const ms = measured.result;
    const perS = perSecond(n, ms);
    ctx.emit({ case: "campaign", variant: "baseline", scale: n, runs: n, per_s: perS, wall_ms: Math.round(ms), peak_rss_mb: measured.peakRssMb, latency_of: "message" });
    const [{ sent }] = (await db.$queryRaw<{ sent: number }[]>`SELECT count(*)::int AS sent FROM contact WHERE campaign_id = ${BENCH_CAMPAIGN_ID} AND status = 'SENT'`) as [{ sent: number }];
    return { decisions: await decisions(db, n), perS, sent, provider: await providerCounts(db) };
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await db.$disconnect();
  }
}

interface Facts {
  time_zone: string;
  phone: string | null;
  name: string;
  consents: { purpose: "MARKETING" | "SERVICE"; channel: string; granted: boolean }[];
  restrictions: { kind: "DO_NOT_DISTURB" | "COMPLAINT"; channel: string | null; validFrom: string; validTo: string | null }[];
  assessment: { level: string; expiresAt: string } | null;
  sends: string[];
}

/** The straightforward per-message job: facts for one customer, the reference decision, one insert, one send. */
export async function sendOne(
  db: Db,
  provider: SandboxProvider,
  runId: string,
  customerId: number,
  policy: { dailyCap: number | null; weeklyCap: number | null; quiet: { start: string; end: string } },
  controlShareBp = 500,
) {
  const [f] = await db.$queryRaw<Facts[]>`
    SELECT cu.time_zone, cu.phone, cu.name,
      coalesce((SELECT json_agg(json_build_object('purpose', purpose, 'channel', channel, 'granted', granted)) FROM consent WHERE customer_id = cu.id), '[]') AS consents,
      coalesce((SELECT json_agg(json_build_object('kind', kind, 'channel', channel, 'validFrom', valid_from, 'validTo', valid_to)) FROM contact_restriction WHERE customer_id = cu.id), '[]') AS restrictions,
      (SELECT json_build_object('level', level, 'expiresAt', expires_at) FROM risk_assessment WHERE customer_id = cu.id ORDER BY assessed_at DESC LIMIT 1) AS assessment,
      coalesce((SELECT json_agg(sent_at) FROM contact WHERE customer_id = cu.id AND channel = 'SMS' AND sent_at IS NOT NULL), '[]') AS sends
    FROM customer cu WHERE cu.id = ${customerId}`;
  if (!f) return;
  const at = new Date();
  const d = decide(
    {
      customerId,
      timeZone: f.time_zone,
      consents: f.consents,
      restrictions: f.restrictions.map((r) => ({ ...r, validFrom: new Date(r.validFrom), validTo: r.validTo ? new Date(r.validTo) : null })),
      assessment: f.assessment ? { level: f.assessment.level, expiresAt: new Date(f.assessment.expiresAt) } : null,
      sentAt: f.sends.map((s) => new Date(s)),
      hasAddress: !!f.phone,
    },
    { campaignId: BENCH_CAMPAIGN_ID, channel: "SMS", productRisk: 2, controlShareBp, quietHoursPolicy: "DROP", quietWindow: policy.quiet, caps: policy, at },
  );
  const status = d.kind === "send" ? "SENDING" : "SUPPRESSED";
  const reason = d.kind === "suppress" ? d.reason : null;
  const [row] = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO contact (run_id, campaign_id, customer_id, step_id, channel, status, suppression_reason, control, sent_at)
    VALUES (${runId}, ${BENCH_CAMPAIGN_ID}, ${customerId}, 'sms', 'SMS', ${status}::"ContactStatus", ${reason}::"SuppressionReason", ${reason === "CONTROL_GROUP"}, ${d.kind === "send" ? at : null}::timestamptz)
    ON CONFLICT DO NOTHING RETURNING id::text AS id`;
  if (!row || d.kind !== "send") return;
  const [result] = await provider.sendBatch([{ contactId: row.id, channel: "SMS", to: f.phone!, body: `${f.name}您好` }]);
  await db.$executeRaw`UPDATE contact SET status = 'SENT', provider_message_id = ${result?.providerMessageId ?? null} WHERE id = ${BigInt(row.id)}`;
}
