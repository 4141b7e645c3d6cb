/**
 * `resolveSegment` for the engine's membership leaves, and evaluation of saved segments.
 * A STATIC segment is its stored list; a RULE segment is its latest snapshot of the current rule
 * version, or — when there is none yet — its rule evaluated now over its own scope. One resolver
 * serves one evaluation: it memoises, and refuses a reference cycle (the save-time check should
 * have made one impossible; this keeps a corrupted row from recursing forever).
 */
import type { Db } from "@mkt/db";
import type { OrgScope } from "../auth/scope";
import { DomainError } from "../domain-error";
import { segmentEvaluationScope } from "./access";
import { bitmapFromBytes, RoaringBitmap32 } from "./bitmap";
import { countSegment, sampleMembers, segmentMembers } from "./engine";
import { parseSegmentRule, type SegmentRule } from "./rule";
import { loadSegment, type SegmentRecord } from "./segments";

export type ResolveSegment = (segmentId: string) => Promise<RoaringBitmap32>;

export function createResolver(db: Db): ResolveSegment {
  const cache = new Map<string, Promise<RoaringBitmap32>>();
  const active = new Set<string>();
  const resolve: ResolveSegment = (segmentId) => {
    const hit = cache.get(segmentId);
    if (hit) return hit;
    if (active.has(segmentId)) return Promise.reject(new DomainError("BAD_REQUEST", `segment ${segmentId} refers to itself`));
    active.add(segmentId);
    const p = (async () => {
      const s = await loadSegment(db, segmentId);
      if (!s) throw new DomainError("BAD_REQUEST", `rule: segment ${segmentId} not found`);
      return (await storedMembers(db, s)) ?? evaluateSegment(db, s, resolve);
    })().finally(() => active.delete(segmentId));
    cache.set(segmentId, p);
    return p;
  };
  return resolve;
}

/** The members a segment already has on record (static list, or snapshot of the current rule). */
async function storedMembers(db: Db, s: SegmentRecord): Promise<RoaringBitmap32 | null> {
  if (s.kind === "STATIC") return s.members ? bitmapFromBytes(s.members) : new RoaringBitmap32();
  if (!s.latestSnapshotId) return null;
  const snap = await db.segmentSnapshot.findUnique({ where: { id: s.latestSnapshotId }, select: { members: true, ruleVersion: true } });
  return snap && snap.ruleVersion === s.ruleVersion ? bitmapFromBytes(snap.members) : null;
}

/** Evaluates a segment now: a RULE segment's rule over its owner's scope; a STATIC one's list. */
export async function evaluateSegment(db: Db, s: SegmentRecord, resolve: ResolveSegment = createResolver(db)): Promise<RoaringBitmap32> {
  if (s.kind === "STATIC") return s.members ? bitmapFromBytes(s.members) : new RoaringBitmap32();
  if (s.kind !== "RULE" || s.rule == null) throw new DomainError("PRECONDITION_FAILED", `segment ${s.id} has no rule to evaluate`);
  return segmentMembers(db, parseSegmentRule(s.rule), segmentEvaluationScope(s), { resolveSegment: resolve });
}

/** Members of a saved segment: stored if current, else evaluated. */
export async function currentMembers(db: Db, s: SegmentRecord): Promise<RoaringBitmap32> {
  return (await storedMembers(db, s)) ?? evaluateSegment(db, s);
}

/** Count of a draft rule over the caller's scope (the builder's live number). */
export function countDraft(db: Db, scope: OrgScope, rule: SegmentRule): Promise<number> {
  return countSegment(db, rule, scope, { resolveSegment: createResolver(db) });
}

/** Up to `limit` member ids of a draft rule (the builder's preview). */
export function sampleDraft(db: Db, scope: OrgScope, rule: SegmentRule, limit: number): Promise<number[]> {
  return sampleMembers(db, rule, scope, { resolveSegment: createResolver(db) }, limit);
}
