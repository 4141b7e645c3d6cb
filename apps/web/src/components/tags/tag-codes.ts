/** The tag center's codes, in the order the console lists them (labels in messages `tags.*`). */
export const VALUE_TYPES = ["BOOLEAN", "ENUM", "NUMBER", "DATE", "TEXT"] as const;
export const SOURCE_KINDS = ["RULE", "FACT", "REALTIME", "IMPORTED", "MODEL"] as const;
export const TAG_STATUSES = ["DRAFT", "IN_REVIEW", "PUBLISHED", "RETIRED"] as const;
export const FREQUENCIES = ["DAILY", "REALTIME", "MONTHLY", "ON_DEMAND"] as const;
/** Source kinds whose values the rule engine computes (they need a rule). */
export const COMPUTED_KINDS: readonly string[] = ["FACT", "RULE", "REALTIME"];

export type ValueType = (typeof VALUE_TYPES)[number];
export type SourceKind = (typeof SOURCE_KINDS)[number];

export function percent(share: number, locale: string, digits = 1): string {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: digits }).format(share);
}
