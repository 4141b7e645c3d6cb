/**
 * `segments` suite: counting segments (packages/core/src/segments).
 *
 * On a seeded bank of --scale customers with the tag library computed (one batch run), 1,000
 * seeded random rule trees (depth ≤ 4: and/or groups, NOT groups and NOT leaves, boolean, enum,
 * range and date conditions, behaviour windows, holdings; head office and branch scopes):
 * - case `count`: baseline = the rule compiled to one SQL WHERE over `customer_tag_value` and the
 *   fact tables (sql.ts, work_mem 256MB), `count(*)`; platform = the resident roaring index
 *   (built), compute only, the leaf cache cleared before each tree; wall and CPU time per tree.
 *   Counts must be identical for every tree the baseline runs: all 1,000 up to 100k customers,
 *   --baseline-trees=N (default 30) above, because the baseline takes ~10 s per tree at 1M
 *   (the api and preview baselines then run on 10).
 * - case `api`: platform = the tRPC `segment.count` procedure through the app router's caller, as
 *   a head-office marketing manager (rule check, scope, the resident index); baseline = the SQL
 *   count behind the same rule check. Counts equal to the index's. The leaf cache works as in
 *   production here (cleared once before the case); its hit rate is printed.
 * - case `preview`: 50 masked rows — platform = tRPC `segment.preview` (index sample + one query
 *   for the rows, masked by role); baseline = SQL members, the same sample, the same row query.
 *   Rows must be identical.
 * Index build time and memory are printed as extra fields of the platform `count` line.
 *
 * --synthetic: no database — the index is synthesized directly at --scale (e.g. 10,000,000;
 * segments-synthetic.ts), baseline = a customer-by-customer interpreter of the rule over the
 * same columns on --baseline-trees=N (default 20) trees. Case `count` only.
 */
import { loadavg } from "node:os";
import pg from "pg";
import { RoaringBitmap32 } from "../../packages/core/src/segments/bitmap";
import { appRouter } from "../../packages/api/src/root";
import { loadSessionUser } from "../../packages/api/src/auth/session";
import { createCallerFactory } from "../../packages/api/src/trpc";
import type { OrgScope } from "../../packages/core/src/auth/scope";
import { configureSegmentEngine, sampleOf } from "../../packages/core/src/segments/engine";
import { randomRule, seededRandom, vocabularyOf } from "../../packages/core/src/segments/index/random-rules";
import { loadSegmentCatalogue } from "../../packages/core/src/segments/index/catalogue";
import { PREVIEW_ROWS, previewRows } from "../../packages/core/src/segments/preview";
import { checkSegmentRule } from "../../packages/core/src/segments/segments";
import type { SegmentRule } from "../../packages/core/src/segments/rule";
import { countSegmentSql, segmentMembersSql } from "../../packages/core/src/segments/sql";
import { installTagLibrary } from "../../packages/core/src/tags/install-library";
import { createTagRun, executeTagRun } from "../../packages/core/src/tags/run";
import { createDb } from "../../packages/db/src/client";
import { pgConfigFromUrl } from "../../packages/db/src/pg-config";
import { seedBank } from "../../packages/db/src/seed/index";
import { sampleRss, withPeakRss } from "../lib/rss";
import { round, summarize } from "../lib/stats";
import type { Suite, SuiteContext } from "../lib/suite";
import { runSyntheticCount } from "./segments-synthetic";

const SEED_AS_OF = "2026-06-30";
const RUN_AS_OF = new Date("2026-07-01T00:00:00+08:00");
/** The reference time of behaviour windows: the afternoon of the seed's business date. */
const NOW = new Date("2026-06-30T15:00:00+08:00");
export const TREES = 1000;
const PREVIEW_TREES = 100;

export const segmentsSuite: Suite = {
  description: "segment counts: SQL WHERE over customer_tag_value vs resident roaring index (cases count, api, preview)",
  defaultScale: 20_000,
  async run(ctx) {
    if (ctx.args.synthetic) return runSyntheticCount(ctx);
    return runSeeded(ctx);
  },
};

function timeSync<T>(fn: () => T): { result: T; ms: number } {
  const t0 = performance.now();
  const result = fn();
  return { result, ms: performance.now() - t0 };
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const t0 = performance.now();
  const result = await fn();
  return { result, ms: performance.now() - t0 };
}

async function runSeeded(ctx: SuiteContext) {
  const url = await ctx.databases.cached("bank", `bank:${ctx.scale}:${ctx.seed}:${SEED_AS_OF}`, async (fresh) => {
    ctx.log(`seeding ${ctx.scale} customers (cached for later runs)`);
    await seedBank(fresh, { customers: ctx.scale, seed: ctx.seed, asOf: SEED_AS_OF, log: (m) => ctx.log(`  ${m}`) });
  });
  const db = createDb(url, { max: 4 });
  const client = new pg.Client(pgConfigFromUrl(url));
  await client.connect();
  try {
    await installTagLibrary(db);
    ctx.log("tag batch run");
    const run = await createTagRun(db, { trigger: "MANUAL", asOf: RUN_AS_OF });
    await executeTagRun({ db, databaseUrl: url }, run.id);
    await client.query("VACUUM ANALYZE");

    ctx.log("building the resident index");
    const resident = configureSegmentEngine(db, { databaseUrl: url, clock: () => NOW, checkIntervalMs: 3_600_000 });
    const built = await withPeakRss(() => timeAsync(() => resident.rebuild()));
    const index = built.result.result;
    ctx.log(`  built in ${Math.round(built.result.ms)} ms, ~${Math.round(index.sizeInBytes() / 1048576)} MiB of bitmaps and aggregates`);

    const products = await db.product.findMany({ select: { code: true }, orderBy: { id: "asc" }, take: 12 });
    const vocab = vocabularyOf(index, { productCodes: products.map((p) => p.code) });
    const rand = seededRandom(ctx.seed);
    const trees: SegmentRule[] = Array.from({ length: TREES }, () => randomRule(rand, vocab, 4));
    const ho: OrgScope = { kind: "subtree", orgPath: "/HO/" };
    const br: OrgScope = { kind: "subtree", orgPath: "/HO/BR01/" };
    const scopeOf = (i: number) => (i % 4 === 3 ? br : ho);
    const segments = new Map();
    const resolveSegment = async () => {
      throw new Error("no segment leaves in the benchmark trees");
    };

    // ── count ──
    ctx.log(`count: platform, ${TREES} trees`);
    const rss = sampleRss();
    const platformMs: number[] = [];
    const counts: number[] = [];
    const platformCpu: number[] = [];
    for (let i = 0; i < TREES; i++) {
      index.clearLeafCache(); // every tree from its leaves: no help from the trees before it
      const c0 = process.cpuUsage();
      const { result, ms } = timeSync(() => index.count(trees[i]!, scopeOf(i), segments, NOW));
      const c = process.cpuUsage(c0);
      counts.push(result);
      platformMs.push(ms);
      platformCpu.push((c.user + c.system) / 1000);
    }
    const platformRss = rss.stop();
    const platformLoad = loadavg()[0]!;
    const nonTrivial = counts.filter((c) => c > 0 && c < ctx.scale).length;
    ctx.emit({
      case: "count",
      variant: "platform",
      scale: ctx.scale,
      ...summarize(platformMs),
      cpu_p50_ms: summarize(platformCpu).p50_ms,
      cpu_p99_ms: summarize(platformCpu).p99_ms,
      load_1m: round(platformLoad),
      peak_rss_mb: Math.max(platformRss, built.peakRssMb),
      index_build_ms: Math.round(built.result.ms),
      index_mb: Math.round(index.sizeInBytes() / 1048576),
      non_trivial_trees: nonTrivial,
    });
    const checkTrees = ctx.scale <= 100_000 ? TREES : Math.min(TREES, Number(ctx.args["baseline-trees"] ?? 30));
    /** The api and preview baselines repeat the count's SQL: fewer trees above 100k. */
    const sideTrees = ctx.scale <= 100_000 ? TREES : Math.min(checkTrees, 10);

    // ── api ──
    const marketing = await db.user.findFirstOrThrow({ where: { role: "MARKETING_MANAGER", orgUnit: { path: "/HO/" } }, select: { id: true } });
    const user = await loadSessionUser(db, marketing.id);
    const caller = createCallerFactory(appRouter)({ db, user, ip: null, headers: new Headers() });
    ctx.log(`api: tRPC segment.count, ${TREES} trees`);
    const apiMs: number[] = [];
    const apiMismatch: string[] = [];
    let apiHits = 0;
    let apiLookups = 0;
    const apiRss = sampleRss();
    const now = new Date();
    index.clearLeafCache(); // the API keeps leaves between counts, as the builder's re-counts do
    for (let i = 0; i < TREES; i++) {
      const before = index.leafCacheStats();
      const { result, ms } = await timeAsync(() => caller.segment.count({ rule: trees[i] }));
      apiMs.push(ms);
      const after = index.leafCacheStats();
      apiHits += after.hits - before.hits;
      apiLookups += after.hits - before.hits + after.misses - before.misses;
      const direct = index.count(trees[i]!, ho, segments, now);
      if (result.count !== direct) apiMismatch.push(`tree ${i}: api ${result.count} index ${direct}`);
    }
    const apiPeak = apiRss.stop();
    ctx.log(`api: baseline (rule check + SQL count), ${sideTrees} trees`);
    const apiBaseMs: number[] = [];
    for (let i = 0; i < sideTrees; i++) {
      const { ms } = await timeAsync(async () => {
        const rule = await checkSegmentRule(db, ho, trees[i]); // the same rule check as the procedure
        return countSegmentSql(db, rule, ho, { tags: await loadSegmentCatalogue(db), now, resolveSegment });
      });
      apiBaseMs.push(ms);
    }
    ctx.emit({ case: "api", variant: "baseline", scale: ctx.scale, ...summarize(apiBaseMs) });
    ctx.emit({
      case: "api",
      variant: "platform",
      scale: ctx.scale,
      ...summarize(apiMs),
      peak_rss_mb: apiPeak,
      via: "tRPC caller segment.count",
      leaf_cache_hit_rate: round(apiHits / Math.max(1, apiLookups)),
    });
    if (apiMismatch.length) ctx.log(`api mismatches:\n${apiMismatch.slice(0, 5).join("\n")}`);

    // ── preview ──
    const previewTrees = PREVIEW_TREES;
    ctx.log(`preview: ${previewTrees} trees, 50 masked rows`);
    const prevMs: number[] = [];
    const prevBaseMs: number[] = [];
    const prevMismatch: string[] = [];
    // every platform preview first: a baseline in between (seconds of table scans) would leave
    // the next preview with cold caches
    const previews = [];
    for (let i = 0; i < previewTrees; i++) {
      const p = await timeAsync(() => caller.segment.preview({ rule: trees[i] }));
      prevMs.push(p.ms);
      previews.push(p.result);
    }
    for (let i = 0; i < Math.min(previewTrees, sideTrees); i++) {
      const b = await timeAsync(async () => {
        const rule = await checkSegmentRule(db, ho, trees[i]);
        const ids = await segmentMembersSql(db, rule, ho, { tags: await loadSegmentCatalogue(db), now, resolveSegment });
        return previewRows(db, sampleOf(new RoaringBitmap32(ids), PREVIEW_ROWS));
      });
      prevBaseMs.push(b.ms);
      if (JSON.stringify(previews[i]!.items.map((r) => r.id)) !== JSON.stringify(b.result.items.map((r) => r.id))) prevMismatch.push(`tree ${i}`);
    }
    ctx.emit({ case: "preview", variant: "baseline", scale: ctx.scale, ...summarize(prevBaseMs) });
    ctx.emit({ case: "preview", variant: "platform", scale: ctx.scale, ...summarize(prevMs), rows: PREVIEW_ROWS, via: "tRPC caller segment.preview" });
    if (prevMismatch.length) ctx.log(`preview mismatches: ${prevMismatch.slice(0, 10).join(", ")}`);

    // ── count, baseline: last, because at 1M it runs ~1 h of table scans; every platform figure
    // above is measured before it starts ──
    ctx.log(`count: baseline (SQL), ${checkTrees} trees`);
    const baselineMs: number[] = [];
    const mismatches: string[] = [];
    const baselineRss = sampleRss();
    for (let i = 0; i < checkTrees; i++) {
      const { result, ms } = await timeAsync(() => countSegmentSql(db, trees[i]!, scopeOf(i), { tags: index.catalogue, now: NOW, resolveSegment }));
      baselineMs.push(ms);
      if (result !== counts[i]) mismatches.push(`tree ${i}: index ${counts[i]} sql ${result} ${JSON.stringify(trees[i])}`);
      if (i % 50 === 49) ctx.log(`  ${i + 1} trees, ${mismatches.length} differ, p50 ${summarize(baselineMs).p50_ms} ms`);
    }
    ctx.emit({ case: "count", variant: "baseline", scale: ctx.scale, ...summarize(baselineMs), peak_rss_mb: baselineRss.stop(), load_1m: round(loadavg()[0]!) });
    if (mismatches.length) ctx.log(`mismatches:\n${mismatches.slice(0, 5).join("\n")}`);
    const speedup = round(summarize(baselineMs).p50_ms / summarize(platformMs.slice(0, checkTrees)).p50_ms);

    resident.close();
    const ok = mismatches.length === 0 && apiMismatch.length === 0 && prevMismatch.length === 0 && nonTrivial > TREES / 4;
    return {
      speedup,
      checked:
        `${checkTrees === TREES ? `all ${TREES}` : `${checkTrees} of ${TREES} (baseline sampled at this scale)`} rule trees, counts ${mismatches.length ? `differ on ${mismatches.length}` : "equal"}; ` +
        `api counts ${apiMismatch.length ? `differ on ${apiMismatch.length}` : `equal to the index on ${TREES}`}; preview rows ${prevMismatch.length ? `differ on ${prevMismatch.length}` : `identical on ${Math.min(previewTrees, sideTrees)}`}; ${nonTrivial} trees with 0 < count < all`,
      ok,
      api_speedup: round(summarize(apiBaseMs).p50_ms / summarize(apiMs).p50_ms),
      preview_speedup: round(summarize(prevBaseMs).p50_ms / summarize(prevMs).p50_ms),
    };
  } finally {
    await client.end();
    await db.$disconnect();
  }
}
