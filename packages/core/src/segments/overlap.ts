/**
 * Overlap of two or three segments — the size of every Venn region — and set operations that
 * keep a result as a new STATIC segment. Members are each segment's current members (latest
 * snapshot of the current rule, or evaluated now); every segment must be visible to the caller,
 * so every member is in the caller's scope.
 */
import { z } from "zod";
import { type Prisma, type Db } from "@mkt/db";
import { DomainError } from "../domain-error";
import { bitmapToBytes, RoaringBitmap32 } from "./bitmap";
import { createResolver } from "./resolve";
import { writeSnapshot } from "./snapshot";
import { requireSegment, segmentDescriptionSchema, segmentNameSchema, type SegmentActor } from "./segments";

export const segmentIdsSchema = z
  .array(z.string().min(1).max(64))
  .min(2, "choose 2 or 3 segments")
  .max(3, "choose 2 or 3 segments")
  .refine((ids) => new Set(ids).size === ids.length, "choose different segments");

/** A region: the segments it is inside of (by index into the input), outside all others. */
export const overlapOutput = z.object({
  segments: z.array(z.object({ id: z.string(), name: z.string(), count: z.number() })),
  regions: z.array(z.object({ inside: z.array(z.number()), count: z.number() })),
  union: z.number(),
  intersection: z.number(),
});
export type OverlapOutput = z.infer<typeof overlapOutput>;

async function membersOf(db: Db, ids: string[]): Promise<{ id: string; name: string; members: RoaringBitmap32 }[]> {
  const resolve = createResolver(db);
  return Promise.all(
    ids.map(async (id) => {
      const s = await requireSegment(db, id);
      return { id, name: s.name, members: await resolve(id) };
    }),
  );
}

/** Every non-empty combination of inside/outside, e.g. for 3: A only, B only, A∩B only, …, A∩B∩C. */
export function vennRegions(sets: RoaringBitmap32[]): { inside: number[]; count: number }[] {
  const n = sets.length;
  const out: { inside: number[]; count: number }[] = [];
  for (let mask = 1; mask < 1 << n; mask++) {
    const inside = [...Array(n).keys()].filter((i) => mask & (1 << i));
    let region = sets[inside[0]!]!.clone();
    for (const i of inside.slice(1)) region = RoaringBitmap32.and(region, sets[i]!);
    for (let i = 0; i < n; i++) if (!(mask & (1 << i))) region.andNotInPlace(sets[i]!);
    out.push({ inside, count: region.size });
  }
  return out;
}

export async function overlapSegments(db: Db, ids: string[]): Promise<OverlapOutput> {
  const segs = await membersOf(db, ids);
  const sets = segs.map((s) => s.members);
  return {
    segments: segs.map((s) => ({ id: s.id, name: s.name, count: s.members.size })),
    regions: vennRegions(sets),
    union: RoaringBitmap32.orMany(sets).size,
    intersection: sets.slice(1).reduce((acc, s) => RoaringBitmap32.and(acc, s), sets[0]!).size,
  };
}

export const SET_OPS = ["union", "intersection", "difference"] as const;
export type SetOp = (typeof SET_OPS)[number];

export function applySetOp(op: SetOp, sets: RoaringBitmap32[]): RoaringBitmap32 {
  const [first, ...rest] = sets;
  if (!first) return new RoaringBitmap32();
  if (op === "union") return RoaringBitmap32.orMany(sets);
  if (op === "intersection") return rest.reduce((acc, s) => RoaringBitmap32.and(acc, s), first.clone());
  // difference: the first minus every other.
  const out = first.clone();
  for (const s of rest) out.andNotInPlace(s);
  return out;
}

export const setOpInput = z.strictObject({
  op: z.enum(SET_OPS),
  segmentIds: segmentIdsSchema,
  name: segmentNameSchema,
  description: segmentDescriptionSchema,
});
export type SetOpInput = z.infer<typeof setOpInput>;

/** Creates a STATIC segment from a set operation over the current members of 2–3 segments. */
export async function createSetOpSegment(db: Db, actor: SegmentActor, input: SetOpInput): Promise<{ id: string; count: number }> {
  const segs = await membersOf(db, input.segmentIds);
  const members = applySetOp(input.op, segs.map((s) => s.members));
  if (members.size === 0) throw new DomainError("BAD_REQUEST", `the ${input.op} of these segments is empty; nothing to keep`);
  return db.$transaction(async (tx) => {
    const created = await tx.segment.create({
      data: {
        name: input.name,
        description: input.description ?? null,
        kind: "STATIC",
        members: bitmapToBytes(members),
        origin: { op: input.op, segmentIds: input.segmentIds } as Prisma.InputJsonValue,
        ownerId: actor.id,
        orgUnitId: actor.orgUnitId,
      },
      select: { id: true, kind: true, ruleVersion: true },
    });
    const snap = await writeSnapshot(tx, created, members, { trigger: "STATIC", takenById: actor.id });
    return { id: created.id, count: snap.count };
  });
}
