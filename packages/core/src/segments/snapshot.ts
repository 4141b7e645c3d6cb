/**
 * Snapshots: each evaluation of a segment, kept with its date for the size trend, for audit and
 * as the member list exports and campaign audiences read. Taken on save, on demand and after
 * every daily tag run — at most one per (segment, tag run): the unique key makes a retried job a
 * no-op. Writing the snapshot and moving the segment's "latest" pointer is one transaction.
 */
import { Prisma, type Db, type SegmentSnapshotTrigger } from "@mkt/db";
import { DomainError } from "../domain-error";
import { bitmapToBytes, type RoaringBitmap32 } from "./bitmap";
import { referencedSegmentIds } from "./refs";
import { createResolver, evaluateSegment, type ResolveSegment } from "./resolve";
import { requireSegment, type SegmentRecord } from "./segments";

export interface SnapshotOptions {
  trigger: SegmentSnapshotTrigger;
  /** TAG_RUN: the run whose values were read (one snapshot per segment and run). */
  tagRunId?: number;
  takenById?: string;
}

export interface SnapshotSummary {
  id: string;
  segmentId: string;
  takenAt: Date;
  count: number;
  /** False when this (segment, tag run) already had its snapshot. */
  created: boolean;
}

/** Writes a snapshot and makes it the segment's latest, inside the caller's transaction. */
export async function writeSnapshot(
  tx: Prisma.TransactionClient,
  segment: { id: string; kind: string; ruleVersion: number },
  members: RoaringBitmap32,
  opts: SnapshotOptions,
): Promise<SnapshotSummary> {
  const count = members.size;
  const snap = await tx.segmentSnapshot.create({
    data: {
      segmentId: segment.id,
      trigger: opts.trigger,
      count,
      members: bitmapToBytes(members),
      tagRunId: opts.tagRunId ?? null,
      ruleVersion: segment.kind === "RULE" ? segment.ruleVersion : null,
      takenById: opts.takenById ?? null,
    },
    select: { id: true, takenAt: true },
  });
  await tx.segment.update({ where: { id: segment.id }, data: { latestSnapshotId: snap.id, latestCount: count, latestTakenAt: snap.takenAt } });
  return { id: snap.id, segmentId: segment.id, takenAt: snap.takenAt, count, created: true };
}

/** Stores `members` as a snapshot of `segment` and makes it the latest (one transaction). */
export async function recordSnapshot(db: Db, segment: SegmentRecord, members: RoaringBitmap32, opts: SnapshotOptions): Promise<SnapshotSummary> {
  try {
    return await db.$transaction((tx) => writeSnapshot(tx, segment, members, opts));
  } catch (err) {
    if (opts.tagRunId != null && err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      const existing = await existingRunSnapshot(db, segment.id, opts.tagRunId);
      if (existing) return existing;
    }
    throw err;
  }
}

async function existingRunSnapshot(db: Db, segmentId: string, tagRunId: number): Promise<SnapshotSummary | null> {
  const s = await db.segmentSnapshot.findUnique({
    where: { segmentId_tagRunId: { segmentId, tagRunId } },
    select: { id: true, takenAt: true, count: true },
  });
  return s && { ...s, segmentId, created: false };
}

/** Evaluates a segment now and keeps the result as a snapshot. */
export async function takeSnapshot(db: Db, segmentId: string, opts: SnapshotOptions, resolve: ResolveSegment = createResolver(db)): Promise<SnapshotSummary> {
  if (opts.tagRunId != null) {
    const existing = await existingRunSnapshot(db, segmentId, opts.tagRunId);
    if (existing) return existing;
  }
  const segment = await requireSegment(db, segmentId);
  if (segment.status === "ARCHIVED") throw new DomainError("PRECONDITION_FAILED", "an archived segment takes no snapshots");
  return recordSnapshot(db, segment, await evaluateSegment(db, segment, resolve), opts);
}

export interface AfterRunSummary {
  segments: number;
  taken: number;
  existing: number;
  failed: { segmentId: string; error: string }[];
}

/**
 * After a tag run: a TAG_RUN snapshot of every active rule segment, segments referred to by
 * others first (so a membership leaf reads this run's members). A segment that fails is reported
 * and the others go on; running it again takes only the missing ones.
 */
export async function snapshotAfterTagRun(db: Db, tagRunId: number, onProgress?: (done: number, total: number) => Promise<void> | void): Promise<AfterRunSummary> {
  const rows = await db.segment.findMany({ where: { status: "ACTIVE", kind: "RULE" }, select: { id: true, rule: true }, orderBy: { createdAt: "asc" } });
  const ordered = dependencyOrder(rows.map((r) => ({ id: r.id, refs: referencedSegmentIds(r.rule) })));
  const out: AfterRunSummary = { segments: ordered.length, taken: 0, existing: 0, failed: [] };
  for (const [i, id] of ordered.entries()) {
    try {
      // A fresh resolver per segment: the ones snapshotted before it are read from their new snapshot.
      const s = await takeSnapshot(db, id, { trigger: "TAG_RUN", tagRunId });
      if (s.created) out.taken += 1;
      else out.existing += 1;
    } catch (err) {
      out.failed.push({ segmentId: id, error: err instanceof Error ? err.message : String(err) });
    }
    await onProgress?.(i + 1, ordered.length);
  }
  return out;
}

/** Segments ordered so that each comes after the ones it refers to (cycles: original order). */
export function dependencyOrder(nodes: { id: string; refs: string[] }[]): string[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const state = new Map<string, "visiting" | "done">();
  const out: string[] = [];
  for (const root of nodes) {
    const stack: { id: string; next: number }[] = [{ id: root.id, next: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.next === 0) {
        if (state.get(top.id)) {
          stack.pop();
          continue;
        }
        state.set(top.id, "visiting");
      }
      const refs = byId.get(top.id)?.refs ?? [];
      const ref = refs[top.next];
      top.next += 1;
      if (ref === undefined) {
        state.set(top.id, "done");
        out.push(top.id);
        stack.pop();
      } else if (byId.has(ref) && !state.get(ref)) stack.push({ id: ref, next: 0 });
    }
  }
  return out;
}
