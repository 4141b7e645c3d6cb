/**
 * What the builder offers beside tags: products and categories for holding conditions, and the
 * event types of behaviour conditions (transaction types are fixed; app event types are the ones
 * the app reports — others can still be typed in).
 */
import { z } from "zod";
import type { Db } from "@mkt/db";
import { PRODUCT_CATEGORIES, TXN_TYPES } from "./rule";

export const APP_EVENT_TYPES = ["LOGIN", "VIEW_PRODUCT", "SEARCH", "PURCHASE_INTENT", "CLICK_BANNER"] as const;

export const builderOptionsOutput = z.object({
  products: z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string(), category: z.enum(PRODUCT_CATEGORIES) })),
  categories: z.array(z.enum(PRODUCT_CATEGORIES)),
  txnTypes: z.array(z.string()),
  appEventTypes: z.array(z.string()),
});
export type BuilderOptions = z.infer<typeof builderOptionsOutput>;

export async function builderOptions(db: Db): Promise<BuilderOptions> {
  const products = await db.product.findMany({ orderBy: [{ category: "asc" }, { code: "asc" }], select: { code: true, name: true, nameEn: true, category: true }, take: 500 });
  return { products, categories: [...PRODUCT_CATEGORIES], txnTypes: [...TXN_TYPES], appEventTypes: [...APP_EVENT_TYPES] };
}
