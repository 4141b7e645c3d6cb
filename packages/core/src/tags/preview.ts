/**
 * Live preview of a rule before it is submitted: the rule is checked against the published
 * catalogue, its features extracted for a sample of customers (every k-th id), the tags it reads
 * taken from the current run, and the distribution returned — counts only, no customer data.
 */
import type { Db } from "@mkt/db";
import { asOf } from "@mkt/db/tags/as-of";
import type { Column } from "@mkt/db/tags/columns";
import { featureKey } from "@mkt/db/tags/feature-spec";
import { extractFeatures, maxCustomerId, withSharedSnapshot } from "@mkt/db/tags/features";
import { connectPg, readRunColumns, withPgClient } from "@mkt/db/tags/storage";
import { DomainError } from "../domain-error";
import { checkTagRule, type TagValueType } from "./check";
import { compileRule } from "./compile";
import { loadPublishedTags } from "./definitions";
import { parseRule, RuleError, ruleDependencies, ruleFeatures } from "./rule";
import { columnStats, type Distribution } from "./stats";

export interface PreviewInput {
  rule: unknown;
  valueType: TagValueType;
  enumValues?: string[];
  /** About this many customers (default 20,000). */
  sample?: number;
}

export interface PreviewResult {
  customers: number;
  nonNull: number;
  coverage: number;
  distribution: Distribution;
  ms: number;
}

export async function previewTagRule(db: Db, databaseUrl: string, input: PreviewInput, now = new Date()): Promise<PreviewResult> {
  const t0 = performance.now();
  const target = { code: "PREVIEW", valueType: input.valueType, enumValues: input.enumValues };
  const published = await loadPublishedTags(db);
  const sigs = (code: string) => published.find((t) => t.code === code);
  let rule;
  try {
    rule = parseRule(input.rule);
    checkTagRule(rule, target, sigs);
  } catch (err) {
    if (err instanceof RuleError) throw new DomainError("BAD_REQUEST", err.message);
    throw err;
  }
  const deps = ruleDependencies(rule).map((code) => sigs(code)!);
  const at = asOf(now);
  const { maxId, sampleEvery } = await withPgClient(databaseUrl, async (c) => {
    const maxId = await maxCustomerId(c);
    return { maxId, sampleEvery: Math.max(1, Math.floor(maxId / (input.sample ?? 20_000))) };
  });
  const extracted = await withSharedSnapshot(() => connectPg(databaseUrl), 1, (clients) => extractFeatures(clients, ruleFeatures(rule), at, { maxId, sampleEvery }));
  const tags = deps.length
    ? await withPgClient(databaseUrl, (c) => readRunColumns(c, { tagIds: deps.map((d) => d.id), size: extracted.size }))
    : new Map();
  const byCode = new Map<string, Column>(deps.map((d) => [d.code, tags.get(d.id)?.column]).filter((e): e is [string, Column] => !!e[1]));
  const missing = deps.filter((d) => !byCode.has(d.code)).map((d) => d.code);
  if (missing.length) throw new DomainError("PRECONDITION_FAILED", `no computed values yet for ${missing.join(", ")}: run the tags first`);
  const compiled = compileRule(rule, target, { sigs, feature: (f) => extracted.columns.get(featureKey(f))!, tag: (code) => byCode.get(code)! }, extracted.size);
  const column = compiled.run(extracted.exists);
  const s = columnStats(column, extracted.exists, extracted.customers);
  return { customers: s.customers, nonNull: s.nonNull, coverage: s.coverage, distribution: s.distribution, ms: Math.round(performance.now() - t0) };
}
