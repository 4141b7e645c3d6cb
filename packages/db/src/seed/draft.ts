/**
 * Draws one customer's person-level attributes: where they bank, who they are (name, age, gender,
 * resident ID, mobile), what they do, how wealthy and how active they are, and the behaviour flags
 * the tag catalogue looks for (payroll, car owner, card holder, borrower, dormant, churning).
 * One CustomerDraft object is reused for every customer, so drawing allocates only a few strings.
 */
import { certCheckChar } from "./cert";
import { packedYmd } from "./calendar";
import type { GeneratorContext, SubBranchCtx } from "./context";
import { EMAIL_DOMAINS, GIVEN_FEMALE, GIVEN_MALE, GIVEN_SHARED, MOBILE_PREFIXES, OCCUPATIONS, SALARIED, SURNAMES } from "./reference/people";
import { productId } from "./reference/products";
import { Weighted, type Rng } from "./rng";

const AGE_BANDS = [[18, 24], [25, 34], [35, 44], [45, 54], [55, 64], [65, 74], [75, 85]] as const;
const agePick = new Weighted([10, 22, 22, 19, 15, 9, 3]);
const OCCUPATION_NAMES = OCCUPATIONS.map(([name]) => name);
const FIRST_OPEN_DAY = 1827; // 2005-01-01: the bank's core system went live

const LOAN = { mortgage: productId("L501"), consumer: productId("L502"), business: productId("L503"), car: productId("L504") };
const CARD = { standard: productId("C601"), platinum: productId("C602"), etc: productId("C603"), youth: productId("C604"), travel: productId("C605") };

export class CustomerDraft {
  id = 0;
  sub!: SubBranchCtx;
  male = true;
  age = 0;
  birthDay = 0;
  certNo = "";
  phone = "";
  email: string | null = null;
  name = "";
  occupation = "";
  openedDay = 0;
  /** Multiplies how many transactions and app events the customer has (long-tailed, mean ≈ 1.5). */
  activity = 1;
  appUser = false;
  wechat = false;
  payroll = false;
  salaryCents = 0;
  payday = 10;
  carOwner = false;
  /** Product ids, 0 when none. */
  cardProduct = 0;
  loanProduct = 0;
  loanCents = 0;
  dormant = false;
  churning = false;
  rm: Uint8Array | null = null;
  /** Target assets under management in cents. */
  aumCents = 0;
  /** 0 = never assessed, else 1..5 for C1..C5. */
  riskLevel = 0;
  riskValid = false;
}

export function drawCustomer(d: CustomerDraft, id: number, rng: Rng, ctx: GeneratorContext, sequences: CertSequences): void {
  const asOf = ctx.asOfDay;
  d.id = id;
  const sub = ctx.subBranches[ctx.subBranchPick.pick(rng)]!;
  d.sub = sub;

  d.male = rng.chance(0.49);
  const [lo, hi] = AGE_BANDS[agePick.pick(rng)]!;
  d.age = rng.range(lo, hi);
  d.birthDay = asOf - Math.floor(d.age * 365.25) - rng.int(365);

  const areaIdx = rng.chance(0.8) ? rng.pick(sub.localAreas) : rng.pick(ctx.migrantAreas);
  d.certNo = drawCertNo(ctx.areaCodes, areaIdx, d.birthDay, d.male, sequences);

  // A bijection of the id over eight digits keeps every customer's mobile number unique.
  const tail = (id * 73_939_133 + (ctx.options.seed % 100_000_000) + 100_000_000) % 100_000_000;
  d.phone = rng.pick(MOBILE_PREFIXES) + String(tail).padStart(8, "0");

  const surname = SURNAMES[ctx.surnamePick.pick(rng)]![0];
  const pool = d.male ? GIVEN_MALE : GIVEN_FEMALE;
  d.name = rng.chance(0.3) ? surname + rng.pick(pool) : surname + (rng.chance(0.3) ? rng.pick(GIVEN_SHARED) : rng.pick(pool)) + rng.pick(pool);

  const stage = d.age < 25 ? 0 : d.age < 60 ? 1 : 2;
  d.occupation = OCCUPATION_NAMES[ctx.occupationPick[stage].pick(rng)]!;

  d.email = rng.chance(0.22) ? drawEmail(rng) : null;

  const adultDay = d.birthDay + Math.ceil(18 * 365.25);
  const earliest = Math.max(FIRST_OPEN_DAY, adultDay);
  d.openedDay = rng.chance(0.06) || earliest > asOf - 400 ? Math.max(earliest, asOf - rng.int(365)) : rng.range(earliest, asOf - 400);

  d.activity = rng.logNormal(0, 0.9);

  let mu = 9.75;
  if (d.age < 25) mu -= 1.1;
  else if (d.age < 35) mu -= 0.2;
  else if (d.age < 45) mu += 0.3;
  else if (d.age < 66) mu += 0.6;
  else mu += 0.4;
  if (d.occupation === "企业主") mu += 1.3;
  else if (d.occupation === "金融从业者" || d.occupation === "医生") mu += 0.5;
  else if (d.occupation === "学生") mu -= 1.0;
  else if (d.occupation === "农民") mu -= 0.6;
  d.aumCents = rng.chance(0.05) ? 0 : Math.min(8_000_000_000, Math.round(rng.logNormal(mu, 1.8) * 100));
  const aumCny = d.aumCents / 100;

  d.dormant = rng.chance(aumCny < 1000 ? 0.14 : 0.06);
  d.churning = !d.dormant && aumCny > 50_000 && rng.chance(0.06);

  d.appUser = !d.dormant && rng.chance(d.age < 30 ? 0.85 : d.age < 45 ? 0.8 : d.age < 60 ? 0.6 : d.age < 70 ? 0.35 : 0.15);
  d.wechat = rng.chance(d.appUser ? 0.45 : 0.15);

  const working = d.age >= 20 && d.age < 60;
  d.payroll = !d.dormant && working && rng.chance(SALARIED.has(d.occupation) ? 0.6 : d.occupation === "学生" || d.occupation === "退休" ? 0 : 0.08);
  d.salaryCents = d.payroll ? Math.round(rng.logNormal(Math.log(9000), 0.5) * 100) : 0;
  d.payday = rng.pick([5, 10, 10, 15, 15, 20, 25]);

  d.carOwner = rng.chance(d.age >= 25 && d.age < 66 ? (aumCny > 200_000 ? 0.4 : 0.2) : 0.05);
  d.cardProduct = 0;
  if (rng.chance(d.age >= 20 && d.age < 66 ? 0.42 : 0.12)) {
    if (d.carOwner && rng.chance(0.4)) d.cardProduct = CARD.etc;
    else if (aumCny > 500_000) d.cardProduct = CARD.platinum;
    else if (d.age < 28) d.cardProduct = CARD.youth;
    else d.cardProduct = rng.chance(0.12) ? CARD.travel : CARD.standard;
  }

  d.loanProduct = 0;
  d.loanCents = 0;
  if (d.age >= 28 && d.age < 56 && rng.chance(0.12)) {
    d.loanProduct = LOAN.mortgage;
    d.loanCents = Math.round(rng.logNormal(Math.log(900_000), 0.5) * 100);
  } else if ((d.occupation === "个体工商户" || d.occupation === "企业主") && rng.chance(0.25)) {
    d.loanProduct = LOAN.business;
    d.loanCents = Math.round(rng.logNormal(Math.log(300_000), 0.6) * 100);
  } else if (d.carOwner && rng.chance(0.15)) {
    d.loanProduct = LOAN.car;
    d.loanCents = Math.round(rng.logNormal(Math.log(80_000), 0.4) * 100);
  } else if (working && rng.chance(0.05)) {
    d.loanProduct = LOAN.consumer;
    d.loanCents = Math.round(rng.logNormal(Math.log(60_000), 0.6) * 100);
  }

  d.rm = rng.chance(aumCny >= 500_000 ? 0.97 : 0.8) ? rng.pick(sub.rms) : null;

  const r = rng.float();
  if (r < (aumCny < 10_000 ? 0.3 : 0.15)) {
    d.riskLevel = 0;
    d.riskValid = false;
  } else {
    d.riskValid = r >= (aumCny < 10_000 ? 0.45 : 0.3);
    const score = rng.float() + (aumCny > 1_000_000 ? 0.15 : 0) - (d.age >= 65 ? 0.2 : 0) - (d.age < 25 ? 0.05 : 0);
    d.riskLevel = score < 0.1 ? 1 : score < 0.35 ? 2 : score < 0.7 ? 3 : score < 0.9 ? 4 : 5;
  }
}

/**
 * Sequence numbers per (birthplace, birth date, sex): each customer takes the next one, so
 * certificate numbers are unique without remembering them all. The order within a key is a
 * permutation of 0..499 seeded by the key, so sequences look random.
 */
export class CertSequences {
  private readonly counts: Uint16Array;
  private readonly firstDay: number;

  constructor(private readonly areas: number, asOfDay: number, private readonly days = 32_000) {
    this.firstDay = asOfDay - days;
    this.counts = new Uint16Array(areas * days * 2);
  }

  next(area: number, birthDay: number, male: boolean): number {
    const i = (area * this.days + (birthDay - this.firstDay)) * 2 + (male ? 1 : 0);
    const k = this.counts[i]!;
    if (k >= 500) throw new Error("more than 500 customers share a birthplace, birth date and sex");
    this.counts[i] = k + 1;
    const base = Math.imul(i, 0x9e3779b1) >>> 23; // 0..511
    return ((base + k * 211) % 500) * 2 + (male ? 1 : 0);
  }
}

/** A unique, checksum-valid resident ID whose birth date and sex digit match the customer's. */
function drawCertNo(areaCodes: readonly string[], areaIdx: number, birthDay: number, male: boolean, sequences: CertSequences): string {
  const seq = sequences.next(areaIdx, birthDay, male);
  const v = packedYmd(birthDay);
  const first17 = `${areaCodes[areaIdx]}${v}${seq < 10 ? "00" : seq < 100 ? "0" : ""}${seq}`;
  return first17 + certCheckChar(first17);
}

function drawEmail(rng: Rng): string {
  const domain = rng.pick(EMAIL_DOMAINS);
  if (domain === "qq.com") return `${rng.range(10_000, 2_999_999_999)}@qq.com`;
  let local = "";
  const letters = rng.range(4, 8);
  for (let i = 0; i < letters; i++) local += String.fromCharCode(97 + rng.int(26));
  return `${local}${rng.range(1, 9999)}@${domain}`;
}
