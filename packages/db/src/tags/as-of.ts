/**
 * The moment a tag run describes. Windows over event-like facts (transactions, app events) are
 * `[at - N days, at)`; day-based facts (age, maturity, days since, the latest month-end balance)
 * use `date`, the business date the data describes: the bank's calendar day of the last instant
 * before `at`. A scheduled run takes `at` = today 00:00 bank time, so it describes yesterday, the
 * last complete day (T+1); a run on demand at 15:00 describes today so far.
 */
export const BANK_TIME_ZONE = "Asia/Shanghai";

export interface AsOf {
  at: Date;
  /** YYYY-MM-DD in BANK_TIME_ZONE: the day of the last instant before `at`. */
  date: string;
}

const dateFmt = new Intl.DateTimeFormat("en-CA", { timeZone: BANK_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

export function bankDate(at: Date): string {
  return dateFmt.format(at);
}

export function asOf(at: Date): AsOf {
  if (Number.isNaN(at.getTime())) throw new Error("invalid as-of time");
  return { at, date: bankDate(new Date(at.getTime() - 1)) };
}

/** 00:00 of the bank's calendar day containing `now` (Asia/Shanghai has no DST: UTC+8). */
export function startOfBankDay(now: Date): Date {
  return new Date(`${bankDate(now)}T00:00:00+08:00`);
}

export const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
export function epochDay(isoDate: string): number {
  return Math.round(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
}

/** YYYY-MM-DD of the first day of the month `monthsBack` months before `isoDate`'s month. */
export function monthStart(isoDate: string, monthsBack: number): string {
  const [y, m] = isoDate.split("-").map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 - monthsBack, 1));
  return d.toISOString().slice(0, 10);
}
