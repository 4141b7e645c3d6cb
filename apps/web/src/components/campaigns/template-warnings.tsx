"use client";

import { useTranslations } from "next-intl";
import type { RouterOutputs } from "@/lib/api-types";

type Warning = RouterOutputs["campaign"]["previewTemplate"]["warnings"][number];

/**
 * What a rendered template should make its author (or approver) look at again: unknown variables,
 * billed SMS parts, a missing opt-out line … — and, when the dispatcher would refuse the message
 * (`sendable: false`), that it would not be sent.
 */
export function TemplateWarnings({ warnings, sendable = true }: { warnings: Warning[]; sendable?: boolean }) {
  const t = useTranslations("campaigns.templates.warning");
  const text = (w: Warning) => {
    switch (w.code) {
      case "UNKNOWN_VARIABLE":
        return t("UNKNOWN_VARIABLE", { variable: `{{${w.variable}}}` });
      case "SMS_PARTS":
      case "SMS_TOO_LONG":
        return t(w.code, { parts: w.parts });
      case "LINK_WITHOUT_URL":
        return t(w.code, { variable: "{{link}}" });
      case "NO_PRODUCT":
        return t(w.code, { variable: "{{product}}" });
      default:
        return t(w.code);
    }
  };
  return (
    <>
      {warnings.map((w) => (
        <p key={JSON.stringify(w)} className="mt-1 text-xs text-amber-700">
          {text(w)}
        </p>
      ))}
      {!sendable && (
        <p className="mt-1 text-xs font-medium text-red-700" data-testid="template-not-sendable">
          {t("notSendable")}
        </p>
      )}
    </>
  );
}
