/**
 * SMS encoding and segmentation (3GPP TS 23.038 / 23.040). Text that fits the GSM 7-bit default
 * alphabet goes as data_coding 0 (160 septets, 153 per part when split; the extension characters
 * ^{}\[~]|€ take two); anything else — every Chinese message — goes as UCS2, data_coding 8
 * (70 characters, 67 per part). A long message is split into parts that each carry a
 * concatenation UDH (IEI 00: reference, total, sequence) so the handset shows one message.
 * Surrogate pairs and GSM escapes are never split across parts.
 */
export type SmsCoding = "GSM7" | "UCS2";

const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED = "^{}\\[~]|€\f";
const basic = new Set(GSM_BASIC);
const extended = new Set(GSM_EXTENDED);

export const SMS_LIMITS = {
  GSM7: { single: 160, part: 153 },
  UCS2: { single: 70, part: 67 },
} as const;

/** At most this many parts; longer templates are refused. */
export const MAX_SMS_PARTS = 10;

export function smsCoding(text: string): SmsCoding {
  for (const ch of text) if (!basic.has(ch) && !extended.has(ch)) return "UCS2";
  return "GSM7";
}

/** The cost of one character in its coding's units (septets, or UTF-16 code units). */
function units(ch: string, coding: SmsCoding): number {
  if (coding === "UCS2") return ch.length;
  return extended.has(ch) ? 2 : 1;
}

export function smsLength(text: string, coding = smsCoding(text)): number {
  let n = 0;
  for (const ch of text) n += units(ch, coding);
  return n;
}

/** The text of each part, split at character boundaries. */
export function splitSms(text: string): { coding: SmsCoding; parts: string[] } {
  const coding = smsCoding(text);
  const limits = SMS_LIMITS[coding];
  if (smsLength(text, coding) <= limits.single) return { coding, parts: [text] };
  const parts: string[] = [];
  let current = "";
  let used = 0;
  for (const ch of text) {
    const u = units(ch, coding);
    if (used + u > limits.part) {
      parts.push(current);
      current = "";
      used = 0;
    }
    current += ch;
    used += u;
  }
  if (current) parts.push(current);
  return { coding, parts };
}

export interface SmsSegments {
  coding: SmsCoding;
  /** Characters as the handset counts them (septets for GSM 7-bit, code units for UCS2). */
  length: number;
  segments: number;
}

export function smsSegments(text: string): SmsSegments {
  const { coding, parts } = splitSms(text);
  return { coding, length: smsLength(text, coding), segments: parts.length };
}

/** The concatenation header of part `seq` (1-based) of `total`, reference `ref` (0–255). */
export function concatUdh(ref: number, total: number, seq: number): Buffer {
  return Buffer.from([0x05, 0x00, 0x03, ref & 0xff, total, seq]);
}
