/**
 * GET /t/<code> — a personalised short link (public: the code itself is the credential). Records
 * the click on the contact, then 302 to the landing page; HEAD (link previewers) resolves without
 * recording. A forged, unknown or landing-less code is a 404 page that says so and records nothing.
 */
import { followShortLink } from "@mkt/core/campaigns/tracking/click";
import type { Db } from "@mkt/db";

export interface ShortLinkRouteDeps {
  db: Db;
  key: Buffer;
}

const NOT_FOUND_PAGE = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>链接无效</title><body><p>链接无效或已失效。</p><p lang="en">This link is not valid.</p></body></html>`;

export async function followShortLinkRoute(request: Request, code: string, deps: ShortLinkRouteDeps): Promise<Response> {
  const target = await followShortLink(deps.db, deps.key, code, { record: request.method !== "HEAD" });
  const common = { "cache-control": "no-store", "referrer-policy": "no-referrer", "x-robots-tag": "noindex" };
  if (!target) return new Response(NOT_FOUND_PAGE, { status: 404, headers: { ...common, "content-type": "text/html; charset=utf-8" } });
  return new Response(null, { status: 302, headers: { ...common, location: target.url } });
}
