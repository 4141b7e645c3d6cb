"use client";

import { Card, CardBody, CardHeader, EmptyState } from "@mkt/ui";
import { TrendChart } from "@mkt/ui/charts";
import { ChartArea } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import type { Customer360 } from "./types";

/** Month-end AUM with its deposit and wealth parts over the last 12 months. */
export function AumTrendCard({ data }: { data: Customer360 }) {
  const t = useTranslations("customer360");
  const format = useFormatter();
  const points = data.aumTrend.map((m) => ({
    // "2026-03" → a short month label in the current locale.
    month: format.dateTime(new Date(`${m.month}-01T00:00:00Z`), { year: "2-digit", month: "short", timeZone: "UTC" }),
    aum: m.aum,
    deposit: m.deposit,
    wealth: m.wealth,
  }));
  return (
    <Card data-testid="aum-trend">
      <CardHeader title={t("aumTrend")} description={t("aumTrendDescription")} icon={<ChartArea className="size-4" aria-hidden="true" />} />
      <CardBody>
        {points.length === 0 ? (
          <EmptyState title={t("aumTrendEmpty")} className="py-8" />
        ) : (
          <TrendChart
            data={points}
            xKey="month"
            ariaLabel={t("aumTrend")}
            series={[
              { key: "aum", label: t("series.aum") },
              { key: "deposit", label: t("series.deposit"), kind: "line" },
              { key: "wealth", label: t("series.wealth"), kind: "line" },
            ]}
            formatValue={(v) => format.number(v, { style: "currency", currency: "CNY", currencyDisplay: "narrowSymbol", maximumFractionDigits: 0 })}
            formatAxisValue={(v) => format.number(v, { notation: "compact", maximumFractionDigits: 1 })}
          />
        )}
      </CardBody>
    </Card>
  );
}
