/**
 * Reading the catalogue for computation: the published version of every published tag, as
 * checked definitions. Enum values are stored as `[{ value, label, labelEn }]`; a value's code
 * in tag_column is its position in that list.
 */
import type { Db } from "@mkt/db";
import { z } from "zod";
import type { TagValueType } from "./check";
import { tagDefinition, type TagDefinition } from "./compute";

export const enumValueSchema = z.strictObject({
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  value: z.string().min(1).max(64).regex(/^[^\u0000-\u001f'"\\]+$/),
  label: z.string().min(1).max(100),
  labelEn: z.string().min(1).max(100),
});
export const enumValuesSchema = z
  .array(enumValueSchema)
  .max(1000)
  .refine((vs) => new Set(vs.map((v) => v.value)).size === vs.length, "enum values must be unique");
export type EnumValue = z.infer<typeof enumValueSchema>;

export function enumCodes(json: unknown): string[] | undefined {
  if (json == null) return undefined;
  return enumValuesSchema.parse(json).map((v) => v.value);
}

export interface PublishedTag extends TagDefinition {
  sourceKind: "FACT" | "RULE" | "MODEL" | "IMPORTED" | "REALTIME";
  coverageDriftMax: number | null;
  psiMax: number | null;
}

/** Every published tag at its current version. A stored rule that no longer parses throws TagPlanError. */
export async function loadPublishedTags(db: Db): Promise<PublishedTag[]> {
  const tags = await db.tag.findMany({ where: { status: "PUBLISHED", currentVersion: { not: null } }, orderBy: { id: "asc" } });
  if (!tags.length) return [];
  const versions = await db.tagVersion.findMany({ where: { OR: tags.map((t) => ({ tagId: t.id, version: t.currentVersion! })) } });
  const byTag = new Map(versions.map((v) => [v.tagId, v]));
  return tags.flatMap((t) => {
    const v = byTag.get(t.id);
    if (!v) return [];
    const def = tagDefinition({
      id: t.id,
      code: t.code,
      version: v.version,
      valueType: t.valueType as TagValueType,
      enumValues: enumCodes(v.enumValues ?? t.enumValues),
      rule: v.rule,
    });
    return [{ ...def, sourceKind: t.sourceKind, coverageDriftMax: t.coverageDriftMax, psiMax: t.psiMax }];
  });
}
