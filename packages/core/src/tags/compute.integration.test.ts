/**
 * The whole starter library computed on a small seeded bank, checked tag by tag against the
 * independent SQL evaluation (baseline.ts: per-tag INSERT … SELECT of the rule compiled to SQL),
 * through storage (tag_column) and the analysts' view.
 */
import { asOf } from "@mkt/db/tags/as-of";
import { maxCustomerId } from "@mkt/db/tags/features";
import { readRunColumns, withPgClient } from "@mkt/db/tags/storage";
import { seedBank } from "@mkt/db/seed/index";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firstDifference, readBaselineColumn, runBaseline } from "./baseline";
import { planTags } from "./compute";
import { loadPublishedTags } from "./definitions";
import { installTagLibrary } from "./install-library";
import { LIBRARY_TAGS } from "./library";
import { createTagRun, executeTagRun } from "./run";

// The seed's business date and the run that describes it (T+1: 00:00 the next day, bank time).
const SEED_AS_OF = "2026-06-30";
const RUN_AS_OF = new Date("2026-07-01T00:00:00+08:00");

let t: TestDb;
let runId: number;

beforeAll(async () => {
  t = await createTestDb();
  await seedBank(t.url, { customers: 3000, seed: 7, asOf: SEED_AS_OF });
  await installTagLibrary(t.db);
  runId = (await createTagRun(t.db, { trigger: "MANUAL", asOf: RUN_AS_OF })).id;
}, 180_000);
afterAll(async () => t?.drop());

describe("batch run of the starter library", () => {
  it("succeeds, becomes current and records stats for every tag", async () => {
    const summary = await executeTagRun({ db: t.db, databaseUrl: t.url }, runId);
    expect(summary).toMatchObject({ status: "SUCCEEDED", customers: 3000, tags: LIBRARY_TAGS.length, current: true });
    const run = await t.db.tagRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({ status: "SUCCEEDED", progress: 100 });
    expect(Object.keys(run.tagStats as object)).toHaveLength(LIBRARY_TAGS.length);
    expect(await t.db.tagStat.count({ where: { runId } })).toBe(LIBRARY_TAGS.length);
  });

  it("gives every library tag values on the synthetic bank", async () => {
    const stats = await t.db.tagStat.findMany({ where: { runId }, include: { tag: { select: { code: true } } } });
    const empty = stats.filter((s) => s.nonNull === 0).map((s) => s.tag.code);
    expect(empty).toEqual([]);
  });

  it("equals the per-tag SQL evaluation for every tag, value by value", async () => {
    const defs = await loadPublishedTags(t.db);
    const plan = planTags(defs);
    const mismatches = await withPgClient(t.url, async (client) => {
      const maxId = await maxCustomerId(client);
      await runBaseline(client, plan, asOf(RUN_AS_OF), maxId);
      const stored = await readRunColumns(client, { runId, size: maxId + 1 });
      const out: string[] = [];
      for (const def of plan.order) {
        const diff = firstDifference(stored.get(def.id)!.column, await readBaselineColumn(client, def, maxId + 1));
        if (diff) out.push(`${def.code}: customer ${diff.index} platform ${String(diff.a)} baseline ${String(diff.b)}`);
      }
      return out;
    });
    expect(mismatches).toEqual([]);
  });

  it("shows the current run's values through the customer_tag_value view", async () => {
    const rows = await t.db.$queryRaw<{ tag_code: string; n: bigint }[]>`
      SELECT tag_code, count(*) AS n FROM customer_tag_value WHERE tag_code IN ('AUM_BAND', 'PAYROLL_CUSTOMER', 'AGE', 'NEXT_MATURITY_DATE') GROUP BY tag_code`;
    const stats = await t.db.tagStat.findMany({ where: { runId, tag: { code: { in: ["AUM_BAND", "PAYROLL_CUSTOMER", "AGE", "NEXT_MATURITY_DATE"] } } }, include: { tag: true } });
    expect(Object.fromEntries(rows.map((r) => [r.tag_code, Number(r.n)]))).toEqual(Object.fromEntries(stats.map((s) => [s.tag.code, s.nonNull])));
    const [band] = await t.db.$queryRaw<{ value_label: string; value_num: number }[]>`
      SELECT value_label, value_num FROM customer_tag_value WHERE tag_code = 'AUM_BAND' ORDER BY customer_id LIMIT 1`;
    expect(["MASS", "GOLD", "PLATINUM", "PRIVATE"]).toContain(band!.value_label);
  });

  it("customer_tags(id) gives one customer's row of the view without unnesting", async () => {
    const viaView = await t.db.$queryRaw<{ tag_code: string; value_num: number | null; value_label: string | null }[]>`
      SELECT tag_code, value_num, value_label FROM customer_tag_value WHERE customer_id = 17 ORDER BY tag_code`;
    const viaFunction = await t.db.$queryRaw<{ tag_code: string; value_num: number | null; value_label: string | null }[]>`
      SELECT tag_code, value_num, value_label FROM customer_tags(17) ORDER BY tag_code`;
    expect(viaFunction.length).toBeGreaterThan(40);
    expect(viaFunction).toEqual(viaView);
  });

  it("a second execution of a finished run changes nothing", async () => {
    const before = await t.db.tagRun.findUniqueOrThrow({ where: { id: runId } });
    const again = await executeTagRun({ db: t.db, databaseUrl: t.url }, runId);
    expect(again.status).toBe("SUCCEEDED");
    expect(await t.db.tagRun.findUniqueOrThrow({ where: { id: runId } })).toEqual(before);
  });
});
