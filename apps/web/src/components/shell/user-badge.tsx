"use client";

import { useLocale, useTranslations } from "next-intl";
import type { ShellUser } from "@/lib/shell-user";

/** Name, role and org unit (in the current language) of the signed-in user. */
export function UserBadge({ user, tone = "light" }: { user: ShellUser; tone?: "light" | "dark" }) {
  const t = useTranslations("enums.role");
  const locale = useLocale();
  const org = locale === "en" ? user.orgUnit.nameEn : user.orgUnit.name;
  const initial = Array.from(user.name)[0] ?? "?";
  return (
    <div className="flex min-w-0 items-center gap-2.5" data-testid="user-badge">
      <span
        aria-hidden="true"
        className={tone === "dark" ? "grid size-8 shrink-0 place-items-center rounded-full bg-brand-500 text-sm font-medium text-white" : "grid size-8 shrink-0 place-items-center rounded-full bg-brand-100 text-sm font-medium text-brand-800"}
      >
        {initial}
      </span>
      <span className="min-w-0 leading-tight">
        <span className={tone === "dark" ? "block truncate text-sm font-medium text-white" : "block truncate text-sm font-medium text-slate-900"}>{user.name}</span>
        <span className={tone === "dark" ? "block truncate text-xs text-brand-200" : "block truncate text-xs text-slate-500"}>
          {t(user.role)} · {org}
        </span>
      </span>
    </div>
  );
}
