/**
 * The data-quality report (数据质量): per source system and field, how many records, how many
 * empty, how many breaking the data dictionary's rule, plus duplicate certificates and the last
 * load. Two aggregate queries over source_record (one pass GROUP BY source_system with FILTER
 * clauses for the field counts; one for duplicates), restricted to records whose golden customer
 * is inside the caller's scope.
 */
import { z } from "zod";
import { Prisma, type Db } from "@mkt/db";
import { customerScopeSql } from "../auth/scope-query";
import type { OrgScope } from "../auth/scope";
import {
  certNormSql,
  emptySql,
  validBirthDateSql,
  validCertSql,
  validEmailSql,
  validGenderSql,
  validMobileSql,
  validNameSql,
} from "./rules-sql";

/** The source-record fields judged, with the rule (as SQL) a non-empty value must meet. */
export const QUALITY_FIELDS = [
  { field: "name", column: "name", valid: validNameSql("sr.name") },
  { field: "cert_no", column: "cert_no", valid: validCertSql("sr.cert_no", "sr.cert_type") },
  { field: "phone", column: "phone", valid: validMobileSql("sr.phone") },
  { field: "email", column: "email", valid: validEmailSql("sr.email") },
  { field: "birth_date", column: "birth_date", valid: validBirthDateSql("sr.birth_date") },
  { field: "gender", column: "gender", valid: validGenderSql("sr.gender") },
] as const;

const fieldStats = z.object({
  field: z.string(),
  nullCount: z.number(),
  nullRate: z.number(),
  invalidCount: z.number(),
  /** Of the non-empty values. */
  invalidRate: z.number(),
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

const rate = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 10_000) / 10_000);

export async function dataQualityReport(db: Db, scope: OrgScope): Promise<QualityReport> {
  const counts = QUALITY_FIELDS.flatMap((f) => {
    const col = `sr.${f.column}`;
    return [
      `count(*) FILTER (WHERE ${emptySql(col)})::int AS "${f.field}_null"`,
      `count(*) FILTER (WHERE NOT ${emptySql(col)} AND NOT ${f.valid})::int AS "${f.field}_invalid"`,
    ];
  }).join(",\n      ");
  const inScope = customerScopeSql(scope, "c");

  const [fieldRows, dupRows, importRows] = await Promise.all([
    db.$queryRaw<Record<string, unknown>[]>`
      SELECT sr.source_system, count(*)::int AS records, count(DISTINCT sr.customer_id)::int AS customers,
             max(sr.loaded_at) AS last_loaded_at,
             ${Prisma.raw(counts)}
      FROM source_record sr JOIN customer c ON c.id = sr.customer_id
      WHERE ${inScope}
      GROUP BY sr.source_system ORDER BY sr.source_system`,
    db.$queryRaw<{ source_system: string; across: number; multiple: number }[]>`
      WITH s AS (
        SELECT sr.source_system, ${Prisma.raw(certNormSql("sr.cert_no"))} AS cert, sr.customer_id
        FROM source_record sr JOIN customer c ON c.id = sr.customer_id
        WHERE ${inScope} AND NOT ${Prisma.raw(emptySql("sr.cert_no"))}
      ),
      by_cert AS (SELECT cert, count(DISTINCT customer_id) AS customers FROM s GROUP BY cert),
      by_key AS (SELECT source_system, cert, count(*) AS keys FROM s GROUP BY source_system, cert)
      SELECT s.source_system,
             count(*) FILTER (WHERE by_cert.customers > 1)::int AS across,
             count(*) FILTER (WHERE by_key.keys > 1)::int AS multiple
      FROM s JOIN by_cert USING (cert) JOIN by_key USING (source_system, cert)
      GROUP BY s.source_system`,
    db.$queryRaw<{ source_system: string; last: Date }[]>`
      SELECT b.source_system, max(b.finished_at) AS last
      FROM import_batch b JOIN org_unit o ON o.id = b.org_unit_id
      WHERE b.status = 'APPLIED' AND o.path LIKE ${`${scope.orgPath}%`}
      GROUP BY b.source_system`,
  ]);

  const dups = new Map(dupRows.map((d) => [d.source_system, d]));
  const imports = new Map(importRows.map((i) => [i.source_system, i.last]));
  return {
    generatedAt: new Date(),
    sources: fieldRows.map((r) => {
      const records = r.records as number;
      const sourceSystem = r.source_system as string;
      return {
        sourceSystem,
        records,
        customers: r.customers as number,
        lastLoadedAt: (r.last_loaded_at as Date | null) ?? null,
        lastImportAt: imports.get(sourceSystem) ?? null,
        duplicates: { certAcrossCustomers: dups.get(sourceSystem)?.across ?? 0, certMultipleKeys: dups.get(sourceSystem)?.multiple ?? 0 },
        fields: QUALITY_FIELDS.map(({ field }) => {
          const nullCount = r[`${field}_null`] as number;
          const invalidCount = r[`${field}_invalid`] as number;
          return { field, nullCount, nullRate: rate(nullCount, records), invalidCount, invalidRate: rate(invalidCount, records - nullCount) };
        }),
      };
    }),
  };
}
