/**
 * What the builder offers: the published tags with their value types and enum values (grouped by
 * category in the picker, beside `tag.categories`), products and categories for holding conditions, and the
 * event types of behaviour conditions (transaction types are fixed; app event types are the ones
 * the app reports — others can still be typed in).
 */
import { z } from "zod";
import type { Db } from "@mkt/db";
import { PRODUCT_CATEGORIES, TXN_TYPES } from "./rule";

export const APP_EVENT_TYPES = ["LOGIN", "VIEW_PRODUCT", "SEARCH", "PURCHASE_INTENT", "CLICK_BANNER"] as const;

const enumValue = z.object({ value: z.string(), label: z.string(), labelEn: z.string() });

export const builderOptionsOutput = z.object({
  tags: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      nameEn: z.string(),
      categoryCode: z.string(),
      valueType: z.enum(["BOOLEAN", "ENUM", "NUMBER", "DATE", "TEXT"]),
      unit: z.string().nullable(),
      enumValues: z.array(enumValue),
    }),
  ),
  products: z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string(), category: z.enum(PRODUCT_CATEGORIES) })),
  categories: z.array(z.enum(PRODUCT_CATEGORIES)),
  txnTypes: z.array(z.string()),
  appEventTypes: z.array(z.string()),
});
export type BuilderOptions = z.infer<typeof builderOptionsOutput>;

export async function builderOptions(db: Db): Promise<BuilderOptions> {
  const [tags, products] = await Promise.all([
    db.tag.findMany({
      where: { status: "PUBLISHED" },
      orderBy: [{ categoryId: "asc" }, { code: "asc" }],
      select: { code: true, name: true, nameEn: true, valueType: true, unit: true, enumValues: true, category: { select: { code: true } } },
    }),
    db.product.findMany({ orderBy: [{ category: "asc" }, { code: "asc" }], select: { code: true, name: true, nameEn: true, category: true }, take: 500 }),
  ]);
  return {
    tags: tags.map(({ category, enumValues, ...t }) => ({ ...t, categoryCode: category.code, enumValues: z.array(enumValue).catch([]).parse(enumValues ?? []) })),
    products, categories: [...PRODUCT_CATEGORIES], txnTypes: [...TXN_TYPES], appEventTypes: [...APP_EVENT_TYPES] };
}
