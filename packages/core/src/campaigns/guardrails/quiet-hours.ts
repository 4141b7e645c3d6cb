/**
 * Quiet hours per channel in the customer's time zone (default 21:00–08:00: no marketing). The
 * server clock is UTC; the window is wall-clock time where the customer lives. A window whose
 * start is after its end wraps midnight; start == end means no quiet hours. The start minute is
 * quiet, the end minute is not (20:59:59 sends, 21:00:00 waits, 08:00:00 sends).
 */
export interface QuietWindow {
  /** "HH:MM" */
  start: string;
  end: string;
}

export const DEFAULT_QUIET_WINDOW: QuietWindow = { start: "21:00", end: "08:00" };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time in `timeZone` at `at`, as if it were UTC (so its UTC fields are local). */
export function wallClock(at: Date, timeZone: string): Date {
  const p = Object.fromEntries(formatter(timeZone).formatToParts(at).map((x) => [x.type, x.value]));
  return new Date(Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second), at.getUTCMilliseconds()));
}

/** The instant at which the wall clock of `timeZone` shows `wall` (UTC fields read as local). */
export function fromWallClock(wall: Date, timeZone: string): Date {
  let guess = new Date(wall.getTime() - (wallClock(wall, timeZone).getTime() - wall.getTime()));
  // One correction step covers an offset change between the guess and the target.
  guess = new Date(guess.getTime() + (wall.getTime() - wallClock(guess, timeZone).getTime()));
  return guess;
}

export function parseHm(hm: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hm);
  if (!m) throw new Error(`"${hm}" is not a HH:MM time`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function inQuietHours(at: Date, timeZone: string, window: QuietWindow = DEFAULT_QUIET_WINDOW): boolean {
  const start = parseHm(window.start);
  const end = parseHm(window.end);
  if (start === end) return false;
  const wall = wallClock(at, timeZone);
  const minute = wall.getUTCHours() * 60 + wall.getUTCMinutes();
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** `at` itself when it is outside quiet hours, else the next instant the window ends. */
export function nextAllowedInstant(at: Date, timeZone: string, window: QuietWindow = DEFAULT_QUIET_WINDOW): Date {
  if (!inQuietHours(at, timeZone, window)) return at;
  const wall = wallClock(at, timeZone);
  const end = parseHm(window.end);
  const minute = wall.getUTCHours() * 60 + wall.getUTCMinutes();
  const day = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate());
  const target = new Date(day + (minute < end ? 0 : 86_400_000) + end * 60_000);
  return fromWallClock(target, timeZone);
}
