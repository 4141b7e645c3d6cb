"use client";

import { useTranslations } from "next-intl";

/**
 * Labels for codes that come from source systems (event types, source systems, channels): a
 * known code gets its message from `enums.<group>`, an unknown one is shown as the raw code
 * rather than failing the page.
 */
export function useEnumLabel(group: string) {
  const t = useTranslations(`enums.${group}`);
  return (code: string | null | undefined): string => (code ? (t.has(code) ? t(code) : code) : "—");
}
