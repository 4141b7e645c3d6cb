"use client";

import { cn, focusRing } from "@mkt/ui";
import { useMutation } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { writeLocaleCookie } from "@/i18n/locale-cookie";
import { LOCALES, type Locale } from "@/i18n/locales";
import { useTRPC } from "@/lib/trpc";

const SHORT: Record<Locale, string> = { "zh-CN": "中", en: "EN" };
const FULL: Record<Locale, string> = { "zh-CN": "中文", en: "English" };

interface Props {
  /** Signed-in users also keep the choice in their profile (me.setLocale). */
  persist?: boolean;
  compact?: boolean;
}

/** 中文 / English toggle: the cookie drives next-intl; a refresh re-renders server components. */
export function LocaleSwitch({ persist, compact }: Props) {
  const t = useTranslations("shell");
  const current = useLocale() as Locale;
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const trpc = useTRPC();
  const save = useMutation(trpc.me.setLocale.mutationOptions());

  const choose = (locale: Locale) => {
    if (locale === current) return;
    writeLocaleCookie(locale);
    if (persist) save.mutate({ locale });
    startTransition(() => router.refresh());
  };

  return (
    <div role="group" aria-label={t("language")} className={cn("inline-flex rounded-md border border-slate-300 bg-white p-0.5", pending && "opacity-60")}>
      {LOCALES.map((locale) => (
        <button
          key={locale}
          type="button"
          lang={locale}
          aria-pressed={locale === current}
          onClick={() => choose(locale)}
          className={cn(
            "rounded px-2 py-1 text-xs font-medium transition-colors",
            focusRing,
            locale === current ? "bg-brand-600 text-white" : "text-slate-600 hover:bg-slate-100",
          )}
        >
          {compact ? SHORT[locale] : FULL[locale]}
        </button>
      ))}
    </div>
  );
}
