/**
 * Personalised short links (`<origin>/t/<code>`), one per contact, with no table: the code is the
 * contact id in base62 followed by 9 base62 characters of HMAC-SHA256(key, "link:" + id) — about
 * 53 bits nobody can guess, checked in constant time. A contact's code is the same every time it
 * is rendered (a resend shows the same link). Rotating the key invalidates the links sent before.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { channelEnv, trackingBaseUrl, trackingKey, type ChannelEnv } from "../channels/env";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const MAC_LENGTH = 9;
const CODE = /^[0-9A-Za-z]{10,24}$/;

function base62(n: bigint, width = 0): string {
  let s = "";
  do {
    s = ALPHABET[Number(n % 62n)]! + s;
    n /= 62n;
  } while (n > 0n);
  return s.padStart(width, "0");
}

function fromBase62(s: string): bigint {
  let n = 0n;
  for (const ch of s) n = n * 62n + BigInt(ALPHABET.indexOf(ch));
  return n;
}

function mac(key: Buffer, id: bigint): string {
  const digest = createHmac("sha256", key).update(`link:${id}`).digest();
  return base62(digest.readBigUInt64BE(0) >> 11n, MAC_LENGTH); // 53 bits fit 9 base62 digits
}

export function shortLinkCode(key: Buffer, contactId: string | bigint): string {
  const id = BigInt(contactId);
  return `${base62(id)}${mac(key, id)}`;
}

/** The contact id behind a code, or null for anything forged, truncated or malformed. */
export function parseShortLinkCode(key: Buffer, code: string): string | null {
  if (!CODE.test(code)) return null;
  const id = fromBase62(code.slice(0, -MAC_LENGTH));
  const expected = Buffer.from(mac(key, id));
  const given = Buffer.from(code.slice(-MAC_LENGTH));
  return timingSafeEqual(expected, given) ? String(id) : null;
}

export function shortLinkUrl(baseUrl: string, key: Buffer, contactId: string | bigint): string {
  return `${baseUrl}/t/${shortLinkCode(key, contactId)}`;
}

/**
 * The dispatcher's `linkFor`: a contact's short link from the environment's key and origin (the
 * landing page is found from the contact's template when the link is followed). Throws at build
 * time, naming the variable, when neither TRACKING_* nor BETTER_AUTH_* is set.
 */
export function shortLinkFor(env: ChannelEnv = channelEnv()): (contactId: string) => string {
  const key = trackingKey(env);
  const base = trackingBaseUrl(env);
  return (contactId) => shortLinkUrl(base, key, contactId);
}
