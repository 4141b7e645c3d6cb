/**
 * Twelve months of behaviour: month-end balances (growing, flat for dormant customers, falling
 * for churning ones, always ending at today's accounts and holdings), transactions (payroll,
 * loan repayments, interest, ETC tolls for car owners, card spending, transfers, wealth purchases
 * and redemptions; none in the last six months for dormant customers), and app events. Each
 * customer's rows are emitted in time order, so (customer_id, time) indexes build from sorted input.
 */
import { shanghaiMs } from "./calendar";
import type { CustomerDraft } from "./draft";
import type { BankGenerator } from "./generator";
import { L, P } from "./labels";
import { MERCHANTS, SEARCH_KEYWORDS } from "./reference/people";
import { PRODUCTS } from "./reference/products";
import { T } from "./copy/tables";
import { formatCode, incrementCode, utf8 } from "./copy/binary-writer";
import { Weighted, type Rng } from "./rng";

const TYPES = [L.DEPOSIT, L.WITHDRAWAL, L.TRANSFER_IN, L.TRANSFER_OUT, L.PAYROLL, L.CARD_SPEND, L.PURCHASE, L.REDEMPTION, L.LOAN_REPAYMENT, L.ETC_TOLL, L.INTEREST, L.FEE];
const enum Tx { Deposit, Withdrawal, TransferIn, TransferOut, Payroll, CardSpend, Purchase, Redemption, LoanRepayment, EtcToll, Interest, Fee }
const CHANNELS = [L.BRANCH, L.MOBILE, L.ONLINE, L.ATM, L.POS];
const enum Ch { Branch, Mobile, Online, Atm, Pos }
const enum Acct { Demand, Card, Loan }
const MCC = [...MERCHANTS.map(([mcc]) => utf8(mcc)), utf8("4784")];
const ETC_MCC = MCC.length - 1;
const NO_MCC = 255;

/** When people transact and open the app (weights per hour of the day). */
const hourPick = new Weighted([1, 0.5, 0.3, 0.2, 0.2, 0.5, 1, 3, 6, 8, 9, 9, 8, 7, 8, 8, 8, 7, 7, 8, 8, 6, 4, 2]);
const EVENT_TYPES = [L.LOGIN, L.VIEW_PRODUCT, L.SEARCH, L.PURCHASE_INTENT, L.CLICK_BANNER];
const eventPick = new Weighted([55, 22, 10, 5, 8]);
const VIEWABLE = PRODUCTS.map((p, i) => ({ id: i + 1, p })).filter(({ p }) => p.category !== "LOAN" && p.category !== "DEMAND_DEPOSIT").map(({ id }) => id);
const OS = ["ios", "android", "harmony"] as const;

const MAX = 2048;
const key = new Float64Array(MAX);
const txType = new Uint8Array(MAX);
const txChannel = new Uint8Array(MAX);
const txCents = new Float64Array(MAX);
const txAccount = new Uint8Array(MAX);
const txProduct = new Int32Array(MAX);
const txMcc = new Uint8Array(MAX);
let n = 0;
const txnNo = new Uint8Array(14);
let txnNoId = -1;

function add(day: number, second: number, type: Tx, channel: Ch, cents: number, account: Acct, product: number, mcc: number): void {
  if (n >= MAX) return;
  key[n] = shanghaiMs(day, second) * MAX + n;
  txType[n] = type;
  txChannel[n] = channel;
  txCents[n] = Math.max(1, Math.round(cents));
  txAccount[n] = account;
  txProduct[n] = product;
  txMcc[n] = mcc;
  n++;
}

const humanSecond = (rng: Rng) => hourPick.pick(rng) * 3600 + rng.int(3600);
const batchSecond = (rng: Rng) => 3600 + rng.int(5 * 3600);

export function emitActivity(g: BankGenerator, d: CustomerDraft): void {
  emitMonthlyBalances(g, d);
  emitTransactions(g, d);
  emitAppEvents(g, d);
}

function emitMonthlyBalances(g: BankGenerator, d: CustomerDraft): void {
  const rng = g.rng;
  const { months, asOfDay } = g.ctx;
  const s = g.assets;
  const mb = g.writers[T.monthly_balance]!;
  const shrink = 1.5 + 1.5 * rng.float();
  for (let m = 0; m < 12; m++) {
    const monthEnd = m < 11 ? months[m + 1]! - 1 : asOfDay;
    if (monthEnd < d.openedDay) continue;
    let fd = 1;
    let fw = 1;
    if (m < 11) {
      const back = 11 - m;
      if (d.dormant) {
        fd = 1 + 0.002 * rng.normal();
        fw = fd;
      } else if (d.churning) {
        fd = 1 + shrink * Math.min(back, 6) / 6 + 0.05 * rng.normal();
        fw = 1 + shrink * Math.min(back, 6) / 6 + 0.05 * rng.normal();
      } else {
        fd = Math.max(0.05, 1 - 0.006 * back + 0.05 * rng.normal());
        fw = Math.max(0.05, 1 - 0.01 * back + 0.06 * rng.normal());
      }
      // Customers who joined during the year build up their balances.
      if (d.openedDay > months[0]!) {
        const ramp = (monthEnd - d.openedDay + 1) / (asOfDay - d.openedDay + 1);
        fd *= ramp;
        fw *= ramp;
      }
    }
    const deposit = Math.round(s.depositCents * fd);
    const wealth = Math.round(s.wealthCents * fw);
    mb.row(6);
    mb.int4(d.id);
    mb.date(months[m]!);
    mb.cents(deposit + wealth);
    mb.cents(deposit);
    mb.cents(wealth);
    mb.cents(m < 11 ? Math.round(s.loanCents * (1 + 0.012 * (11 - m))) : s.loanCents);
  }
}

function emitTransactions(g: BankGenerator, d: CustomerDraft): void {
  const rng = g.rng;
  const asOf = g.ctx.asOfDay;
  const s = g.assets;
  const start = Math.max(d.openedDay, asOf - 364);
  // Dormant customers stopped transacting six to twelve months ago.
  const end = d.dormant ? asOf - 185 - rng.int(180) : asOf;
  n = 0;
  if (end >= start) {
    const span = end - start + 1;
    const human = d.appUser ? Ch.Mobile : d.age >= 65 ? Ch.Branch : Ch.Online;
    const { windowMonthFirst: firsts, windowMonthNumber: months } = g.ctx;
    for (let k = 0; k < 13; k++) {
      const month = months[k]!;
      if (d.payroll) {
        const day = firsts[k]! + d.payday - 1;
        // A double salary in January: the year-end bonus.
        if (day >= start && day <= end) add(day, batchSecond(rng), Tx.Payroll, Ch.Online, d.salaryCents * (0.97 + 0.06 * rng.float()) * (month === 1 ? 2 : 1), Acct.Demand, 0, NO_MCC);
      }
      if (s.loanKey) {
        const day = firsts[k]! + 19;
        if (day >= start && day <= end) add(day, batchSecond(rng), Tx.LoanRepayment, Ch.Online, s.loanInstallmentCents, Acct.Loan, 0, NO_MCC);
      }
      // Demand-deposit interest is credited quarterly on the 21st of March, June, September and December.
      if (s.depositCents > 100_000 && month % 3 === 0) {
        const day = firsts[k]! + 20;
        if (day >= start && day <= end) add(day, batchSecond(rng), Tx.Interest, Ch.Online, (s.depositCents * 0.0015) / 4, Acct.Demand, 0, NO_MCC);
      }
    }
    const act = Math.min(d.activity, 6);
    if (d.carOwner) {
      const tolls = rng.poisson(Math.min(40, 10 * act) * (span / 365));
      for (let i = 0; i < tolls; i++) add(start + rng.int(span), humanSecond(rng), Tx.EtcToll, Ch.Online, rng.logNormal(Math.log(35), 0.7) * 100, s.cardKey && rng.chance(0.6) ? Acct.Card : Acct.Demand, 0, ETC_MCC);
    }
    if (s.cardKey) {
      const spends = rng.poisson(Math.min(50, 10 * act) * (span / 365));
      for (let i = 0; i < spends; i++) {
        const m = g.ctx.merchantPick.pick(rng);
        add(start + rng.int(span), humanSecond(rng), Tx.CardSpend, rng.chance(0.7) ? Ch.Pos : Ch.Online, MERCHANTS[m]![1] * rng.logNormal(0, 0.8) * 100, Acct.Card, 0, m);
      }
      if (rng.chance(0.1)) add(start + rng.int(span), batchSecond(rng), Tx.Fee, Ch.Online, 1000, Acct.Card, 0, NO_MCC);
    }
    const typical = Math.max(50_000, (d.aumCents + d.salaryCents * 3) * 0.03);
    const misc = 1 + rng.poisson(Math.min(40, 2.5 * act) * (span / 365));
    for (let i = 0; i < misc; i++) {
      const r = rng.float();
      const day = start + rng.int(span);
      const cents = typical * rng.logNormal(0, 1);
      if (r < 0.32) add(day, humanSecond(rng), Tx.TransferOut, human, cents, Acct.Demand, 0, NO_MCC);
      else if (r < 0.58) add(day, humanSecond(rng), Tx.TransferIn, human, cents, Acct.Demand, 0, NO_MCC);
      else if (r < 0.85) add(day, humanSecond(rng), Tx.Withdrawal, rng.chance(0.75) ? Ch.Atm : Ch.Branch, Math.ceil(cents / 10_000) * 10_000, Acct.Demand, 0, NO_MCC);
      else add(day, humanSecond(rng), Tx.Deposit, rng.chance(0.6) ? Ch.Branch : Ch.Atm, Math.ceil(cents / 10_000) * 10_000, Acct.Demand, 0, NO_MCC);
    }
    // Churning customers move large sums out during the last six months.
    if (d.churning) {
      const moves = 1 + rng.int(3);
      for (let i = 0; i < moves; i++) add(Math.max(start, asOf - rng.int(180)), humanSecond(rng), Tx.TransferOut, human, s.depositCents * (0.2 + 0.2 * rng.float()) + 100_000, Acct.Demand, 0, NO_MCC);
    }
    for (let i = 0; i < s.flowCount; i++) {
      const day = s.flowDay[i]!;
      if (day < start || day > end) continue;
      const redeem = s.flowRedeem[i] === 1;
      add(day, redeem ? batchSecond(rng) : humanSecond(rng), redeem ? Tx.Redemption : Tx.Purchase, redeem ? Ch.Online : human, s.flowCents[i]!, Acct.Demand, s.flowProduct[i]!, NO_MCC);
    }
  }
  if (n === 0) return;
  const order = key.subarray(0, n).sort();
  const tx = g.writers[T.transaction]!;
  // Transaction numbers "TX" + 12 digits of the id, kept as text and incremented in place.
  if (txnNoId !== g.counters.transaction) {
    formatCode(txnNo, P.TX, g.counters.transaction, 12);
    txnNoId = g.counters.transaction;
  }
  for (let k = 0; k < n; k++) {
    const i = order[k]! % MAX;
    const id = ++g.counters.transaction;
    incrementCode(txnNo, 2);
    txnNoId = id;
    tx.row(10);
    tx.int8(id);
    tx.bytes(txnNo);
    tx.int4(d.id);
    const account = txAccount[i];
    tx.bytes(account === Acct.Card ? s.cardNo : account === Acct.Loan ? s.loanNo : s.demandNo);
    if (txProduct[i]) tx.int4(txProduct[i]!);
    else tx.nul();
    tx.timestamp(Math.floor(order[k]! / MAX));
    tx.bytes(TYPES[txType[i]!]!);
    tx.bytes(CHANNELS[txChannel[i]!]!);
    tx.cents(txCents[i]!);
    if (txMcc[i] === NO_MCC) tx.nul();
    else tx.bytes(MCC[txMcc[i]!]!);
  }
}

function emitAppEvents(g: BankGenerator, d: CustomerDraft): void {
  if (!d.appUser) return;
  const rng = g.rng;
  const asOf = g.ctx.asOfDay;
  const start = Math.max(d.openedDay, asOf - 364);
  const span = asOf - start + 1;
  const count = rng.poisson(Math.min(60, 4 * d.activity) * (span / 365));
  if (count === 0) return;
  const m = Math.min(count, MAX);
  for (let i = 0; i < m; i++) key[i] = shanghaiMs(start + rng.int(span), humanSecond(rng)) * MAX + i;
  const order = key.subarray(0, m).sort();
  const ev = g.writers[T.app_event]!;
  const os = OS[d.id % 3]!;
  for (let k = 0; k < m; k++) {
    const id = ++g.counters.appEvent;
    const type = eventPick.pick(rng);
    ev.row(6, 256);
    ev.int8(id);
    ev.int4(d.id);
    ev.timestamp(Math.floor(order[k]! / MAX));
    ev.bytes(EVENT_TYPES[type]!);
    if (type === 1 || type === 3) ev.int4(VIEWABLE[rng.int(VIEWABLE.length)]!);
    else ev.nul();
    if (type === 0) ev.jsonb(`{"os":"${os}"}`);
    else if (type === 2) ev.jsonb(`{"keyword":"${SEARCH_KEYWORDS[rng.int(SEARCH_KEYWORDS.length)]}"}`);
    else if (type === 3) ev.jsonb(`{"amount":${(1 + rng.int(20)) * 10_000}}`);
    else if (type === 4) ev.jsonb(`{"banner":"B${String(1 + rng.int(24)).padStart(2, "0")}"}`);
    else ev.nul();
  }
}
