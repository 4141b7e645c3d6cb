/**
 * The resident segment index: everything a rule tree reads, as roaring bitmaps of customer ids,
 * built from PostgreSQL (the truth) — the current tag run's columns (readRunColumns), the
 * real-time overlay, day-bucketed behaviour counts, holdings and the org scope. A rule tree is
 * evaluated as and / or / andNot over these bitmaps, with NOT relative to the caller's scope;
 * a count is the cardinality of (scope ∧ tree).
 */
import type { Db } from "@mkt/db";
import { connectPg, readRunColumns, type PgClient } from "@mkt/db/tags/storage";
import { RoaringBitmap32 } from "../bitmap";
import type { OrgScope } from "../../auth/scope";
import { SegmentRuleError, type SegmentRule, type TagCondition } from "../rule";
import { BehaviorIndex } from "./behavior";
import { loadSegmentCatalogue, type CatalogueTag } from "./catalogue";
import { bankDay } from "./days";
import { HoldingIndex } from "./holding";
import { TagOverlay } from "./overlay";
import { inRange } from "./range";
import { ScopeIndex } from "./scope";
import { batchMatches, buildTagIndex, emptyTagIndex, leafLabels, leafRange, numeric, type TagIndex } from "./tag-index";

export interface SegmentIndexParts {
  catalogue: Map<string, CatalogueTag>;
  tags: Map<string, TagIndex>;
  scopes: ScopeIndex;
  behavior: BehaviorIndex;
  holdings: HoldingIndex;
  runId: number | null;
  /** The current run's as-of time (ms): real-time values must be newer to overlay. */
  runAsOf: number;
}

interface Result {
  b: RoaringBitmap32;
  neg: boolean;
  /** Made during this evaluation: may be modified in place. */
  own: boolean;
}

function union(kids: Result[]): Result {
  if (kids.length === 0) return { b: new RoaringBitmap32(), neg: false, own: true };
  if (kids.length === 1) return { ...kids[0]!, neg: false };
  return { b: RoaringBitmap32.orMany(kids.map((k) => k.b)), neg: false, own: true };
}

function intersect(acc: Result, other: RoaringBitmap32): Result {
  return acc.own ? { ...acc, b: acc.b.andInPlace(other) } : { b: RoaringBitmap32.and(acc.b, other), neg: false, own: true };
}

export interface BuildStats {
  ms: number;
  customers: number;
  tags: number;
}

async function withClients<T>(url: string, n: number, fn: (clients: PgClient[]) => Promise<T>): Promise<T> {
  const clients: PgClient[] = [];
  try {
    for (let i = 0; i < n; i++) clients.push(await connectPg(url));
    return await fn(clients);
  } finally {
    await Promise.all(clients.map((c) => (c as unknown as { end(): Promise<void> }).end().catch(() => undefined)));
  }
}

export class SegmentIndex {
  readonly overlays = new Map<string, TagOverlay>();
  readonly builtAt = Date.now();
  stats: BuildStats = { ms: 0, customers: 0, tags: 0 };

  constructor(readonly parts: SegmentIndexParts) {}

  get runId(): number | null {
    return this.parts.runId;
  }
  get maxCustomerId(): number {
    return this.parts.scopes.maxId;
  }
  get catalogue(): Map<string, CatalogueTag> {
    return this.parts.catalogue;
  }

  /** Loads the index from the database (three connections in parallel). */
  static async build(db: Db, databaseUrl: string, now = new Date()): Promise<SegmentIndex> {
    const t0 = Date.now();
    const catalogue = await loadSegmentCatalogue(db);
    const index = await withClients(databaseUrl, 3, async ([a, b, c]) => {
      const { rows } = await a!.query<{ id: number; as_of: Date }>("SELECT r.id, r.as_of FROM tag_current_run p JOIN tag_run r ON r.id = p.run_id WHERE p.id = 1");
      const run = rows[0];
      const scopes = await ScopeIndex.load(a!);
      const maxId = scopes.maxId;
      const [tags, behavior, holdings] = await Promise.all([
        (async () => {
          const cols = run ? await readRunColumns(a!, { runId: run.id, tagIds: [...catalogue.values()].map((t) => t.id), size: maxId + 1 }) : new Map();
          const out = new Map<string, TagIndex>();
          for (const t of catalogue.values()) {
            const col = cols.get(t.id);
            out.set(t.code, col ? buildTagIndex(t.code, col) : emptyTagIndex(t.code, t.valueType));
            cols.delete(t.id); // let the column go once indexed (range tags keep theirs)
          }
          return out;
        })(),
        BehaviorIndex.load(b!, bankDay(now), maxId),
        HoldingIndex.load(c!, maxId),
      ]);
      const index = new SegmentIndex({ catalogue, tags, scopes, behavior, holdings, runId: run?.id ?? null, runAsOf: run ? run.as_of.getTime() : -Infinity });
      const overlay = await a!.query<{ code: string; customer_id: number; value_num: number | null; expires_at: Date | null }>(
        `SELECT t.code, v.customer_id, v.value_num, v.expires_at FROM realtime_tag_value v JOIN tag t ON t.id = v.tag_id
          WHERE t.source_kind = 'REALTIME' AND t.status = 'PUBLISHED' AND v.updated_at > $1 AND (v.expires_at IS NULL OR v.expires_at > now())`,
        [run ? run.as_of : new Date(0)],
      );
      for (const r of overlay.rows) index.setRealtime(r.code, r.customer_id, r.value_num, r.expires_at ? r.expires_at.getTime() : Infinity);
      return index;
    });
    index.stats = { ms: Date.now() - t0, customers: index.parts.scopes.maxId, tags: catalogue.size };
    return index;
  }

  /** Applies a real-time tag value (from the database or the "tag changed" stream). */
  setRealtime(tagCode: string, customerId: number, value: number | null, expiresAt: number): void {
    const tag = this.parts.catalogue.get(tagCode);
    if (!tag?.realtime || customerId > this.maxCustomerId) return;
    let o = this.overlays.get(tagCode);
    if (!o) this.overlays.set(tagCode, (o = new TagOverlay()));
    o.set(customerId, value, expiresAt);
  }

  /** Customers visible in a scope (shared: do not modify). */
  scopeCustomers(scope: OrgScope): RoaringBitmap32 {
    return this.parts.scopes.customers(scope);
  }

  /**
   * The members of a rule within a scope. `segments` holds the members of every segment the
   * rule refers to (resolved by the caller beforehand).
   */
  evaluate(rule: SegmentRule, scope: OrgScope, segments: Map<string, RoaringBitmap32>, now: Date): RoaringBitmap32 {
    const universe = this.scopeCustomers(scope);
    const r = this.node(rule, segments, bankDay(now));
    return r.neg ? RoaringBitmap32.andNot(universe, r.b) : RoaringBitmap32.and(universe, r.b);
  }

  count(rule: SegmentRule, scope: OrgScope, segments: Map<string, RoaringBitmap32>, now: Date): number {
    const universe = this.scopeCustomers(scope);
    const r = this.node(rule, segments, bankDay(now));
    const inside = universe.andCardinality(r.b);
    return r.neg ? universe.size - inside : inside;
  }

  /**
   * A node's customers as `b`, or — when `neg` — everyone in scope except `b` (De Morgan keeps
   * NOT from materialising scope-sized complements; the root applies the scope once). `b` may
   * hold customers outside the scope. Bitmaps made here (`own`) are combined in place; those of
   * the index are shared and never modified.
   */
  private node(n: SegmentRule, segments: Map<string, RoaringBitmap32>, today: number): Result {
    switch (n.kind) {
      case "group": {
        const r = n.op === "and" ? this.and(n.children.map((c) => this.node(c, segments, today))) : this.or(n.children.map((c) => this.node(c, segments, today)));
        return n.not ? { ...r, neg: !r.neg } : r;
      }
      case "tag": {
        const matches = this.tag(n, today);
        return { b: matches, neg: n.op === "isEmpty", own: false };
      }
      case "behavior":
        return { b: this.parts.behavior.didAtLeast(n.source, n.eventType, n.atLeast, n.lastDays, today), neg: !n.did, own: false };
      case "holding":
        return { b: this.parts.holdings.held(n), neg: !n.held, own: false };
      case "segment": {
        const members = segments.get(n.segmentId);
        if (!members) throw new SegmentRuleError(`segment ${n.segmentId} was not resolved`);
        return { b: members, neg: !n.in, own: false };
      }
    }
  }

  /** p1 ∧ p2 ∧ ¬n1 ∧ ¬n2 = (p1 ∧ p2) \ (n1 ∪ n2); with no p: ¬(n1 ∪ n2). Empty: everyone. */
  private and(kids: Result[]): Result {
    const pos = kids.filter((k) => !k.neg).sort((a, b) => a.b.size - b.b.size);
    const negs = kids.filter((k) => k.neg);
    if (pos.length === 0) return { ...union(negs), neg: true };
    let acc = pos[0]!;
    for (let i = 1; i < pos.length && acc.b.size > 0; i++) acc = intersect(acc, pos[i]!.b);
    for (const k of negs) {
      if (acc.b.size === 0) break;
      acc = acc.own ? { ...acc, b: acc.b.andNotInPlace(k.b) } : { b: RoaringBitmap32.andNot(acc.b, k.b), neg: false, own: true };
    }
    return acc;
  }

  /** p1 ∨ p2 ∨ ¬n1 ∨ ¬n2 = ¬((n1 ∧ n2) \ (p1 ∨ p2)). Empty: no one. */
  private or(kids: Result[]): Result {
    const negs = kids.filter((k) => k.neg);
    const pos = kids.filter((k) => !k.neg);
    if (negs.length === 0) return union(pos);
    const inner = this.and([...negs.map((k) => ({ ...k, neg: false })), ...(pos.length ? [{ ...union(pos), neg: true }] : [])]);
    return { ...inner, neg: true };
  }

  /** Customers with a value satisfying the condition (for isEmpty: with a value at all). */
  private tag(leaf: TagCondition, today: number): RoaringBitmap32 {
    const t = this.parts.tags.get(leaf.tag);
    const info = this.parts.catalogue.get(leaf.tag);
    if (!t || !info) throw new SegmentRuleError(`unknown or unpublished tag ${leaf.tag}`);
    let matches = batchMatches(t, leaf, today);
    const overlay = this.overlays.get(leaf.tag);
    if (overlay) {
      overlay.expire(Date.now());
      matches = overlay.apply(matches, (v) => overlayAccepts(leaf, info, v, today));
    }
    return matches;
  }

  /** Approximate bytes held (bitmaps and aggregates). */
  sizeInBytes(): number {
    let s = this.parts.scopes.sizeInBytes() + this.parts.behavior.sizeInBytes() + this.parts.holdings.sizeInBytes();
    for (const t of this.parts.tags.values()) {
      s += t.values.type === "range" ? t.values.index.sizeInBytes() + t.values.index.values.length * 8 : 0;
      if (t.values.type !== "range") for (const b of t.values.byValue.values()) s += b.getSerializationSizeInBytes("croaring");
      if (t.values.type !== "range") s += t.has.getSerializationSizeInBytes("croaring");
    }
    return s;
  }
}

/**
 * Whether a real-time value satisfies a condition, as the view presents it: value_num is the
 * number (BOOLEAN 1/0, ENUM the position in the tag's enum values); the label of a BOOLEAN is
 * 'true'/'false', of an ENUM its value; real-time DATE and TEXT values have no date or label.
 */
function overlayAccepts(leaf: TagCondition, info: CatalogueTag, v: number, today: number): boolean {
  if (leaf.op === "isEmpty" || leaf.op === "isNotEmpty") return true;
  switch (info.valueType) {
    case "NUMBER": {
      if (leaf.op === "ne") return v !== numeric("NUMBER", leaf.value);
      if (leaf.op === "in" || leaf.op === "notIn") return leaf.values.map(Number).includes(v) === (leaf.op === "in");
      const r = leafRange(leaf, "NUMBER", today);
      return r ? inRange(v, r) : false;
    }
    case "BOOLEAN":
    case "ENUM": {
      const label = info.valueType === "BOOLEAN" ? (v === 1 ? "true" : v === 0 ? "false" : null) : (info.enumValues?.[v] ?? null);
      if (label === null) return false;
      const all = info.valueType === "BOOLEAN" ? ["true", "false"] : (info.enumValues ?? []);
      return leafLabels(leaf, info.valueType, all)?.has(label) ?? false;
    }
    default:
      return false;
  }
}
