/**
 * Per-customer "latest" facts read for a page of customers at once: the latest month-end AUM and
 * the latest risk-tolerance assessment. One indexed DISTINCT ON query each, never N+1.
 */
import type { Db, RiskLevel } from "@mkt/db";

export interface LatestAum {
  month: Date;
  aum: number;
}

export interface LatestRisk {
  level: RiskLevel;
  assessedAt: Date;
  expiresAt: Date;
}

export async function latestAum(db: Db, customerIds: number[]): Promise<Map<number, LatestAum>> {
  if (customerIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ customer_id: number; month: Date; aum: string }[]>`
    SELECT DISTINCT ON (customer_id) customer_id, month, aum::text AS aum
    FROM monthly_balance WHERE customer_id = ANY(${customerIds}::int[])
    ORDER BY customer_id, month DESC`;
  return new Map(rows.map((r) => [r.customer_id, { month: r.month, aum: Number(r.aum) }]));
}

export async function latestRisk(db: Db, customerIds: number[]): Promise<Map<number, LatestRisk>> {
  if (customerIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ customer_id: number; level: RiskLevel; assessed_at: Date; expires_at: Date }[]>`
    SELECT DISTINCT ON (customer_id) customer_id, level::text AS level, assessed_at, expires_at
    FROM risk_assessment WHERE customer_id = ANY(${customerIds}::int[])
    ORDER BY customer_id, assessed_at DESC`;
  return new Map(rows.map((r) => [r.customer_id, { level: r.level, assessedAt: r.assessed_at, expiresAt: r.expires_at }]));
}
