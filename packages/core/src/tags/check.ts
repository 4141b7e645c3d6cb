/**
 * Type checking of a rule against the catalogue: every node gets a type, every comparison must
 * make sense (a label against one of its values, a number against a number…), and the rule's
 * type must fit the tag it defines. Errors name the JSON path of the node.
 */
import { featureType } from "@mkt/db/tags/feature-spec";
import { RuleError, type Expr } from "./rule";

export type TagValueType = "BOOLEAN" | "ENUM" | "NUMBER" | "DATE" | "TEXT";

/** What a rule needs to know about a tag it reads or defines. */
export interface TagSignature {
  code: string;
  valueType: TagValueType;
  /** ENUM tags: the value codes, in code order. */
  enumValues?: string[];
}

/** `str` is a string constant: a label or an ISO date, decided by what it is compared with. */
export type Ty = "bool" | "num" | "date" | "label" | "text" | "str";

export type Signatures = (code: string) => TagSignature | undefined;

const TAG_TY: Record<TagValueType, Ty> = { BOOLEAN: "bool", ENUM: "label", NUMBER: "num", DATE: "date", TEXT: "text" };

/** The dictionary of a label expression when it is fixed by the rule (tags, buckets, literals). */
export function labelValues(e: Expr, sigs: Signatures): string[] | undefined {
  if ("tag" in e) return sigs(e.tag)?.enumValues;
  if ("const" in e) return typeof e.const === "string" ? [e.const] : undefined;
  if (!("op" in e)) return undefined;
  if (e.op === "bucket") return e.labels;
  if (e.op === "case") {
    const parts = [...e.when.map((w) => w.then), ...(e.else ? [e.else] : [])].map((x) => labelValues(x, sigs));
    if (parts.some((p) => p === undefined)) return undefined;
    return [...new Set(parts.flat() as string[])];
  }
  return undefined;
}

const isIsoDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

export function typeOf(e: Expr, sigs: Signatures, path = ""): Ty {
  const at = (p: string) => (path ? `${path}.${p}` : p);
  const expect = (x: Expr, want: Ty[], p: string): Ty => {
    const t = typeOf(x, sigs, at(p));
    if (!want.includes(t)) throw new RuleError(`expected ${want.join(" or ")}, got ${t}`, at(p));
    return t;
  };
  const labelMember = (x: Expr, value: string, p: string) => {
    const dict = labelValues(x, sigs);
    if (dict && "tag" in x && !dict.includes(value)) throw new RuleError(`"${value}" is not a value of tag ${x.tag}`, at(p));
  };

  if ("const" in e) return typeof e.const === "number" ? "num" : typeof e.const === "boolean" ? "bool" : "str";
  if ("feature" in e) return featureType(e.feature);
  if ("tag" in e) {
    const sig = sigs(e.tag);
    if (!sig) throw new RuleError(`unknown tag ${e.tag}`, path);
    return TAG_TY[sig.valueType];
  }
  switch (e.op) {
    case "and":
    case "or":
      e.args.forEach((a, i) => expect(a, ["bool"], `args.${i}`));
      return "bool";
    case "not":
      expect(e.arg, ["bool"], "arg");
      return "bool";
    case "eq":
    case "ne":
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      const l = typeOf(e.left, sigs, at("left"));
      const r = typeOf(e.right, sigs, at("right"));
      const ordered = e.op !== "eq" && e.op !== "ne";
      const ok = (a: Ty, b: Ty, a2: Expr, b2: Expr, bPath: string): boolean => {
        if (a === "num" && b === "num") return true;
        if (a === "date" && (b === "date" || (b === "str" && "const" in b2 && isIsoDate(String(b2.const))))) return true;
        if (!ordered && a === "bool" && b === "bool") return true;
        if (!ordered && a === "label" && b === "str" && "const" in b2) {
          labelMember(a2, String(b2.const), bPath);
          return true;
        }
        return false;
      };
      if (ok(l, r, e.left, e.right, "right") || ok(r, l, e.right, e.left, "left")) return "bool";
      throw new RuleError(`cannot ${e.op} ${l} with ${r}`, path);
    }
    case "in":
    case "notIn": {
      const l = expect(e.left, ["label", "num"], "left");
      const strings = typeof e.values[0] === "string";
      if ((l === "label") !== strings) throw new RuleError(`${l} compared with ${strings ? "labels" : "numbers"}`, at("values"));
      if (l === "label") e.values.forEach((v, i) => labelMember(e.left, String(v), `values.${i}`));
      return "bool";
    }
    case "between": {
      const l = expect(e.left, ["num", "date"], "left");
      const want = l === "num" ? "number" : "string";
      if (typeof e.min !== want || typeof e.max !== want) throw new RuleError(`between on ${l} needs ${l === "num" ? "numbers" : "ISO dates"}`, path);
      if (e.min > e.max) throw new RuleError("between: min is greater than max", path);
      return "bool";
    }
    case "isNull":
    case "isNotNull":
      expect(e.arg, ["bool", "num", "date", "label", "text"], "arg");
      return "bool";
    case "add":
    case "sub":
    case "mul":
    case "div":
      expect(e.left, ["num"], "left");
      expect(e.right, ["num"], "right");
      return "num";
    case "bucket":
      expect(e.arg, ["num"], "arg");
      return "label";
    case "case": {
      e.when.forEach((w, i) => expect(w.if, ["bool"], `when.${i}.if`));
      const branches = [...e.when.map((w, i) => ({ x: w.then, p: `when.${i}.then` })), ...(e.else ? [{ x: e.else, p: "else" }] : [])];
      const types = branches.map((b) => typeOf(b.x, sigs, at(b.p)));
      const distinct = new Set(types.map((t) => (t === "str" ? "label" : t)));
      if (distinct.size !== 1) throw new RuleError(`case branches have different types: ${[...distinct].join(", ")}`, path);
      const t = [...distinct][0] as Ty;
      if (t === "text") throw new RuleError("case cannot produce text", path);
      return t;
    }
  }
}

/** Checks a rule for the tag it defines; returns nothing, throws RuleError. */
export function checkTagRule(rule: Expr, target: TagSignature, sigs: Signatures): void {
  const t = typeOf(rule, sigs);
  const want = TAG_TY[target.valueType];
  if (target.valueType === "TEXT") throw new RuleError("TEXT tags are imported, not computed by a rule");
  if (t === "str") {
    if (target.valueType !== "ENUM") throw new RuleError(`a constant label cannot define a ${target.valueType} tag`);
  } else if (t !== want) {
    throw new RuleError(`rule gives ${t}, tag ${target.code} is ${target.valueType}`);
  }
  if (target.valueType === "ENUM") {
    // Constants must be values of the tag; labels read from a feature or another tag are mapped
    // by name at run time (a label the tag does not have becomes missing).
    const allowed = target.enumValues ?? [];
    for (const v of producedLiterals(rule)) {
      if (!allowed.includes(v)) throw new RuleError(`"${v}" is not one of the values of ${target.code} (${allowed.join(", ")})`);
    }
  }
}

/** The label constants a rule can produce directly (bucket labels, case branch constants). */
function producedLiterals(e: Expr): string[] {
  if ("const" in e) return typeof e.const === "string" ? [e.const] : [];
  if (!("op" in e)) return [];
  if (e.op === "bucket") return e.labels;
  if (e.op === "case") return [...e.when.map((w) => w.then), ...(e.else ? [e.else] : [])].flatMap(producedLiterals);
  return [];
}
