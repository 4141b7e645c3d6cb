import type { Locale } from "../src/i18n/locales";

/**
 * The console's message catalogue: one JSON file per namespace and locale
 * (`messages/<locale>/<namespace>.json`), so each area of the console owns its own file.
 * Add a namespace here when you add its two files.
 */
export const NAMESPACES = [
  "common",
  "shell",
  "nav",
  "enums",
  "login",
  "comingSoon",
  "customers",
  "customer360",
  "dashboard",
  "adminOrg",
  "adminUsers",
  "adminApiKeys",
  "adminAudit",
  "data",
  "tags",
  "segments",
  "exports",
  "campaigns",
] as const;

export type Messages = Record<(typeof NAMESPACES)[number], Record<string, unknown>>;

export async function loadMessages(locale: Locale): Promise<Messages> {
  const entries = await Promise.all(
    NAMESPACES.map(async (ns) => [ns, (await import(`./${locale}/${ns}.json`)).default as Record<string, unknown>] as const),
  );
  return Object.fromEntries(entries) as Messages;
}
