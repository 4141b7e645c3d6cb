import type { ValueType } from "./tag-codes";

/**
 * A starting rule per value type, shown in an empty rule editor (the language is described in
 * docs/ARCHITECTURE.md, "Tag center"): users edit a working example rather than a blank box.
 */
export const RULE_TEMPLATES: Record<Exclude<ValueType, "TEXT">, { rule: unknown; enumValues?: { value: string; label: string; labelEn: string }[] }> = {
  BOOLEAN: {
    rule: {
      op: "and",
      args: [
        { op: "gte", left: { feature: { kind: "txnAgg", agg: "count", types: ["CARD_SPEND"], days: 30 } }, right: { const: 2 } },
        { op: "gte", left: { feature: { kind: "balance", measure: "aum", stat: "latest", months: 1 } }, right: { const: 50000 } },
      ],
    },
  },
  ENUM: {
    rule: { op: "bucket", arg: { feature: { kind: "balance", measure: "aum", stat: "latest", months: 1 } }, bounds: [50000, 500000], labels: ["LOW", "MID", "HIGH"] },
    enumValues: [
      { value: "LOW", label: "5万以下", labelEn: "Below 50k" },
      { value: "MID", label: "5万–50万", labelEn: "50k–500k" },
      { value: "HIGH", label: "50万及以上", labelEn: "500k and above" },
    ],
  },
  NUMBER: { rule: { feature: { kind: "txnAgg", agg: "sum", types: ["CARD_SPEND"], days: 90 } } },
  DATE: { rule: { feature: { kind: "holding", measure: "nextMaturity", categories: ["TIME_DEPOSIT"] } } },
};

export function templateText(valueType: ValueType): string {
  return valueType === "TEXT" ? "" : JSON.stringify(RULE_TEMPLATES[valueType].rule, null, 2);
}
