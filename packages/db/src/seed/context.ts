/**
 * Everything the generator precomputes once per run: the org tree and staff as UTF-8 bytes, the
 * product catalogue, the distributions it draws from, and the reporting dates.
 */
import { utf8 } from "./copy/binary-writer";
import { dayFromIso, monthStart, ymd } from "./calendar";
import { BRANCHES, MIGRANT_AREA_CODES, orgUnits } from "./reference/org";
import { MERCHANTS, OCCUPATIONS, SURNAMES } from "./reference/people";
import { PRODUCTS } from "./reference/products";
import { Weighted } from "./rng";
import { buildRoster, type Roster } from "./staff";

export interface GeneratorOptions {
  /** Number of customers (ids 1..customers). */
  customers: number;
  seed: number;
  /** The business date the data is as of (YYYY-MM-DD, Shanghai); history covers the 12 months before. */
  asOf: string;
}

export interface SubBranchCtx {
  index: number;
  id: Uint8Array;
  path: Uint8Array;
  province: Uint8Array;
  city: Uint8Array;
  branchIndex: number;
  /** Indices into GeneratorContext.areaCodes of the city's districts. */
  localAreas: number[];
  rms: Uint8Array[];
}

export interface GeneratorContext {
  options: GeneratorOptions;
  asOfDay: number;
  /** First day of each of the 12 reporting months, oldest first; the last is the as-of month. */
  months: number[];
  /** First days and month numbers (1–12) of the 13 months the 365-day history window touches. */
  windowMonthFirst: Int32Array;
  windowMonthNumber: Uint8Array;
  roster: Roster;
  subBranches: SubBranchCtx[];
  subBranchPick: Weighted;
  /** All area codes (local districts first, then migrant birthplaces). */
  areaCodes: string[];
  migrantAreas: number[];
  surnamePick: Weighted;
  occupationPick: [young: Weighted, working: Weighted, senior: Weighted];
  merchantPick: Weighted;
  productsByCategory: Map<string, number[]>;
}

export function createContext(options: GeneratorOptions): GeneratorContext {
  const asOfDay = dayFromIso(options.asOf);
  const roster = buildRoster(options.seed, options.customers);
  const { subBranches } = orgUnits();
  const areaCodes: string[] = [];
  const areaIndex = (code: string) => {
    const i = areaCodes.indexOf(code);
    if (i >= 0) return i;
    areaCodes.push(code);
    return areaCodes.length - 1;
  };
  const localAreasByBranch = BRANCHES.map((b) => b.areaCodes.map(areaIndex));
  const migrantAreas = MIGRANT_AREA_CODES.map(areaIndex);
  const subs: SubBranchCtx[] = subBranches.map((sb, index) => ({
    index,
    id: utf8(sb.id),
    path: utf8(sb.path),
    province: utf8(sb.branch.province),
    city: utf8(sb.branch.city),
    branchIndex: sb.branchIndex,
    localAreas: localAreasByBranch[sb.branchIndex]!,
    rms: roster.rmsBySubBranch[index]!.map(utf8),
  }));
  const productsByCategory = new Map<string, number[]>();
  PRODUCTS.forEach((p, i) => {
    const list = productsByCategory.get(p.category) ?? [];
    list.push(i + 1);
    productsByCategory.set(p.category, list);
  });
  return {
    options,
    asOfDay,
    months: Array.from({ length: 12 }, (_, i) => monthStart(asOfDay, i - 11)),
    windowMonthFirst: Int32Array.from({ length: 13 }, (_, i) => monthStart(asOfDay, i - 12)),
    windowMonthNumber: Uint8Array.from({ length: 13 }, (_, i) => ymd(monthStart(asOfDay, i - 12)).m),
    roster,
    subBranches: subs,
    subBranchPick: new Weighted(subBranches.map((s) => s.branch.weight / s.branch.subBranches.length)),
    areaCodes,
    migrantAreas,
    surnamePick: new Weighted(SURNAMES.map(([, w]) => w)),
    occupationPick: [
      new Weighted(OCCUPATIONS.map((o) => o[1])),
      new Weighted(OCCUPATIONS.map((o) => o[2])),
      new Weighted(OCCUPATIONS.map((o) => o[3])),
    ],
    merchantPick: new Weighted(MERCHANTS.map(([, , w]) => w)),
    productsByCategory,
  };
}
