/**
 * The tag rule language: JSON validated by zod, never SQL from users. A rule is one expression
 * tree; leaves read a feature (a fact aggregate, see @mkt/db tags/feature-spec), another tag, or
 * a constant. The same tree is compiled to a loop over typed arrays (compile.ts) and, for the
 * baseline and as an independent check, to SQL (sql.ts).
 *
 * Semantics (the two compilers implement exactly this):
 * - Conditions are two-valued. A comparison with a missing value is false — `ne` and `notIn`
 *   included — and `not` negates the result; `isNull` / `isNotNull` test for a missing value.
 *   A boolean tag or feature used as a condition is true only when its value is true.
 * - Arithmetic with a missing operand, and division by zero, give a missing value.
 * - `between` is inclusive at both ends. `bucket` maps value v to labels[k] where k is the number
 *   of bounds <= v (bounds ascending); a missing v gives a missing label.
 * - `case` takes the first branch whose condition is true, else `else` (missing when absent).
 */
import { featureSpec, type FeatureSpec } from "@mkt/db/tags/feature-spec";
import { z } from "zod";

/** Limits that keep a rule cheap to validate, compile and run. */
export const RULE_LIMITS = { maxDepth: 16, maxNodes: 400, maxList: 500, maxCases: 64, maxBounds: 64 } as const;

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const label = z.string().min(1).max(64).regex(/^[^\u0000-\u001f'"\\]+$/, "label: no quotes, backslashes or control characters");
const num = z.number().finite();
/** A calendar date literal, for comparisons with DATE tags and features. */
const isoDate = z.iso.date();

export type Expr =
  | { const: number | string | boolean }
  | { feature: FeatureSpec }
  | { tag: string }
  | { op: "and" | "or"; args: Expr[] }
  | { op: "not"; arg: Expr }
  | { op: "eq" | "ne" | "gt" | "gte" | "lt" | "lte"; left: Expr; right: Expr }
  | { op: "in" | "notIn"; left: Expr; values: (string | number)[] }
  | { op: "between"; left: Expr; min: number | string; max: number | string }
  | { op: "isNull" | "isNotNull"; arg: Expr }
  | { op: "add" | "sub" | "mul" | "div"; left: Expr; right: Expr }
  | { op: "bucket"; arg: Expr; bounds: number[]; labels: string[] }
  | { op: "case"; when: { if: Expr; then: Expr }[]; else?: Expr };

export const tagCode = z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/, "tag code: A-Z, 0-9, _ (2–64, starting with a letter)");

export const exprSchema: z.ZodType<Expr> = z.lazy(() =>
  z.union([
    z.strictObject({ const: z.union([num, label, z.boolean()]) }),
    z.strictObject({ feature: featureSpec }),
    z.strictObject({ tag: tagCode }),
    z.strictObject({ op: z.enum(["and", "or"]), args: z.array(exprSchema).min(1).max(RULE_LIMITS.maxList) }),
    z.strictObject({ op: z.literal("not"), arg: exprSchema }),
    z.strictObject({ op: z.enum(["eq", "ne", "gt", "gte", "lt", "lte"]), left: exprSchema, right: exprSchema }),
    z.strictObject({
      op: z.enum(["in", "notIn"]),
      left: exprSchema,
      values: z.union([z.array(label), z.array(num)]).check(z.minLength(1), z.maxLength(RULE_LIMITS.maxList)),
    }),
    z.strictObject({ op: z.literal("between"), left: exprSchema, min: z.union([num, isoDate]), max: z.union([num, isoDate]) }),
    z.strictObject({ op: z.enum(["isNull", "isNotNull"]), arg: exprSchema }),
    z.strictObject({ op: z.enum(["add", "sub", "mul", "div"]), left: exprSchema, right: exprSchema }),
    z
      .strictObject({
        op: z.literal("bucket"),
        arg: exprSchema,
        bounds: z.array(num).min(1).max(RULE_LIMITS.maxBounds),
        labels: z.array(label).min(2).max(RULE_LIMITS.maxBounds + 1),
      })
      .refine((b) => b.labels.length === b.bounds.length + 1, "bucket: labels must be one more than bounds")
      .refine((b) => b.bounds.every((x, i) => i === 0 || b.bounds[i - 1]! < x), "bucket: bounds must be strictly ascending"),
    z.strictObject({
      op: z.literal("case"),
      when: z.array(z.strictObject({ if: exprSchema, then: exprSchema })).min(1).max(RULE_LIMITS.maxCases),
      else: exprSchema.optional(),
    }),
  ]),
) as z.ZodType<Expr>;

export class RuleError extends Error {
  constructor(
    message: string,
    /** JSON path of the offending node, e.g. "when.2.if.left". */
    readonly path = "",
  ) {
    super(path ? `${path}: ${message}` : message);
    this.name = "RuleError";
  }
}

/**
 * Depth and size are checked on the raw JSON before zod walks it, iteratively, so a hostile
 * 100 000-level tree is refused with a clear message instead of overflowing the stack.
 */
export function checkRuleShape(raw: unknown): void {
  const stack: { v: unknown; depth: number }[] = [{ v: raw, depth: 0 }];
  let nodes = 0;
  while (stack.length) {
    const { v, depth } = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      for (const x of v) stack.push({ v: x, depth });
      continue;
    }
    const o = v as Record<string, unknown>;
    if ("feature" in o) {
      nodes++;
      continue;
    }
    if ("op" in o || "const" in o || "tag" in o) {
      nodes++;
      if (depth + 1 > RULE_LIMITS.maxDepth) throw new RuleError(`rule is nested deeper than ${RULE_LIMITS.maxDepth} levels`);
      if (nodes > RULE_LIMITS.maxNodes) throw new RuleError(`rule has more than ${RULE_LIMITS.maxNodes} nodes`);
      for (const x of Object.values(o)) stack.push({ v: x, depth: depth + 1 });
    } else {
      for (const x of Object.values(o)) stack.push({ v: x, depth });
    }
  }
}

/** Parses a rule: shape limits, then the schema. Throws RuleError naming the first problem. */
export function parseRule(raw: unknown): Expr {
  checkRuleShape(raw);
  const r = exprSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new RuleError(issue.message, issue.path.map(String).join("."));
  }
  return r.data;
}

/** The tags a rule reads, in first-use order. */
export function ruleDependencies(e: Expr): string[] {
  const out = new Set<string>();
  walk(e, (n) => {
    if ("tag" in n) out.add(n.tag);
  });
  return [...out];
}

/** The features a rule reads. */
export function ruleFeatures(e: Expr): FeatureSpec[] {
  const out: FeatureSpec[] = [];
  walk(e, (n) => {
    if ("feature" in n) out.push(n.feature);
  });
  return out;
}

export function walk(e: Expr, visit: (n: Expr) => void): void {
  visit(e);
  for (const c of children(e)) walk(c, visit);
}

export function children(e: Expr): Expr[] {
  if (!("op" in e)) return [];
  switch (e.op) {
    case "and":
    case "or":
      return e.args;
    case "not":
    case "isNull":
    case "isNotNull":
    case "bucket":
      return [e.arg];
    case "in":
    case "notIn":
    case "between":
      return [e.left];
    case "case":
      return [...e.when.flatMap((w) => [w.if, w.then]), ...(e.else ? [e.else] : [])];
    default:
      return [e.left, e.right];
  }
}
