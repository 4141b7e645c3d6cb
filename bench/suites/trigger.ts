/**
 * `trigger` suite, case `event-to-provider`: an event-triggered campaign ("large deposit arrived")
 * fed --rate events/s (default 500) for --seconds (default 20); latency = provider acceptance
 * (`sandbox_message.accepted_at`) − publication, per event that leads to a message. --scale
 * customers carry the dispatch suite's facts, so the guardrails suppress some events' messages.
 * - platform: tag-change signals on the Redis stream `<prefix>:tags:changes`, consumed by the
 *   campaign worker processes (--workers, default 2) through the consumer group, waves, chunk jobs;
 * - baseline: one queued job per event (BullMQ, in this process): facts, `decide()`, insert, send.
 * Checked: both paths reach the same customers (same decisions), each accepted once.
 */
import { DbLedger, SandboxProvider } from "../../packages/core/src/campaigns/channels/sandbox";
import { launchCampaign } from "../../packages/core/src/campaigns/dispatch/launch";
import { createDb, type Db } from "../../packages/db/src/client";
import { campaignDispatchQueue, createJobsClient, publishTagChanges, queuePrefix } from "../../packages/jobs/src/index";
import { round, summarize } from "../lib/stats";
import type { Suite, SuiteContext } from "../lib/suite";
import { ofCampaign } from "../../packages/core/src/campaigns/dispatch/context";
import { Queue, Worker, decisions, sendOne, spawnWorker, waitForWorkers } from "./dispatch";
import { BENCH_CAMPAIGN_ID, createBenchCampaign, dayZone, loadDispatchData, nightZone } from "./dispatch-data";

const TAG = "rt_large_deposit";
const TARGET_P95_MS = 1_000;

export const triggerSuite: Suite = {
  description: "event-triggered campaign: event → provider latency, one job per event vs stream + waves (case event-to-provider)",
  defaultScale: 100_000,
  async run(ctx) {
    const rate = num(ctx.args.rate, 500);
    const seconds = num(ctx.args.seconds, 20);
    const events = Array.from({ length: rate * seconds }, (_, i) => ((i * 7_919) % ctx.scale) + 1);
    const zones = { day: dayZone(), night: nightZone() };
    const platform = await runPlatform(ctx, zones, events, rate);
    const baseline = await runBaseline(ctx, zones, events, rate);
    const a = [...platform.reached].sort((x, y) => x - y).join(",");
    const b = [...baseline.reached].sort((x, y) => x - y).join(",");
    const same = a === b;
    if (!same) {
      const diff = events.filter((c) => platform.decided.get(c) !== baseline.decided.get(c)).slice(0, 10);
      ctx.log(`reached differ: platform ${platform.reached.size}, baseline ${baseline.reached.size}; e.g. ${diff.map((c) => `${c}: ${platform.decided.get(c)} vs ${baseline.decided.get(c)}`).join(", ")}`);
    }
    return {
      speedup: round(baseline.p95 / platform.p95),
      checked: `${events.length} events at ${rate}/s: ${platform.reached.size} customers reached the provider on both paths (${same ? "same customers" : "DIFFERENT customers"}), ${platform.duplicates + baseline.duplicates} duplicated`,
      ok: same && platform.duplicates === 0 && baseline.duplicates === 0,
      p95_ms: platform.p95,
      target_p95_ms: TARGET_P95_MS,
    };
  },
};

function num(v: string | boolean | undefined, d: number): number {
  return typeof v === "string" ? Number(v) : d;
}

interface Result {
  decided: Map<number, string>;
  p95: number;
  reached: Set<number>;
  duplicates: number;
}

/** Publishes `events` at `rate`/s in 100 ms ticks; returns the publication time per customer. */
async function pace(events: number[], rate: number, publish: (batch: number[]) => Promise<void>): Promise<Map<number, number>> {
  const at = new Map<number, number>();
  const perTick = Math.max(1, Math.round(rate / 10));
  const t0 = Date.now();
  for (let i = 0, tick = 0; i < events.length; i += perTick, tick++) {
    const wait = t0 + tick * 100 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const batch = events.slice(i, i + perTick);
    const now = Date.now();
    for (const c of batch) at.set(c, now);
    await publish(batch);
  }
  return at;
}

async function latencies(db: Db, published: Map<number, number>, expected: number, log: (m: string) => void): Promise<{ ms: number[]; reached: Set<number>; duplicates: number; hops: Record<string, number> }> {
  const deadline = Date.now() + 120_000;
  // Done when every event is decided and nothing is left to send; the messages are read after
  // that (read before it, the last chunks' sends could be missing from them).
  for (;;) {
    const pending = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM contact WHERE ${ofCampaign(BENCH_CAMPAIGN_ID)} AND status IN ('QUEUED', 'SENDING')`;
    const decided = await db.$queryRaw<{ n: number }[]>`SELECT count(DISTINCT customer_id)::int AS n FROM contact WHERE ${ofCampaign(BENCH_CAMPAIGN_ID)}`;
    if ((decided[0]!.n >= expected && pending[0]!.n === 0) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const rows = await db.$queryRaw<{ customer_id: number; at: Date; n: number; wave_at: Date | null; contact_at: Date; claimed_at: Date | null }[]>`
    SELECT c.customer_id, min(m.accepted_at) AS at, count(*)::int AS n, min(c.created_at) AS contact_at, min(c.claimed_at) AS claimed_at,
           (SELECT min(w.created_at) FROM campaign_wave w WHERE w.run_id = min(c.run_id) AND w.wave = min(c.wave)) AS wave_at
    FROM sandbox_message m JOIN contact c ON c.id = m.contact_id
    WHERE c.campaign_id = ${BENCH_CAMPAIGN_ID} GROUP BY c.customer_id`;
  if (Date.now() > deadline) log("timed out waiting for every event to be decided");
  // Where the time goes, per message: the first wave of its event, its contact row, its claim by
  // the chunk, the provider's acceptance (each from publication; p95 in the line, p50 in the log).
  const since = (d: Date | null, c: number) => (d ? d.getTime() - published.get(c)! : Number.NaN);
  const hop = (f: (r: (typeof rows)[number]) => Date | null) => summarize(rows.map((r) => since(f(r), r.customer_id)).filter((x) => Number.isFinite(x)));
  const wave = hop((r) => r.wave_at);
  const contact = hop((r) => r.contact_at);
  const claimed = hop((r) => r.claimed_at);
  log(`  from publication, p50/p95: wave ${wave.p50_ms}/${wave.p95_ms} ms, contact ${contact.p50_ms}/${contact.p95_ms} ms, claimed ${claimed.p50_ms}/${claimed.p95_ms} ms`);
  return {
    ms: rows.map((r) => r.at.getTime() - published.get(r.customer_id)!),
    reached: new Set(rows.map((r) => r.customer_id)),
    duplicates: rows.filter((r) => r.n > 1).length,
    hops: { wave_p95_ms: wave.p95_ms, contact_p95_ms: contact.p95_ms, claimed_p95_ms: claimed.p95_ms },
  };
}

async function setupDb(ctx: SuiteContext, label: string, zones: { day: string; night: string }) {
  const url = await ctx.databases.create(label);
  const db = createDb(url, { max: 16 });
  ctx.log(`${label}: loading ${ctx.scale} customers`);
  const data = await loadDispatchData(db, ctx.scale, zones, ctx.log);
  await createBenchCampaign(db, data, { trigger: { tag: TAG, op: "gte", value: 1 } });
  return { url, db };
}

async function runPlatform(ctx: SuiteContext, zones: { day: string; night: string }, events: number[], rate: number): Promise<Result> {
  const { url, db } = await setupDb(ctx, "platform", zones);
  const jobs = createJobsClient({ url: ctx.redisUrl, prefix: ctx.redisPrefix });
  await jobs.ready(10_000);
  const n = num(ctx.args.workers, 2);
  const workers = Array.from({ length: n }, (_, i) =>
    spawnWorker({ DATABASE_URL: url, REDIS_URL: ctx.redisUrl, REDIS_PREFIX: ctx.redisPrefix, WORKER_ID: `bench-trigger-${i}`, CAMPAIGN_SANDBOX_EVENTS: "off", CAMPAIGN_STALL_MS: "120000" }),
  );
  try {
    await waitForWorkers(jobs, n);
    await launchCampaign(db, campaignDispatchQueue(jobs), { campaignId: BENCH_CAMPAIGN_ID, actor: null });
    ctx.log(`platform: ${events.length} events at ${rate}/s onto the stream`);
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const published = await pace(events, rate, (batch) =>
      publishTagChanges(jobs.redis, ctx.redisPrefix, batch.map((customerId) => ({ tag: TAG, customerId, value: 1, eventId: `e${customerId}`, expiresAt }))),
    );
    const r = await latencies(db, published, events.length, ctx.log);
    const lat = summarize(r.ms);
    ctx.emit({ case: "event-to-provider", variant: "platform", scale: ctx.scale, ...lat, per_s: rate, events: events.length, reached: r.reached.size, workers: n, ...r.hops });
    return { decided: await decisions(db, ctx.scale), p95: lat.p95_ms, reached: r.reached, duplicates: r.duplicates };
  } finally {
    for (const w of workers) w.kill("SIGTERM");
    await Promise.all(workers.map((w) => (w.exitCode === null ? new Promise((res) => w.once("exit", res)) : undefined)));
    await jobs.close();
    await db.$disconnect();
  }
}

async function runBaseline(ctx: SuiteContext, zones: { day: string; night: string }, events: number[], rate: number): Promise<Result> {
  const { db } = await setupDb(ctx, "baseline", zones);
  const prefix = `${ctx.redisPrefix}:baseline`;
  const connection = { url: ctx.redisUrl };
  const queue = new Queue("baseline-events", { connection, prefix: queuePrefix(prefix) });
  const provider = new SandboxProvider("SMS", { ledger: new DbLedger(db) });
  const run = await db.campaignRun.create({ data: { campaignId: BENCH_CAMPAIGN_ID, launchKey: "trigger", flow: {}, flowVersion: 1 } });
  const p = await db.contactPolicy.findUniqueOrThrow({ where: { channel: "SMS" } });
  const policy = { dailyCap: p.dailyCap, weeklyCap: p.weeklyCap, quiet: { start: p.quietStart, end: p.quietEnd } };
  const worker = new Worker("baseline-events", async (job) => sendOne(db, provider, run.id, job.data.customerId as number, policy, 0), {
    connection,
    prefix: queuePrefix(prefix),
    concurrency: 16,
  });
  try {
    ctx.log(`baseline: ${events.length} events at ${rate}/s, one job each`);
    const published = await pace(events, rate, async (batch) => {
      await queue.addBulk(batch.map((customerId) => ({ name: "event", data: { customerId }, opts: { jobId: `e${customerId}`, removeOnComplete: true } })));
    });
    const r = await latencies(db, published, events.length, ctx.log);
    const lat = summarize(r.ms);
    ctx.emit({ case: "event-to-provider", variant: "baseline", scale: ctx.scale, ...lat, per_s: rate, events: events.length, reached: r.reached.size });
    return { decided: await decisions(db, ctx.scale), p95: lat.p95_ms, reached: r.reached, duplicates: r.duplicates };
  } finally {
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await db.$disconnect();
  }
}
