/**
 * Accounts and holdings. The customer's target AUM is split into demand and time deposits and,
 * for customers with a risk assessment, wealth holdings (wealth plans, funds, insurance, precious
 * metals) whose product risk never exceeds the customer's level: richer and middle-aged customers
 * hold more products. Fixed-term products are opened inside their term, so some mature within
 * the next 30 days. Credit cards and loans come from the draft.
 */
import type { CustomerDraft } from "./draft";
import type { BankGenerator } from "./generator";
import { L, P } from "./labels";
import { PRODUCTS, productId, type ProductCategory } from "./reference/products";
import { T } from "./copy/tables";
import { formatCode, type CopyWriter } from "./copy/binary-writer";

const DEMAND = productId("D001");
const TIME_DEPOSITS = ["T003", "T006", "T012", "T024", "T036", "T060"].map(productId);
const LARGE_CD = productId("T136");
const WEALTH_MIX: readonly (readonly [ProductCategory, number])[] = [["WEALTH", 45], ["FUND", 30], ["INSURANCE", 15], ["PRECIOUS_METAL", 10]];
// Account numbers (账号) share one 19-digit format, "622208", 12 digits of the id and a Luhn
// digit, whatever the product: they grow with the id, so the unique index builds from sorted input.
const ACCOUNT_PREFIX_DIGITS = [6, 2, 2, 2, 0, 8];

/** Luhn check digit of an account number: the 6-digit prefix then `id` as 12 digits. */
export function luhnDigit(bin: readonly number[], id: number): number {
  // Digits from the right; the rightmost payload digit is doubled (the check digit follows it).
  let sum = 0;
  let pos = 0;
  let n = id;
  for (let i = 0; i < 12; i++, pos++) {
    const q = Math.floor(n / 10);
    sum += luhnTerm(n - q * 10, pos);
    n = q;
  }
  for (let i = bin.length - 1; i >= 0; i--, pos++) sum += luhnTerm(bin[i]!, pos);
  return (10 - (sum % 10)) % 10;
}

function luhnTerm(digit: number, pos: number): number {
  if (pos % 2 !== 0) return digit;
  const v = digit * 2;
  return v > 9 ? v - 9 : v;
}

export function emitAssets(g: BankGenerator, d: CustomerDraft): void {
  const rng = g.rng;
  const asOf = g.ctx.asOfDay;
  const historyStart = asOf - 364;
  const s = g.assets;
  s.flowCount = 0;
  const acc = g.writers[T.account]!;
  const hold = g.writers[T.holding]!;
  const aum = d.aumCents;
  const aumCny = aum / 100;

  // Wealth share: none below 5,000 CNY or without an assessment, rising with AUM.
  let wealth = 0;
  if (d.riskLevel && aumCny >= 5000) {
    let p = Math.min(0.85, Math.max(0, (Math.log10(aumCny) - 4) / 2.2));
    if (d.age < 25) p *= 0.5;
    if (rng.chance(p)) wealth = Math.round(aum * (0.3 + 0.5 * rng.float()));
  }
  const deposit = aum - wealth;

  // Time deposits: older and wealthier customers ladder their savings.
  let timeTotal = 0;
  let demand = deposit;
  let tdCount = 0;
  if (deposit > 2_000_000 && rng.chance(d.age > 50 ? 0.75 : 0.55)) {
    timeTotal = Math.round(deposit * (0.3 + 0.5 * rng.float()));
    demand = deposit - timeTotal;
    tdCount = 1 + rng.int(deposit > 20_000_000 ? 3 : 2);
  }

  s.demandKey = nextCardKey(g, ACCOUNT_PREFIX_DIGITS);
  formatCode(s.demandNo, P["622208"], s.demandKey, 13);
  writeAccount(acc, g.counters.account, s.demandKey, P["622208"], d.id, DEMAND, L.DEMAND_DEPOSIT, demand, d.openedDay, -1, d.dormant ? L.DORMANT : L.ACTIVE, L.CORE);

  let left = timeTotal;
  for (let i = 0; i < tdCount; i++) {
    const part = i === tdCount - 1 ? left : Math.round(left * (0.3 + 0.4 * rng.float()));
    left -= part;
    const pid = part >= 20_000_000 && rng.chance(0.5) ? LARGE_CD : TIME_DEPOSITS[rng.int(TIME_DEPOSITS.length)]!;
    const term = PRODUCTS[pid - 1]!.termDays!;
    const opened = Math.max(d.openedDay, asOf - rng.int(term));
    const key = nextCardKey(g, ACCOUNT_PREFIX_DIGITS);
    writeAccount(acc, g.counters.account, key, P["622208"], d.id, pid, L.TIME_DEPOSIT, part, opened, opened + term, L.ACTIVE, L.CORE);
  }

  s.cardKey = 0;
  if (d.cardProduct) {
    s.cardKey = nextCardKey(g, ACCOUNT_PREFIX_DIGITS);
    formatCode(s.cardNo, P["622208"], s.cardKey, 13);
    const outstanding = d.dormant ? 0 : Math.round(rng.logNormal(Math.log(3000), 1) * 100);
    const opened = Math.max(d.openedDay, asOf - rng.int(3000));
    writeAccount(acc, g.counters.account, s.cardKey, P["622208"], d.id, d.cardProduct, L.CREDIT_CARD, outstanding, opened, -1, L.ACTIVE, L.CARD);
  }

  s.loanKey = 0;
  s.loanInstallmentCents = 0;
  if (d.loanProduct) {
    const term = PRODUCTS[d.loanProduct - 1]!.termDays!;
    const opened = Math.max(d.openedDay, asOf - 30 - rng.int(Math.floor(term * 0.6)));
    s.loanKey = nextCardKey(g, ACCOUNT_PREFIX_DIGITS);
    formatCode(s.loanNo, P["622208"], s.loanKey, 13);
    s.loanInstallmentCents = Math.round((d.loanCents / Math.max(12, (opened + term - asOf) / 30)) * 1.15);
    writeAccount(acc, g.counters.account, s.loanKey, P["622208"], d.id, d.loanProduct, L.LOAN, d.loanCents, opened, opened + term, L.ACTIVE, L.CORE);
  }

  // Wealth holdings: 1–4 products the customer is suitable for.
  if (wealth > 0) {
    const count = Math.min(4, 1 + rng.int(aumCny > 1_000_000 ? 4 : aumCny > 200_000 ? 3 : 2));
    let rest = wealth;
    for (let i = 0; i < count; i++) {
      const part = i === count - 1 ? rest : Math.round(rest * (0.35 + 0.4 * rng.float()));
      rest -= part;
      const pid = pickSuitable(g, d);
      const term = PRODUCTS[pid - 1]!.termDays;
      const opened = Math.max(d.openedDay, asOf - rng.int(term ?? 720));
      writeHolding(g, hold, d.id, pid, part, opened, term ? opened + term : -1, L.ACTIVE);
      if (opened >= historyStart) addFlow(g, opened, pid, part, false);
    }
    // Some customers also have a plan that matured and was paid out during the year.
    const closed = asOf - 5 - rng.int(300);
    if (rng.chance(0.25) && closed - 30 > d.openedDay) {
      const pid = pickSuitable(g, d);
      const term = PRODUCTS[pid - 1]!.termDays;
      const amount = Math.round(wealth * (0.1 + 0.3 * rng.float()));
      const opened = Math.max(d.openedDay, closed - (term ?? 180));
      writeHolding(g, hold, d.id, pid, amount, opened, term ? closed : -1, term ? L.MATURED : L.REDEEMED);
      addFlow(g, closed, pid, amount, true);
    }
  }

  s.depositCents = deposit;
  s.wealthCents = wealth;
  s.loanCents = d.loanCents;
}

function pickSuitable(g: BankGenerator, d: CustomerDraft): number {
  const rng = g.rng;
  for (;;) {
    let r = rng.float() * 100;
    let category: ProductCategory = "WEALTH";
    for (const [c, w] of WEALTH_MIX) {
      if ((r -= w) < 0) {
        category = c;
        break;
      }
    }
    if (category === "INSURANCE" && (d.age < 28 || d.age > 65)) continue;
    const ids = g.ctx.productsByCategory.get(category)!;
    const pid = ids[rng.int(ids.length)]!;
    if (PRODUCTS[pid - 1]!.riskLevel <= d.riskLevel) return pid;
  }
}

function nextCardKey(g: BankGenerator, bin: readonly number[]): number {
  const id = ++g.counters.account;
  return id * 10 + luhnDigit(bin, id);
}

function writeAccount(acc: CopyWriter, id: number, key: number, prefix: Uint8Array, customerId: number, pid: number, kind: Uint8Array, cents: number, opened: number, maturity: number, status: Uint8Array, source: Uint8Array): void {
  acc.row(11);
  acc.int8(id);
  acc.code(prefix, key, 13);
  acc.int4(customerId);
  acc.int4(pid);
  acc.bytes(kind);
  acc.bytes(L.CNY);
  acc.cents(cents);
  acc.date(opened);
  if (maturity >= 0) acc.date(maturity);
  else acc.nul();
  acc.bytes(status);
  acc.bytes(source);
}

function writeHolding(g: BankGenerator, hold: CopyWriter, customerId: number, pid: number, cents: number, opened: number, maturity: number, status: Uint8Array): void {
  const id = ++g.counters.holding;
  hold.row(9);
  hold.int8(id);
  hold.code(P.H, id, 12);
  hold.int4(customerId);
  hold.int4(pid);
  hold.cents(cents);
  hold.date(opened);
  if (maturity >= 0) hold.date(maturity);
  else hold.nul();
  hold.bytes(status);
  hold.bytes(L.WEALTH);
}

function addFlow(g: BankGenerator, day: number, pid: number, cents: number, redeem: boolean): void {
  const s = g.assets;
  if (s.flowCount >= s.flowDay.length) return;
  const i = s.flowCount++;
  s.flowDay[i] = day;
  s.flowProduct[i] = pid;
  s.flowCents[i] = cents;
  s.flowRedeem[i] = redeem ? 1 : 0;
}
