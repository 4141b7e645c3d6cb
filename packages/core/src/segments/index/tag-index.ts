/**
 * One tag of the current run in memory, shaped for its operators: BOOLEAN and ENUM as a bitmap
 * per value, NUMBER and DATE as sorted-bucket bitmaps (range.ts), TEXT as a bitmap per distinct
 * text, and for every tag the bitmap of customers with a value.
 */
import type { LoadedColumn } from "@mkt/db/tags/storage";
import { RoaringBitmap32 } from "../bitmap";
import type { TagCondition, TagValueType } from "../rule";
import { isoDay } from "./days";
import { IdList, RangeIndex, type Made, type Range } from "./range";

export type TagValues =
  | { type: "categorical"; byValue: Map<string, RoaringBitmap32> }
  | { type: "range"; index: RangeIndex }
  | { type: "text"; byValue: Map<string, RoaringBitmap32> };

export interface TagIndex {
  code: string;
  valueType: TagValueType;
  values: TagValues;
  has: RoaringBitmap32;
}

function categorical(data: ArrayLike<number>, isNull: (v: number) => boolean, label: (v: number) => string): { byValue: Map<string, RoaringBitmap32>; has: RoaringBitmap32 } {
  const lists = new Map<number, IdList>();
  const has = new IdList(1024);
  for (let i = 1; i < data.length; i++) {
    const v = data[i]!;
    if (isNull(v)) continue;
    let l = lists.get(v);
    if (!l) lists.set(v, (l = new IdList(1024)));
    l.push(i);
    has.push(i);
  }
  const byValue = new Map<string, RoaringBitmap32>();
  for (const [v, l] of lists) byValue.set(label(v), l.toBitmap());
  return { byValue, has: has.toBitmap() };
}

/** Builds a tag's index from its column of the current run. */
export function buildTagIndex(code: string, col: LoadedColumn): TagIndex {
  const c = col.column;
  switch (c.type) {
    case "bool": {
      const { byValue, has } = categorical(c.data, (v) => v > 1, (v) => (v === 1 ? "true" : "false"));
      return { code, valueType: "BOOLEAN", values: { type: "categorical", byValue }, has };
    }
    case "label": {
      const { byValue, has } = categorical(c.data, (v) => v < 0, (v) => c.dict[v] ?? `#${v}`);
      return { code, valueType: "ENUM", values: { type: "categorical", byValue }, has };
    }
    case "num":
    case "date": {
      c.data[0] = NaN; // element 0 is no customer
      const index = RangeIndex.build(c.data);
      return { code, valueType: c.type === "num" ? "NUMBER" : "DATE", values: { type: "range", index }, has: index.has };
    }
    case "text": {
      const dict = new Map<string, number>();
      const codes = new Int32Array(c.data.length).fill(-1);
      const labels: string[] = [];
      for (let i = 1; i < c.data.length; i++) {
        const t = c.data[i];
        if (t == null) continue;
        let k = dict.get(t);
        if (k === undefined) dict.set(t, (k = labels.push(t) - 1));
        codes[i] = k;
      }
      const { byValue, has } = categorical(codes, (v) => v < 0, (v) => labels[v]!);
      return { code, valueType: "TEXT", values: { type: "text", byValue }, has };
    }
  }
}

/** An empty index for a published tag without a column in the current run. */
export function emptyTagIndex(code: string, valueType: TagValueType): TagIndex {
  const has = new RoaringBitmap32();
  const values: TagValues =
    valueType === "NUMBER" || valueType === "DATE"
      ? { type: "range", index: RangeIndex.build(new Float64Array(1).fill(NaN)) }
      : { type: valueType === "TEXT" ? "text" : "categorical", byValue: new Map() };
  return { code, valueType, values, has };
}

/** A comparable number for a NUMBER (number) or DATE (ISO date → epoch day) literal. */
export function numeric(valueType: TagValueType, v: unknown): number {
  return valueType === "DATE" ? isoDay(String(v)) : Number(v);
}

/** The range of a range operator, or null for other operators. */
export function leafRange(leaf: TagCondition, valueType: TagValueType, today: number): Range | null {
  const n = (v: unknown) => numeric(valueType, v);
  switch (leaf.op) {
    case "eq":
      return { lo: n(leaf.value), loIncl: true, hi: n(leaf.value), hiIncl: true };
    case "gt":
      return { lo: n(leaf.value), loIncl: false, hi: Infinity, hiIncl: true };
    case "gte":
      return { lo: n(leaf.value), loIncl: true, hi: Infinity, hiIncl: true };
    case "lt":
      return { lo: -Infinity, loIncl: true, hi: n(leaf.value), hiIncl: false };
    case "lte":
      return { lo: -Infinity, loIncl: true, hi: n(leaf.value), hiIncl: true };
    case "between":
      return { lo: n(leaf.min), loIncl: true, hi: n(leaf.max), hiIncl: true };
    case "withinDays":
      return leaf.direction === "past" ? { lo: today - leaf.days, loIncl: true, hi: today, hiIncl: true } : { lo: today, loIncl: true, hi: today + leaf.days, hiIncl: true };
    default:
      return null;
  }
}

/** The labels (BOOLEAN "true"/"false", ENUM and TEXT values) a condition accepts, or null. */
export function leafLabels(leaf: TagCondition, valueType: TagValueType, all: Iterable<string>): Set<string> | null {
  const s = (v: unknown) => (valueType === "BOOLEAN" ? String(v === true) : String(v));
  switch (leaf.op) {
    case "eq":
      return new Set([s(leaf.value)]);
    case "ne":
      return new Set([...all].filter((x) => x !== s(leaf.value)));
    case "in":
      return new Set(leaf.values.map(String));
    case "notIn": {
      const out = new Set(leaf.values.map(String));
      return new Set([...all].filter((x) => !out.has(x)));
    }
    case "contains":
      return new Set([...all].filter((x) => x.includes(leaf.value)));
    default:
      return null;
  }
}

/**
 * A conjunction over bitmaps: the customers in every `pos` and in no `neg` (no `pos`: everyone in
 * scope). Leaves answer with one so that `≠`, `not in` and AND groups need no bitmap of their own
 * — the AND above folds them into its running intersection. `made` lists the bitmaps made for
 * this term (the evaluation frees them afterwards); the others belong to the index.
 */
export interface Term {
  pos: RoaringBitmap32[];
  neg: RoaringBitmap32[];
  made: RoaringBitmap32[];
}

/**
 * The customers of the batch values that satisfy a condition (without the real-time overlay);
 * `isEmpty` is answered by the caller as "in scope and not `has`".
 */
export function batchTerm(t: TagIndex, leaf: TagCondition, today: number): Term {
  const made: RoaringBitmap32[] = [];
  const keep = (m: Made) => {
    if (m.own) made.push(m.b);
    return m.b;
  };
  if (leaf.op === "isNotEmpty" || leaf.op === "isEmpty") return { pos: [t.has], neg: [], made };
  const v = t.values;
  if (v.type === "range") {
    if (leaf.op === "ne") return { pos: [t.has], neg: [keep(v.index.range(leafRange({ ...leaf, op: "eq" }, t.valueType, today)!))], made };
    if (leaf.op === "in" || leaf.op === "notIn") {
      const hits = [...new Set(leaf.values.map(Number))].map((x) => keep(v.index.range({ lo: x, loIncl: true, hi: x, hiIncl: true })));
      if (leaf.op === "notIn") return { pos: [t.has], neg: hits, made };
      return { pos: [hits.length === 1 ? hits[0]! : keep({ b: RoaringBitmap32.orMany(hits), own: true })], neg: [], made };
    }
    const r = leafRange(leaf, t.valueType, today)!;
    const wide = v.index.rangeTerm(r);
    if (wide) return { pos: [wide.pos], neg: wide.neg, made: wide.made };
    return { pos: [keep(v.index.range(r))], neg: [], made };
  }
  const labelOf = (x: unknown) => (t.valueType === "BOOLEAN" ? String(x === true) : String(x));
  if (leaf.op === "ne" || leaf.op === "notIn") {
    // Everyone with a value but those of the excluded labels.
    const out: string[] = leaf.op === "ne" ? [labelOf(leaf.value)] : (leaf as { values: (string | number)[] }).values.map(String);
    return { pos: [t.has], neg: [...new Set(out)].flatMap((l) => v.byValue.get(l) ?? []), made };
  }
  const labels = leafLabels(leaf, t.valueType, v.byValue.keys())!;
  const parts = [...labels].flatMap((l) => v.byValue.get(l) ?? []);
  if (parts.length > 1) {
    // Several labels: everyone with a value but the other labels when those are fewer customers.
    const others = [...v.byValue].filter(([l]) => !labels.has(l)).map(([, b]) => b);
    const size = (bs: RoaringBitmap32[]) => bs.reduce((n, b) => n + b.size, 0);
    if (size(others) < size(parts)) return { pos: [t.has], neg: others, made };
  }
  if (parts.length === 0) return { pos: [keep({ b: new RoaringBitmap32(), own: true })], neg: [], made };
  return { pos: [parts.length === 1 ? parts[0]! : keep({ b: RoaringBitmap32.orMany(parts), own: true })], neg: [], made };
}

/** The batch matches as one bitmap (`own`: made for this call). */
export function batchMatches(t: TagIndex, leaf: TagCondition, today: number): Made {
  const term = batchTerm(t, leaf, today);
  if (term.pos.length === 1 && term.neg.length === 0) return { b: term.pos[0]!, own: term.made.includes(term.pos[0]!) };
  let acc = term.pos[0]!;
  let own = false;
  for (const n of term.neg) {
    acc = own ? acc.andNotInPlace(n) : RoaringBitmap32.andNot(acc, n);
    own = true;
  }
  for (const m of term.made) if (m !== acc) m.clear();
  return { b: acc, own };
}
