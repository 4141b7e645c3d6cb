/**
 * The computation of a set of tags, independent of where the inputs come from:
 *   plan      validate every rule, order tags so dependencies come first, collect the distinct
 *             features they read (extracted by @mkt/db tags/features: one SQL pass per source);
 *   evaluate  run each tag's compiled loop over the typed arrays, in dependency order.
 * Tags whose values come from outside (IMPORTED, MODEL) are passed in as ready columns.
 */
import type { Column } from "@mkt/db/tags/columns";
import { featureKey, type FeatureSpec } from "@mkt/db/tags/feature-spec";
import { checkTagRule, type Signatures, type TagSignature, type TagValueType } from "./check";
import { compileRule } from "./compile";
import { dependencyOrder } from "./graph";
import { RuleError, parseRule, ruleDependencies, ruleFeatures, type Expr } from "./rule";

export interface TagDefinition extends TagSignature {
  id: number;
  version: number;
  /** null: the values come from outside the rule engine (imported, model scores). */
  rule: Expr | null;
}

export interface TagPlan {
  /** Computed tags, dependencies first. */
  order: TagDefinition[];
  /** Distinct features read by the rules. */
  features: FeatureSpec[];
}

export class TagPlanError extends RuleError {
  constructor(
    readonly tagCode: string,
    cause: Error,
  ) {
    super(`tag ${tagCode}: ${cause.message}`);
    this.name = "TagPlanError";
  }
}

/** Parses a stored rule (JSON from the database) into a checked definition. */
export function tagDefinition(row: { id: number; code: string; version: number; valueType: TagValueType; enumValues?: string[]; rule: unknown }): TagDefinition {
  try {
    return { ...row, rule: row.rule == null ? null : parseRule(row.rule) };
  } catch (err) {
    throw new TagPlanError(row.code, err as Error);
  }
}

export function signaturesOf(defs: TagSignature[]): Signatures {
  const byCode = new Map(defs.map((d) => [d.code, d]));
  return (code) => byCode.get(code);
}

/**
 * Checks all rules against each other and orders them. A rule reading a tag outside `defs` is an
 * error (it would read nothing); a dependency cycle is refused with its path.
 */
export function planTags(defs: TagDefinition[]): TagPlan {
  const sigs = signaturesOf(defs);
  const deps = new Map<string, string[]>();
  const features = new Map<string, FeatureSpec>();
  for (const d of defs) {
    if (!d.rule) {
      deps.set(d.code, []);
      continue;
    }
    try {
      checkTagRule(d.rule, d, sigs);
    } catch (err) {
      throw new TagPlanError(d.code, err as Error);
    }
    deps.set(d.code, ruleDependencies(d.rule));
    for (const f of ruleFeatures(d.rule)) features.set(featureKey(f), f);
  }
  const byCode = new Map(defs.map((d) => [d.code, d]));
  return { order: dependencyOrder(deps).map((c) => byCode.get(c)!), features: [...features.values()] };
}

export interface EvaluatedTag {
  def: TagDefinition;
  column: Column;
  ms: number;
}

export interface EvaluateInput {
  exists: Uint8Array;
  /** Extracted features by featureKey. */
  features: Map<string, Column>;
  /** Columns of tags not computed by a rule (IMPORTED, MODEL), by code. */
  external?: Map<string, Column>;
  onBlock?: (done: number, total: number) => void;
}

/** Customers per block: every tag of a block is computed before the next block (see below). */
export const EVALUATION_BLOCK = 16_384;

/**
 * Evaluates the plan; throws TagPlanError naming the first tag that fails. Block by block rather
 * than tag by tag: all tags of 16k customers are computed while those customers' feature values
 * are still in the CPU cache, so each feature array streams from memory once per run instead of
 * once per tag that reads it (at 10M customers a number feature is 80 MB).
 */
export function evaluateTags(plan: TagPlan, input: EvaluateInput): Map<string, EvaluatedTag> {
  const sigs = signaturesOf(plan.order);
  const size = input.exists.length;
  const columns = new Map<string, Column>();
  const env = {
    sigs,
    feature(f: FeatureSpec) {
      const c = input.features.get(featureKey(f));
      if (!c) throw new RuleError(`feature ${featureKey(f)} was not extracted`);
      return c;
    },
    tag(code: string) {
      const c = columns.get(code);
      if (!c) throw new RuleError(`tag ${code} has not been computed`);
      return c;
    },
  };
  const steps = plan.order.map((def) => {
    try {
      if (def.rule) {
        const compiled = compileRule(def.rule, def, env, size);
        columns.set(def.code, compiled.column);
        return { def, compiled, ms: 0 };
      }
      const ext = input.external?.get(def.code);
      if (!ext) throw new RuleError("no values were loaded for this tag");
      columns.set(def.code, ext);
      return { def, compiled: null, ms: 0 };
    } catch (err) {
      throw new TagPlanError(def.code, err as Error);
    }
  });
  const blocks = Math.ceil(size / EVALUATION_BLOCK);
  for (let b = 0; b < blocks; b++) {
    const from = b * EVALUATION_BLOCK;
    const to = Math.min(size, from + EVALUATION_BLOCK);
    for (const step of steps) {
      if (!step.compiled) continue;
      const t0 = performance.now();
      try {
        step.compiled.evaluate(input.exists, from, to);
      } catch (err) {
        throw new TagPlanError(step.def.code, err as Error);
      }
      step.ms += performance.now() - t0;
    }
    input.onBlock?.(b + 1, blocks);
  }
  return new Map(steps.map((s) => [s.def.code, { def: s.def, column: columns.get(s.def.code)!, ms: s.ms }]));
}
