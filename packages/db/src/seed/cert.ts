/**
 * Resident identity card numbers (GB 11643-1999): 6-digit area code, birth date YYYYMMDD, 3-digit
 * sequence (odd for men, even for women), and an ISO 7064 MOD 11-2 check character (0–9 or X).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = "10X98765432";

/** The check character for the first 17 digits. */
export function certCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/** True when `certNo` is 18 characters with a valid check character (an upper-case X only). */
export function isValidCertNo(certNo: string): boolean {
  if (!/^\d{17}[\dX]$/.test(certNo)) return false;
  return certCheckChar(certNo.slice(0, 17)) === certNo[17];
}

/** The birth date ("YYYY-MM-DD") and gender a valid certificate number encodes. */
export function decodeCertNo(certNo: string): { birthDate: string; gender: "M" | "F" } {
  const birthDate = `${certNo.slice(6, 10)}-${certNo.slice(10, 12)}-${certNo.slice(12, 14)}`;
  return { birthDate, gender: Number(certNo[16]) % 2 === 1 ? "M" : "F" };
}
