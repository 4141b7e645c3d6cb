/**
 * Features: the named, parameterised facts a tag rule may read (the leaves of the rule language in
 * @mkt/core's tags/rule.ts). They are defined here, next to the SQL that extracts them, because
 * each one is a statement about a source table. Every parameter is from a closed set or a bounded
 * number, so a feature can be turned into SQL without ever carrying user text into it.
 *
 * Output types: "num" (a number; Float64Array, NaN = missing), "bool" (Uint8Array, 255 =
 * missing), "label" (a string from a small dictionary; Int16Array of codes, -1 = missing).
 * Missing values: counts and sums over a window are 0 for a customer without matching facts;
 * max, recency, balances and attributes are missing when there is nothing to read.
 */
import { z } from "zod";
import { ProductCategory, TxnChannel, TxnType } from "../generated/prisma/enums";

const days = z.number().int().min(1).max(400);
const txnTypes = z.array(z.enum(TxnType)).min(1).max(12);
/** App event types are open-ended strings from the channel systems: a strict shape keeps them inert. */
const eventTypes = z.array(z.string().regex(/^[A-Z][A-Z0-9_]{0,39}$/, "event type: A-Z, 0-9, _")).min(1).max(20);
const categories = z.array(z.enum(ProductCategory)).min(1).max(8);
const money = z.number().finite().min(0).max(1e13);

/** Sum / count / max / average of transactions of some types (and channels) in the last `days` days. */
export const txnAggFeature = z.strictObject({
  kind: z.literal("txnAgg"),
  agg: z.enum(["sum", "count", "max", "avg"]),
  types: txnTypes,
  channels: z.array(z.enum(TxnChannel)).min(1).max(5).optional(),
  days,
  /** Only transactions of at least this amount. */
  minAmount: money.optional(),
});

/** Days since the last transaction of these types, looking back at most `days` days. */
export const txnRecencyFeature = z.strictObject({
  kind: z.literal("txnRecency"),
  types: txnTypes.optional(),
  days,
});

/** Number of app events of these types in the last `days` days. */
export const eventCountFeature = z.strictObject({
  kind: z.literal("eventCount"),
  types: eventTypes.optional(),
  days,
});

/** Days since the last app event of these types (e.g. LOGIN), looking back at most `days` days. */
export const eventRecencyFeature = z.strictObject({
  kind: z.literal("eventRecency"),
  types: eventTypes.optional(),
  days,
});

/**
 * What the customer holds now: active holdings (wealth, funds, insurance, metals) and open accounts
 * (deposits, loans, cards) of the categories. `count` and `amount` are 0 when nothing is held;
 * `maturing` counts those maturing within `days` days (today included); `nextMaturity` is the
 * date of the next maturity; `maxRisk` the highest product risk level (1..5) held.
 */
export const holdingFeature = z.strictObject({
  kind: z.literal("holding"),
  measure: z.enum(["count", "amount", "maturing", "nextMaturity", "maxRisk"]),
  categories,
  days: z.number().int().min(0).max(400).optional(),
});

/** Month-end balances: the latest month, or the average / max / min over the last `months` months. */
export const balanceFeature = z.strictObject({
  kind: z.literal("balance"),
  measure: z.enum(["aum", "deposit", "wealth", "loan"]),
  stat: z.enum(["latest", "avg", "max", "min"]),
  months: z.number().int().min(1).max(24),
});

/** The latest risk-tolerance assessment: level C1..C5 (label), rank 1..5, expired, days to expiry. */
export const riskFeature = z.strictObject({
  kind: z.literal("risk"),
  field: z.enum(["level", "rank", "expired", "daysToExpiry"]),
});

/** Attributes of the customer record. */
export const customerFeature = z.strictObject({
  kind: z.literal("customer"),
  field: z.enum(["age", "tenureDays", "birthdayThisMonth", "hasRm", "gender", "province", "city", "occupation", "status", "type"]),
});

export const featureSpec = z.discriminatedUnion("kind", [
  txnAggFeature,
  txnRecencyFeature,
  eventCountFeature,
  eventRecencyFeature,
  holdingFeature,
  balanceFeature,
  riskFeature,
  customerFeature,
]);

export type FeatureSpec = z.infer<typeof featureSpec>;
export type FeatureType = "num" | "bool" | "label" | "date";

/** The source table a feature is read from: one SQL pass per source computes all its features. */
export type FeatureSource = "customer" | "transaction" | "app_event" | "holding" | "monthly_balance" | "risk_assessment";

export function featureSource(f: FeatureSpec): FeatureSource {
  switch (f.kind) {
    case "txnAgg":
    case "txnRecency":
      return "transaction";
    case "eventCount":
    case "eventRecency":
      return "app_event";
    case "holding":
      return "holding";
    case "balance":
      return "monthly_balance";
    case "risk":
      return "risk_assessment";
    case "customer":
      return "customer";
  }
}

export function featureType(f: FeatureSpec): FeatureType {
  switch (f.kind) {
    case "holding":
      return f.measure === "nextMaturity" ? "date" : "num";
    case "risk":
      return f.field === "level" ? "label" : f.field === "expired" ? "bool" : "num";
    case "customer":
      if (f.field === "birthdayThisMonth" || f.field === "hasRm") return "bool";
      return f.field === "age" || f.field === "tenureDays" ? "num" : "label";
    default:
      return "num";
  }
}

/** Counts and sums are 0 (not missing) for a customer without matching facts. */
export function featureZeroWhenAbsent(f: FeatureSpec): boolean {
  switch (f.kind) {
    case "txnAgg":
      return f.agg === "sum" || f.agg === "count";
    case "eventCount":
      return true;
    case "holding":
      return f.measure === "count" || f.measure === "amount" || f.measure === "maturing";
    default:
      return false;
  }
}

/** A canonical key: two rules asking for the same feature share one extracted column. */
export function featureKey(f: FeatureSpec): string {
  const sorted = (xs: readonly string[] | undefined) => (xs ? [...xs].sort() : undefined);
  const norm: Record<string, unknown> = { ...f };
  for (const k of ["types", "channels", "categories"] as const) if (k in norm) norm[k] = sorted(norm[k] as string[] | undefined);
  return JSON.stringify(Object.keys(norm).sort().reduce<Record<string, unknown>>((o, k) => {
    if (norm[k] !== undefined) o[k] = norm[k];
    return o;
  }, {}));
}
