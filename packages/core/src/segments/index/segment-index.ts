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
import { inRange, type Made } from "./range";
import { ScopeIndex } from "./scope";
import { batchMatches, batchTerm, buildTagIndex, emptyTagIndex, leafLabels, leafRange, numeric, type TagIndex, type Term } from "./tag-index";

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

/** A node's answer: the customers of `b`, or — when `neg` — everyone in scope except `b`. */
interface Result {
  b: RoaringBitmap32;
  neg: boolean;
}

/**
 * One evaluation: the bitmaps made during it (freed with `clear()` at the end, so native memory
 * is returned at once instead of waiting for V8 to collect the wrappers — at 10M customers a
 * dense intermediate is ~1.2 MB and garbage collections triggered by that external memory were
 * the long pauses of the first version).
 */
class Evaluation {
  private readonly made = new Set<RoaringBitmap32>();
  private readonly later: RoaringBitmap32[] = [];
  constructor(
    readonly segments: Map<string, RoaringBitmap32>,
    readonly today: number,
  ) {}
  /** Records a bitmap made here (it may be modified in place and is freed at the end). */
  own(b: RoaringBitmap32): RoaringBitmap32 {
    this.made.add(b);
    return b;
  }
  isOwn(b: RoaringBitmap32): boolean {
    return this.made.has(b);
  }
  /** Hands a bitmap over to someone else (the caller, the leaf cache). */
  release(b: RoaringBitmap32): RoaringBitmap32 {
    this.made.delete(b);
    return b;
  }
  free(b: RoaringBitmap32): void {
    if (this.made.delete(b)) b.clear();
  }
  /** Frees a bitmap at the end (read-only until then: it may still be in this evaluation's terms). */
  freeLater(b: RoaringBitmap32): void {
    this.later.push(b);
  }
  done(): void {
    for (const b of this.made) b.clear();
    for (const b of this.later) b.clear();
    this.made.clear();
    this.later.length = 0;
  }
}

/** Leaf bitmaps kept across evaluations (the builder re-counts similar trees as a rule is edited). */
class LeafCache {
  private readonly entries = new Map<string, { b: RoaringBitmap32; bytes: number }>();
  private bytes = 0;
  hits = 0;
  misses = 0;
  constructor(private readonly maxBytes: number) {}
  get(key: string): RoaringBitmap32 | undefined {
    const e = this.entries.get(key);
    if (!e) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key); // LRU: move to the end
    this.entries.set(key, e);
    return e.b;
  }
  /** Keeps `b` (null: too large to keep); returns the entries evicted to make room. */
  set(key: string, b: RoaringBitmap32): RoaringBitmap32[] | null {
    const bytes = b.getSerializationSizeInBytes("croaring");
    const evicted: RoaringBitmap32[] = [];
    if (bytes > this.maxBytes / 8) return null;
    this.entries.set(key, { b, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
      evicted.push(e.b);
    }
    return evicted;
  }
  clear(): void {
    for (const e of this.entries.values()) e.b.clear();
    this.entries.clear();
    this.bytes = 0;
  }
  get size(): number {
    return this.entries.size;
  }
  get sizeInBytes(): number {
    return this.bytes;
  }
}

export interface BuildStats {
  ms: number;
  customers: number;
  tags: number;
}

async function withClients<T>(url: string, n: number, fn: (clients: PgClient[]) => Promise<T>): Promise<T> {
  const clients: PgClient[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const c = await connectPg(url);
      clients.push(c);
      // Big scans and aggregates: hash in memory rather than spill, and no JIT compile per query.
      await c.query("SET work_mem = '256MB'; SET jit = off");
    }
    return await fn(clients);
  } finally {
    await Promise.all(clients.map((c) => (c as unknown as { end(): Promise<void> }).end().catch(() => undefined)));
  }
}

/** Budget of the leaf cache (bitmaps in croaring's size; dense ones at 10M are ~1.2 MB). */
const LEAF_CACHE_BYTES = 128 * 1048576;

function negate(r: Result): Term {
  return r.neg ? { pos: [r.b], neg: [], made: [] } : { pos: [], neg: [r.b], made: [] };
}
function fromResult(r: Result): Term {
  return r.neg ? { pos: [], neg: [r.b], made: [] } : { pos: [r.b], neg: [], made: [] };
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

  /** Leaf bitmaps computed for earlier counts (cleared by `clearLeafCache`, e.g. between benchmark trees). */
  private readonly leafCache = new LeafCache(LEAF_CACHE_BYTES);

  clearLeafCache(): void {
    this.leafCache.clear();
    this.leafCache.hits = this.leafCache.misses = 0;
  }

  leafCacheStats(): { hits: number; misses: number; entries: number; bytes: number } {
    return { hits: this.leafCache.hits, misses: this.leafCache.misses, entries: this.leafCache.size, bytes: this.leafCache.sizeInBytes };
  }

  /**
   * The members of a rule within a scope. `segments` holds the members of every segment the
   * rule refers to (resolved by the caller beforehand). A new bitmap the caller may keep.
   */
  evaluate(rule: SegmentRule, scope: OrgScope, segments: Map<string, RoaringBitmap32>, now: Date): RoaringBitmap32 {
    const ev = new Evaluation(segments, bankDay(now));
    try {
      const t = this.node(rule, ev);
      const r = this.materialise({ pos: [this.scopeCustomers(scope), ...t.pos], neg: t.neg, made: [] }, ev);
      return ev.isOwn(r.b) ? ev.release(r.b) : r.b.clone();
    } finally {
      ev.done();
    }
  }

  /**
   * The number of members: the tree's conjunction with the scope, intersected smallest first,
   * the last step a cardinality (andCardinality / andNotCardinality) that makes no bitmap.
   */
  count(rule: SegmentRule, scope: OrgScope, segments: Map<string, RoaringBitmap32>, now: Date): number {
    const ev = new Evaluation(segments, bankDay(now));
    try {
      const t = this.node(rule, ev);
      const universe = this.scopeCustomers(scope);
      // A scope of every customer adds nothing to a conjunction that has a positive part (every
      // bitmap of the index holds customers 1…maxId only; segment members may hold newer ones).
      const everyone = universe.size === this.maxCustomerId && segments.size === 0 && t.pos.length > 0;
      const pos = (everyone ? [...t.pos] : [universe, ...t.pos]).sort((a, b) => a.size - b.size);
      const ops: [RoaringBitmap32, boolean][] = [...pos.slice(1).map((b) => [b, true] as [RoaringBitmap32, boolean]), ...t.neg.map((b) => [b, false] as [RoaringBitmap32, boolean])];
      let acc = pos[0]!;
      for (let i = 0; i < ops.length; i++) {
        if (acc.isEmpty) return 0;
        const [b, and] = ops[i]!;
        if (i === ops.length - 1) return and ? acc.andCardinality(b) : acc.andNotCardinality(b);
        acc = ev.isOwn(acc) ? (and ? acc.andInPlace(b) : acc.andNotInPlace(b)) : ev.own(and ? RoaringBitmap32.and(acc, b) : RoaringBitmap32.andNot(acc, b));
      }
      return acc.size;
    } finally {
      ev.done();
    }
  }

  /**
   * A node as a conjunction (De Morgan keeps NOT from materialising scope-sized complements; the
   * root applies the scope once). Bitmaps made here are recorded in `ev` and combined in place;
   * those of the index and the leaf cache are shared and never modified.
   */
  private node(n: SegmentRule, ev: Evaluation): Term {
    switch (n.kind) {
      case "group": {
        if (n.op === "and") {
          const t: Term = { pos: [], neg: [], made: [] };
          for (const c of n.children) {
            const k = this.node(c, ev);
            t.pos.push(...k.pos);
            t.neg.push(...k.neg);
          }
          return n.not ? negate(this.materialise(t, ev)) : t;
        }
        const r = this.or(n.children.map((c) => this.materialise(this.node(c, ev), ev)), ev);
        return n.not ? negate(r) : fromResult(r);
      }
      case "tag":
        return this.tag(n, ev);
      case "behavior": {
        const b = this.cached(`b|${n.source}|${n.eventType}|${n.atLeast}|${n.lastDays}|${ev.today}`, ev, () => this.parts.behavior.didAtLeast(n.source, n.eventType, n.atLeast, n.lastDays, ev.today));
        return n.did ? { pos: [b], neg: [], made: [] } : { pos: [], neg: [b], made: [] };
      }
      case "holding": {
        const b = this.cached(`h|${n.category ?? ""}|${n.productCode ?? ""}|${n.minAmount ?? ""}`, ev, () => this.parts.holdings.held(n));
        return n.held ? { pos: [b], neg: [], made: [] } : { pos: [], neg: [b], made: [] };
      }
      case "segment": {
        const members = ev.segments.get(n.segmentId);
        if (!members) throw new SegmentRuleError(`segment ${n.segmentId} was not resolved`);
        return n.in ? { pos: [members], neg: [], made: [] } : { pos: [], neg: [members], made: [] };
      }
    }
  }

  /** A leaf's bitmap from the cache, or made now (and cached when it was made for it). */
  private cached(key: string, ev: Evaluation, make: () => Made): RoaringBitmap32 {
    const hit = this.leafCache.get(key);
    if (hit) return hit;
    const m = make();
    if (m.own) this.keep(key, m.b, ev);
    return m.b;
  }

  /** A conjunction as one bitmap: smallest `pos` first, then the others and the `neg`s in place. */
  private materialise(t: Term, ev: Evaluation): Result {
    if (t.pos.length === 0) {
      if (t.neg.length === 0) return { b: ev.own(new RoaringBitmap32()), neg: true };
      if (t.neg.length === 1) return { b: t.neg[0]!, neg: true };
      return { b: ev.own(RoaringBitmap32.orMany(t.neg)), neg: true };
    }
    const pos = t.pos.length > 1 ? [...t.pos].sort((a, b) => a.size - b.size) : t.pos;
    let acc = pos[0]!;
    const step = (b: RoaringBitmap32, and: boolean) => {
      if (ev.isOwn(acc)) acc = and ? acc.andInPlace(b) : acc.andNotInPlace(b);
      else acc = ev.own(and ? RoaringBitmap32.and(acc, b) : RoaringBitmap32.andNot(acc, b));
    };
    for (let i = 1; i < pos.length && !acc.isEmpty; i++) step(pos[i]!, true);
    for (const n of t.neg) if (!acc.isEmpty) step(n, false);
    return { b: acc, neg: false };
  }

  /** p1 ∨ p2 ∨ ¬n1 ∨ ¬n2 = ¬((n1 ∧ n2) \ (p1 ∨ p2)). Empty: no one. */
  private or(kids: Result[], ev: Evaluation): Result {
    const negs = kids.filter((k) => k.neg).map((k) => k.b);
    const pos = kids.filter((k) => !k.neg).map((k) => k.b);
    const union = (): RoaringBitmap32 => {
      if (pos.length === 1) return pos[0]!;
      const own = pos.find((p) => ev.isOwn(p));
      if (own && pos.length <= 3) {
        for (const p of pos) if (p !== own) own.orInPlace(p);
        return own;
      }
      const u = ev.own(RoaringBitmap32.orMany(pos));
      for (const p of pos) ev.free(p);
      return u;
    };
    if (negs.length === 0) return pos.length ? { b: union(), neg: false } : { b: ev.own(new RoaringBitmap32()), neg: false };
    const inner = this.materialise({ pos: negs, neg: pos.length ? [union()] : [], made: [] }, ev);
    return { b: inner.b, neg: true };
  }

  /** A tag condition as a conjunction (for isEmpty: everyone but those with a value). */
  private tag(leaf: TagCondition, ev: Evaluation): Term {
    const t = this.parts.tags.get(leaf.tag);
    const info = this.parts.catalogue.get(leaf.tag);
    if (!t || !info) throw new SegmentRuleError(`unknown or unpublished tag ${leaf.tag}`);
    const overlay = info.realtime ? this.overlays.get(leaf.tag) : undefined;
    if (overlay && overlay.size > 0) {
      const batch = batchMatches(t, leaf, ev.today);
      if (batch.own) ev.own(batch.b);
      overlay.expire(Date.now());
      const b = overlay.apply(batch.b, (v) => overlayAccepts(leaf, info, v, ev.today));
      if (b !== batch.b) ev.own(b);
      return leaf.op === "isEmpty" ? { pos: [], neg: [b], made: [] } : { pos: [b], neg: [], made: [] };
    }
    if (leaf.op === "isEmpty") return { pos: [], neg: [t.has], made: [] };
    const key = `t|${leaf.tag}|${JSON.stringify(leaf)}|${ev.today}`;
    const hit = this.leafCache.get(key);
    if (hit) return { pos: [hit], neg: [], made: [] };
    const term = batchTerm(t, leaf, ev.today);
    for (const m of term.made) ev.own(m);
    // A single bitmap made for this leaf is worth keeping; ≠ / not in stay a cheap conjunction.
    if (term.pos.length === 1 && term.neg.length === 0 && ev.isOwn(term.pos[0]!) && !info.realtime) this.keep(key, ev.release(term.pos[0]!), ev);
    return term;
  }

  /** Puts a bitmap made for a leaf into the cache (read-only from now on). */
  private keep(key: string, b: RoaringBitmap32, ev: Evaluation): void {
    const evicted = this.leafCache.set(key, b);
    if (!evicted) ev.freeLater(b);
    else for (const old of evicted) ev.freeLater(old);
  }

  /** Approximate bytes held (bitmaps and aggregates). */
  sizeInBytes(): number {
    let s = this.parts.scopes.sizeInBytes() + this.parts.behavior.sizeInBytes() + this.parts.holdings.sizeInBytes();
    for (const t of this.parts.tags.values()) {
      s += t.values.type === "range" ? t.values.index.sizeInBytes() : 0;
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
