/**
 * Business days for segment windows: days since 1970-01-01 of the bank's calendar (Asia/Shanghai,
 * UTC+8 all year), so "the last D days" and "within N days" are exact at the day boundary.
 */
import { DAY_MS, epochDay } from "@mkt/db/tags/as-of";

export const BANK_OFFSET_MS = 8 * 3_600_000;

/** The bank's business day (days since 1970-01-01) of an instant. */
export function bankDay(at: Date | number): number {
  const ms = typeof at === "number" ? at : at.getTime();
  return Math.floor((ms + BANK_OFFSET_MS) / DAY_MS);
}

/** 00:00 bank time of a business day, as an instant. */
export function bankDayStart(day: number): Date {
  return new Date(day * DAY_MS - BANK_OFFSET_MS);
}

/** Days since 1970-01-01 of a YYYY-MM-DD literal. */
export const isoDay = epochDay;

/** The first business day of "the last `days` days" ending today (today included). */
export function windowStartDay(today: number, days: number): number {
  return today - (days - 1);
}
