/**
 * Do-not-disturb and complaint lists (`ContactRestriction`): a restriction with no channel covers
 * every channel; it applies from `validFrom` (inclusive) until `validTo` (exclusive, open when
 * null). A complaint outranks do-not-disturb when both apply.
 */
export interface RestrictionFact {
  kind: "DO_NOT_DISTURB" | "COMPLAINT";
  channel: string | null;
  validFrom: Date;
  validTo: Date | null;
}

export function activeRestriction(restrictions: readonly RestrictionFact[], channel: string, at: Date): "COMPLAINT" | "DO_NOT_DISTURB" | null {
  const t = at.getTime();
  const applies = (r: RestrictionFact) =>
    (r.channel === null || r.channel === channel) && r.validFrom.getTime() <= t && (r.validTo === null || t < r.validTo.getTime());
  const active = restrictions.filter(applies);
  if (active.some((r) => r.kind === "COMPLAINT")) return "COMPLAINT";
  return active.length ? "DO_NOT_DISTURB" : null;
}
