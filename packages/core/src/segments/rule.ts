/**
 * The segment rule language (客群规则): one JSON tree validated by zod — the document the visual
 * builder edits, the API accepts and a saved segment stores. Nodes:
 *
 * - group    `{ kind: "group", op: "and" | "or", not?: true, children: [...] }` — `not` negates the
 *            whole group (a NOT of one condition is a group with one child and `not: true`); an
 *            empty `and` is everyone in scope (the builder's start), an empty `or` no one;
 * - tag      `{ kind: "tag", tag: "CODE", op, … }` — a condition on a tag's current value
 *            (batch run + unexpired real-time overlay, as in the `customer_tag_value` view);
 * - behavior `{ kind: "behavior", source: "txn" | "app", eventType, did, atLeast, lastDays }` —
 *            did / did not do X at least N times in the last D days;
 * - holding  `{ kind: "holding", category | productCode, held, minAmount? }` — holds now;
 * - segment  `{ kind: "segment", segmentId, in }` — membership of another segment.
 *
 * Semantics (the index engine and the SQL baseline implement exactly this; tests compare them):
 * - Everything counts over the caller's scope: the org subtree (or an RM's own customers).
 * - Missing values, like the tag rule language: a tag condition on a customer without a value is
 *   FALSE — `ne` and `notIn` included — so a customer without a value is neither "= x" nor "≠ x".
 *   `not` negates the result: NOT(tag = x) is everyone in scope except those with value x,
 *   customers without a value INCLUDED. `isEmpty` / `isNotEmpty` test for a missing value.
 * - `between` is inclusive at both ends; dates compare as calendar days (ISO `YYYY-MM-DD`).
 * - Days are business days in Asia/Shanghai. "today" is the business date of the reference time
 *   (`now`, default the time of the count).
 *   `withinDays` past: today − N ≤ date ≤ today; next: today ≤ date ≤ today + N.
 *   behavior "in the last D days": events whose business date is one of the D days ending today,
 *   i.e. date ≥ today − (D − 1) (D = 1 is today only). `did` = at least `atLeast` such events;
 *   `did: false` = fewer (zero included).
 * - holding: an ACTIVE holding or an account not CLOSED, of the product (code) or of a product of
 *   the category (accounts carry their category); with `minAmount`, the sum of their amounts /
 *   balances is at least that. `held: false` = not held (or held below `minAmount`).
 * - segment: `in: true` = a member of that segment's current members, `in: false` = not a member.
 */
import { z } from "zod";

/** Limits that keep a rule cheap to validate and to count, with a clear error beyond them. */
export const SEGMENT_RULE_LIMITS = { maxDepth: 6, maxNodes: 200, maxList: 500, maxWindowDays: 365, maxWithinDays: 3650, maxAtLeast: 1000 } as const;

export const PRODUCT_CATEGORIES = ["DEMAND_DEPOSIT", "TIME_DEPOSIT", "WEALTH", "FUND", "INSURANCE", "PRECIOUS_METAL", "LOAN", "CREDIT_CARD"] as const;
export const TXN_TYPES = [
  "DEPOSIT",
  "WITHDRAWAL",
  "TRANSFER_IN",
  "TRANSFER_OUT",
  "PAYROLL",
  "CARD_SPEND",
  "PURCHASE",
  "REDEMPTION",
  "LOAN_REPAYMENT",
  "ETC_TOLL",
  "INTEREST",
  "FEE",
] as const;

const tagCode = z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/, "tag code: A-Z, 0-9, _ (2–64, starting with a letter)");
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const text = z.string().min(1).max(200).regex(/^[^\u0000-\u001f]+$/, "text: no control characters");
const num = z.number().finite();
const isoDate = z.iso.date();
const scalar = z.union([num, isoDate, z.boolean(), text]);

const tagBase = { kind: z.literal("tag"), tag: tagCode };

export const tagConditionSchema = z.discriminatedUnion("op", [
  /** BOOLEAN (true/false), ENUM (a label), NUMBER, DATE (ISO), TEXT. */
  z.strictObject({ ...tagBase, op: z.enum(["eq", "ne"]), value: scalar }),
  /** ENUM or TEXT labels, or NUMBER values. */
  z.strictObject({
    ...tagBase,
    op: z.enum(["in", "notIn"]),
    values: z.union([z.array(text), z.array(num)]).check(z.minLength(1, "in: at least one value"), z.maxLength(SEGMENT_RULE_LIMITS.maxList, `in: at most ${SEGMENT_RULE_LIMITS.maxList} values`)),
  }),
  /** NUMBER or DATE. */
  z.strictObject({ ...tagBase, op: z.enum(["gt", "gte", "lt", "lte"]), value: z.union([num, isoDate]) }),
  z
    .strictObject({ ...tagBase, op: z.literal("between"), min: z.union([num, isoDate]), max: z.union([num, isoDate]) })
    .refine((b) => typeof b.min === typeof b.max, "between: min and max must both be numbers or both dates")
    .refine((b) => b.min <= b.max, "between: min must not be greater than max"),
  /** Any value type: no value / has a value. */
  z.strictObject({ ...tagBase, op: z.enum(["isEmpty", "isNotEmpty"]) }),
  /** TEXT (or ENUM labels): the value contains this text (case-sensitive). */
  z.strictObject({ ...tagBase, op: z.literal("contains"), value: text }),
  /** DATE within N days of today, in the past or next. */
  z.strictObject({ ...tagBase, op: z.literal("withinDays"), days: z.number().int().min(0).max(SEGMENT_RULE_LIMITS.maxWithinDays), direction: z.enum(["past", "next"]) }),
]);

export const behaviorConditionSchema = z
  .strictObject({
    kind: z.literal("behavior"),
    /** `txn`: transactions by type; `app`: mobile-banking app events by event type. */
    source: z.enum(["txn", "app"]),
    eventType: z.string().regex(/^[A-Za-z][\w.-]{0,63}$/, "eventType: letters, digits, _ . - (1–64)"),
    did: z.boolean(),
    atLeast: z.number().int().min(1).max(SEGMENT_RULE_LIMITS.maxAtLeast).default(1),
    lastDays: z.number().int().min(1).max(SEGMENT_RULE_LIMITS.maxWindowDays),
  })
  .refine((b) => b.source !== "txn" || (TXN_TYPES as readonly string[]).includes(b.eventType), {
    message: `eventType: a transaction type (${TXN_TYPES.join(", ")})`,
    path: ["eventType"],
  });

export const holdingConditionSchema = z
  .strictObject({
    kind: z.literal("holding"),
    category: z.enum(PRODUCT_CATEGORIES).optional(),
    productCode: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "productCode: letters, digits, _ - (1–40)").optional(),
    held: z.boolean(),
    minAmount: z.number().finite().min(0).optional(),
  })
  .refine((h) => (h.category === undefined) !== (h.productCode === undefined), "holding: give exactly one of category or productCode");

export const segmentMembershipSchema = z.strictObject({
  kind: z.literal("segment"),
  segmentId: z.string().min(1).max(64),
  in: z.boolean(),
});

export type TagCondition = z.infer<typeof tagConditionSchema>;
export type BehaviorCondition = z.infer<typeof behaviorConditionSchema>;
export type HoldingCondition = z.infer<typeof holdingConditionSchema>;
export type SegmentMembership = z.infer<typeof segmentMembershipSchema>;
export type SegmentLeaf = TagCondition | BehaviorCondition | HoldingCondition | SegmentMembership;
export interface SegmentGroup {
  kind: "group";
  op: "and" | "or";
  not?: boolean;
  children: SegmentRule[];
}
export type SegmentRule = SegmentGroup | SegmentLeaf;

const groupSchema = z.strictObject({
  kind: z.literal("group"),
  op: z.enum(["and", "or"]),
  not: z.boolean().optional(),
  children: z
    .array(z.lazy((): z.ZodType<SegmentRule> => segmentRuleSchema))
    .max(SEGMENT_RULE_LIMITS.maxNodes, `group: at most ${SEGMENT_RULE_LIMITS.maxNodes} conditions`),
});

/**
 * The rule tree schema. Prefer `parseSegmentRule`, which checks depth and size first (a hostile
 * deeply nested document is refused before zod recurses into it).
 */
export const segmentRuleSchema: z.ZodType<SegmentRule> = z.lazy(() =>
  z.discriminatedUnion("kind", [groupSchema, tagConditionSchema, behaviorConditionSchema, holdingConditionSchema, segmentMembershipSchema]),
) as z.ZodType<SegmentRule>;

export class SegmentRuleError extends Error {
  constructor(
    message: string,
    /** JSON path of the offending node, e.g. "children.1.children.0.value". */
    readonly path = "",
  ) {
    super(path ? `${path}: ${message}` : message);
    this.name = "SegmentRuleError";
  }
}

/**
 * Depth (groups nested in groups; a leaf sits one level below its group) and node count, checked
 * on the raw JSON iteratively before zod walks it.
 */
export function checkSegmentRuleShape(raw: unknown): void {
  const { maxDepth, maxNodes } = SEGMENT_RULE_LIMITS;
  const stack: { v: unknown; depth: number }[] = [{ v: raw, depth: 1 }];
  let nodes = 0;
  while (stack.length) {
    const { v, depth } = stack.pop()!;
    if (v === null || typeof v !== "object" || Array.isArray(v)) continue;
    nodes++;
    if (depth > maxDepth) throw new SegmentRuleError(`rule is nested deeper than ${maxDepth} levels`);
    if (nodes > maxNodes) throw new SegmentRuleError(`rule has more than ${maxNodes} conditions and groups`);
    const children = (v as { children?: unknown }).children;
    if (Array.isArray(children)) for (const c of children) stack.push({ v: c, depth: depth + 1 });
  }
}

function issuePath(issue: z.core.$ZodIssue): { message: string; path: string } {
  // A union names no branch: report the deepest issue of the branch that got furthest.
  if (issue.code === "invalid_union" && issue.errors.length) {
    const best = issue.errors
      .map((errs) => errs[0])
      .filter((e): e is z.core.$ZodIssue => !!e)
      .sort((a, b) => b.path.length - a.path.length)[0];
    if (best) {
      const inner = issuePath(best);
      const prefix = issue.path.map(String).join(".");
      return { message: inner.message, path: [prefix, inner.path].filter(Boolean).join(".") };
    }
  }
  return { message: issue.message, path: issue.path.map(String).join(".") };
}

/** Parses a rule: shape limits, then the schema. Throws SegmentRuleError naming the first problem. */
export function parseSegmentRule(raw: unknown): SegmentRule {
  checkSegmentRuleShape(raw);
  const r = segmentRuleSchema.safeParse(raw);
  if (!r.success) {
    const { message, path } = issuePath(r.error.issues[0]!);
    throw new SegmentRuleError(message, path);
  }
  return r.data;
}

/** A rule that matches everyone in scope: the builder's starting point. */
export const EMPTY_RULE: SegmentRule = { kind: "group", op: "and", children: [] };

/** Leaves of a rule, depth first. */
export function ruleLeaves(rule: SegmentRule): SegmentLeaf[] {
  const out: SegmentLeaf[] = [];
  const stack: SegmentRule[] = [rule];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.kind === "group") for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
    else out.push(n);
  }
  return out;
}

/** Tag codes a rule reads (for usage tracking, 埋点). */
export function ruleTagCodes(rule: SegmentRule): string[] {
  return [...new Set(ruleLeaves(rule).flatMap((l) => (l.kind === "tag" ? [l.tag] : [])))];
}

// ───────────────────────── type check against the tag catalogue ─────────────────────────

export type TagValueType = "BOOLEAN" | "ENUM" | "NUMBER" | "DATE" | "TEXT";

export interface SegmentTagInfo {
  valueType: TagValueType;
  /** ENUM: the allowed labels. */
  enumValues?: string[];
}

const OPS_BY_TYPE: Record<TagValueType, readonly TagCondition["op"][]> = {
  BOOLEAN: ["eq", "ne", "isEmpty", "isNotEmpty"],
  ENUM: ["eq", "ne", "in", "notIn", "isEmpty", "isNotEmpty", "contains"],
  NUMBER: ["eq", "ne", "in", "notIn", "gt", "gte", "lt", "lte", "between", "isEmpty", "isNotEmpty"],
  DATE: ["eq", "ne", "gt", "gte", "lt", "lte", "between", "withinDays", "isEmpty", "isNotEmpty"],
  TEXT: ["eq", "ne", "in", "notIn", "contains", "isEmpty", "isNotEmpty"],
};

/** The operators the builder offers for a tag of this value type. */
export function operatorsFor(valueType: TagValueType): readonly TagCondition["op"][] {
  return OPS_BY_TYPE[valueType];
}

function checkValue(type: TagValueType, v: unknown, info: SegmentTagInfo, where: string): void {
  const ok =
    type === "BOOLEAN"
      ? typeof v === "boolean"
      : type === "NUMBER"
        ? typeof v === "number"
        : type === "DATE"
          ? typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v)
          : typeof v === "string";
  const expected = { BOOLEAN: "true or false", NUMBER: "a number", DATE: "a date (YYYY-MM-DD)", ENUM: "one of its values", TEXT: "text" }[type];
  if (!ok) throw new SegmentRuleError(`a ${type} tag compares with ${expected}`, where);
  if (type === "ENUM" && info.enumValues && !info.enumValues.includes(v as string)) {
    throw new SegmentRuleError(`"${String(v)}" is not a value of this tag (${info.enumValues.slice(0, 20).join(", ")})`, where);
  }
}

/**
 * Checks every tag condition against the catalogue (the tag exists, the operator suits its value
 * type, values have the right type and ENUM labels exist), naming the JSON path of the problem.
 */
export function checkSegmentRuleTags(rule: SegmentRule, tags: (code: string) => SegmentTagInfo | undefined): void {
  const stack: { n: SegmentRule; path: string }[] = [{ n: rule, path: "" }];
  const at = (p: string, k: string) => (p ? `${p}.${k}` : k);
  while (stack.length) {
    const { n, path } = stack.pop()!;
    if (n.kind === "group") {
      n.children.forEach((c, i) => stack.push({ n: c, path: at(path, `children.${i}`) }));
      continue;
    }
    if (n.kind !== "tag") continue;
    const info = tags(n.tag);
    if (!info) throw new SegmentRuleError(`unknown or unpublished tag ${n.tag}`, at(path, "tag"));
    if (!OPS_BY_TYPE[info.valueType].includes(n.op)) {
      throw new SegmentRuleError(`operator ${n.op} does not apply to a ${info.valueType} tag (use ${OPS_BY_TYPE[info.valueType].join(", ")})`, at(path, "op"));
    }
    switch (n.op) {
      case "eq":
      case "ne":
      case "gt":
      case "gte":
      case "lt":
      case "lte":
        checkValue(info.valueType, n.value, info, at(path, "value"));
        break;
      case "in":
      case "notIn":
        n.values.forEach((v, i) => checkValue(info.valueType, v, info, at(path, `values.${i}`)));
        break;
      case "between":
        checkValue(info.valueType, n.min, info, at(path, "min"));
        checkValue(info.valueType, n.max, info, at(path, "max"));
        break;
      default:
        break;
    }
  }
}
