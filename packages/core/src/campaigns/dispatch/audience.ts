/**
 * A segment audience: the members of the pinned snapshot (or the segment's newest), restricted to
 * the campaign's org subtree — a branch campaign never reaches another branch's customers.
 */
import type { Db } from "@mkt/db";
import { DomainError } from "../../domain-error";
import { RoaringBitmap32, bitmapFromBytes } from "../../segments/bitmap";

export interface Audience {
  snapshotId: string;
  members: RoaringBitmap32;
}

export async function loadAudience(db: Db, campaign: { id: string; segmentId: string | null; segmentSnapshotId: string | null; orgUnitId: string }): Promise<Audience> {
  if (!campaign.segmentId && !campaign.segmentSnapshotId) throw new DomainError("PRECONDITION_FAILED", "the campaign has no segment audience");
  const snapshot = campaign.segmentSnapshotId
    ? await db.segmentSnapshot.findUnique({ where: { id: campaign.segmentSnapshotId }, select: { id: true, members: true } })
    : await db.segmentSnapshot.findFirst({ where: { segmentId: campaign.segmentId! }, orderBy: { takenAt: "desc" }, select: { id: true, members: true } });
  if (!snapshot) throw new DomainError("PRECONDITION_FAILED", "the audience segment has no snapshot yet; take one first");
  const members = bitmapFromBytes(snapshot.members);
  const org = await db.orgUnit.findUniqueOrThrow({ where: { id: campaign.orgUnitId }, select: { path: true, level: true } });
  if (org.level === "HEAD_OFFICE") return { snapshotId: snapshot.id, members };
  const inScope = await db.$queryRaw<{ id: number }[]>`
    SELECT id FROM customer WHERE org_path LIKE ${`${org.path}%`} AND id = ANY(${Array.from(members.toUint32Array())}::int[])`;
  return { snapshotId: snapshot.id, members: new RoaringBitmap32(inScope.map((r) => r.id)) };
}
