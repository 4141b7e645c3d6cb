/**
 * The data-quality report (数据质量): per source system and field, how many records, how many
 * empty, how many breaking the data dictionary's rule, plus duplicate certificates and the last
 * load. One statement over source_record: a single scan normalises each record once, then
 * GROUP BY source_system with FILTER clauses counts every field, and two small groupings find
 * shared certificates. Only records whose golden customer is inside the caller's scope count.
 */
import { z } from "zod";
import { Prisma, type Db } from "@mkt/db";
import { customerScopeSql } from "../auth/scope-query";
import type { OrgScope } from "../auth/scope";
import {
  certNormSql,
  convertibleBirthDateSql,
  convertibleGenderSql,
  dateTextSql,
  emptySql,
  phoneNormSql,
  validBirthDateSql,
  validCertSql,
  validEmailSql,
  validGenderSql,
  validMobileSql,
  validNameSql,
} from "./rules-sql";

/**
 * The source-record fields judged, with the rule (as SQL over the normalised row `n`, see
 * NORMALISED) a non-empty value must meet, and — where source systems commonly keep another
 * coding — the rule for a value that is not in the dictionary's form but converts to it
 * ("non-standard", counted apart from invalid values).
 */
export const QUALITY_FIELDS: readonly { field: string; column: string; valid: string; convertible?: string }[] = [
  { field: "name", column: "name", valid: validNameSql("n.name") },
  { field: "cert_no", column: "cert_no", valid: validCertSql("n.cert_n", "n.cert_type") },
  { field: "phone", column: "phone", valid: validMobileSql("n.phone_n") },
  { field: "email", column: "email", valid: validEmailSql("n.email") },
  { field: "birth_date", column: "birth_date", valid: validBirthDateSql("n.birth_n"), convertible: convertibleBirthDateSql("n.birth_n") },
  { field: "gender", column: "gender", valid: validGenderSql("n.gender"), convertible: convertibleGenderSql("n.gender") },
];

/** Each record's raw columns plus their normalised forms, computed once per row. */
const NORMALISED = `
  sr.source_system, sr.customer_id, sr.loaded_at, sr.name, sr.cert_type, sr.cert_no, sr.phone, sr.email, sr.birth_date, sr.gender,
  ${certNormSql("sr.cert_no")} AS cert_n, ${phoneNormSql("sr.phone")} AS phone_n, ${dateTextSql("sr.birth_date")} AS birth_n`;

const fieldStats = z.object({
  field: z.string(),
  nullCount: z.number(),
  nullRate: z.number(),
  invalidCount: z.number(),
  /** Of the non-empty values. */
  invalidRate: z.number(),
  /** Not in the dictionary's form but convertible to it (e.g. 男 for M, 19900101 for 1990-01-01). */
  nonStandardCount: z.number(),
  /** Of the non-empty values. */
  nonStandardRate: z.number(),
});

export const qualityReportOutput = z.object({
  generatedAt: z.date(),
  sources: z.array(
    z.object({
      sourceSystem: z.string(),
      records: z.number(),
      customers: z.number(),
      /** The newest source record load. */
      lastLoadedAt: z.date().nullable(),
      /** The newest applied import batch of this source in the caller's subtree (re-sent unchanged rows leave lastLoadedAt as it was). */
      lastImportAt: z.date().nullable(),
      duplicates: z.object({
        /** Records whose certificate also belongs to another golden customer (a merge that did not happen). */
        certAcrossCustomers: z.number(),
        /** Records whose certificate this source holds under more than one source key. */
        certMultipleKeys: z.number(),
      }),
      fields: z.array(fieldStats),
    }),
  ),
});
export type QualityReport = z.infer<typeof qualityReportOutput>;

/** A few seconds per million source records; generous for a cold cache on a busy machine. */
const REPORT_TIMEOUT_MS = 5 * 60_000;

const rate = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 10_000) / 10_000);

export async function dataQualityReport(db: Db, scope: OrgScope): Promise<QualityReport> {
  const counts = QUALITY_FIELDS.flatMap((f) => {
    const col = `n.${f.column}`;
    const nonStandard = f.convertible ?? "false";
    return [
      `count(*) FILTER (WHERE ${emptySql(col)})::int AS "${f.field}_null"`,
      `count(*) FILTER (WHERE NOT ${emptySql(col)} AND NOT ${f.valid} AND NOT ${nonStandard})::int AS "${f.field}_invalid"`,
      `count(*) FILTER (WHERE NOT ${emptySql(col)} AND NOT ${f.valid} AND ${nonStandard})::int AS "${f.field}_nonstd"`,
    ];
  }).join(",\n        ");

  // One scan of the scoped source records (materialised once), aggregated by hashing only: the
  // field counts per source, its distinct customers, and the certificates shared across
  // customers or keys (few, so they are joined back cheaply). Sorts for count(DISTINCT …) and
  // spills to disk cost more than the rules themselves, hence the grouping shape and work_mem.
  const [rows, importRows] = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SET LOCAL work_mem = '256MB'`;
    return Promise.all([
      tx.$queryRaw<Record<string, unknown>[]>`
        WITH n AS MATERIALIZED (
          SELECT ${Prisma.raw(NORMALISED)}
          FROM source_record sr JOIN customer c ON c.id = sr.customer_id
          WHERE ${customerScopeSql(scope, "c")}
        ),
        fields AS (
          SELECT n.source_system, count(*)::int AS records, max(n.loaded_at) AS last_loaded_at,
                 ${Prisma.raw(counts)}
          FROM n GROUP BY n.source_system
        ),
        customers AS (
          SELECT source_system, count(*)::int AS customers FROM (SELECT DISTINCT source_system, customer_id FROM n) d GROUP BY source_system
        ),
        certs AS (SELECT source_system, cert_n AS cert, customer_id FROM n WHERE cert_n <> ''),
        shared AS (SELECT cert FROM (SELECT DISTINCT cert, customer_id FROM certs) d GROUP BY cert HAVING count(*) > 1),
        multi AS (SELECT source_system, cert FROM certs GROUP BY source_system, cert HAVING count(*) > 1),
        dups AS (
          SELECT certs.source_system,
                 count(shared.cert)::int AS dup_across,
                 count(multi.cert)::int AS dup_multiple
          FROM certs LEFT JOIN shared USING (cert) LEFT JOIN multi USING (source_system, cert)
          GROUP BY certs.source_system
        )
        SELECT fields.*, customers.customers, COALESCE(dups.dup_across, 0) AS dup_across, COALESCE(dups.dup_multiple, 0) AS dup_multiple
        FROM fields JOIN customers USING (source_system) LEFT JOIN dups USING (source_system)
        ORDER BY fields.source_system`,
      tx.$queryRaw<{ source_system: string; last: Date }[]>`
        SELECT b.source_system, max(b.finished_at) AS last
        FROM import_batch b JOIN org_unit o ON o.id = b.org_unit_id
        WHERE b.status = 'APPLIED' AND o.path LIKE ${`${scope.orgPath}%`}
        GROUP BY b.source_system`,
    ]);
  }, { timeout: REPORT_TIMEOUT_MS });

  const imports = new Map(importRows.map((i) => [i.source_system, i.last]));
  return {
    generatedAt: new Date(),
    sources: rows.map((r) => {
      const records = r.records as number;
      const sourceSystem = r.source_system as string;
      return {
        sourceSystem,
        records,
        customers: r.customers as number,
        lastLoadedAt: (r.last_loaded_at as Date | null) ?? null,
        lastImportAt: imports.get(sourceSystem) ?? null,
        duplicates: { certAcrossCustomers: r.dup_across as number, certMultipleKeys: r.dup_multiple as number },
        fields: QUALITY_FIELDS.map(({ field }) => {
          const nullCount = r[`${field}_null`] as number;
          const invalidCount = r[`${field}_invalid`] as number;
          const nonStandardCount = r[`${field}_nonstd`] as number;
          const filled = records - nullCount;
          return {
            field,
            nullCount,
            nullRate: rate(nullCount, records),
            invalidCount,
            invalidRate: rate(invalidCount, filled),
            nonStandardCount,
            nonStandardRate: rate(nonStandardCount, filled),
          };
        }),
      };
    }),
  };
}
