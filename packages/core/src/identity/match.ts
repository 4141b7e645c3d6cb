/**
 * Identity resolution (统一编码): which golden customer an incoming source record belongs to.
 * Pure — the caller loads the candidates (existing source records and customers sharing a source
 * key, certificate or phone with the batch) and applies the result with set-based SQL.
 *
 * Rules, strongest first; the first that matches decides:
 *   SOURCE_KEY  this source system already delivered this key: same customer as before.
 *   CERT_NO     same normalised certificate number: one certificate is one person.
 *   PHONE       same normalised mobile AND same normalised name, and no conflicting certificate.
 *               A phone alone is not enough: families share one number (a parent's phone on a
 *               child's or spouse's account is common in retail banking), so a phone match without
 *               the name would merge different people; two different certificates prove it.
 *   NEW         none of the above: a new golden customer.
 * Records of one batch also match each other (a person delivered twice under two source keys
 * joins the first occurrence), in file order, so the outcome is deterministic. When several
 * existing customers qualify, the lowest customer id wins (the oldest golden record).
 */

export type MatchRule = "SOURCE_KEY" | "CERT_NO" | "PHONE" | "NEW";

export interface IncomingIdentity {
  /** The row's position in the batch (its line). */
  ref: number;
  sourceKey: string;
  nameNorm: string;
  certNoNorm: string | null;
  phoneNorm: string | null;
}

/** An existing source record or golden customer, as far as matching is concerned. */
export interface KnownIdentity {
  customerId: number;
  /** Present for source records; absent for a golden customer row. */
  sourceSystem?: string;
  sourceKey?: string;
  nameNorm: string | null;
  certNoNorm: string | null;
  phoneNorm: string | null;
}

/** Either an existing customer or the new customer created by an earlier row of the batch. */
export type MatchTarget = { customerId: number } | { newRef: number };

export type Resolution =
  | { ref: number; rule: "SOURCE_KEY"; target: { customerId: number } }
  | { ref: number; rule: "CERT_NO" | "PHONE"; target: MatchTarget; matchedValue: string }
  | { ref: number; rule: "NEW" };

interface PhoneHolder {
  nameNorm: string | null;
  certNoNorm: string | null;
  target: MatchTarget;
  /** For choosing the oldest existing customer; new customers of the batch sort after. */
  order: number;
}

export class IdentityIndex {
  private readonly bySourceKey = new Map<string, number>();
  private readonly byCert = new Map<string, { target: MatchTarget; order: number }>();
  private readonly byPhone = new Map<string, PhoneHolder[]>();

  /** Candidates for a batch of `sourceSystem`; only that system's source keys count as known. */
  constructor(
    readonly sourceSystem: string,
    known: Iterable<KnownIdentity>,
  ) {
    for (const k of known) {
      if (k.sourceSystem === sourceSystem && k.sourceKey !== undefined) {
        const prev = this.bySourceKey.get(k.sourceKey);
        if (prev === undefined || k.customerId < prev) this.bySourceKey.set(k.sourceKey, k.customerId);
      }
      this.register({ customerId: k.customerId }, k.customerId, k);
    }
  }

  knownCustomer(sourceKey: string): number | undefined {
    return this.bySourceKey.get(sourceKey);
  }

  byCertNo(certNoNorm: string): MatchTarget | undefined {
    return this.byCert.get(certNoNorm)?.target;
  }

  byPhoneAndName(phoneNorm: string, nameNorm: string, certNoNorm: string | null): MatchTarget | undefined {
    const holders = this.byPhone.get(phoneNorm);
    if (!holders) return undefined;
    let best: PhoneHolder | undefined;
    for (const h of holders) {
      if (h.nameNorm !== nameNorm) continue;
      if (certNoNorm && h.certNoNorm && h.certNoNorm !== certNoNorm) continue;
      if (!best || h.order < best.order) best = h;
    }
    return best?.target;
  }

  /** Records what a resolved identity looks like, so later rows can match it. */
  register(target: MatchTarget, order: number, id: Pick<KnownIdentity, "nameNorm" | "certNoNorm" | "phoneNorm">): void {
    if (id.certNoNorm) {
      const prev = this.byCert.get(id.certNoNorm);
      if (!prev || order < prev.order) this.byCert.set(id.certNoNorm, { target, order });
    }
    if (id.phoneNorm) {
      const list = this.byPhone.get(id.phoneNorm) ?? [];
      list.push({ nameNorm: id.nameNorm, certNoNorm: id.certNoNorm, target, order });
      this.byPhone.set(id.phoneNorm, list);
    }
  }
}

/** Orders new customers of the batch after every existing customer id. */
const NEW_ORDER_BASE = 2 ** 40;

/**
 * Resolves each incoming record, in the given (file) order, against the index; the index learns
 * each resolved record so that later rows of the same batch can match it.
 */
export function resolveIdentities(rows: Iterable<IncomingIdentity>, index: IdentityIndex): Resolution[] {
  const out: Resolution[] = [];
  for (const row of rows) {
    const resolution = resolveOne(row, index);
    out.push(resolution);
    const target: MatchTarget = resolution.rule === "NEW" ? { newRef: row.ref } : resolution.target;
    const order = "customerId" in target ? target.customerId : NEW_ORDER_BASE + target.newRef;
    index.register(target, order, row);
  }
  return out;
}

function resolveOne(row: IncomingIdentity, index: IdentityIndex): Resolution {
  const known = index.knownCustomer(row.sourceKey);
  if (known !== undefined) return { ref: row.ref, rule: "SOURCE_KEY", target: { customerId: known } };
  if (row.certNoNorm) {
    const target = index.byCertNo(row.certNoNorm);
    if (target) return { ref: row.ref, rule: "CERT_NO", target, matchedValue: row.certNoNorm };
  }
  if (row.phoneNorm) {
    const target = index.byPhoneAndName(row.phoneNorm, row.nameNorm, row.certNoNorm);
    if (target) return { ref: row.ref, rule: "PHONE", target, matchedValue: row.phoneNorm };
  }
  return { ref: row.ref, rule: "NEW" };
}
