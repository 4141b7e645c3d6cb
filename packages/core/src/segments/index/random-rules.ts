/**
 * Seeded random rule trees over what an index holds — for the index-vs-SQL equality tests and
 * the segments benchmark: nested and/or groups (depth ≤ 4), NOT groups and NOT leaves, tag
 * conditions of every operator with thresholds drawn from real values, behaviour windows and
 * holdings.
 */
import { PRODUCT_CATEGORIES, TXN_TYPES, operatorsFor, type SegmentRule, type TagCondition, type TagValueType } from "../rule";
import type { SegmentIndex } from "./segment-index";

export interface RuleVocabulary {
  tags: { code: string; valueType: TagValueType; labels: string[]; numbers: number[] }[];
  appEventTypes: string[];
  productCodes: string[];
  /** Transaction types to draw from (default: all). */
  txnTypes?: readonly string[];
}

/** mulberry32: a tiny seeded generator in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Tags, labels and sample values an index holds (numbers: 16 values spread over the ids). */
export function vocabularyOf(index: SegmentIndex, extra: { appEventTypes?: string[]; productCodes?: string[] } = {}): RuleVocabulary {
  const tags: RuleVocabulary["tags"] = [];
  for (const [code, t] of index.parts.tags) {
    if (t.has.size === 0) continue;
    if (t.values.type === "range") {
      const index = t.values.index;
      const numbers: number[] = [];
      const ids = t.has.toUint32Array();
      for (let k = 0; k < 16; k++) numbers.push(index.valueOf(ids[Math.floor((k * ids.length) / 16)]!));
      tags.push({ code, valueType: t.valueType, labels: [], numbers });
    } else {
      tags.push({ code, valueType: t.valueType, labels: [...t.values.byValue.keys()], numbers: [] });
    }
  }
  tags.sort((a, b) => a.code.localeCompare(b.code));
  return { tags, appEventTypes: extra.appEventTypes ?? ["LOGIN", "VIEW_PRODUCT", "SEARCH"], productCodes: extra.productCodes ?? [] };
}

const isoOf = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

export function randomRule(rand: () => number, vocab: RuleVocabulary, maxDepth = 4): SegmentRule {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const leafTag = (): SegmentRule => {
    const t = pick(vocab.tags);
    const ops = operatorsFor(t.valueType).filter((o) => o !== "contains" || t.valueType === "TEXT");
    const op = rand() < 0.08 ? pick(["isEmpty", "isNotEmpty"] as const) : pick(ops.filter((o) => o !== "isEmpty" && o !== "isNotEmpty"));
    const base = { kind: "tag" as const, tag: t.code };
    const value = (): string | number | boolean => {
      if (t.valueType === "BOOLEAN") return rand() < 0.5;
      if (t.valueType === "NUMBER") return pick(t.numbers);
      if (t.valueType === "DATE") return isoOf(pick(t.numbers));
      return pick(t.labels);
    };
    let leaf: TagCondition;
    switch (op) {
      case "eq":
      case "ne":
        leaf = { ...base, op, value: value() };
        break;
      case "gt":
      case "gte":
      case "lt":
      case "lte":
        leaf = { ...base, op, value: value() as number | string };
        break;
      case "in":
      case "notIn": {
        const vs = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => value()))];
        leaf = { ...base, op, values: vs as string[] | number[] };
        break;
      }
      case "between": {
        const [a, b] = [value() as number | string, value() as number | string];
        leaf = { ...base, op, min: a <= b ? a : b, max: a <= b ? b : a };
        break;
      }
      case "withinDays":
        leaf = { ...base, op, days: pick([7, 30, 90, 365]), direction: rand() < 0.5 ? "past" : "next" };
        break;
      case "contains":
        leaf = { ...base, op, value: (value() as string).slice(0, 2) || "a" };
        break;
      default:
        leaf = { ...base, op };
    }
    return leaf;
  };
  const leaf = (): SegmentRule => {
    const r = rand();
    if (r < 0.65 || (r >= 0.9 && !vocab.productCodes.length && rand() < 0.5)) return leafTag();
    if (r < 0.85) {
      const app = rand() < 0.4 && vocab.appEventTypes.length > 0;
      return {
        kind: "behavior",
        source: app ? "app" : "txn",
        eventType: app ? pick(vocab.appEventTypes) : pick(vocab.txnTypes ?? TXN_TYPES),
        did: rand() < 0.75,
        atLeast: pick([1, 1, 2, 3, 5]),
        lastDays: pick([1, 7, 30, 90, 180, 365]),
      };
    }
    const byProduct = vocab.productCodes.length > 0 && rand() < 0.3;
    return {
      kind: "holding",
      ...(byProduct ? { productCode: pick(vocab.productCodes) } : { category: pick(PRODUCT_CATEGORIES) }),
      held: rand() < 0.8,
      ...(rand() < 0.3 ? { minAmount: pick([1000, 10_000, 50_000, 200_000]) } : {}),
    };
  };
  // `depth` of the node being made (the root group is 1; the whole tree stays within maxDepth).
  const node = (depth: number): SegmentRule => {
    if (depth < maxDepth && rand() < 0.35) return group(depth);
    const l = leaf();
    return depth < maxDepth && rand() < 0.12 ? { kind: "group", op: "and", not: true, children: [l] } : l;
  };
  const group = (depth: number): SegmentRule => ({
    kind: "group",
    op: rand() < 0.55 ? "and" : "or",
    ...(rand() < 0.15 ? { not: true } : {}),
    children: Array.from({ length: 2 + Math.floor(rand() * 3) }, () => node(depth + 1)),
  });
  return group(1);
}
