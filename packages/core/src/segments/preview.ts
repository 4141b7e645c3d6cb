/**
 * The builder's preview: a page of matching customers, shaped and masked exactly like customer
 * search rows (`toCustomerSearchRow`) — names, phones masked for every role; unmasking one
 * customer stays the audited 360° action.
 */
import { z } from "zod";
import type { Db } from "@mkt/db";
import { customerSearchRow, toCustomerSearchRow } from "../customer/search";
import { latestAum, latestRisk } from "../customer/facts";

export const PREVIEW_ROWS = 50;
export const previewOutput = z.object({ items: z.array(customerSearchRow) });
export type PreviewOutput = z.infer<typeof previewOutput>;

export async function previewRows(db: Db, ids: number[], now = new Date()): Promise<PreviewOutput> {
  if (ids.length === 0) return { items: [] };
  const [rows, aum, risk] = await Promise.all([
    db.$queryRaw<Parameters<typeof toCustomerSearchRow>[0][]>`
      SELECT c.id, c.customer_no, c.name, c.phone, c.status::text AS status,
             o.id AS org_id, o.code AS org_code, o.name AS org_name, o.name_en AS org_name_en,
             u.id AS rm_id, u.name AS rm_name
      FROM customer c
      JOIN org_unit o ON o.id = c.org_unit_id
      LEFT JOIN staff_user u ON u.id = c.rm_id
      WHERE c.id = ANY(${ids}::int[])
      ORDER BY c.id`,
    latestAum(db, ids),
    latestRisk(db, ids),
  ]);
  return { items: rows.map((c) => toCustomerSearchRow(c, aum.get(c.id), risk.get(c.id), now)) };
}
