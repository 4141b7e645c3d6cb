"use client";

import { StatCard } from "@mkt/ui";
import { useLocale, useTranslations } from "next-intl";
import type { RouterOutputs } from "@/lib/api-types";
import { DistributionChart, type EnumValueLabel } from "./distribution-chart";
import { percent } from "./tag-codes";

type Preview = RouterOutputs["tag"]["preview"];

/** The distribution a rule gives over a sample of customers (counts only, no customer data). */
export function RulePreview({ preview, enumValues }: { preview: Preview; enumValues: EnumValueLabel[] }) {
  const t = useTranslations("tags.form");
  const locale = useLocale();
  return (
    <div className="space-y-3" data-testid="rule-preview">
      <div className="grid grid-cols-2 gap-3">
        <StatCard label={t("previewCoverage")} value={percent(preview.coverage, locale)} hint={t("previewSample", { count: preview.customers, ms: preview.ms })} />
        <StatCard label={t("previewWithValue")} value={preview.nonNull.toLocaleString(locale)} />
      </div>
      <DistributionChart distribution={preview.distribution} enumValues={enumValues} locale={locale} height={220} />
    </div>
  );
}
