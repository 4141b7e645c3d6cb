import { Landmark } from "lucide-react";
import { useTranslations } from "next-intl";

/** The product mark and name at the top of the sidebar and the drawer. */
export function Brand({ collapsed }: { collapsed?: boolean }) {
  const t = useTranslations("common");
  return (
    <div className="flex items-center gap-2.5">
      <span className="grid size-8 shrink-0 place-items-center rounded-md bg-brand-500 text-white">
        <Landmark className="size-[18px]" aria-hidden="true" />
      </span>
      {!collapsed && (
        <span className="min-w-0">
          <span className="block truncate text-sm font-semibold text-white">{t("appName")}</span>
          <span className="block truncate text-[11px] text-brand-200">{t("appTagline")}</span>
        </span>
      )}
    </div>
  );
}
