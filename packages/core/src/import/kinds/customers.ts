/**
 * Customer imports: every row is a source record (源系统客户), resolved to one golden customer by
 * identity resolution (identity/match.ts), then applied with set-based SQL:
 *   new golden customers     INSERT … SELECT (ids reserved from the customer sequence, in line order)
 *   known golden customers   fields the golden record lacks are filled (first non-empty wins;
 *                            a delivered value never overwrites one already there)
 *   source records           new keys inserted; known keys updated with the delivered raw values
 *   merges                   one identity_merge row per record joined by CERT_NO or PHONE, with
 *                            the matched value masked, so a merge can be explained and reversed
 * A known source key is decisive: a changed certificate on a known record does not re-match it.
 */
import { randomUUID } from "node:crypto";
import { Prisma } from "@mkt/db";
import { maskCertNo, maskName, maskPhone } from "../../auth/masking";
import { IdentityIndex, resolveIdentities, type KnownIdentity } from "../../identity/match";
import { normalizeName } from "../../identity/normalize";
import type { RowIssue } from "../issues";
import { businessToday } from "../row-schema";
import type { CustomerRow } from "../rows";
import { linesToIssues, STAGE_CHUNK, type StageColumn, type Tx } from "../stage";
import { subtreePattern, type ApplyStats, type BatchContext, type KindHandler } from "./kind";

/** The delivered cell as text (the raw column of a source record keeps what the source sent). */
function rawCell(raw: Record<string, unknown>, key: string): string | null {
  const v = raw[key];
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  return s === "" ? null : s;
}

const columns: StageColumn<CustomerRow>[] = [
  { name: "source_key", type: "text", value: (r) => r.source_key },
  { name: "name", type: "text", value: (r) => r.name },
  { name: "name_norm", type: "text", value: (r) => normalizeName(r.name) },
  { name: "cert_type", type: "text", value: (r) => r.cert_type },
  { name: "cert_no", type: "text", value: (r) => r.cert_no },
  { name: "cert_no_raw", type: "text", value: (_, raw) => rawCell(raw, "cert_no") },
  { name: "phone", type: "text", value: (r) => r.phone },
  { name: "phone_raw", type: "text", value: (_, raw) => rawCell(raw, "phone") },
  { name: "email", type: "text", value: (r) => r.email },
  { name: "gender", type: "text", value: (r) => r.gender },
  { name: "gender_raw", type: "text", value: (_, raw) => rawCell(raw, "gender") },
  { name: "birth_date", type: "date", value: (r) => r.birth_date },
  { name: "birth_date_raw", type: "text", value: (_, raw) => rawCell(raw, "birth_date") },
  { name: "org_unit_code", type: "text", value: (r) => r.org_unit_code },
  { name: "customer_type", type: "text", value: (r) => r.customer_type },
  { name: "opened_at", type: "date", value: (r) => r.opened_at },
  { name: "province", type: "text", value: (r) => r.province },
  { name: "city", type: "text", value: (r) => r.city },
  { name: "occupation", type: "text", value: (r) => r.occupation },
];

async function check(tx: Tx, ctx: BatchContext): Promise<RowIssue[]> {
  const pattern = subtreePattern(ctx.scopePath);
  await tx.$executeRaw`
    UPDATE stg_import s SET org_unit_id = o.id, org_path = o.path
    FROM org_unit o WHERE o.code = s.org_unit_code AND o.path LIKE ${pattern}`;
  const unknownOrg = await linesToIssues(tx, Prisma.sql`SELECT line FROM stg_import WHERE org_unit_id IS NULL ORDER BY line`, "org_unit_code", "UNKNOWN_ORG_UNIT");
  // A known record filed outside the importer's subtree may not be moved into it by this batch.
  const outside = await linesToIssues(
    tx,
    Prisma.sql`
      SELECT s.line FROM stg_import s
      JOIN source_record sr ON sr.source_system = ${ctx.sourceSystem} AND sr.source_key = s.source_key
      JOIN customer c ON c.id = sr.customer_id
      LEFT JOIN org_unit o ON o.code = sr.org_unit_code
      WHERE COALESCE(o.path, c.org_path) NOT LIKE ${pattern} ORDER BY s.line`,
    "source_key",
    "RECORD_OUTSIDE_SCOPE",
  );
  return [...unknownOrg, ...outside];
}

/** Existing source records and golden customers sharing a source key, certificate or mobile with the batch. */
async function loadCandidates(tx: Tx, sourceSystem: string): Promise<KnownIdentity[]> {
  const rows = await tx.$queryRaw<
    { customer_id: number; source_system: string | null; source_key: string | null; name: string | null; cert: string | null; phone: string | null }[]
  >`
    SELECT sr.customer_id, sr.source_system, sr.source_key, sr.name, sr.cert_no_norm AS cert, sr.phone_norm AS phone
      FROM source_record sr JOIN stg_import s ON sr.source_system = ${sourceSystem} AND sr.source_key = s.source_key
    UNION ALL
    SELECT sr.customer_id, sr.source_system, sr.source_key, sr.name, sr.cert_no_norm, sr.phone_norm
      FROM source_record sr WHERE sr.cert_no_norm IN (SELECT cert_no FROM stg_import WHERE cert_no IS NOT NULL)
    UNION ALL
    SELECT sr.customer_id, sr.source_system, sr.source_key, sr.name, sr.cert_no_norm, sr.phone_norm
      FROM source_record sr WHERE sr.phone_norm IN (SELECT phone FROM stg_import WHERE phone IS NOT NULL)
    UNION ALL
    SELECT c.id, NULL, NULL, c.name, c.cert_no, c.phone
      FROM customer c WHERE c.cert_no IN (SELECT cert_no FROM stg_import WHERE cert_no IS NOT NULL)
    UNION ALL
    SELECT c.id, NULL, NULL, c.name, c.cert_no, c.phone
      FROM customer c WHERE c.phone IN (SELECT phone FROM stg_import WHERE phone IS NOT NULL)`;
  return rows.map((r) => ({
    customerId: r.customer_id,
    ...(r.source_system !== null && r.source_key !== null && { sourceSystem: r.source_system, sourceKey: r.source_key }),
    nameNorm: r.name === null ? null : normalizeName(r.name),
    certNoNorm: r.cert,
    phoneNorm: r.phone,
  }));
}

/**
 * Runs identity resolution over the staged rows and records each row's outcome in stg_match:
 * its rule, its golden customer (new customers take ids reserved from the customer sequence, in
 * line order), the masked matched value and the id of its new source record. Inserting these
 * rows is several times cheaper than updating the staging table in place.
 */
async function resolveStaged(tx: Tx, sourceSystem: string): Promise<void> {
  const index = new IdentityIndex(sourceSystem, await loadCandidates(tx, sourceSystem));
  const incoming = await tx.$queryRaw<{ line: number; source_key: string; name: string; name_norm: string; cert_no: string | null; phone: string | null }[]>`
    SELECT line, source_key, name, name_norm, cert_no, phone FROM stg_import ORDER BY line`;
  const resolutions = resolveIdentities(
    incoming.map((r) => ({ ref: r.line, sourceKey: r.source_key, nameNorm: r.name_norm, certNoNorm: r.cert_no, phoneNorm: r.phone })),
    index,
  );

  const newCount = resolutions.filter((r) => r.rule === "NEW").length;
  const reserved = newCount
    ? (
        await tx.$queryRaw<{ id: number }[]>`
          SELECT nextval(pg_get_serial_sequence('customer', 'id'))::int AS id FROM generate_series(1, ${newCount}::int)`
      )
        .map((r) => r.id)
        .sort((a, b) => a - b)
    : [];
  const newIds = new Map<number, number>();
  let next = 0;
  for (const r of resolutions) if (r.rule === "NEW") newIds.set(r.ref, reserved[next++]!);

  const rows = resolutions.map((r, i) => {
    const customerId = r.rule === "NEW" ? newIds.get(r.ref)! : "customerId" in r.target ? r.target.customerId : newIds.get(r.target.newRef)!;
    const name = incoming[i]!.name;
    const matched = r.rule === "CERT_NO" ? maskCertNo(r.matchedValue) : r.rule === "PHONE" ? `${maskPhone(r.matchedValue)} + ${maskName(name)}` : null;
    return { line: r.ref, rule: r.rule, customerId, matched, sourceRecordId: r.rule === "SOURCE_KEY" ? null : randomUUID() };
  });
  await tx.$executeRawUnsafe(
    `CREATE TEMP TABLE stg_match (line int PRIMARY KEY, rule text NOT NULL, customer_id int NOT NULL, matched_value text, source_record_id text) ON COMMIT DROP`,
  );
  for (let i = 0; i < rows.length; i += STAGE_CHUNK) {
    const chunk = rows.slice(i, i + STAGE_CHUNK);
    await tx.$executeRaw`
      INSERT INTO stg_match (line, rule, customer_id, matched_value, source_record_id)
      SELECT * FROM unnest(${chunk.map((r) => r.line)}::int[], ${chunk.map((r) => r.rule)}::text[], ${chunk.map((r) => r.customerId)}::int[],
                           ${chunk.map((r) => r.matched)}::text[], ${chunk.map((r) => r.sourceRecordId)}::text[])`;
  }
  await tx.$executeRawUnsafe(`ANALYZE stg_match`);
}

async function apply(tx: Tx, ctx: BatchContext): Promise<ApplyStats> {
  await resolveStaged(tx, ctx.sourceSystem);

  const newCustomers = await tx.$executeRaw`
    INSERT INTO customer (id, customer_no, type, name, gender, birth_date, cert_type, cert_no, phone, email,
                          province, city, occupation, org_unit_id, org_path, opened_at)
    SELECT m.customer_id, 'C' || lpad(m.customer_id::text, 10, '0'), s.customer_type::"CustomerType", s.name,
           COALESCE(s.gender, 'U')::"Gender", s.birth_date, s.cert_type, s.cert_no, s.phone, s.email,
           s.province, s.city, s.occupation, s.org_unit_id, s.org_path, COALESCE(s.opened_at, ${businessToday()}::date)
    FROM stg_import s JOIN stg_match m USING (line) WHERE m.rule = 'NEW' ORDER BY s.line`;

  await tx.$executeRaw`
    UPDATE customer c SET
      cert_type  = CASE WHEN c.cert_no IS NULL AND s.cert_no IS NOT NULL THEN s.cert_type ELSE c.cert_type END,
      cert_no    = COALESCE(c.cert_no, s.cert_no),
      phone      = COALESCE(c.phone, s.phone),
      email      = COALESCE(c.email, s.email),
      birth_date = COALESCE(c.birth_date, s.birth_date),
      gender     = CASE WHEN c.gender = 'U' AND s.gender IS NOT NULL THEN s.gender::"Gender" ELSE c.gender END,
      province   = COALESCE(c.province, s.province),
      city       = COALESCE(c.city, s.city),
      occupation = COALESCE(c.occupation, s.occupation),
      updated_at = now()
    FROM (SELECT DISTINCT ON (m.customer_id) m.customer_id, s.*
          FROM stg_import s JOIN stg_match m USING (line) WHERE m.rule <> 'NEW' ORDER BY m.customer_id, s.line) s
    WHERE c.id = s.customer_id
      AND (   (c.cert_no IS NULL AND s.cert_no IS NOT NULL) OR (c.phone IS NULL AND s.phone IS NOT NULL)
           OR (c.email IS NULL AND s.email IS NOT NULL) OR (c.birth_date IS NULL AND s.birth_date IS NOT NULL)
           OR (c.gender = 'U' AND s.gender IS NOT NULL AND s.gender <> 'U')
           OR (c.province IS NULL AND s.province IS NOT NULL) OR (c.city IS NULL AND s.city IS NOT NULL)
           OR (c.occupation IS NULL AND s.occupation IS NOT NULL))`;

  const inserted = await tx.$executeRaw`
    INSERT INTO source_record (id, source_system, source_key, customer_id, match_rule, name, cert_type, cert_no, cert_no_norm,
                               phone, phone_norm, email, birth_date, gender, org_unit_code, import_batch_id)
    SELECT m.source_record_id, ${ctx.sourceSystem}, s.source_key, m.customer_id, m.rule::"MatchRule", s.name, s.cert_type, s.cert_no_raw, s.cert_no,
           s.phone_raw, s.phone, s.email, s.birth_date_raw, s.gender_raw, s.org_unit_code, ${ctx.batchId}
    FROM stg_import s JOIN stg_match m USING (line) WHERE m.rule <> 'SOURCE_KEY' ORDER BY s.line`;
  const updated = await tx.$executeRaw`
    UPDATE source_record sr SET
      name = s.name, cert_type = s.cert_type, cert_no = s.cert_no_raw, cert_no_norm = s.cert_no, phone = s.phone_raw,
      phone_norm = s.phone, email = s.email, birth_date = s.birth_date_raw, gender = s.gender_raw,
      org_unit_code = s.org_unit_code, import_batch_id = ${ctx.batchId}, loaded_at = now()
    FROM stg_import s JOIN stg_match m USING (line)
    WHERE m.rule = 'SOURCE_KEY' AND sr.source_system = ${ctx.sourceSystem} AND sr.source_key = s.source_key
      AND (sr.name, sr.cert_type, sr.cert_no, sr.phone, sr.email, sr.birth_date, sr.gender, sr.org_unit_code)
          IS DISTINCT FROM (s.name, s.cert_type, s.cert_no_raw, s.phone_raw, s.email, s.birth_date_raw, s.gender_raw, s.org_unit_code)`;

  await tx.$executeRaw`
    INSERT INTO identity_merge (id, source_record_id, customer_id, rule, matched_value)
    SELECT gen_random_uuid()::text, source_record_id, customer_id, rule::"MatchRule", matched_value
    FROM stg_match WHERE rule IN ('CERT_NO', 'PHONE') ORDER BY line`;

  const [counts] = await tx.$queryRaw<{ known: number; cert: number; phone: number }[]>`
    SELECT count(*) FILTER (WHERE rule = 'SOURCE_KEY')::int AS known,
           count(*) FILTER (WHERE rule = 'CERT_NO')::int AS cert,
           count(*) FILTER (WHERE rule = 'PHONE')::int AS phone
    FROM stg_match`;
  return {
    inserted,
    updated,
    unchanged: (counts?.known ?? 0) - updated,
    newCustomers,
    merged: { CERT_NO: counts?.cert ?? 0, PHONE: counts?.phone ?? 0 },
  };
}

export const customersKind: KindHandler<CustomerRow> = {
  kind: "CUSTOMERS",
  columns,
  workColumns: "org_unit_id text, org_path text",
  indexColumns: ["source_key", "cert_no", "phone"],
  keyColumn: "source_key",
  check,
  apply,
};
