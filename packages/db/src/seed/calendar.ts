/**
 * Calendar arithmetic for the generator, in whole days since 2000-01-01 (PostgreSQL's date epoch)
 * so dates are plain integers. The bank lives in Asia/Shanghai (UTC+8, no daylight saving).
 */
export const DAY_MS = 86_400_000;
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

export function dayFromIso(iso: string): number {
  return Math.round((Date.parse(`${iso}T00:00:00Z`) - PG_EPOCH_MS) / DAY_MS);
}

export function isoFromDay(day: number): string {
  return new Date(PG_EPOCH_MS + day * DAY_MS).toISOString().slice(0, 10);
}

/** Today's date in Shanghai. */
export function todayInShanghai(now = Date.now()): string {
  return new Date(now + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Milliseconds since the Unix epoch of a Shanghai local time `secondOfDay` seconds into `day`. */
export function shanghaiMs(day: number, secondOfDay: number): number {
  return PG_EPOCH_MS + day * DAY_MS + secondOfDay * 1000 - SHANGHAI_OFFSET_MS;
}

// Year, month and day of every day from 1900 to 2149, packed as y * 10000 + m * 100 + d: the
// generator converts millions of day numbers and Date objects would dominate its profile.
const TABLE_FROM = -36_524;
const TABLE_DAYS = 91_311;
const YMD = new Int32Array(TABLE_DAYS);
for (let i = 0; i < TABLE_DAYS; i++) {
  const dt = new Date(PG_EPOCH_MS + (TABLE_FROM + i) * DAY_MS);
  YMD[i] = dt.getUTCFullYear() * 10_000 + (dt.getUTCMonth() + 1) * 100 + dt.getUTCDate();
}

/** y * 10000 + m * 100 + d of a day number (1900–2149). */
export function packedYmd(day: number): number {
  const v = YMD[day - TABLE_FROM];
  if (v === undefined) throw new RangeError(`day ${day} is outside 1900–2149`);
  return v;
}

/** Year, month (1–12) and day of month of a day number. */
export function ymd(day: number): { y: number; m: number; d: number } {
  const v = packedYmd(day);
  return { y: Math.floor(v / 10_000), m: Math.floor(v / 100) % 100, d: v % 100 };
}

export function dayOf(y: number, m: number, d: number): number {
  return Math.round((Date.UTC(y, m - 1, d) - PG_EPOCH_MS) / DAY_MS);
}

/** The first day of the month `offset` months after the month of `day` (offset may be negative). */
export function monthStart(day: number, offset = 0): number {
  const { y, m } = ymd(day);
  return dayOf(y, m + offset, 1);
}
