/**
 * The segment engine: counts, members and a sample of a rule tree within an org scope.
 *
 *   const n = await countSegment(db, rule, scope, { resolveSegment });
 *   const ids = await segmentMembers(db, rule, scope, { resolveSegment }); // RoaringBitmap32
 *   const sample = await sampleMembers(db, rule, scope, { resolveSegment }, 50); // customer ids
 *
 * `resolveSegment(segmentId)` gives the current members of a saved segment (the caller reads
 * them from its snapshots) for `{ kind: "segment" }` leaves. Counting runs on the resident index
 * (index/segment-index.ts, kept current by index/resident.ts); the SQL baseline (sql.ts) gives
 * the same answers and is the tests' oracle. The rule is validated again here
 * (`parseSegmentRule`) and checked against the published tags; a problem throws
 * `SegmentRuleError` naming the JSON path.
 */
import { databaseUrlOf, type Db } from "@mkt/db";
import { dbEnv } from "@mkt/db/env";
import type { RoaringBitmap32 } from "./bitmap";
import type { OrgScope } from "../auth/scope";
import { ResidentSegmentIndex, type ResidentConfig, type SegmentIndexStatus } from "./index/resident";
import { checkSegmentRuleTags, parseSegmentRule, ruleLeaves, type SegmentRule } from "./rule";

export interface SegmentEngineOptions {
  resolveSegment: (segmentId: string) => Promise<RoaringBitmap32>;
  /** Reference time of day windows ("today"); default: now. */
  now?: Date;
  /** The resident index to use; default: the process-wide one (`configureSegmentEngine`). */
  index?: ResidentSegmentIndex;
}

const globalForSegments = globalThis as unknown as { __mktSegmentIndexes?: WeakMap<Db, ResidentSegmentIndex> };
const registry = (globalForSegments.__mktSegmentIndexes ??= new WeakMap());

/**
 * Sets up the resident index for a database client (call once at server start with the stream
 * of real-time changes; `warmUp()` builds it without waiting). Replaces a previous one.
 */
export function configureSegmentEngine(db: Db, config: ResidentConfig): ResidentSegmentIndex {
  registry.get(db)?.close();
  const index = new ResidentSegmentIndex(db, config);
  registry.set(db, index);
  return index;
}

/**
 * The resident index of a database client: the configured one, or else one built lazily over the
 * client's own database (without the real-time stream: values arrive with the next rebuild).
 */
export function residentSegmentIndex(db: Db): ResidentSegmentIndex {
  let index = registry.get(db);
  if (!index) {
    const databaseUrl = databaseUrlOf(db) ?? dbEnv().DATABASE_URL;
    if (!databaseUrl) throw new Error("segment engine: no database URL (configureSegmentEngine or DATABASE_URL)");
    index = new ResidentSegmentIndex(db, { databaseUrl });
    registry.set(db, index);
  }
  return index;
}

/** The state of a database client's resident index, for the health report (null: not set up). */
export function segmentEngineStatus(db: Db): SegmentIndexStatus | null {
  return registry.get(db)?.status() ?? null;
}

async function prepare(db: Db, rule: SegmentRule, opts: SegmentEngineOptions) {
  const parsed = parseSegmentRule(rule);
  const index = await (opts.index ?? residentSegmentIndex(db)).get();
  checkSegmentRuleTags(parsed, (code) => index.catalogue.get(code));
  const ids = [...new Set(ruleLeaves(parsed).flatMap((l) => (l.kind === "segment" ? [l.segmentId] : [])))];
  const segments = new Map(await Promise.all(ids.map(async (id) => [id, await opts.resolveSegment(id)] as const)));
  return { parsed, index, segments, now: opts.now ?? new Date() };
}

/** The customer ids of a segment within a scope (a new bitmap the caller may keep or modify). */
export async function segmentMembers(db: Db, rule: SegmentRule, scope: OrgScope, opts: SegmentEngineOptions): Promise<RoaringBitmap32> {
  const { parsed, index, segments, now } = await prepare(db, rule, opts);
  return index.evaluate(parsed, scope, segments, now);
}

/** The number of customers of a segment within a scope. */
export async function countSegment(db: Db, rule: SegmentRule, scope: OrgScope, opts: SegmentEngineOptions): Promise<number> {
  const { parsed, index, segments, now } = await prepare(db, rule, opts);
  return index.count(parsed, scope, segments, now);
}

/**
 * Up to `limit` member ids for a preview, spread over the whole id range (every k-th member), in
 * ascending order — deterministic for the same members.
 */
export async function sampleMembers(db: Db, rule: SegmentRule, scope: OrgScope, opts: SegmentEngineOptions, limit: number): Promise<number[]> {
  return sampleOf(await segmentMembers(db, rule, scope, opts), limit);
}

export function sampleOf(members: RoaringBitmap32, limit: number): number[] {
  const n = members.size;
  if (n <= limit) return members.toArray();
  const out: number[] = [];
  const step = n / limit;
  for (let k = 0; k < limit; k++) out.push(members.select(Math.floor(k * step))!);
  return out;
}
