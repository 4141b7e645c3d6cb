/**
 * Seed step: installs the starter library (library.ts) as published version 1 of each tag.
 * Idempotent and conservative: categories are upserted, tags that already exist are left alone
 * (after install they are governed through versions like any other tag). Owners are the demo
 * marketing manager (business) and analyst (technical) when those users exist.
 */
import type { Db } from "@mkt/db";
import { planTags, tagDefinition } from "./compute";
import { LIBRARY_CATEGORIES, LIBRARY_TAGS } from "./library";

export const LIBRARY_AUTHOR = "system";

/** Checks the library as one plan (types, references, no cycles); throws on the first problem. */
export function checkLibrary(): void {
  planTags(
    LIBRARY_TAGS.map((t, i) =>
      tagDefinition({ id: i + 1, code: t.code, version: 1, valueType: t.valueType, enumValues: t.enumValues?.map((v) => v.value), rule: t.rule }),
    ),
  );
}

export async function installTagLibrary(db: Db): Promise<{ categories: number; tagsCreated: number }> {
  checkLibrary();
  const categoryIds = new Map<string, number>();
  for (const [sort, c] of LIBRARY_CATEGORIES.entries()) {
    const parentId = c.parent ? categoryIds.get(c.parent)! : null;
    const row = await db.tagCategory.upsert({
      where: { code: c.code },
      create: { code: c.code, name: c.name, nameEn: c.nameEn, parentId, sort },
      update: {},
      select: { id: true },
    });
    categoryIds.set(c.code, row.id);
  }

  const users = await db.user.findMany({ where: { username: { in: ["marketing", "analyst", "approver"] } }, select: { id: true, username: true } });
  const userId = (name: string) => users.find((u) => u.username === name)?.id ?? null;
  const existing = new Set((await db.tag.findMany({ where: { code: { in: LIBRARY_TAGS.map((t) => t.code) } }, select: { code: true } })).map((t) => t.code));
  const now = new Date();
  let created = 0;
  for (const t of LIBRARY_TAGS) {
    if (existing.has(t.code)) continue;
    await db.tag.create({
      data: {
        code: t.code,
        name: t.name,
        nameEn: t.nameEn,
        categoryId: categoryIds.get(t.category)!,
        valueType: t.valueType,
        unit: t.unit ?? null,
        enumValues: t.enumValues ?? undefined,
        sourceKind: t.sourceKind,
        definition: t.definition,
        definitionEn: t.definitionEn,
        businessOwnerId: userId("marketing"),
        technicalOwnerId: userId("analyst"),
        updateFrequency: t.updateFrequency,
        status: "PUBLISHED",
        currentVersion: 1,
        coverageDriftMax: t.coverageDriftMax ?? null,
        psiMax: t.psiMax ?? null,
        createdById: userId("analyst") ?? LIBRARY_AUTHOR,
        versions: {
          create: {
            version: 1,
            rule: t.rule as object,
            enumValues: t.enumValues ?? undefined,
            unit: t.unit ?? null,
            definition: t.definition,
            definitionEn: t.definitionEn,
            changeNote: "标签库初始版本 / starter library",
            status: "PUBLISHED",
            createdById: userId("analyst") ?? LIBRARY_AUTHOR,
            createdAt: now,
            submittedAt: now,
            reviewedById: userId("approver") ?? LIBRARY_AUTHOR,
            reviewedAt: now,
          },
        },
      },
    });
    created++;
  }
  return { categories: categoryIds.size, tagsCreated: created };
}
