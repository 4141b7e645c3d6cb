/**
 * Compiles a checked rule into a SQL expression with exactly the semantics of compile.ts (see
 * rule.ts): comparisons are wrapped in COALESCE(…, false) so conditions are two-valued, division
 * by zero is NULLIF'd to missing, buckets count the bounds at or below the value. It is the
 * straightforward engine the benchmark measures against, and the independent oracle the
 * computation tests compare with. Constants are validated numbers or quoted labels.
 */
import { epochDay } from "@mkt/db/tags/as-of";
import type { FeatureSpec } from "@mkt/db/tags/feature-spec";
import { checkTagRule, typeOf, type Signatures, type TagSignature } from "./check";
import { RuleError, type Expr } from "./rule";

export interface SqlEnv {
  sigs: Signatures;
  /** SQL of a feature's value for the current customer (num/date: float8, bool: boolean, label: text). */
  feature(f: FeatureSpec): string;
  /** SQL of another tag's value for the current customer, typed as for features. */
  tag(code: string): string;
}

export const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const sqlNum = (n: number) => {
  if (!Number.isFinite(n)) throw new RuleError("non-finite number");
  return `(${String(n)})::float8`;
};

class SqlGen {
  constructor(private readonly env: SqlEnv) {}

  private leaf(e: Expr): string | undefined {
    if ("feature" in e) return this.env.feature(e.feature);
    if ("tag" in e) return this.env.tag(e.tag);
    return undefined;
  }

  num(e: Expr, dateContext = false): string {
    if ("const" in e) {
      if (typeof e.const === "number") return sqlNum(e.const);
      if (typeof e.const === "string" && dateContext) return sqlNum(epochDay(e.const));
      throw new RuleError("expected a number");
    }
    const l = this.leaf(e);
    if (l) return l;
    if (!("op" in e)) throw new RuleError("expected a number");
    switch (e.op) {
      case "add":
        return `(${this.num(e.left)} + ${this.num(e.right)})`;
      case "sub":
        return `(${this.num(e.left)} - ${this.num(e.right)})`;
      case "mul":
        return `(${this.num(e.left)} * ${this.num(e.right)})`;
      case "div":
        return `(${this.num(e.left)} / NULLIF(${this.num(e.right)}, 0))`;
      case "case":
        return this.caseSql(e, (x) => this.num(x, dateContext), "NULL::float8");
      default:
        throw new RuleError(`${e.op} does not give a number`);
    }
  }

  cond(e: Expr): string {
    if ("const" in e) {
      if (typeof e.const === "boolean") return e.const ? "TRUE" : "FALSE";
      throw new RuleError("expected a condition");
    }
    const l = this.leaf(e);
    if (l) return `COALESCE(${l}, FALSE)`;
    if (!("op" in e)) throw new RuleError("expected a condition");
    const t = (x: Expr) => typeOf(x, this.env.sigs);
    switch (e.op) {
      case "and":
        return `(${e.args.map((a) => this.cond(a)).join(" AND ")})`;
      case "or":
        return `(${e.args.map((a) => this.cond(a)).join(" OR ")})`;
      case "not":
        return `(NOT ${this.cond(e.arg)})`;
      case "case":
        return `COALESCE(${this.bval(e)}, FALSE)`;
      case "isNull":
      case "isNotNull":
        return `(${this.value(e.arg)} IS ${e.op === "isNull" ? "" : "NOT "}NULL)`;
      case "between": {
        const date = t(e.left) === "date";
        const lo = date ? epochDay(String(e.min)) : Number(e.min);
        const hi = date ? epochDay(String(e.max)) : Number(e.max);
        return `COALESCE(${this.num(e.left)} BETWEEN ${sqlNum(lo)} AND ${sqlNum(hi)}, FALSE)`;
      }
      case "in":
      case "notIn": {
        const label = t(e.left) === "label";
        const x = label ? this.label(e.left) : this.num(e.left);
        const values = e.values.map((v) => (label ? sqlString(String(v)) : sqlNum(Number(v)))).join(", ");
        return `COALESCE(${x} ${e.op === "in" ? "IN" : "NOT IN"} (${values}), FALSE)`;
      }
      case "eq":
      case "ne":
      case "gt":
      case "gte":
      case "lt":
      case "lte": {
        const op = { eq: "=", ne: "<>", gt: ">", gte: ">=", lt: "<", lte: "<=" }[e.op];
        const lt = t(e.left);
        const rt = t(e.right);
        if (lt === "label" || rt === "label") {
          const [x, c] = lt === "label" ? [e.left, e.right] : [e.right, e.left];
          return `COALESCE(${this.label(x)} ${op} ${sqlString(String("const" in c ? c.const : ""))}, FALSE)`;
        }
        if (lt === "bool") return `COALESCE(${this.bval(e.left)} ${op} ${this.bval(e.right)}, FALSE)`;
        const date = lt === "date" || rt === "date";
        return `COALESCE(${this.num(e.left, date)} ${op} ${this.num(e.right, date)}, FALSE)`;
      }
      default:
        throw new RuleError(`${e.op} is not a condition`);
    }
  }

  /** A nullable SQL boolean. */
  bval(e: Expr): string {
    const l = this.leaf(e);
    if (l) return l;
    if ("op" in e && e.op === "case") return this.caseSql(e, (x) => this.bval(x), "NULL::boolean");
    return this.cond(e);
  }

  /** A nullable text label. */
  label(e: Expr): string {
    if ("const" in e) return sqlString(String(e.const));
    const l = this.leaf(e);
    if (l) return l;
    if (!("op" in e)) throw new RuleError("expected a label");
    if (e.op === "bucket") {
      const x = this.num(e.arg);
      const arms = e.bounds.map((b, k) => `WHEN ${x} < ${sqlNum(b)} THEN ${sqlString(e.labels[k]!)}`).join(" ");
      return `(CASE WHEN ${x} IS NULL THEN NULL ${arms} ELSE ${sqlString(e.labels[e.labels.length - 1]!)} END)`;
    }
    if (e.op === "case") return this.caseSql(e, (x) => this.label(x), "NULL::text");
    throw new RuleError(`${e.op} does not give a label`);
  }

  private value(e: Expr): string {
    switch (typeOf(e, this.env.sigs)) {
      case "num":
      case "date":
        return this.num(e);
      case "bool":
        return this.bval(e);
      default:
        return this.label(e);
    }
  }

  private caseSql(e: Extract<Expr, { op: "case" }>, value: (x: Expr) => string, missing: string): string {
    const arms = e.when.map((w) => `WHEN ${this.cond(w.if)} THEN ${value(w.then)}`).join(" ");
    return `(CASE ${arms} ELSE ${e.else ? value(e.else) : missing} END)`;
  }
}

/**
 * The SQL of a tag's value as (value_num float8, value_label text): booleans 1/0, enum labels
 * (only the tag's own values; others are missing), numbers and dates (days since 1970-01-01).
 */
export function ruleToSql(rule: Expr, target: TagSignature, env: SqlEnv): { valueNum: string; valueLabel: string } {
  checkTagRule(rule, target, env.sigs);
  const g = new SqlGen(env);
  switch (target.valueType) {
    case "BOOLEAN": {
      const b = g.bval(rule);
      return { valueNum: `(CASE WHEN ${b} THEN 1 WHEN NOT ${b} THEN 0 END)::float8`, valueLabel: "NULL::text" };
    }
    case "ENUM": {
      const values = (target.enumValues ?? []).map(sqlString).join(", ");
      const l = g.label(rule);
      return { valueNum: "NULL::float8", valueLabel: values ? `(CASE WHEN ${l} IN (${values}) THEN ${l} END)` : "NULL::text" };
    }
    case "NUMBER":
      return { valueNum: g.num(rule), valueLabel: "NULL::text" };
    case "DATE":
      return { valueNum: g.num(rule, true), valueLabel: "NULL::text" };
    case "TEXT":
      throw new RuleError("TEXT tags are imported, not computed by a rule");
  }
}
