/**
 * The customer row and what hangs directly off the person: the primary identity document, contact
 * points, risk-tolerance assessments (some expired, some missing), consents per purpose and
 * channel, and do-not-disturb or complaint restrictions.
 */
import { DAY_MS, shanghaiMs } from "./calendar";
import type { CustomerDraft } from "./draft";
import type { BankGenerator } from "./generator";
import { L, P, RESTRICTION_REASONS, RISK_LEVELS } from "./labels";
import { T } from "./copy/tables";

export function emitCustomer(g: BankGenerator, d: CustomerDraft): void {
  const rng = g.rng;
  const asOf = g.ctx.asOfDay;
  const w = g.writers;
  const openedMs = shanghaiMs(d.openedDay, 32_400 + rng.int(28_800));

  const c = w[T.customer]!;
  c.row(20, 1024);
  c.int4(d.id);
  c.code(P.C, d.id, 10);
  c.bytes(L.RETAIL);
  c.text(d.name);
  c.bytes(d.male ? L.M : L.F);
  c.date(d.birthDay);
  c.bytes(L.ID_CARD);
  c.ascii(d.certNo);
  c.ascii(d.phone);
  if (d.email) c.ascii(d.email);
  else c.nul();
  c.bytes(d.sub.province);
  c.bytes(d.sub.city);
  c.text(d.occupation);
  c.bytes(d.sub.id);
  c.bytes(d.sub.path);
  if (d.rm) c.bytes(d.rm);
  else c.nul();
  c.bytes(d.dormant ? L.DORMANT : L.ACTIVE);
  c.date(d.openedDay);
  c.timestamp(openedMs);
  c.timestamp(openedMs);

  // Resident ID cards are valid 10 years (age 16–25), 20 years (26–45), or for life.
  const issued = Math.max(d.birthDay + 16 * 365, asOf - rng.int(d.age < 46 ? 3650 : 7300));
  const idDoc = w[T.identity_document]!;
  idDoc.row(7);
  idDoc.code(P.doc, d.id, 10);
  idDoc.int4(d.id);
  idDoc.bytes(L.ID_CARD);
  idDoc.ascii(d.certNo);
  idDoc.date(issued);
  if (d.age >= 46) idDoc.nul();
  else idDoc.date(issued + (d.age < 26 ? 3652 : 7305));
  idDoc.bool(true);

  const cp = w[T.contact_point]!;
  cp.row(7);
  cp.code(P.cp, ++g.counters.contactPoint, 11);
  cp.int4(d.id);
  cp.bytes(L.MOBILE);
  cp.ascii(d.phone);
  cp.bool(true);
  cp.bool(true);
  cp.bytes(L.CORE);
  if (d.email) {
    cp.row(7);
    cp.code(P.cp, ++g.counters.contactPoint, 11);
    cp.int4(d.id);
    cp.bytes(L.EMAIL);
    cp.ascii(d.email);
    cp.bool(rng.chance(0.6));
    cp.bool(false);
    cp.bytes(L.CRM);
  }
  if (d.wechat) {
    cp.row(7);
    cp.code(P.cp, ++g.counters.contactPoint, 11);
    cp.int4(d.id);
    cp.bytes(L.WECHAT_OPENID);
    cp.code(P.o, (d.id * 7919 + 104_729) % 1e12, 12);
    cp.bool(true);
    cp.bool(false);
    cp.bytes(L.APP);
  }

  emitRisk(g, d);
  emitConsents(g, d, openedMs);
  emitRestrictions(g, d);
}

function emitRisk(g: BankGenerator, d: CustomerDraft): void {
  if (!d.riskLevel) return;
  const rng = g.rng;
  const asOf = g.ctx.asOfDay;
  // The latest assessment: within the last year when valid, 13–36 months ago when expired.
  const latest = Math.max(d.openedDay, d.riskValid ? asOf - rng.int(360) : asOf - 395 - rng.int(700));
  if (rng.chance(0.2) && latest - 400 > d.openedDay) writeAssessment(g, d, latest - 365 - rng.int(300), Math.max(1, d.riskLevel - rng.int(2)));
  writeAssessment(g, d, latest, d.riskLevel);
}

function writeAssessment(g: BankGenerator, d: CustomerDraft, day: number, level: number): void {
  const rng = g.rng;
  const ra = g.writers[T.risk_assessment]!;
  const at = shanghaiMs(day, 32_400 + rng.int(28_800));
  ra.row(6);
  ra.code(P.ra, ++g.counters.riskAssessment, 10);
  ra.int4(d.id);
  ra.bytes(RISK_LEVELS[level - 1]!);
  ra.timestamp(at);
  ra.timestamp(at + 365 * DAY_MS);
  ra.bytes(d.appUser && rng.chance(0.5) ? L.MOBILE : L.BRANCH);
}

/** Service notices by SMS (and app push for app users); marketing per channel, mixed. */
function emitConsents(g: BankGenerator, d: CustomerDraft, openedMs: number): void {
  const rng = g.rng;
  const since = Math.max(openedMs, shanghaiMs(g.ctx.asOfDay - 730, 0));
  const spanSeconds = Math.max(1, (shanghaiMs(g.ctx.asOfDay, 0) - since) / 1000);
  const src = d.appUser ? L.APP : L.BRANCH;
  writeConsent(g, d, L.SERVICE, L.SMS, rng.chance(0.98), L.BRANCH, since, spanSeconds);
  if (d.appUser) writeConsent(g, d, L.SERVICE, L.APP_PUSH, rng.chance(0.95), L.APP, since, spanSeconds);
  const open = d.age < 60 ? 0.62 : 0.45;
  writeConsent(g, d, L.MARKETING, L.SMS, rng.chance(open), src, since, spanSeconds);
  writeConsent(g, d, L.MARKETING, L.CALL, rng.chance(open - 0.2), src, since, spanSeconds);
  if (d.appUser) writeConsent(g, d, L.MARKETING, L.APP_PUSH, rng.chance(0.7), L.APP, since, spanSeconds);
  if (d.wechat) writeConsent(g, d, L.MARKETING, L.WECHAT, rng.chance(0.6), L.APP, since, spanSeconds);
  if (d.email) writeConsent(g, d, L.MARKETING, L.EMAIL, rng.chance(0.5), src, since, spanSeconds);
}

function writeConsent(g: BankGenerator, d: CustomerDraft, purpose: Uint8Array, channel: Uint8Array, granted: boolean, source: Uint8Array, since: number, spanSeconds: number): void {
  const cs = g.writers[T.consent]!;
  cs.row(7);
  cs.code(P.cs, ++g.counters.consent, 11);
  cs.int4(d.id);
  cs.bytes(purpose);
  cs.bytes(channel);
  cs.bool(granted);
  cs.bytes(source);
  cs.timestamp(since + g.rng.int(spanSeconds) * 1000);
}

function emitRestrictions(g: BankGenerator, d: CustomerDraft): void {
  const rng = g.rng;
  const r = rng.float();
  if (r >= 0.026) return;
  const cr = g.writers[T.contact_restriction]!;
  const from = shanghaiMs(g.ctx.asOfDay - rng.int(365), rng.int(86_400));
  const complaint = r < 0.006;
  cr.row(7);
  cr.code(P.cr, ++g.counters.restriction, 10);
  cr.int4(d.id);
  cr.bytes(complaint ? L.COMPLAINT : L.DO_NOT_DISTURB);
  const ch = rng.float();
  if (ch < 0.45) cr.nul();
  else cr.bytes(ch < 0.8 ? L.CALL : L.SMS);
  cr.bytes(complaint ? RESTRICTION_REASONS.complaint : RESTRICTION_REASONS.dnd);
  cr.timestamp(from);
  if (complaint) cr.timestamp(from + 180 * DAY_MS);
  else cr.nul();
}
