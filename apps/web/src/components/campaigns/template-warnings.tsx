"use client";

import { useTranslations } from "next-intl";
import type { RouterOutputs } from "@/lib/api-types";

type Warning = RouterOutputs["campaign"]["previewTemplate"]["warnings"][number];

/** What a rendered template should make its author look at again (unknown variables, billed SMS parts, …). */
export function TemplateWarnings({ warnings }: { warnings: Warning[] }) {
  const t = useTranslations("campaigns.templates.warning");
  return warnings.map((w) => (
    <p key={JSON.stringify(w)} className="mt-1 text-xs text-amber-700">
      {w.code === "UNKNOWN_VARIABLE" ? t("UNKNOWN_VARIABLE", { variable: `{{${w.variable}}}` }) : w.code === "SMS_PARTS"
          ? t("SMS_PARTS", { parts: w.parts })
          : t(w.code, { variable: w.code === "LINK_WITHOUT_URL" ? "{{link}}" : "{{product}}" })}
    </p>
  ));
}
