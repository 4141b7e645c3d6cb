import { describe, expect, it } from "vitest";
import { IdentityIndex, resolveIdentities, type IncomingIdentity, type KnownIdentity } from "./match";

const CERT_A = "11010519491231002X";
const CERT_B = "440524198001010013";

function known(p: Partial<KnownIdentity> & { customerId: number }): KnownIdentity {
  return { nameNorm: null, certNoNorm: null, phoneNorm: null, ...p };
}

function row(ref: number, p: Partial<IncomingIdentity> = {}): IncomingIdentity {
  return { ref, sourceKey: `K${ref}`, nameNorm: "张三", certNoNorm: null, phoneNorm: null, ...p };
}

describe("resolveIdentities: rule precedence", () => {
  it("a known source key wins over a certificate that points elsewhere", () => {
    const index = new IdentityIndex("CRM", [
      known({ customerId: 7, sourceSystem: "CRM", sourceKey: "K1" }),
      known({ customerId: 3, certNoNorm: CERT_A }),
    ]);
    expect(resolveIdentities([row(1, { certNoNorm: CERT_A })], index)).toEqual([
      { ref: 1, rule: "SOURCE_KEY", target: { customerId: 7 } },
    ]);
  });

  it("the same key in another source system is not a known key", () => {
    const index = new IdentityIndex("CRM", [known({ customerId: 7, sourceSystem: "CORE", sourceKey: "K1" })]);
    expect(resolveIdentities([row(1)], index)[0]!.rule).toBe("NEW");
  });

  it("certificate before phone", () => {
    const index = new IdentityIndex("CRM", [
      known({ customerId: 3, certNoNorm: CERT_A }),
      known({ customerId: 2, nameNorm: "张三", phoneNorm: "13800138000" }),
    ]);
    expect(resolveIdentities([row(1, { certNoNorm: CERT_A, phoneNorm: "13800138000" })], index)).toEqual([
      { ref: 1, rule: "CERT_NO", target: { customerId: 3 }, matchedValue: CERT_A },
    ]);
  });

  it("phone joins only with the same name", () => {
    const index = new IdentityIndex("CRM", [known({ customerId: 2, nameNorm: "李四", phoneNorm: "13800138000" })]);
    expect(resolveIdentities([row(1, { phoneNorm: "13800138000" })], index)[0]!.rule).toBe("NEW");
    const same = new IdentityIndex("CRM", [known({ customerId: 2, nameNorm: "张三", phoneNorm: "13800138000" })]);
    expect(resolveIdentities([row(1, { phoneNorm: "13800138000" })], same)).toEqual([
      { ref: 1, rule: "PHONE", target: { customerId: 2 }, matchedValue: "13800138000" },
    ]);
  });

  it("phone + name does not join when the certificates differ (two people)", () => {
    const index = new IdentityIndex("CRM", [known({ customerId: 2, nameNorm: "张三", phoneNorm: "13800138000", certNoNorm: CERT_B })]);
    expect(resolveIdentities([row(1, { phoneNorm: "13800138000", certNoNorm: CERT_A })], index)[0]!.rule).toBe("NEW");
  });

  it("the oldest customer wins when several qualify", () => {
    const index = new IdentityIndex("CRM", [
      known({ customerId: 9, certNoNorm: CERT_A }),
      known({ customerId: 4, certNoNorm: CERT_A }),
      known({ customerId: 6, certNoNorm: CERT_A }),
    ]);
    expect(resolveIdentities([row(1, { certNoNorm: CERT_A })], index)[0]).toMatchObject({ target: { customerId: 4 } });
  });

  it("no match: NEW", () => {
    expect(resolveIdentities([row(1, { certNoNorm: CERT_A, phoneNorm: "13800138000" })], new IdentityIndex("CRM", []))).toEqual([
      { ref: 1, rule: "NEW" },
    ]);
  });
});

describe("resolveIdentities: within one batch", () => {
  it("a person delivered twice joins the first occurrence, by certificate then by phone + name", () => {
    const out = resolveIdentities(
      [
        row(2, { certNoNorm: CERT_A, phoneNorm: "13800138000" }),
        row(3, { certNoNorm: CERT_A }),
        row(4, { phoneNorm: "13800138000" }),
        row(5, { nameNorm: "王五", phoneNorm: "13800138000" }),
      ],
      new IdentityIndex("CRM", []),
    );
    expect(out).toEqual([
      { ref: 2, rule: "NEW" },
      { ref: 3, rule: "CERT_NO", target: { newRef: 2 }, matchedValue: CERT_A },
      { ref: 4, rule: "PHONE", target: { newRef: 2 }, matchedValue: "13800138000" },
      { ref: 5, rule: "NEW" }, // shared family phone, another name
    ]);
  });

  it("a known record teaches its new certificate to later rows", () => {
    const index = new IdentityIndex("CRM", [known({ customerId: 5, sourceSystem: "CRM", sourceKey: "K2" })]);
    const out = resolveIdentities([row(2, { certNoNorm: CERT_B }), row(3, { certNoNorm: CERT_B })], index);
    expect(out[1]).toEqual({ ref: 3, rule: "CERT_NO", target: { customerId: 5 }, matchedValue: CERT_B });
  });

  it("an existing customer outranks a new one of the batch", () => {
    const index = new IdentityIndex("CRM", [known({ customerId: 8, nameNorm: "张三", phoneNorm: "13800138000" })]);
    const out = resolveIdentities([row(2, { certNoNorm: CERT_A }), row(3, { certNoNorm: CERT_B, phoneNorm: "13800138000" })], index);
    expect(out[1]).toMatchObject({ rule: "PHONE", target: { customerId: 8 } });
  });
});
