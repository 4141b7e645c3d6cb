/**
 * A short-link click: the code names the contact (short-link.ts); the click is recorded on it
 * (first click stamps `clickedAt`, later ones bump the repeat count) and the caller redirects to
 * the landing page of the contact's template. Unknown or forged codes, and contacts whose template
 * has no http(s) landing page, give null (404) and record nothing.
 */
import type { Db } from "@mkt/db";
import { recordContactEvent } from "../channels/record-event";
import { parseShortLinkCode } from "./short-link";

export async function followShortLink(
  db: Db,
  key: Buffer,
  code: string,
  opts: { now?: Date; /** false for HEAD requests (link previewers): resolve only. */ record?: boolean } = {},
): Promise<{ url: string } | null> {
  const contactId = parseShortLinkCode(key, code);
  if (!contactId) return null;
  const [row] = await db.$queryRaw<{ url: string | null }[]>`
    SELECT t.link_url AS url FROM contact c LEFT JOIN campaign_template t ON t.id = c.template_id WHERE c.id = ${BigInt(contactId)}`;
  const url = row?.url;
  if (!url || !/^https?:\/\/[^\s]+$/i.test(url)) return null;
  if (opts.record !== false) await recordContactEvent(db, { contactId, type: "CLICKED", occurredAt: opts.now ?? new Date(), source: "link" });
  return { url };
}
