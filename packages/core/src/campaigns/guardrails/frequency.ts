/**
 * Frequency caps across all campaigns, per customer and channel (admin-set in `ContactPolicy`):
 * at most `dailyCap` messages on one calendar day of the customer's time zone and at most
 * `weeklyCap` in any rolling 7 × 24 hours. A message counts from the moment it is claimed for
 * sending (`Contact.sentAt`), so two campaigns sending at once cannot both take the last slot.
 */
import { fromWallClock, wallClock } from "./quiet-hours";

export interface FrequencyCaps {
  dailyCap: number | null;
  weeklyCap: number | null;
}

export const WEEK_MS = 7 * 86_400_000;

export function localDayStart(at: Date, timeZone: string): Date {
  const wall = wallClock(at, timeZone);
  return fromWallClock(new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate())), timeZone);
}

/** `sentAt`: earlier messages to this customer on this channel (any campaign). */
export function frequencyCap(sentAt: readonly Date[], caps: FrequencyCaps, at: Date, timeZone: string): "FREQUENCY_CAP_DAY" | "FREQUENCY_CAP_WEEK" | null {
  const t = at.getTime();
  if (caps.dailyCap !== null) {
    const dayStart = localDayStart(at, timeZone).getTime();
    if (sentAt.filter((s) => s.getTime() >= dayStart && s.getTime() <= t).length >= caps.dailyCap) return "FREQUENCY_CAP_DAY";
  }
  if (caps.weeklyCap !== null) {
    if (sentAt.filter((s) => s.getTime() > t - WEEK_MS && s.getTime() <= t).length >= caps.weeklyCap) return "FREQUENCY_CAP_WEEK";
  }
  return null;
}
