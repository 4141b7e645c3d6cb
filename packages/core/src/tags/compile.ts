/**
 * Compiles a checked rule into a JavaScript loop over typed arrays: one function per tag, built
 * with `new Function` from the validated tree. Only numbers and generated identifiers are ever
 * written into the source; arrays, lookup tables and sets are passed in as arguments. Conditions
 * combine with `&` / `|` rather than `&&` / `||`, so the loop has no data-dependent branches for
 * the common rule shapes, and V8 keeps each tag's function monomorphic.
 *
 * Representation (see @mkt/db tags/columns): num/date Float64Array with NaN = missing; bool
 * Uint8Array 0/1 with 255 = missing; label Int16Array of codes into a dictionary, -1 = missing.
 */
import { epochDay } from "@mkt/db/tags/as-of";
import { BOOL_NULL, type Column } from "@mkt/db/tags/columns";
import type { FeatureSpec } from "@mkt/db/tags/feature-spec";
import { checkTagRule, labelValues, typeOf, type Signatures, type TagSignature, type Ty } from "./check";
import { RuleError, type Expr } from "./rule";

export interface CompileEnv {
  sigs: Signatures;
  /** The extracted column of a feature. */
  feature(f: FeatureSpec): Column;
  /** The column of a tag computed earlier in this run (dependency order). */
  tag(code: string): Column;
}

export interface CompiledRule {
  /** The tag's values, filled by `evaluate` (allocated once, for customers 0..size-1). */
  column: Column;
  /**
   * Computes customers from..to-1 (exists[i] !== 1 gives a missing value). Runs are split into
   * blocks so that every tag of a block reads features that are still in the CPU cache.
   */
  evaluate(exists: Uint8Array, from: number, to: number): void;
  /** evaluate over every customer; returns the column. */
  run(exists: Uint8Array): Column;
  /** The generated loop, for debugging and tests. */
  source: string;
}

/** Small `in` lists are unrolled into comparisons; longer ones use a Set. */
const UNROLL_IN = 8;

const lit = (n: number) => (Object.is(n, -0) ? "0" : Number.isFinite(n) ? `(${String(n)})` : "NaN");

class Codegen {
  private readonly argNames: string[] = [];
  private readonly argValues: unknown[] = [];
  private readonly argIndex = new Map<unknown, string>();
  private readonly loads = new Map<unknown, string>();
  readonly lines: string[] = [];
  private temps = 0;

  constructor(private readonly env: CompileEnv) {}

  arg(value: unknown): string {
    let name = this.argIndex.get(value);
    if (!name) {
      name = `a${this.argNames.length}`;
      this.argNames.push(name);
      this.argValues.push(value);
      this.argIndex.set(value, name);
    }
    return name;
  }

  /** `const vK = aK[i]` once per column per iteration. */
  load(col: Column): string {
    let v = this.loads.get(col.data);
    if (!v) {
      v = `v${this.loads.size}`;
      this.lines.push(`const ${v} = ${this.arg(col.data)}[i];`);
      this.loads.set(col.data, v);
    }
    return v;
  }

  temp(expr: string): string {
    const t = `t${this.temps++}`;
    this.lines.push(`const ${t} = ${expr};`);
    return t;
  }

  column(e: Expr): Column | undefined {
    if ("feature" in e) return this.env.feature(e.feature);
    if ("tag" in e) return this.env.tag(e.tag);
    return undefined;
  }

  ty(e: Expr): Ty {
    return typeOf(e, this.env.sigs);
  }

  /** A num/date expression: a variable or a literal (never re-evaluated when used twice). */
  num(e: Expr, dateContext = false): string {
    if ("const" in e) {
      if (typeof e.const === "number") return lit(e.const);
      if (typeof e.const === "string" && dateContext) return lit(epochDay(e.const));
      throw new RuleError("expected a number");
    }
    const col = this.column(e);
    if (col) return this.load(col);
    if (!("op" in e)) throw new RuleError("expected a number");
    switch (e.op) {
      case "add":
        return this.temp(`${this.num(e.left)} + ${this.num(e.right)}`);
      case "sub":
        return this.temp(`${this.num(e.left)} - ${this.num(e.right)}`);
      case "mul":
        return this.temp(`${this.num(e.left)} * ${this.num(e.right)}`);
      case "div": {
        const l = this.num(e.left);
        const r = this.num(e.right);
        return this.temp(`${r} === 0 ? NaN : ${l} / ${r}`);
      }
      case "case":
        return this.temp(this.caseChain(e, (x) => this.num(x, dateContext), "NaN"));
      default:
        throw new RuleError(`${e.op} does not give a number`);
    }
  }

  /** A condition: evaluates to 1/true or 0/false, never missing. */
  cond(e: Expr): string {
    if ("const" in e) {
      if (typeof e.const === "boolean") return e.const ? "1" : "0";
      throw new RuleError("expected a condition");
    }
    const col = this.column(e);
    if (col) return `(${this.load(col)} === 1)`;
    if (!("op" in e)) throw new RuleError("expected a condition");
    switch (e.op) {
      case "and":
        return `(${e.args.map((a) => this.cond(a)).join(" & ")})`;
      case "or":
        return `(${e.args.map((a) => this.cond(a)).join(" | ")})`;
      case "not":
        return `(1 ^ ${this.cond(e.arg)})`;
      case "case":
        return `(${this.bval(e)} === 1)`;
      case "isNull":
      case "isNotNull": {
        const missing = this.missing(e.arg);
        return e.op === "isNull" ? missing : `(1 ^ ${missing})`;
      }
      case "between": {
        const date = this.ty(e.left) === "date";
        const x = this.num(e.left);
        const lo = date ? epochDay(String(e.min)) : Number(e.min);
        const hi = date ? epochDay(String(e.max)) : Number(e.max);
        return `(${x} >= ${lit(lo)} & ${x} <= ${lit(hi)})`;
      }
      case "in":
      case "notIn":
        return this.inList(e.left, e.values, e.op === "notIn");
      case "eq":
      case "ne":
      case "gt":
      case "gte":
      case "lt":
      case "lte":
        return this.compare(e.op, e.left, e.right);
      default:
        throw new RuleError(`${e.op} is not a condition`);
    }
  }

  /** A boolean value: 0, 1 or 255 (missing). */
  bval(e: Expr): string {
    const col = this.column(e);
    if (col) return this.load(col);
    if ("op" in e && e.op === "case") return this.temp(this.caseChain(e, (x) => this.bval(x), String(BOOL_NULL)));
    return `(${this.cond(e)} | 0)`;
  }

  /** A label as a code in `dict` (-1 missing). */
  label(e: Expr, dict: string[]): string {
    if ("const" in e) return lit(dict.indexOf(String(e.const)));
    const col = this.column(e);
    if (col) {
      if (col.type !== "label") throw new RuleError("expected a label");
      const v = this.load(col);
      if (col.dict === dict) return v;
      const remap = new Int16Array(col.dict.length + 1);
      remap[0] = -1;
      col.dict.forEach((s, k) => (remap[k + 1] = dict.indexOf(s)));
      return this.temp(`${this.arg(remap)}[${v} + 1]`);
    }
    if (!("op" in e)) throw new RuleError("expected a label");
    if (e.op === "bucket") {
      const x = this.num(e.arg);
      const codes = Int16Array.from(e.labels, (l) => dict.indexOf(l));
      const index = e.bounds.map((b) => `(${x} >= ${lit(b)})`).join(" + ");
      return this.temp(`${x} === ${x} ? ${this.arg(codes)}[${index}] : -1`);
    }
    if (e.op === "case") return this.temp(this.caseChain(e, (x) => this.label(x, dict), "-1"));
    throw new RuleError(`${e.op} does not give a label`);
  }

  /** The dictionary a label expression is naturally coded in. */
  naturalDict(e: Expr): string[] {
    const col = this.column(e);
    if (col?.type === "label") return col.dict;
    const values = labelValues(e, this.env.sigs);
    if (values) return values;
    if ("op" in e && e.op === "case") {
      const branches = [...e.when.map((w) => w.then), ...(e.else ? [e.else] : [])];
      return [...new Set(branches.flatMap((b) => this.naturalDict(b)))];
    }
    throw new RuleError("cannot tell the values of this label");
  }

  private missing(e: Expr): string {
    const t = this.ty(e);
    const col = this.column(e);
    if (t === "text" && col?.type === "text") return `(${this.load(col)} == null)`;
    if (t === "num" || t === "date") {
      const x = this.num(e);
      return `(${x} !== ${x})`;
    }
    if (t === "bool") return `(${this.bval(e)} === ${BOOL_NULL})`;
    if (t === "label") return `(${this.label(e, this.naturalDict(e))} < 0)`;
    throw new RuleError(`cannot test ${t} for missing`);
  }

  private inList(left: Expr, values: (string | number)[], negate: boolean): string {
    if (this.ty(left) === "label") {
      const dict = this.naturalDict(left);
      const set = new Set(values.map(String));
      const mask = new Uint8Array(dict.length + 1);
      dict.forEach((s, k) => (mask[k + 1] = set.has(s) !== negate ? 1 : 0));
      return `(${this.arg(mask)}[${this.label(left, dict)} + 1] === 1)`;
    }
    const x = this.num(left);
    const nums = values.map(Number);
    if (nums.length <= UNROLL_IN) {
      return negate ? `(${x} === ${x}${nums.map((v) => ` & ${x} !== ${lit(v)}`).join("")})` : `(${nums.map((v) => `${x} === ${lit(v)}`).join(" | ")})`;
    }
    const s = this.arg(new Set(nums));
    return negate ? `(${x} === ${x} & !${s}.has(${x}))` : `${s}.has(${x})`;
  }

  private compare(op: "eq" | "ne" | "gt" | "gte" | "lt" | "lte", left: Expr, right: Expr): string {
    const lt = this.ty(left);
    const rt = this.ty(right);
    if (lt === "label" || rt === "label") {
      const [x, c] = lt === "label" ? [left, right] : [right, left];
      const dict = this.naturalDict(x);
      const code = dict.indexOf(String("const" in c ? c.const : ""));
      const v = this.label(x, dict);
      if (op === "eq") return code < 0 ? "0" : `(${v} === ${code})`;
      return code < 0 ? `(${v} >= 0)` : `(${v} >= 0 & ${v} !== ${code})`;
    }
    if (lt === "bool") {
      const a = this.bval(left);
      const b = this.bval(right);
      return `(${a} !== ${BOOL_NULL} & ${b} !== ${BOOL_NULL} & ${a} ${op === "eq" ? "===" : "!=="} ${b})`;
    }
    const date = lt === "date" || rt === "date";
    const a = this.num(left, date);
    const b = this.num(right, date);
    switch (op) {
      case "eq":
        return `(${a} === ${b})`;
      case "ne":
        return `(${a} === ${a} & ${b} === ${b} & ${a} !== ${b})`;
      case "gt":
        return `(${a} > ${b})`;
      case "gte":
        return `(${a} >= ${b})`;
      case "lt":
        return `(${a} < ${b})`;
      case "lte":
        return `(${a} <= ${b})`;
    }
  }

  private caseChain(e: Extract<Expr, { op: "case" }>, value: (x: Expr) => string, missing: string): string {
    const conds = e.when.map((w) => this.cond(w.if));
    const thens = e.when.map((w) => value(w.then));
    const otherwise = e.else ? value(e.else) : missing;
    return conds.reduceRight((acc, c, k) => `${c} ? ${thens[k]} : ${acc}`, otherwise);
  }

  build(outExpr: string): { fn: (exists: Uint8Array, out: unknown, from: number, to: number) => void; source: string } {
    const body = [
      `"use strict";`,
      `return function evaluate(ex, out, from, to) {`,
      `  for (let i = from; i < to; i++) {`,
      ...this.lines.map((l) => `    ${l}`),
      `    out[i] = ex[i] === 1 ? ${outExpr};`,
      `  }`,
      `};`,
    ].join("\n");
    const factory = new Function(...this.argNames, body) as (...args: unknown[]) => (ex: Uint8Array, out: unknown, from: number, to: number) => void;
    return { fn: factory(...this.argValues), source: body };
  }
}

/** Checks `rule` for `target` and compiles it against the run's columns, for `size` customers. */
export function compileRule(rule: Expr, target: TagSignature, env: CompileEnv, size: number): CompiledRule {
  checkTagRule(rule, target, env.sigs);
  const g = new Codegen(env);
  let outExpr: string;
  // The loop writes every element (a missing value where the customer does not exist), so the
  // output needs no initial fill.
  let column: Column;
  switch (target.valueType) {
    case "BOOLEAN":
      outExpr = `${g.bval(rule)} : ${BOOL_NULL}`;
      column = { type: "bool", data: new Uint8Array(size) };
      break;
    case "ENUM": {
      const dict = target.enumValues ?? [];
      outExpr = `${g.label(rule, dict)} : -1`;
      column = { type: "label", data: new Int16Array(size), dict };
      break;
    }
    case "NUMBER":
      outExpr = `${g.num(rule)} : NaN`;
      column = { type: "num", data: new Float64Array(size) };
      break;
    case "DATE":
      outExpr = `${g.num(rule, true)} : NaN`;
      column = { type: "date", data: new Float64Array(size) };
      break;
    case "TEXT":
      throw new RuleError("TEXT tags are imported, not computed by a rule");
  }
  const { fn, source } = g.build(outExpr);
  const out = column.data;
  return {
    column,
    source,
    evaluate: (exists, from, to) => fn(exists, out, from, Math.min(to, size)),
    run(exists) {
      fn(exists, out, 0, size);
      return column;
    },
  };
}
