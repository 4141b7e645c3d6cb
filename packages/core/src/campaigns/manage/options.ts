/**
 * What the campaign wizard offers: the active products (with their risk level, which suitability
 * checks) and the segments the caller may see, each with its newest snapshot's size.
 */
import type { Db } from "@mkt/db";
import { z } from "zod";
import type { OrgScope } from "../../auth/scope";
import { segmentScopeWhere } from "../../segments/access";

export const campaignOptionsOutput = z.object({
  products: z.array(z.object({ id: z.number(), code: z.string(), name: z.string(), nameEn: z.string(), category: z.string(), riskLevel: z.number() })),
  segments: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      snapshot: z.object({ id: z.string(), takenAt: z.date(), count: z.number() }).nullable(),
    }),
  ),
});

export async function campaignOptions(db: Db, scope: OrgScope): Promise<z.infer<typeof campaignOptionsOutput>> {
  const [products, segments] = await Promise.all([
    db.product.findMany({ where: { active: true }, orderBy: [{ category: "asc" }, { id: "asc" }], select: { id: true, code: true, name: true, nameEn: true, category: true, riskLevel: true } }),
    db.segment.findMany({
      where: { ...segmentScopeWhere(scope), status: "ACTIVE" },
      orderBy: { updatedAt: "desc" },
      take: 200,
      select: { id: true, name: true, latestSnapshotId: true, latestTakenAt: true, latestCount: true },
    }),
  ]);
  return {
    products,
    segments: segments.map((s) => ({
      id: s.id,
      name: s.name,
      snapshot: s.latestSnapshotId && s.latestTakenAt ? { id: s.latestSnapshotId, takenAt: s.latestTakenAt, count: s.latestCount ?? 0 } : null,
    })),
  };
}
