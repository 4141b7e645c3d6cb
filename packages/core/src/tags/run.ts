/**
 * A batch run of every published tag (the worker's `tags.batch-run` job calls these):
 *   1. features: one REPEATABLE READ snapshot, one SQL pass per source table → typed arrays;
 *   2. evaluate: each tag's compiled loop, in dependency order;
 *   3. write: ONE transaction copies every column, records statistics and drift, marks the run
 *      succeeded and makes it current. Until that commit nothing of the run is visible; if
 *      anything fails before it — a tag, the worker, the database — the previous run stays.
 * A run is fixed by its `asOf`, so executing it again (a retried job) computes the same values.
 */
import type { Db } from "@mkt/db";
import { asOf as asOfOf, startOfBankDay } from "@mkt/db/tags/as-of";
import type { Column } from "@mkt/db/tags/columns";
import { extractFeatures, maxCustomerId, withSharedSnapshot } from "@mkt/db/tags/features";
import { loadSourceValues } from "@mkt/db/tags/source-values";
import { connectPg, copyRunColumns, pruneRunColumns, swapCurrentRun, withPgClient, type PgClient, type StoredColumn } from "@mkt/db/tags/storage";
import { evaluateTags, planTags, TagPlanError } from "./compute";
import { loadPublishedTags, type PublishedTag } from "./definitions";
import { columnStats, distributionSchema, driftAlerts, type ColumnStats } from "./stats";

export type TagRunTrigger = "SCHEDULED" | "MANUAL";

export interface TagRunStat {
  ms: number;
  rows: number;
  nonNull: number;
  coverage: number;
  error?: string;
}

export interface TagRunSummary {
  runId: number;
  status: "SUCCEEDED" | "FAILED";
  customers: number;
  tags: number;
  /** Whether this run became the current one (false when a run with a later as-of already is). */
  current: boolean;
  ms: number;
  phases: Record<string, number>;
  /** Milliseconds per source pass of the feature extraction. */
  passes?: Record<string, number>;
}

/**
 * Creates a run, or finds the one an earlier attempt of the same job created (`jobKey`).
 * Scheduled runs describe 00:00 of the bank's current day (T+1); manual runs default to now.
 */
export async function createTagRun(
  db: Db,
  opts: { trigger: TagRunTrigger; asOf?: Date; jobKey?: string; requestedById?: string; now?: Date },
): Promise<{ id: number; asOf: Date }> {
  const now = opts.now ?? new Date();
  const at = opts.asOf ?? (opts.trigger === "SCHEDULED" ? startOfBankDay(now) : now);
  const data = { trigger: opts.trigger, asOf: at, requestedById: opts.requestedById ?? null };
  if (!opts.jobKey) return db.tagRun.create({ data, select: { id: true, asOf: true } });
  return db.tagRun.upsert({ where: { jobKey: opts.jobKey }, create: { ...data, jobKey: opts.jobKey }, update: {}, select: { id: true, asOf: true } });
}

export interface ExecuteDeps {
  db: Db;
  /** The database the run reads and writes with raw connections (binary COPY). */
  databaseUrl: string;
  onProgress?: (percent: number, phase: string) => void | Promise<void>;
  /** Aborting stops the run between steps; nothing is written. */
  signal?: AbortSignal;
}

/** Feature passes run side by side on this many connections (one per core of a small server). */
const FEATURE_CONNECTIONS = 2;

const STORED_TYPE = { BOOLEAN: "BOOLEAN", ENUM: "ENUM", NUMBER: "NUMBER", DATE: "DATE", TEXT: "TEXT" } as const;

export async function executeTagRun(deps: ExecuteDeps, runId: number): Promise<TagRunSummary> {
  const { db } = deps;
  const t0 = performance.now();
  const phases: Record<string, number> = {};
  const run = await db.tagRun.findUniqueOrThrow({ where: { id: runId } });
  if (run.status === "SUCCEEDED") {
    const current = await db.tagCurrentRun.findUnique({ where: { id: 1 } });
    return { runId, status: "SUCCEEDED", customers: run.customers, tags: run.tagCount, current: current?.runId === runId, ms: 0, phases };
  }
  await db.tagRun.update({ where: { id: runId }, data: { status: "RUNNING", attempts: { increment: 1 }, progress: 0, phase: "plan", error: null, finishedAt: null } });

  let lastReport = 0;
  const report = async (percent: number, phase: string, force = false) => {
    const now = performance.now();
    if (!force && now - lastReport < 500) return;
    lastReport = now;
    await db.tagRun.update({ where: { id: runId }, data: { progress: Math.round(percent), phase } });
    await deps.onProgress?.(Math.round(percent), phase);
  };
  const checkAbort = () => {
    if (deps.signal?.aborted) throw new Error("tag run aborted");
  };
  const stats: Record<string, TagRunStat> = {};

  try {
    const defs = await loadPublishedTags(db);
    const plan = planTags(defs);
    const byId = new Map(defs.map((d) => [d.id, d]));
    const at = asOfOf(run.asOf);

    // 1. Features (and imported / model values) from one snapshot, two passes at a time.
    let tp = performance.now();
    await report(2, "features", true);
    const outside = plan.order.filter((d) => !d.rule);
    const { extracted, loaded } = await withSharedSnapshot(() => connectPg(deps.databaseUrl), FEATURE_CONNECTIONS, async ([leader, ...rest]) => {
      const maxId = await maxCustomerId(leader!);
      const extracted = await extractFeatures([leader!, ...rest], plan.features, at, {
        maxId,
        onPass: (done, total) => void report(2 + (43 * done) / total, "features").catch(() => undefined),
      });
      const loaded = await loadSourceValues(leader!, outside.map((d) => ({ id: d.id, valueType: d.valueType, enumValues: d.enumValues })), extracted.size);
      return { extracted, loaded };
    });
    phases.features = Math.round(performance.now() - tp);
    checkAbort();

    return await withPgClient(deps.databaseUrl, async (client) => {
      // 2. Evaluate in dependency order.
      tp = performance.now();
      await report(45, "evaluate", true);
      const external = new Map<string, Column>(outside.map((d) => [d.code, loaded.get(d.id)!]));
      const evaluated = evaluateTags(plan, {
        exists: extracted.exists,
        features: extracted.columns,
        external,
        onBlock: (done, total) => void report(45 + (35 * done) / total, "evaluate").catch(() => undefined),
      });
      phases.evaluate = Math.round(performance.now() - tp);
      checkAbort();

      // 3. Statistics against the current run, then the one write transaction.
      tp = performance.now();
      await report(80, "write", true);
      const previous = await previousStats(client);
      const rows: StatRow[] = [];
      // Each column's statistics are computed as the COPY asks for it: Node works on the next
      // column while PostgreSQL takes in the last one (the write's two halves on both cores).
      function* columns(): Generator<StoredColumn> {
        for (const t of evaluated.values()) {
          const def = byId.get(t.def.id) as PublishedTag;
          const s = columnStats(t.column, extracted.exists, extracted.customers, previous.get(def.id));
          rows.push(statRow(def, s));
          stats[def.code] = { ms: Math.round(t.ms * 10) / 10, rows: s.nonNull, nonNull: s.nonNull, coverage: s.coverage };
          yield { tagId: def.id, version: def.version, valueType: STORED_TYPE[def.valueType], column: t.column };
        }
      }
      checkAbort();
      await client.query("BEGIN");
      await copyRunColumns(client, runId, columns());
      await insertStats(client, runId, rows);
      await client.query(
        `UPDATE tag_run SET status = 'SUCCEEDED', finished_at = now(), progress = 100, phase = 'done', customers = $2, tag_count = $3, tag_stats = $4::jsonb, error = NULL WHERE id = $1`,
        [runId, extracted.customers, rows.length, JSON.stringify(stats)],
      );
      const current = await swapCurrentRun(client, runId);
      // Not through report(): the run's row is locked by this transaction until the commit.
      await deps.onProgress?.(95, "commit");
      await client.query("COMMIT");
      phases.write = Math.round(performance.now() - tp);
      await pruneRunColumns(client);
      await deps.onProgress?.(100, "done");
      return { runId, status: "SUCCEEDED", customers: extracted.customers, tags: rows.length, current, ms: Math.round(performance.now() - t0), phases, passes: Object.fromEntries(extracted.passes.map((p) => [p.source, p.ms])) };
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof TagPlanError) stats[err.tagCode] = { ...(stats[err.tagCode] ?? { ms: 0, rows: 0, nonNull: 0, coverage: 0 }), error: message };
    // Best effort: with the database gone this fails too, and the retry marks the run again.
    await db.tagRun
      .update({ where: { id: runId }, data: { status: "FAILED", finishedAt: new Date(), error: message.slice(0, 2000), tagStats: stats as object } })
      .catch(() => undefined);
    throw err;
  }
}

interface StatRow {
  tag_id: number;
  customers: number;
  non_null: number;
  coverage: number;
  distribution: unknown;
  coverage_delta: number | null;
  psi: number | null;
  alerts: string[];
}

function statRow(def: PublishedTag, s: ColumnStats): StatRow {
  return {
    tag_id: def.id,
    customers: s.customers,
    non_null: s.nonNull,
    coverage: s.coverage,
    distribution: s.distribution,
    coverage_delta: s.coverageDelta,
    psi: s.psi,
    alerts: driftAlerts(s, def),
  };
}

async function previousStats(client: PgClient): Promise<Map<number, { coverage: number; distribution: ReturnType<typeof distributionSchema.parse> }>> {
  const { rows } = await client.query<{ tag_id: number; coverage: number; distribution: unknown }>(
    "SELECT s.tag_id, s.coverage, s.distribution FROM tag_stat s JOIN tag_current_run p ON p.run_id = s.run_id",
  );
  const out = new Map<number, { coverage: number; distribution: ReturnType<typeof distributionSchema.parse> }>();
  for (const r of rows) {
    const d = distributionSchema.safeParse(r.distribution);
    if (d.success) out.set(r.tag_id, { coverage: r.coverage, distribution: d.data });
  }
  return out;
}

async function insertStats(client: PgClient, runId: number, rows: StatRow[]): Promise<void> {
  await client.query(
    `INSERT INTO tag_stat (run_id, tag_id, customers, non_null, coverage, distribution, coverage_delta, psi, alerts)
     SELECT $1, x.tag_id, x.customers, x.non_null, x.coverage, x.distribution, x.coverage_delta, x.psi, x.alerts
     FROM jsonb_to_recordset($2::jsonb) AS x(tag_id int, customers int, non_null int, coverage float8, distribution jsonb, coverage_delta float8, psi float8, alerts text[])`,
    [runId, JSON.stringify(rows)],
  );
}
