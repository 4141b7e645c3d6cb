/**
 * The synthetic bank's row generator. `generate(from, to)` appends the rows of customers
 * [from, to) — the customer, their identity, contacts, consents, accounts, holdings, 12 months of
 * balances, transactions and app events, and their records in the source systems — to one binary
 * COPY writer per table; `take()` hands the buffers over. Customers must be generated in id order
 * (row ids are dense counters), each from its own random stream, so the same seed, size and
 * as-of date always give byte-identical output.
 */
import { CopyWriter } from "./copy/binary-writer";
import { STREAMED_TABLES } from "./copy/tables";
import { createContext, type GeneratorContext, type GeneratorOptions } from "./context";
import { CertSequences, CustomerDraft, drawCustomer } from "./draft";
import { emitAssets } from "./emit-assets";
import { emitActivity } from "./emit-activity";
import { emitCustomer } from "./emit-customer";
import { emitSources } from "./emit-sources";
import { Rng } from "./rng";

/** Row counters: the last id used per table with a generated id. */
export interface Counters {
  account: number;
  holding: number;
  transaction: number;
  appEvent: number;
  contactPoint: number;
  riskAssessment: number;
  consent: number;
  restriction: number;
  sourceRecord: number;
  merge: number;
}

/** What the asset emitter leaves for the activity and source emitters of the same customer. */
export interface AssetScratch {
  depositCents: number;
  wealthCents: number;
  loanCents: number;
  /** Account numbers as 13-digit keys (id * 10 + Luhn digit) after the 622208 prefix; 0 when the customer has no such account. */
  demandKey: number;
  cardKey: number;
  loanKey: number;
  /** The same account numbers as text, for the customer's transactions. */
  demandNo: Uint8Array;
  cardNo: Uint8Array;
  loanNo: Uint8Array;
  loanInstallmentCents: number;
  /** Wealth purchases and redemptions inside the history window, for PURCHASE/REDEMPTION transactions. */
  flowCount: number;
  flowDay: Int32Array;
  flowProduct: Int32Array;
  flowCents: Float64Array;
  flowRedeem: Uint8Array;
}

export class BankGenerator {
  readonly ctx: GeneratorContext;
  readonly rng = new Rng(0);
  readonly writers = STREAMED_TABLES.map(() => new CopyWriter());
  readonly counters: Counters = { account: 0, holding: 0, transaction: 0, appEvent: 0, contactPoint: 0, riskAssessment: 0, consent: 0, restriction: 0, sourceRecord: 0, merge: 0 };
  readonly assets: AssetScratch = {
    depositCents: 0, wealthCents: 0, loanCents: 0, demandKey: 0, cardKey: 0, loanKey: 0, loanInstallmentCents: 0,
    demandNo: new Uint8Array(19), cardNo: new Uint8Array(19), loanNo: new Uint8Array(19),
    flowCount: 0, flowDay: new Int32Array(16), flowProduct: new Int32Array(16), flowCents: new Float64Array(16), flowRedeem: new Uint8Array(16),
  };
  private readonly draft = new CustomerDraft();
  private readonly certSequences: CertSequences;
  private nextId = 1;

  constructor(options: GeneratorOptions) {
    this.ctx = createContext(options);
    this.certSequences = new CertSequences(this.ctx.areaCodes.length, this.ctx.asOfDay);
  }

  get options(): GeneratorOptions {
    return this.ctx.options;
  }

  /** Appends customers [from, to) (1-based ids; must continue where the last call stopped). */
  generate(from: number, to: number): void {
    if (from !== this.nextId) throw new Error(`customers must be generated in order: expected ${this.nextId}, got ${from}`);
    const d = this.draft;
    for (let id = from; id < to; id++) {
      this.rng.reseed(this.ctx.options.seed, id);
      drawCustomer(d, id, this.rng, this.ctx, this.certSequences);
      emitCustomer(this, d);
      emitAssets(this, d);
      emitActivity(this, d);
      emitSources(this, d);
    }
    this.nextId = to;
  }

  /** The buffered rows per table (indexed like STREAMED_TABLES) and their row counts. */
  take(): { chunks: Uint8Array[]; rows: number[] } {
    const rows = this.writers.map((w) => w.rows);
    return { chunks: this.writers.map((w) => w.take()), rows };
  }

  /** Bytes buffered so far (the caller flushes when this grows large). */
  buffered(): number {
    let n = 0;
    for (const w of this.writers) n += w.pos;
    return n;
  }
}
