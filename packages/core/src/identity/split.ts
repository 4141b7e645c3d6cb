/**
 * Reversing a merge (拆分): the source record that joined a golden customer by CERT_NO or PHONE
 * was another person after all. In one transaction:
 *   - a new golden customer is created from the record's own values (its normalised certificate
 *     and mobile, name, e-mail, birth date, sex), filed under the org unit the source names, or
 *     the golden customer's when the source names none;
 *   - the record moves to it with rule MANUAL_SPLIT, so later imports of the same source key keep
 *     landing there (a known source key is decisive);
 *   - the accounts, holdings and transactions delivered by that source system move along — when
 *     this record was the customer's only record from that system (with two, which facts belong
 *     to which record is unknown, so they stay and the audit says so);
 *   - the merge is marked reversed (by whom, into which customer) and IDENTITY_SPLIT is audited.
 * Values the golden record took from the split record are not taken back: the record may have
 * only filled gaps that other sources confirm too, and clearing them would lose data silently.
 */
import { z } from "zod";
import { writeAudit, type Db } from "@mkt/db";
import type { Actor } from "../auth/actor";
import { DomainError } from "../domain-error";

export const splitInput = z.object({
  mergeId: z.string().min(1),
  reason: z.string().trim().min(2).max(500),
});
export type SplitInput = z.infer<typeof splitInput>;

export const splitOutput = z.object({
  customerId: z.number(),
  customerNo: z.string(),
  moved: z.object({ accounts: z.number(), holdings: z.number(), transactions: z.number() }),
  factsMoved: z.boolean(),
});
export type SplitOutput = z.infer<typeof splitOutput>;

interface MergeToSplit {
  id: string;
  customer_id: number;
  reversed_at: Date | null;
  source_record_id: string;
  source_system: string;
  record_customer_id: number;
}

export async function splitMerge(db: Db, actor: Actor, input: SplitInput, ip: string | null): Promise<SplitOutput> {
  const { mergeId, reason } = splitInput.parse(input);
  return db.$transaction(async (tx) => {
    const [merge] = await tx.$queryRaw<MergeToSplit[]>`
      SELECT m.id, m.customer_id, m.reversed_at, m.source_record_id, sr.source_system, sr.customer_id AS record_customer_id
      FROM identity_merge m JOIN source_record sr ON sr.id = m.source_record_id
      WHERE m.id = ${mergeId} AND m.rule IN ('CERT_NO', 'PHONE')
      FOR UPDATE OF m, sr`;
    if (!merge) throw new DomainError("NOT_FOUND", "merge not found");
    if (merge.reversed_at) throw new DomainError("CONFLICT", "合并已拆分 / this merge was already reversed");
    if (merge.record_customer_id !== merge.customer_id) {
      throw new DomainError("CONFLICT", "来源记录已不属于该客户 / the source record no longer belongs to this customer");
    }

    const [created] = await tx.$queryRaw<{ id: number; customer_no: string }[]>`
      WITH n AS (SELECT nextval(pg_get_serial_sequence('customer', 'id'))::int AS id)
      INSERT INTO customer (id, customer_no, type, name, gender, birth_date, cert_type, cert_no, phone, email,
                            province, city, occupation, org_unit_id, org_path, rm_id, opened_at)
      SELECT n.id, 'C' || lpad(n.id::text, 10, '0'), g.type, COALESCE(sr.name, g.name),
             CASE WHEN sr.gender IN ('M', 'F') THEN sr.gender::"Gender" ELSE 'U'::"Gender" END,
             CASE WHEN sr.birth_date ~ '^\\d{4}-\\d{2}-\\d{2}$' THEN sr.birth_date::date END,
             COALESCE(sr.cert_type, 'ID_CARD'), sr.cert_no_norm, sr.phone_norm, sr.email,
             NULL, NULL, NULL,
             COALESCE(o.id, g.org_unit_id), COALESCE(o.path, g.org_path),
             CASE WHEN o.id IS NULL OR o.id = g.org_unit_id THEN g.rm_id END,
             sr.loaded_at::date
      FROM n, source_record sr
      JOIN customer g ON g.id = sr.customer_id
      LEFT JOIN org_unit o ON o.code = sr.org_unit_code
      WHERE sr.id = ${merge.source_record_id}
      RETURNING id, customer_no`;
    if (!created) throw new Error("split customer not created");

    await tx.$executeRaw`
      UPDATE source_record SET customer_id = ${created.id}, match_rule = 'MANUAL_SPLIT' WHERE id = ${merge.source_record_id}`;

    const [{ others } = { others: 0 }] = await tx.$queryRaw<{ others: number }[]>`
      SELECT count(*)::int AS others FROM source_record WHERE customer_id = ${merge.customer_id} AND source_system = ${merge.source_system}`;
    const factsMoved = others === 0;
    const moved = { accounts: 0, holdings: 0, transactions: 0 };
    if (factsMoved) {
      const from = merge.customer_id;
      const sys = merge.source_system;
      moved.accounts = await tx.$executeRaw`UPDATE account SET customer_id = ${created.id} WHERE customer_id = ${from} AND source_system = ${sys}`;
      moved.holdings = await tx.$executeRaw`UPDATE holding SET customer_id = ${created.id} WHERE customer_id = ${from} AND source_system = ${sys}`;
      moved.transactions = await tx.$executeRaw`UPDATE "transaction" SET customer_id = ${created.id} WHERE customer_id = ${from} AND source_system = ${sys}`;
    }

    await tx.identityMerge.update({
      where: { id: mergeId },
      data: { reversedAt: new Date(), reversedById: actor.id, splitCustomerId: created.id },
    });
    await writeAudit(tx, {
      action: "IDENTITY_SPLIT",
      actor,
      targetType: "Customer",
      targetId: String(merge.customer_id),
      reason,
      ip,
      details: { mergeId, sourceSystem: merge.source_system, fromCustomerId: merge.customer_id, toCustomerId: created.id, factsMoved, ...moved },
    });
    return { customerId: created.id, customerNo: created.customer_no, moved, factsMoved };
  });
}
