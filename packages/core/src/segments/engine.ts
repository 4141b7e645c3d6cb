/**
 * The segment engine: counts, members and a sample of a rule tree within an org scope.
 *
 *   const n = await countSegment(db, rule, scope, { resolveSegment });
 *   const ids = await segmentMembers(db, rule, scope, { resolveSegment }); // RoaringBitmap32
 *   const sample = await sampleMembers(db, rule, scope, { resolveSegment }, 50); // customer ids
 *
 * `resolveSegment(segmentId)` gives the current members of a saved segment (the caller reads
 * them from its snapshots) for `{ kind: "segment" }` leaves. The rule is validated again here
 * (`parseSegmentRule`) and checked against the published tags; a problem throws
 * `SegmentRuleError` naming the JSON path.
 */
import type { Db } from "@mkt/db";
import { RoaringBitmap32 } from "roaring";
import type { OrgScope } from "../auth/scope";
import { loadSegmentCatalogue } from "./index/catalogue";
import { checkSegmentRuleTags, parseSegmentRule, type SegmentRule } from "./rule";
import { segmentMembersSql } from "./sql";

export interface SegmentEngineOptions {
  resolveSegment: (segmentId: string) => Promise<RoaringBitmap32>;
  /** Reference time of day windows ("today"); default: now. */
  now?: Date;
}

async function evaluate(db: Db, rule: SegmentRule, scope: OrgScope, opts: SegmentEngineOptions): Promise<RoaringBitmap32> {
  const parsed = parseSegmentRule(rule);
  const tags = await loadSegmentCatalogue(db);
  checkSegmentRuleTags(parsed, (code) => tags.get(code));
  const ids = await segmentMembersSql(db, parsed, scope, { tags, now: opts.now ?? new Date(), resolveSegment: opts.resolveSegment });
  return new RoaringBitmap32(ids);
}

/** The customer ids of a segment within a scope. */
export async function segmentMembers(db: Db, rule: SegmentRule, scope: OrgScope, opts: SegmentEngineOptions): Promise<RoaringBitmap32> {
  return evaluate(db, rule, scope, opts);
}

/** The number of customers of a segment within a scope. */
export async function countSegment(db: Db, rule: SegmentRule, scope: OrgScope, opts: SegmentEngineOptions): Promise<number> {
  return (await evaluate(db, rule, scope, opts)).size;
}

/**
 * Up to `limit` member ids for a preview, spread over the whole id range (every k-th member), in
 * ascending order — deterministic for the same members.
 */
export async function sampleMembers(db: Db, rule: SegmentRule, scope: OrgScope, opts: SegmentEngineOptions, limit: number): Promise<number[]> {
  return sampleOf(await evaluate(db, rule, scope, opts), limit);
}

export function sampleOf(members: RoaringBitmap32, limit: number): number[] {
  const n = members.size;
  if (n <= limit) return members.toArray();
  const out: number[] = [];
  const step = n / limit;
  for (let k = 0; k < limit; k++) out.push(members.select(Math.floor(k * step))!);
  return out;
}
