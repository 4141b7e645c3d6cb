/**
 * The client address for audit rows and sign-in lockout keys: the first hop of
 * X-Forwarded-For (set by the reverse proxy in front of the console), else X-Real-IP.
 * Deployments must put the console behind a proxy that overwrites these headers.
 */
export function clientIp(headers: Headers | undefined | null): string | null {
  if (!headers) return null;
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip")?.trim() || null;
}
