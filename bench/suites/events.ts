/**
 * `events` suite, case `event-to-count`: real-time events → tag change visible in a segment count.
 *
 * A seeded bank (--scale customers) with the tag library computed; the segment "large fund
 * movement in the last 24 h" (`LARGE_FUND_MOVEMENT_24H = true`, a REALTIME tag). Events — a
 * 60,000 CNY transfer out, each for a different customer not yet in the segment — are posted
 * through `POST /api/v1/events` (the route's handler with an API key, as the Next.js route calls
 * it) at --rate=N per second (default 1,000) for --seconds=N (default 60), --batch=N events per
 * request (default 50, as a channel system batching up to 100 per call would), open loop: each
 * request goes out on schedule whether or not earlier ones were answered (MAX_INFLIGHT is only a
 * guard). An event is visible when its customer is among the segment's members as the engine
 * answers them; latency = visible − the moment its request was built. Also timed per event: the
 * route's answer and the entry's arrival on the tag-change stream.
 * - platform: the resident index following the tag-change stream (`segmentMembers`, polled every
 *   --poll-ms=N, default 5, after the previous poll's answer; a poll costs about a millisecond of
 *   this process's CPU, which the route shares, so polling faster measures the poller);
 * - baseline: the segment counted by SQL over `customer_tag_value` (sql.ts) in a loop, an event
 *   visible when a finished query includes it; --baseline-seconds=N (default 10) at the same rate.
 * Lost = events never visible within 10 s after the last send; must be 0 on both sides, and the
 * final count must equal the count before plus the events sent.
 */
import { postTagEvents, tagEventCommitter } from "../../packages/api/src/routers/tag-events-rest";
import { generateApiKey } from "../../packages/core/src/auth/api-key";
import type { OrgScope } from "../../packages/core/src/auth/scope";
import { RoaringBitmap32 } from "../../packages/core/src/segments/bitmap";
import { configureSegmentEngine, countSegment, segmentMembers } from "../../packages/core/src/segments/engine";
import type { SegmentRule } from "../../packages/core/src/segments/rule";
import { segmentMembersSql } from "../../packages/core/src/segments/sql";
import { installTagLibrary } from "../../packages/core/src/tags/install-library";
import { createTagRun, executeTagRun } from "../../packages/core/src/tags/run";
import { createDb } from "../../packages/db/src/client";
import { seedBank } from "../../packages/db/src/seed/index";
import { createJobsClient } from "../../packages/jobs/src/client";
import { tagChangesStream } from "../../packages/jobs/src/tags";
import { createRedis } from "../../packages/jobs/src/redis";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { sampleRss } from "../lib/rss";
import { round, summarize } from "../lib/stats";
import type { Suite, SuiteContext } from "../lib/suite";

const SEED_AS_OF = "2026-06-30";
const RUN_AS_OF = new Date("2026-07-01T00:00:00+08:00");
const TAG = "LARGE_FUND_MOVEMENT_24H";
const RULE: SegmentRule = { kind: "tag", tag: TAG, op: "eq", value: true };
const HO: OrgScope = { kind: "subtree", orgPath: "/HO/" };
/** Events per request (a channel system batching up to 100 events per call). */
const BATCH = 50;
/** A guard on POSTs in flight: sending is open loop below it (a sound route never nears it). */
const MAX_INFLIGHT = 64;
const DRAIN_MS = 10_000;

export const eventsSuite: Suite = {
  description: "real-time events → segment count: SQL count loop vs resident index on the tag-change stream (case event-to-count)",
  defaultScale: 100_000,
  async run(ctx) {
    const url = await ctx.databases.cached("bank", `bank:${ctx.scale}:${ctx.seed}:${SEED_AS_OF}`, async (fresh) => {
      ctx.log(`seeding ${ctx.scale} customers (cached for later runs)`);
      await seedBank(fresh, { customers: ctx.scale, seed: ctx.seed, asOf: SEED_AS_OF, log: (m) => ctx.log(`  ${m}`) });
    });
    const db = createDb(url, { max: 8 });
    const jobs = createJobsClient({ url: ctx.redisUrl, prefix: ctx.redisPrefix });
    try {
      await installTagLibrary(db);
      const run = await createTagRun(db, { trigger: "MANUAL", asOf: RUN_AS_OF });
      await executeTagRun({ db, databaseUrl: url }, run.id);
      const ho = await db.orgUnit.findFirstOrThrow({ where: { path: "/HO/" } });
      const k = generateApiKey();
      await db.apiKey.create({ data: { name: "bench events", prefix: k.prefix, secretHash: k.secretHash, scopes: ["event:write"], orgUnitId: ho.id, createdById: "bench" } });

      const resident = configureSegmentEngine(db, {
        databaseUrl: url,
        stream: { connect: () => createRedis(ctx.redisUrl, "worker"), prefix: ctx.redisPrefix },
        checkIntervalMs: 3_600_000,
      });
      const index = await resident.rebuild();
      const opts = { resolveSegment: async () => new RoaringBitmap32(), index: resident };
      const before = await segmentMembers(db, RULE, HO, opts);
      const candidates = RoaringBitmap32.andNot(index.scopeCustomers(HO), before).toArray();
      const rate = Number(ctx.args.rate ?? 1000);
      const batchSize = Number(ctx.args.batch ?? BATCH);
      const seconds = Number(ctx.args.seconds ?? 60);
      const baseSeconds = Number(ctx.args["baseline-seconds"] ?? 10);
      if (candidates.length < rate * (seconds + baseSeconds)) throw new Error(`--scale too small: need ${rate * (seconds + baseSeconds)} customers outside the segment`);
      const post = (events: unknown[]) =>
        postTagEvents(
          new Request("http://localhost/api/v1/events", { method: "POST", headers: { authorization: `Bearer ${k.key}`, "content-type": "application/json" }, body: JSON.stringify({ events }) }),
          { db, jobs },
        );

      ctx.log(`platform: ${rate}/s for ${seconds} s through POST /api/v1/events, watching segment members`);
      const rss = sampleRss();
      const platformIds = candidates.slice(0, rate * seconds);
      const stream = { connect: () => createRedis(ctx.redisUrl, "worker"), key: tagChangesStream(ctx.redisPrefix) };
      const platform = await drive(ctx, platformIds, rate, batchSize, post, async () => segmentMembers(db, RULE, HO, opts), Number(ctx.args["poll-ms"] ?? 5), stream);
      const platformPeak = rss.stop();
      const committer = tagEventCommitter({ db, jobs });
      ctx.log(`  group commit: ${committer.requests} requests in ${committer.groups} groups, per group ${round(committer.writeMs / Math.max(1, committer.groups))} ms writing, ${round(committer.publishMs / Math.max(1, committer.groups))} ms publishing`);
      const afterCount = await countSegment(db, RULE, HO, opts);
      const countOk = afterCount === before.size + platformIds.length;
      ctx.log(`  count before ${before.size}, after ${afterCount} (${countOk ? "=" : "≠"} before + ${platformIds.length}); stream entries applied ${resident.applied}`);

      ctx.log(`baseline: ${rate}/s for ${baseSeconds} s, watching the SQL count`);
      const baseIds = candidates.slice(rate * seconds, rate * (seconds + baseSeconds));
      const baseline = await drive(ctx, baseIds, rate, batchSize, post, async () => new RoaringBitmap32(await segmentMembersSql(db, RULE, HO, { tags: index.catalogue, now: new Date(), resolveSegment: opts.resolveSegment })), 0, null);
      resident.close();

      ctx.emit({ case: "event-to-count", variant: "baseline", scale: ctx.scale, ...summarize(baseline.latencies), per_s: baseline.perS, events: baseIds.length, lost: baseline.lost, seconds: baseSeconds, batch: batchSize });
      ctx.emit({ case: "event-to-count", variant: "platform", scale: ctx.scale, ...summarize(platform.latencies), per_s: platform.perS, events: platformIds.length, lost: platform.lost, seconds, batch: batchSize, peak_rss_mb: platformPeak, answered_p95_ms: platform.answered.p95_ms, stream_p95_ms: platform.streamed.p95_ms });
      const ok = platform.lost === 0 && baseline.lost === 0 && countOk && platform.failedPosts === 0 && baseline.failedPosts === 0;
      return {
        speedup: round(summarize(baseline.latencies).p50_ms / summarize(platform.latencies).p50_ms),
        checked: `${platformIds.length} + ${baseIds.length} events, every one visible in the segment (lost ${platform.lost} / ${baseline.lost}); count after = before + ${platformIds.length}: ${countOk}`,
        ok,
      };
    } finally {
      await jobs.close();
      await db.$disconnect();
    }
  },
};

/**
 * Sends one event per customer id at `rate` per second — open loop: a request of `batch` events
 * every `batch / rate` seconds, on schedule whether or not earlier requests have been answered
 * (up to MAX_INFLIGHT at once, a guard that a healthy route never reaches) — while a watcher polls
 * `members` and records when each event's customer first appears. Also times, per event, the
 * route's answer (committed and published) and the entry's arrival on the tag-change stream (a
 * reader of its own), to show where the time goes.
 */
async function drive(
  ctx: SuiteContext,
  ids: number[],
  rate: number,
  batchSize: number,
  post: (events: unknown[]) => Promise<Response>,
  members: () => Promise<RoaringBitmap32>,
  pollMs: number,
  stream: { connect: () => ReturnType<typeof createRedis>; key: string } | null,
) {
  const sentAt = new Map<number, number>();
  const postAt = new Map<number, number>();
  const latencies: number[] = [];
  const answered: number[] = [];
  const streamed: number[] = [];
  let failedPosts = 0;
  let sending = true;
  let polls = 0;
  let pollMsTotal = 0;
  let maxInflight = 0;
  // Sent and not yet seen, as a bitmap: each poll intersects it with the members natively.
  const pending = new RoaringBitmap32();
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const watcher = (async () => {
    let drainUntil = Infinity;
    while (sentAt.size > 0 || sending) {
      const t0 = performance.now();
      const m = await members();
      const t = performance.now();
      polls++;
      pollMsTotal += t - t0;
      const seen = RoaringBitmap32.and(m, pending);
      if (seen.size) {
        pending.andNotInPlace(seen);
        for (const id of seen) {
          latencies.push(t - sentAt.get(id)!);
          sentAt.delete(id);
        }
      }
      if (!sending && drainUntil === Infinity) drainUntil = t + DRAIN_MS;
      if (t > drainUntil) break;
      if (pollMs) await new Promise((r) => setTimeout(r, pollMs));
    }
  })();
  let reading = true;
  const reader = stream?.connect();
  const streamWatch = reader
    ? (async () => {
        let cursor = "$";
        while (reading) {
          const res = (await reader.xread("COUNT", 5000, "BLOCK", 200, "STREAMS", stream!.key, cursor).catch(() => null)) as [string, [string, string[]][]][] | null;
          const t = performance.now();
          for (const [, entries] of res ?? []) {
            for (const [id, fields] of entries) {
              cursor = id;
              const c = Number(fields[fields.indexOf("customerId") + 1]);
              const at = postAt.get(c);
              if (at !== undefined) {
                streamed.push(t - at);
                postAt.delete(c);
              }
            }
          }
        }
      })()
    : null;
  const tickMs = (batchSize * 1000) / rate;
  const t0 = performance.now();
  const inflight = new Set<Promise<void>>();
  for (let k = 0; k * batchSize < ids.length; k++) {
    const due = t0 + k * tickMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const batch = ids.slice(k * batchSize, (k + 1) * batchSize);
    const now = performance.now();
    const occurredAt = new Date().toISOString();
    for (const id of batch) {
      sentAt.set(id, now);
      if (reader) postAt.set(id, now);
    }
    pending.addMany(batch);
    while (inflight.size >= MAX_INFLIGHT) await Promise.race(inflight);
    const p: Promise<void> = post(batch.map((id) => ({ eventId: `bench-${id}`, customerId: id, type: "TRANSFER_OUT", occurredAt, amount: 60_000 }))).then(async (res) => {
      const t = performance.now();
      for (let i = 0; i < batch.length; i++) answered.push(t - now);
      if (res.status !== 200) {
        if (failedPosts++ === 0) ctx.log(`  POST failed: ${res.status} ${await res.text()}`);
      }
      inflight.delete(p);
    });
    inflight.add(p);
    maxInflight = Math.max(maxInflight, inflight.size);
    if (k % Math.round(10_000 / batchSize) === Math.round(10_000 / batchSize) - 1) ctx.log(`  ${(k + 1) * batchSize} events sent, ${latencies.length} visible`);
  }
  const sendMs = performance.now() - t0;
  await Promise.all([...inflight]);
  sending = false;
  await watcher;
  reading = false;
  await streamWatch;
  reader?.disconnect();
  loopDelay.disable();
  if (failedPosts) ctx.log(`  ${failedPosts} POSTs failed`);
  ctx.log(`  event-loop delay p50/p99/max ${round(loopDelay.percentile(50) / 1e6)}/${round(loopDelay.percentile(99) / 1e6)}/${round(loopDelay.max / 1e6)} ms`);
  ctx.log(`  answered p50/p95/p99 ${fmt(answered)}; on the stream ${fmt(streamed)}; visible ${fmt(latencies)}; ${polls} polls of ${round(pollMsTotal / Math.max(1, polls))} ms; at most ${maxInflight} requests in flight`);
  return {
    latencies,
    lost: sentAt.size,
    perS: Math.round((ids.length * 1000) / (sendMs + tickMs)),
    failedPosts,
    answered: summarize(answered),
    streamed: summarize(streamed),
    maxInflight,
  };
}

function fmt(ms: number[]): string {
  const s = summarize(ms);
  return `${s.p50_ms}/${s.p95_ms}/${s.p99_ms} ms`;
}
