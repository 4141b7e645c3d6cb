import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isValidCertNo, decodeCertNo } from "./cert";
import { decodeRows, type Value } from "./copy/binary-reader";
import { STREAMED_TABLES, type StreamedTable } from "./copy/tables";
import { BankGenerator } from "./generator";

const AS_OF = "2026-06-30";

/** SHA-256 over each table's bytes, generated in chunks of `chunk` customers. */
function digest(customers: number, seed: number, chunk: number): string {
  const g = new BankGenerator({ customers, seed, asOf: AS_OF });
  const hashes = STREAMED_TABLES.map(() => createHash("sha256"));
  for (let from = 1; from <= customers; from += chunk) {
    g.generate(from, Math.min(customers + 1, from + chunk));
    g.take().chunks.forEach((bytes, i) => hashes[i]!.update(bytes));
  }
  return createHash("sha256").update(hashes.map((h) => h.digest("hex")).join()).digest("hex");
}

function generate(customers: number, seed: number, chunk = 500) {
  const g = new BankGenerator({ customers, seed, asOf: AS_OF });
  const tables = new Map<StreamedTable, Value[][]>(STREAMED_TABLES.map((s) => [s.table, []]));
  for (let from = 1; from <= customers; from += chunk) {
    g.generate(from, Math.min(customers + 1, from + chunk));
    g.take().chunks.forEach((bytes, i) => {
      const spec = STREAMED_TABLES[i]!;
      tables.get(spec.table)!.push(...decodeRows(spec, bytes));
    });
  }
  return { tables, roster: g.ctx.roster };
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.ceil((p / 100) * xs.length) - 1]!;
const column = (table: StreamedTable, name: string) => STREAMED_TABLES.find((s) => s.table === table)!.columns.findIndex(([c]) => c === name);

describe("synthetic bank generator", { timeout: 30_000 }, () => {
  const bank = generate(5000, 7);
  const customers = bank.tables.get("customer")!;
  const col = (name: string) => column("customer", name);

  it("is deterministic: same seed, same bytes, however the run is chunked; another seed differs", () => {
    const reference = digest(2000, 7, 500);
    expect(digest(2000, 7, 777)).toBe(reference);
    expect(digest(2000, 7, 2000)).toBe(reference);
    expect(digest(2000, 8, 500)).not.toBe(reference);
  });

  it("gives every customer a unique, checksum-valid ID number matching birth date and sex", () => {
    const certs = customers.map((r) => r[col("cert_no")] as string);
    expect(new Set(certs).size).toBe(customers.length);
    for (const r of customers) {
      const cert = r[col("cert_no")] as string;
      expect(isValidCertNo(cert)).toBe(true);
      const decoded = decodeCertNo(cert);
      expect(decoded.birthDate).toBe(r[col("birth_date")]);
      expect(decoded.gender).toBe(r[col("gender")]);
    }
  });

  it("gives unique, well-formed mobile numbers and adult ages of 18–85", () => {
    const phones = customers.map((r) => r[col("phone")] as string);
    expect(new Set(phones).size).toBe(customers.length);
    for (const p of phones) expect(p).toMatch(/^1[3-9]\d{9}$/);
    const asOf = Date.parse(AS_OF);
    for (const r of customers) {
      const age = (asOf - Date.parse(r[col("birth_date")] as string)) / (365.25 * 86_400_000);
      expect(age).toBeGreaterThanOrEqual(18);
      expect(age).toBeLessThan(87);
    }
  });

  it("places customers in sub-branches with RMs of that sub-branch", () => {
    const rmUnit = new Map(bank.roster.users.map((u) => [u.id, u.orgUnitId]));
    let assigned = 0;
    for (const r of customers) {
      const unit = r[col("org_unit_id")] as string;
      expect(r[col("org_path")]).toMatch(new RegExp(`^/HO/BR\\d{2}/${unit.replace("org_", "")}/$`));
      const rm = r[col("rm_id")] as string | null;
      if (rm) {
        assigned++;
        expect(rmUnit.get(rm)).toBe(unit);
      }
    }
    expect(assigned / customers.length).toBeGreaterThan(0.7);
    expect(assigned / customers.length).toBeLessThan(0.95);
  });

  it("has a long-tailed AUM: p99 far above the median, a few percent millionaires, some zero", () => {
    const months = bank.tables.get("monthly_balance")!;
    const latest = new Map<number, number>();
    for (const m of months) if (m[column("monthly_balance", "month")] === "2026-06-01") latest.set(m[0] as number, Number(m[column("monthly_balance", "aum")]));
    const aum = [...latest.values()];
    expect(aum.length).toBe(customers.length);
    const median = percentile(aum, 50);
    expect(median).toBeGreaterThan(5_000);
    expect(median).toBeLessThan(80_000);
    expect(percentile(aum, 99)).toBeGreaterThan(20 * median);
    const millionaires = aum.filter((a) => a >= 1_000_000).length / aum.length;
    expect(millionaires).toBeGreaterThan(0.01);
    expect(millionaires).toBeLessThan(0.08);
    expect(aum.filter((a) => a === 0).length / aum.length).toBeGreaterThan(0.02);
  });

  it("has about 20 transactions per customer a year, payroll customers in a plausible band, car owners, dormant customers", () => {
    const txns = bank.tables.get("transaction")!;
    const perCustomer = txns.length / customers.length;
    expect(perCustomer).toBeGreaterThan(15);
    expect(perCustomer).toBeLessThan(26);
    const type = column("transaction", "type");
    const withType = (t: string) => new Set(txns.filter((r) => r[type] === t).map((r) => r[2] as number)).size / customers.length;
    expect(withType("PAYROLL")).toBeGreaterThan(0.1);
    expect(withType("PAYROLL")).toBeLessThan(0.35);
    expect(withType("ETC_TOLL")).toBeGreaterThan(0.08);
    const dormant = customers.filter((r) => r[col("status")] === "DORMANT").map((r) => r[0] as number);
    expect(dormant.length / customers.length).toBeGreaterThan(0.03);
    const sixMonthsAgo = Date.parse("2026-01-01T00:00:00+08:00");
    const dormantSet = new Set(dormant);
    const time = column("transaction", "txn_time");
    expect(txns.filter((r) => dormantSet.has(r[2] as number) && Date.parse(r[time] as string) > sixMonthsAgo)).toHaveLength(0);
    // Unique keys and time order per customer (the indexes build from sorted input).
    expect(new Set(txns.map((r) => r[1])).size).toBe(txns.length);
    for (let i = 1; i < txns.length; i++) {
      const [a, b] = [txns[i - 1]!, txns[i]!];
      if (a[2] === b[2]) expect((a[time] as string) <= (b[time] as string)).toBe(true);
    }
  });

  it("keeps holdings within the customer's risk tolerance and has maturities in the next 30 days", () => {
    const holdings = bank.tables.get("holding")!;
    expect(holdings.length).toBeGreaterThan(0);
    const maturity = column("holding", "maturity_date");
    const soon = holdings.filter((h) => h[column("holding", "status")] === "ACTIVE" && h[maturity] && (h[maturity] as string) > AS_OF && (h[maturity] as string) <= "2026-07-30");
    expect(soon.length).toBeGreaterThan(0);
  });

  it("writes dirty source records: odd phone formats, lower-case x, legacy duplicates merged by cert or phone", () => {
    const sources = bank.tables.get("source_record")!;
    const phone = column("source_record", "phone");
    const cert = column("source_record", "cert_no");
    const rule = column("source_record", "match_rule");
    expect(sources.filter((r) => r[column("source_record", "source_system")] === "CORE")).toHaveLength(customers.length);
    expect(sources.some((r) => (r[phone] as string | null)?.startsWith("+86"))).toBe(true);
    expect(sources.some((r) => (r[phone] as string | null)?.includes(" "))).toBe(true);
    expect(sources.some((r) => (r[cert] as string | null)?.endsWith("x"))).toBe(true);
    expect(sources.some((r) => r[phone] === null)).toBe(true);
    const merges = bank.tables.get("identity_merge")!;
    expect(merges.length).toBe(sources.filter((r) => r[rule] === "CERT_NO" || r[rule] === "PHONE").length);
    expect(new Set(merges.map((m) => m[3]))).toEqual(new Set(["CERT_NO", "PHONE"]));
  });

  it("records consents for service and marketing, and a few do-not-disturb or complaint restrictions", () => {
    const consents = bank.tables.get("consent")!;
    const purpose = column("consent", "purpose");
    const granted = column("consent", "granted");
    const share = (p: string) => {
      const rows = consents.filter((r) => r[purpose] === p);
      return rows.filter((r) => r[granted]).length / rows.length;
    };
    expect(share("SERVICE")).toBeGreaterThan(0.9);
    expect(share("MARKETING")).toBeGreaterThan(0.3);
    expect(share("MARKETING")).toBeLessThan(0.8);
    const restrictions = bank.tables.get("contact_restriction")!.length / customers.length;
    expect(restrictions).toBeGreaterThan(0.005);
    expect(restrictions).toBeLessThan(0.06);
  });
});
