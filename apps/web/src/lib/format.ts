/**
 * Small helpers for values as the API sends them: money may arrive as a number or a decimal
 * string (Prisma Decimal), dates as Date (superjson) or ISO strings.
 */
export type Numeric = number | string | { toString(): string };

export function toNumber(value: Numeric | null | undefined): number | null {
  if (value == null) return null;
  const n = typeof value === "number" ? value : Number(value.toString());
  return Number.isFinite(n) ? n : null;
}

export function toDate(value: Date | string | null | undefined): Date | null {
  if (value == null) return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

const DAY_MS = 86_400_000;

/** Whole days from now until `date` (negative when past). */
export function daysUntil(date: Date, now: Date = new Date()): number {
  return Math.ceil((date.getTime() - now.getTime()) / DAY_MS);
}

/** A maturity inside the next 30 days is highlighted for the RM. */
export function maturesSoon(date: Date | null, now: Date = new Date()): boolean {
  if (!date) return false;
  const days = daysUntil(date, now);
  return days >= 0 && days <= 30;
}
