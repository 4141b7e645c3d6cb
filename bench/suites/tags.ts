/**
 * `tags` suite.
 *
 * Case `batch`: full recompute of the starter library on the synthetic bank (--scale customers,
 * ~20 transactions each over 12 months).
 * - baseline: every tag one `INSERT … SELECT` into a long (tag, customer, value) table, its rule
 *   compiled to a SQL expression, each feature a GROUP BY subquery, each tag it reads a join on
 *   the long table (packages/core/src/tags/baseline.ts);
 * - platform: the product's batch run (packages/core/src/tags/run.ts): one SQL pass per source
 *   table into typed arrays, compiled loops per tag, one binary COPY of typed-array columns and an
 *   atomic swap.
 * Every tag's value for every customer must be identical (read back from tag_column vs the long
 * table). Speedup = baseline wall time ÷ platform wall time.
 *
 * Case `rules`: --rules-scale=N (default 10M, whatever --scale is; 0 skips the case — handy while
 * iterating at small scale) customers × --rule-tags=N (default 300) rule tags over precomputed,
 * synthetic feature arrays: the evaluation engine alone. --case=batch|rules runs one.
 * - baseline: a tree-walking interpreter of the same rules, customer by customer (the first way
 *   one evaluates JSON rules in memory), on the first --interpreter-customers=N (default 200k);
 * - platform: the compiled loops (compile.ts) on all customers.
 * Values must be identical on the interpreted customers. Speedup compares time per customer.
 */
import pg from "pg";
import { firstDifference, readBaselineColumn, runBaseline } from "../../packages/core/src/tags/baseline";
import { planTags } from "../../packages/core/src/tags/compute";
import { loadPublishedTags } from "../../packages/core/src/tags/definitions";
import { installTagLibrary } from "../../packages/core/src/tags/install-library";
import { createTagRun, executeTagRun } from "../../packages/core/src/tags/run";
import { createDb } from "../../packages/db/src/client";
import { pgConfigFromUrl } from "../../packages/db/src/pg-config";
import { seedBank } from "../../packages/db/src/seed/index";
import { asOf } from "../../packages/db/src/tags/as-of";
import { maxCustomerId } from "../../packages/db/src/tags/features";
import { readRunColumns } from "../../packages/db/src/tags/storage";
import { withPeakRss } from "../lib/rss";
import { round, timed } from "../lib/stats";
import type { Suite, SuiteContext } from "../lib/suite";
import { runRulesCase } from "./tags-rules";

/** A fixed business date and the run describing it: the same scale and seed give the same values. */
const SEED_AS_OF = "2026-06-30";
const RUN_AS_OF = new Date("2026-07-01T00:00:00+08:00");
const TARGET_MS = 30_000;

export const tagsSuite: Suite = {
  description: "tag batch: per-tag INSERT…SELECT baseline vs typed-array engine (cases batch, rules)",
  defaultScale: 100_000,
  async run(ctx) {
    const only = ctx.args.case;
    if (only !== undefined && only !== "batch" && only !== "rules") throw new Error("--case=batch or --case=rules (default: both)");
    const batch = only === "rules" ? null : await runBatchCase(ctx);
    const rules = only === "batch" || ctx.args["rules-scale"] === "0" ? null : await runRulesCase(ctx);
    const first = (batch ?? rules)!;
    return {
      speedup: first.speedup,
      checked: [batch?.checked, rules?.checked].filter(Boolean).join("; "),
      ok: (batch?.ok ?? true) && (rules?.ok ?? true),
      wall_ms: first.platformMs,
      target_ms: TARGET_MS,
      ...(batch && rules ? { rules_speedup: rules.speedup, rules_wall_ms: rules.platformMs, rules_target_ms: TARGET_MS } : {}),
    };
  },
};

async function runBatchCase(ctx: SuiteContext) {
  const url = await ctx.databases.cached("bank", `bank:${ctx.scale}:${ctx.seed}:${SEED_AS_OF}`, async (fresh) => {
    ctx.log(`seeding ${ctx.scale} customers (cached for later runs)`);
    await seedBank(fresh, { customers: ctx.scale, seed: ctx.seed, asOf: SEED_AS_OF, log: (m) => ctx.log(`  ${m}`) });
  });
  const db = createDb(url, { max: 4 });
  const client = new pg.Client(pgConfigFromUrl(url));
  await client.connect();
  try {
    await installTagLibrary(db);
    await client.query("VACUUM ANALYZE");
    const plan = planTags(await loadPublishedTags(db));
    const tags = plan.order.length;

    ctx.log(`platform: batch run of ${tags} tags`);
    const runId = (await createTagRun(db, { trigger: "MANUAL", asOf: RUN_AS_OF })).id;
    const platform = await withPeakRss(() => timed(() => executeTagRun({ db, databaseUrl: url }, runId)));
    ctx.log(`  phases ${JSON.stringify(platform.result.result.phases)} passes ${JSON.stringify(platform.result.result.passes)}`);
    ctx.emit(line("platform", ctx.scale, platform.result.ms, platform.peakRssMb, tags));

    ctx.log(`baseline: ${tags} INSERT … SELECT`);
    const maxId = await maxCustomerId(client);
    const baseline = await withPeakRss(() => timed(() => runBaseline(client, plan, asOf(RUN_AS_OF), maxId)));
    ctx.emit(line("baseline", ctx.scale, baseline.result.ms, baseline.peakRssMb, tags));
    const slowest = [...baseline.result.result.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
    ctx.log(`  slowest baseline tags: ${slowest.map(([c, ms]) => `${c} ${Math.round(ms)} ms`).join(", ")}`);

    ctx.log("comparing every tag value");
    const stored = await readRunColumns(client, { runId, size: maxId + 1 });
    const mismatches: string[] = [];
    for (const def of plan.order) {
      const diff = firstDifference(stored.get(def.id)!.column, await readBaselineColumn(client, def, maxId + 1));
      if (diff) mismatches.push(`${def.code} (customer ${diff.index}: ${String(diff.a)} vs ${String(diff.b)})`);
    }
    if (mismatches.length) ctx.log(`mismatches: ${mismatches.join(", ")}`);
    return {
      ok: mismatches.length === 0,
      speedup: round(baseline.result.ms / platform.result.ms),
      platformMs: Math.round(platform.result.ms),
      checked: `batch: ${tags} tags × ${ctx.scale} customers, ${mismatches.length ? `${mismatches.length} tags differ` : "every value equal"}`,
    };
  } finally {
    await client.end();
    await db.$disconnect();
  }
}

function line(variant: "baseline" | "platform", scale: number, ms: number, peakRssMb: number, tags: number) {
  const wall = Math.round(ms);
  return { case: "batch", variant, scale, runs: 1, p50_ms: wall, p95_ms: wall, p99_ms: wall, wall_ms: wall, per_s: Math.round((scale * tags * 1000) / ms), peak_rss_mb: peakRssMb, tags };
}
