import { describe, expect, it } from "vitest";
import { DICTIONARY, IMPORT_KINDS, describeFieldType } from "./dictionary";
import { ISSUE_MESSAGES, issueMessage } from "./issues";
import { businessToday, validateRow } from "./row-schema";

const customer = {
  source_key: "C001",
  name: " 张三 ",
  cert_no: "11010519491231002x",
  phone: "+86 138-0013-8000",
  org_unit_code: "br01s01",
};

function codes(kind: Parameters<typeof validateRow>[0], raw: Record<string, unknown>) {
  const r = validateRow(kind, raw, 7);
  return r.ok ? [] : r.issues.map((i) => `${i.field}:${i.code}`);
}

describe("dictionary", () => {
  it("every field has both labels, an example and a described rule", () => {
    for (const kind of IMPORT_KINDS) {
      const keys = DICTIONARY[kind].fields.map((f) => f.key);
      expect(new Set(keys).size).toBe(keys.length);
      for (const f of DICTIONARY[kind].fields) {
        expect(f.label.zh && f.label.en && f.example).toBeTruthy();
        expect(describeFieldType(f.type).zh).toBeTruthy();
      }
    }
  });

  it("every dictionary example is itself a valid row", () => {
    for (const kind of IMPORT_KINDS) {
      const example = Object.fromEntries(DICTIONARY[kind].fields.map((f) => [f.key, f.example]));
      expect(codes(kind, example), kind).toEqual([]);
    }
  });

  it("issue messages exist in both languages and interpolate", () => {
    for (const m of Object.values(ISSUE_MESSAGES)) expect(m.zh && m.en).toBeTruthy();
    expect(issueMessage("DUPLICATE_KEY", { firstLine: 3 }, "zh-CN")).toBe("与第 3 行的键重复");
    expect(issueMessage("DUPLICATE_KEY", { firstLine: 3 }, "en")).toBe("same key as line 3");
  });
});

describe("customer rows", () => {
  it("normalises and derives birth date and gender from the resident ID", () => {
    const r = validateRow("CUSTOMERS", customer, 2);
    expect(r).toEqual({
      ok: true,
      row: {
        source_key: "C001",
        name: "张三",
        cert_type: "ID_CARD",
        cert_no: "11010519491231002X",
        phone: "13800138000",
        email: null,
        gender: "F",
        birth_date: "1949-12-31",
        org_unit_code: "BR01S01",
        customer_type: "RETAIL",
        opened_at: null,
        province: null,
        city: null,
        occupation: null,
      },
    });
  });

  it("reports each bad field with its line and reason", () => {
    const r = validateRow("CUSTOMERS", { ...customer, name: "", phone: "12345", email: "x@", gender: "X", birth_date: "1990-02-30" }, 7);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.every((i) => i.line === 7)).toBe(true);
    expect(r.issues.map((i) => `${i.field}:${i.code}`).sort()).toEqual(
      ["birth_date:INVALID_DATE", "email:INVALID_EMAIL", "gender:INVALID_ENUM", "name:REQUIRED", "phone:INVALID_MOBILE"].sort(),
    );
  });

  it("checks resident IDs only for ID_CARD certificates", () => {
    expect(codes("CUSTOMERS", { ...customer, cert_no: "110105194912310020" })).toEqual(["cert_no:INVALID_RESIDENT_ID_CHECKSUM"]);
    expect(codes("CUSTOMERS", { ...customer, cert_no: "11010519491231002" })).toEqual(["cert_no:INVALID_RESIDENT_ID_FORMAT"]);
    expect(codes("CUSTOMERS", { ...customer, cert_no: "110105194902300021" })).toEqual(["cert_no:INVALID_RESIDENT_ID_BIRTH"]);
    expect(codes("CUSTOMERS", { ...customer, cert_type: "passport", cert_no: "E12345678" })).toEqual([]);
    expect(codes("CUSTOMERS", { ...customer, cert_type: "PASSPORT", cert_no: "E123/45" })).toEqual(["cert_no:INVALID_CERT_NO"]);
  });

  it("birth date and gender must agree with the resident ID", () => {
    expect(codes("CUSTOMERS", { ...customer, birth_date: "1950-01-01", gender: "M" }).sort()).toEqual([
      "birth_date:BIRTH_DATE_MISMATCH",
      "gender:GENDER_MISMATCH",
    ]);
  });

  it("refuses future dates, over-long text, bad keys and non-text JSON values", () => {
    expect(codes("CUSTOMERS", { ...customer, cert_no: null, opened_at: "2999-01-01" })).toEqual(["opened_at:DATE_IN_FUTURE"]);
    expect(codes("CUSTOMERS", { ...customer, name: "张".repeat(101) })).toEqual(["name:TOO_LONG"]);
    expect(codes("CUSTOMERS", { ...customer, source_key: "C 001" })).toEqual(["source_key:INVALID_KEY"]);
    expect(codes("CUSTOMERS", { ...customer, name: { first: "张" } })).toEqual(["name:NOT_TEXT"]);
    expect(codes("CUSTOMERS", { ...customer, source_key: 12345 })).toEqual([]);
  });
});

describe("field types", () => {
  const account = {
    account_no: "6222020200112233445",
    customer_source_key: "C001",
    kind: "demand_deposit",
    balance: "1000",
    opened_at: "2020-03-15",
  };

  it("decimals: at most two places, canonical output, sign rules", () => {
    const ok = (balance: unknown) => {
      const r = validateRow("ACCOUNTS", { ...account, balance }, 2);
      return r.ok ? r.row.balance : r.issues.map((i) => i.code).join();
    };
    expect(ok("1000")).toBe("1000.00");
    expect(ok("0012.5")).toBe("12.50");
    expect(ok("-3.1")).toBe("-3.10");
    expect(ok(52300.18)).toBe("52300.18");
    expect(ok("1.234")).toBe("INVALID_DECIMAL");
    expect(ok("1,000")).toBe("INVALID_DECIMAL");
    expect(ok("1e3")).toBe("INVALID_DECIMAL");
    expect(ok("")).toBe("REQUIRED");
    const holding = { holding_no: "H1", customer_source_key: "C001", product_code: "TD-1Y", amount: "-1", opened_at: "2024-01-01" };
    expect(codes("HOLDINGS", holding)).toEqual(["amount:NEGATIVE_AMOUNT"]);
  });

  it("enums are case-insensitive; defaults fill empty optional cells", () => {
    const r = validateRow("ACCOUNTS", account, 2);
    expect(r).toMatchObject({ ok: true, row: { kind: "DEMAND_DEPOSIT", currency: "CNY", status: "ACTIVE" } });
    expect(codes("ACCOUNTS", { ...account, kind: "SAVINGS" })).toEqual(["kind:INVALID_ENUM"]);
  });

  it("dates: real calendar dates only; maturity not before opening", () => {
    expect(codes("ACCOUNTS", { ...account, opened_at: "2020/03/15" })).toEqual(["opened_at:INVALID_DATE"]);
    expect(codes("ACCOUNTS", { ...account, opened_at: "2021-02-29" })).toEqual(["opened_at:INVALID_DATE"]);
    expect(codes("ACCOUNTS", { ...account, opened_at: "2024-02-29" })).toEqual([]);
    expect(codes("ACCOUNTS", { ...account, maturity_date: "2019-01-01" })).toEqual(["maturity_date:MATURITY_BEFORE_OPEN"]);
    expect(businessToday(new Date("2025-01-01T17:00:00Z"))).toBe("2025-01-02");
  });

  it("times: Beijing time unless an offset is given", () => {
    const txn = { txn_no: "T1", customer_source_key: "C001", txn_time: "2025-01-01 09:30:00", type: "payroll", channel: "MOBILE", amount: "8500" };
    const time = (txn_time: string) => {
      const r = validateRow("TRANSACTIONS", { ...txn, txn_time }, 2);
      return r.ok ? r.row.txn_time : r.issues.map((i) => i.code).join();
    };
    expect(time("2025-01-01 09:30:00")).toBe("2025-01-01T09:30:00+08:00");
    expect(time("2025-01-01T01:30:00Z")).toBe("2025-01-01T01:30:00Z");
    expect(time("2025-01-01T09:30+0800")).toBe("2025-01-01T09:30:00+08:00");
    expect(time("2025-01-01 24:00:00")).toBe("INVALID_DATETIME");
    expect(time("2025-13-01 09:00:00")).toBe("INVALID_DATETIME");
    expect(codes("TRANSACTIONS", { ...txn, mcc: "54a1" })).toEqual(["mcc:INVALID_MCC"]);
  });
});
