/**
 * `events` suite, case `event-to-count`: real-time events → tag change visible in a segment count.
 *
 * A seeded bank (--scale customers) with the tag library computed; the segment "large fund
 * movement in the last 24 h" (`LARGE_FUND_MOVEMENT_24H = true`, a REALTIME tag). Events — a
 * 60,000 CNY transfer out, each for a different customer not yet in the segment — are posted
 * through `POST /api/v1/events` (the route's handler with an API key, as the Next.js route calls
 * it) at --rate=N per second (default 1,000) for --seconds=N (default 60), a batch every 50 ms,
 * at most 4 requests in flight (sending falls behind, and per_s shows it, if the route is slower).
 * An event is visible when its customer is among the segment's members as the engine answers
 * them; latency = visible − sent.
 * - platform: the resident index following the tag-change stream (`segmentMembers`, polled every
 *   few milliseconds);
 * - baseline: the segment counted by SQL over `customer_tag_value` (sql.ts) in a loop, an event
 *   visible when a finished query includes it; --baseline-seconds=N (default 10) at the same rate.
 * Lost = events never visible within 10 s after the last send; must be 0 on both sides, and the
 * final count must equal the count before plus the events sent.
 */
import { postTagEvents } from "../../packages/api/src/routers/tag-events-rest";
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
import { createRedis } from "../../packages/jobs/src/redis";
import { sampleRss } from "../lib/rss";
import { round, summarize } from "../lib/stats";
import type { Suite, SuiteContext } from "../lib/suite";

const SEED_AS_OF = "2026-06-30";
const RUN_AS_OF = new Date("2026-07-01T00:00:00+08:00");
const TAG = "LARGE_FUND_MOVEMENT_24H";
const RULE: SegmentRule = { kind: "tag", tag: TAG, op: "eq", value: true };
const HO: OrgScope = { kind: "subtree", orgPath: "/HO/" };
const TICK_MS = 50;
/** POSTs in flight at once (a channel system's few sender threads); beyond it sending waits. */
const MAX_INFLIGHT = 4;
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
      const platform = await drive(ctx, platformIds, rate, post, async () => segmentMembers(db, RULE, HO, opts), 2);
      const platformPeak = rss.stop();
      const afterCount = await countSegment(db, RULE, HO, opts);
      const countOk = afterCount === before.size + platformIds.length;
      ctx.log(`  count before ${before.size}, after ${afterCount} (${countOk ? "=" : "≠"} before + ${platformIds.length}); stream entries applied ${resident.applied}`);

      ctx.log(`baseline: ${rate}/s for ${baseSeconds} s, watching the SQL count`);
      const baseIds = candidates.slice(rate * seconds, rate * (seconds + baseSeconds));
      const baseline = await drive(ctx, baseIds, rate, post, async () => new RoaringBitmap32(await segmentMembersSql(db, RULE, HO, { tags: index.catalogue, now: new Date(), resolveSegment: opts.resolveSegment })), 0);
      resident.close();

      ctx.emit({ case: "event-to-count", variant: "baseline", scale: ctx.scale, ...summarize(baseline.latencies), per_s: baseline.perS, events: baseIds.length, lost: baseline.lost, seconds: baseSeconds });
      ctx.emit({ case: "event-to-count", variant: "platform", scale: ctx.scale, ...summarize(platform.latencies), per_s: platform.perS, events: platformIds.length, lost: platform.lost, seconds, peak_rss_mb: platformPeak });
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
 * Sends one event per customer id at `rate` per second (a batch every 10 ms) while a watcher
 * polls `members` and records when each event's customer first appears.
 */
async function drive(ctx: SuiteContext, ids: number[], rate: number, post: (events: unknown[]) => Promise<Response>, members: () => Promise<RoaringBitmap32>, pollMs: number) {
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  let failedPosts = 0;
  let sending = true;
  const watcher = (async () => {
    let drainUntil = Infinity;
    while (sentAt.size > 0 || sending) {
      const m = await members();
      const t = performance.now();
      for (const [id, at] of sentAt) {
        if (m.has(id)) {
          latencies.push(t - at);
          sentAt.delete(id);
        }
      }
      if (!sending && drainUntil === Infinity) drainUntil = t + DRAIN_MS;
      if (t > drainUntil) break;
      if (pollMs) await new Promise((r) => setTimeout(r, pollMs));
    }
  })();
  const perTick = Math.max(1, Math.round((rate * TICK_MS) / 1000));
  const t0 = performance.now();
  const inflight = new Set<Promise<void>>();
  for (let k = 0; k * perTick < ids.length; k++) {
    const due = t0 + k * TICK_MS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const batch = ids.slice(k * perTick, (k + 1) * perTick);
    const now = performance.now();
    const occurredAt = new Date().toISOString();
    for (const id of batch) sentAt.set(id, now);
    while (inflight.size >= MAX_INFLIGHT) await Promise.race(inflight);
    const p: Promise<void> = post(batch.map((id) => ({ eventId: `bench-${id}`, customerId: id, type: "TRANSFER_OUT", occurredAt, amount: 60_000 }))).then(async (res) => {
      if (res.status !== 200) {
        if (failedPosts++ === 0) ctx.log(`  POST failed: ${res.status} ${await res.text()}`);
      }
      inflight.delete(p);
    });
    inflight.add(p);
    if (k % 200 === 199) ctx.log(`  ${(k + 1) * perTick} events sent, ${latencies.length} visible`);
  }
  await Promise.all([...inflight]);
  const sendMs = performance.now() - t0;
  sending = false;
  await watcher;
  if (failedPosts) ctx.log(`  ${failedPosts} POSTs failed`);
  return { latencies, lost: sentAt.size, perS: Math.round((ids.length * 1000) / sendMs), failedPosts };
}
