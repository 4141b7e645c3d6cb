/**
 * The customer as each source system knows it (统一编码 input). The core system (CORE) has every
 * customer, clean; CRM, the card system (CARD) and the wealth platform (WEALTH) hold subsets
 * linked by the core customer number (SOURCE_KEY), each with its own date and gender formats and a
 * small share of dirt: +86 or spaced phones, truncated phones, missing fields, a lower-case x in
 * the ID check character. About 1.5% of customers also have a legacy CRM record without the link:
 * the same person under a second key, merged by certificate number or, when that is missing, by
 * phone (an IdentityMerge row records which rule matched).
 */
import { packedYmd, shanghaiMs } from "./calendar";
import { utf8, type CopyWriter } from "./copy/binary-writer";
import { T } from "./copy/tables";
import type { CustomerDraft } from "./draft";
import type { BankGenerator } from "./generator";
import { L, P } from "./labels";
import type { Rng } from "./rng";

const LEGACY_KEY_OFFSET = 5_000_000_000;


export function emitSources(g: BankGenerator, d: CustomerDraft): void {
  const rng = g.rng;
  const sr = g.writers[T.source_record]!;
  const loadedMs = shanghaiMs(g.ctx.asOfDay, 7200);
  const v = packedYmd(d.birthDay);
  const compact = String(v);
  const iso = `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6)}`;

  // CORE: the golden record's origin, always clean.
  sr.row(14, 1024);
  sr.code(P.sr, ++g.counters.sourceRecord, 11);
  sr.bytes(L.CORE);
  sr.code(P.C, d.id, 10);
  sr.int4(d.id);
  sr.bytes(L.NEW);
  sr.text(d.name);
  sr.ascii(d.certNo);
  sr.ascii(d.certNo);
  sr.ascii(d.phone);
  sr.ascii(d.phone);
  if (d.email) sr.ascii(d.email);
  else sr.nul();
  sr.ascii(iso);
  sr.bytes(d.male ? L.M : L.F);
  sr.timestamp(loadedMs);

  // Each system keeps birth dates and sex its own way.
  if (d.rm || rng.chance(0.5)) writeLinked(g, d, L.CRM, P.CRM, compact, d.male ? MALE_ZH : FEMALE_ZH, true, loadedMs);
  if (g.assets.cardKey) writeLinked(g, d, L.CARD, P.CRD, `${compact.slice(0, 4)}/${compact.slice(4, 6)}/${compact.slice(6)}`, d.male ? MALE_DIGIT : FEMALE_DIGIT, false, loadedMs);
  if (g.assets.wealthCents > 0) writeLinked(g, d, L.WEALTH, P.WM, compact, d.male ? MALE_ZH : FEMALE_ZH, false, loadedMs);

  if (rng.chance(0.015)) emitLegacyDuplicate(g, d, compact, d.male ? MALE_ZH : FEMALE_ZH, loadedMs);
}

const MALE_ZH = utf8("男");
const FEMALE_ZH = utf8("女");
const MALE_DIGIT = utf8("1");
const FEMALE_DIGIT = utf8("2");

function writeLinked(g: BankGenerator, d: CustomerDraft, system: Uint8Array, prefix: Uint8Array, birth: string, gender: Uint8Array, withEmail: boolean, loadedMs: number): void {
  const sr = g.writers[T.source_record]!;
  sr.row(14, 1024);
  sr.code(P.sr, ++g.counters.sourceRecord, 11);
  sr.bytes(system);
  sr.code(prefix, d.id, 10);
  sr.int4(d.id);
  sr.bytes(L.SOURCE_KEY);
  writeDirtyPerson(sr, g.rng, d, birth, gender, withEmail);
  sr.timestamp(loadedMs);
}

/** Name, certificate, phone, e-mail, birth date and gender as a less careful system keeps them. */
function writeDirtyPerson(sr: CopyWriter, rng: Rng, d: CustomerDraft, birth: string, gender: Uint8Array, withEmail: boolean): void {
  if (rng.chance(0.01)) sr.nul();
  else sr.text(d.name);
  if (rng.chance(0.01)) {
    sr.nul();
    sr.nul();
  } else {
    sr.ascii(d.certNo.endsWith("X") && rng.chance(0.4) ? d.certNo.slice(0, 17) + "x" : d.certNo);
    sr.ascii(d.certNo);
  }
  writeDirtyPhone(sr, rng, d.phone);
  if (withEmail && d.email) sr.ascii(d.email);
  else sr.nul();
  if (rng.chance(0.02)) sr.nul();
  else sr.ascii(birth);
  if (rng.chance(0.01)) sr.nul();
  else sr.bytes(gender);
}

/** The phone as typed into the source system, then its normalised form (null when unusable). */
function writeDirtyPhone(sr: CopyWriter, rng: Rng, phone: string): void {
  const r = rng.float();
  if (r < 0.03) {
    sr.ascii(`+86${phone}`);
    sr.ascii(phone);
  } else if (r < 0.05) {
    sr.ascii(`${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`);
    sr.ascii(phone);
  } else if (r < 0.06) {
    sr.ascii(phone.slice(0, 10));
    sr.nul();
  } else if (r < 0.08) {
    sr.nul();
    sr.nul();
  } else {
    sr.ascii(phone);
    sr.ascii(phone);
  }
}

function emitLegacyDuplicate(g: BankGenerator, d: CustomerDraft, birth: string, gender: Uint8Array, loadedMs: number): void {
  const rng = g.rng;
  const sr = g.writers[T.source_record]!;
  const byCert = rng.chance(0.7);
  const id = ++g.counters.sourceRecord;
  sr.row(14, 1024);
  sr.code(P.sr, id, 11);
  sr.bytes(L.CRM);
  sr.code(P.CRM, LEGACY_KEY_OFFSET + d.id, 10);
  sr.int4(d.id);
  sr.bytes(byCert ? L.CERT_NO : L.PHONE);
  sr.text(d.name);
  if (byCert) {
    sr.ascii(d.certNo.endsWith("X") ? d.certNo.slice(0, 17) + "x" : d.certNo);
    sr.ascii(d.certNo);
  } else {
    sr.nul();
    sr.nul();
  }
  sr.ascii(byCert ? d.phone : rng.chance(0.5) ? `+86 ${d.phone}` : `${d.phone.slice(0, 3)}-${d.phone.slice(3, 7)}-${d.phone.slice(7)}`);
  sr.ascii(d.phone);
  sr.nul();
  sr.ascii(birth);
  sr.bytes(gender);
  sr.timestamp(loadedMs);

  const im = g.writers[T.identity_merge]!;
  im.row(6);
  im.code(P.im, ++g.counters.merge, 10);
  im.code(P.sr, id, 11);
  im.int4(d.id);
  im.bytes(byCert ? L.CERT_NO : L.PHONE);
  im.ascii(byCert ? d.certNo : d.phone);
  im.timestamp(loadedMs + 60_000);
}
