/**
 * Normalisation of the identifiers that identity resolution (统一编码) compares. Source systems
 * deliver the same certificate or phone in many spellings — full-width digits typed on a Chinese
 * IME, a lower-case check letter, "+86 138-0013-8000" — and two spellings of one value must
 * compare equal, so every comparison is made on the normalised form.
 */

/** Full-width ASCII (U+FF01–U+FF5E) and the ideographic space to their half-width forms. */
export function toHalfWidth(value: string): string {
  return value.replace(/[\uff01-\uff5e\u3000]/g, (ch) =>
    ch === "\u3000" ? " " : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}

/** Certificate number: half-width, no whitespace, upper case (the resident ID's check letter is X). */
export function normalizeCertNo(raw: string): string {
  return toHalfWidth(raw).replace(/\s+/g, "").toUpperCase();
}

/**
 * Mobile number: half-width, without spaces, dashes, dots or brackets, and without the country
 * prefix (+86, 0086, or a bare 86 before an 11-digit mobile).
 */
export function normalizePhone(raw: string): string {
  const compact = toHalfWidth(raw).replace(/[\s\-().]/g, "");
  return compact.replace(/^(?:\+86|0086)/, "").replace(/^86(?=1\d{10}$)/, "");
}

/** A mainland mobile number after normalisation: 11 digits, 1 then 3–9. */
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;

export function isValidMobile(normalized: string): boolean {
  return MOBILE_PATTERN.test(normalized);
}

/**
 * Person name for comparison: half-width, trimmed, inner whitespace collapsed, Latin letters in
 * upper case ("Li  Lei" and "LI LEI" are one spelling; Chinese names are unchanged).
 */
export function normalizeName(raw: string): string {
  return toHalfWidth(raw).trim().replace(/\s+/g, " ").toUpperCase();
}

// ── Resident identity card (居民身份证号码), GB 11643-1999 ──

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** Check character by (weighted sum mod 11). */
const ID_CHECK = "10X98765432";

export type ResidentIdProblem = "format" | "birth" | "checksum";

/** The GB 11643 check character of the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/** The birth date encoded in an 18-digit ID as YYYY-MM-DD, or null if it is not a real date. */
export function residentIdBirthDate(normalized: string): string | null {
  const y = Number(normalized.slice(6, 10));
  const m = Number(normalized.slice(10, 12));
  const d = Number(normalized.slice(12, 14));
  if (y < 1900 || m < 1 || m > 12 || d < 1) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  if (date.getTime() > Date.now()) return null;
  return `${normalized.slice(6, 10)}-${normalized.slice(10, 12)}-${normalized.slice(12, 14)}`;
}

/** The sex encoded in an 18-digit ID: the 17th digit is odd for men. */
export function residentIdGender(normalized: string): "M" | "F" {
  return Number(normalized[16]) % 2 === 1 ? "M" : "F";
}

/** Why a normalised value is not a valid 18-digit resident ID, or null when it is one. */
export function residentIdProblem(normalized: string): ResidentIdProblem | null {
  if (!/^[1-9]\d{16}[\dX]$/.test(normalized)) return "format";
  if (!residentIdBirthDate(normalized)) return "birth";
  if (residentIdCheckChar(normalized.slice(0, 17)) !== normalized[17]) return "checksum";
  return null;
}

export function isValidResidentId(normalized: string): boolean {
  return residentIdProblem(normalized) === null;
}
