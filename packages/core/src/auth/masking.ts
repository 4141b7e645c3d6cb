/**
 * Masking of personal information (个人金融信息脱敏), following common PRC banking practice
 * (JR/T 0171): names keep the surname, phones keep the first 3 and last 4 digits, certificate
 * numbers the first 6 and last 4 (well, first 1 and last 1 for short ones), cards the last 4.
 */
export type PiiKind = "name" | "phone" | "certNo" | "cardNo" | "email" | "accountNo" | "address" | "opaque";

export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return "";
  if (/^[\x20-\x7e]+$/.test(name)) {
    // Latin names: keep the first letter of each word.
    return name
      .trim()
      .split(/\s+/)
      .map((w) => (w.length <= 1 ? w : `${w[0]}${"*".repeat(Math.min(w.length - 1, 4))}`))
      .join(" ");
  }
  if (chars.length === 1) return "*";
  return chars[0] + "*".repeat(chars.length - 1);
}

export function maskPhone(phone: string): string {
  const d = phone.replace(/\D/g, "");
  if (d.length < 7) return "*".repeat(d.length);
  return `${d.slice(0, 3)}${"*".repeat(d.length - 7)}${d.slice(-4)}`;
}

export function maskCertNo(no: string): string {
  const s = no.trim();
  if (s.length <= 4) return "*".repeat(s.length);
  if (s.length < 12) return `${s[0]}${"*".repeat(s.length - 2)}${s.slice(-1)}`;
  return `${s.slice(0, 6)}${"*".repeat(s.length - 10)}${s.slice(-4)}`;
}

export function maskCardNo(no: string): string {
  const s = no.replace(/\s/g, "");
  if (s.length <= 4) return "*".repeat(s.length);
  return `${"*".repeat(s.length - 4)}${s.slice(-4)}`;
}

export function maskEmail(email: string): string {
  const at = email.indexOf("@");
  if (at <= 0) return "*".repeat(email.length);
  const local = email.slice(0, at);
  return `${local[0]}${"*".repeat(Math.max(local.length - 1, 1))}${email.slice(at)}`;
}

/** Addresses keep the first few characters (province / city level), never the street. */
export function maskAddress(address: string): string {
  const chars = Array.from(address.trim());
  const keep = Math.min(6, Math.floor(chars.length / 3));
  return chars.slice(0, keep).join("") + "*".repeat(Math.max(chars.length - keep, 1));
}

/** Opaque identifiers (WeChat openid, …): the first 3 and last 2 characters. */
export function maskOpaque(value: string): string {
  const s = value.trim();
  if (s.length <= 6) return "*".repeat(s.length);
  return `${s.slice(0, 3)}${"*".repeat(s.length - 5)}${s.slice(-2)}`;
}

export function mask(kind: PiiKind, value: string | null | undefined): string | null {
  if (value == null || value === "") return value ?? null;
  switch (kind) {
    case "name":
      return maskName(value);
    case "phone":
      return maskPhone(value);
    case "certNo":
      return maskCertNo(value);
    case "cardNo":
    case "accountNo":
      return maskCardNo(value);
    case "email":
      return maskEmail(value);
    case "address":
      return maskAddress(value);
    case "opaque":
      return maskOpaque(value);
  }
}
