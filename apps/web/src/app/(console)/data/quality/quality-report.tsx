"use client";

import { Card, CardBody, CardHeader, DataTable, DescriptionList, EmptyState, cn } from "@mkt/ui";
import { useQuery } from "@tanstack/react-query";
import { Database } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { useEnumLabel } from "@/lib/use-enum-label";
import { useFormat } from "@/lib/use-localized";
import { QueryState } from "@/components/query-state";

type Source = RouterOutputs["dataQuality"]["report"]["sources"][number];
type FieldStats = Source["fields"][number];

/** Above these rates a cell is flagged (amber) or alarming (red). */
const WARN = 0.01;
const ALARM = 0.05;

function rateTone(rate: number): string {
  return rate >= ALARM ? "text-red-700 font-medium" : rate >= WARN ? "text-amber-700" : "text-slate-700";
}

/** One card per source system: its volume and last load, duplicates, and per-field empty / invalid rates. */
export function QualityReport() {
  const t = useTranslations("data.quality");
  const trpc = useTRPC();
  const fmt = useFormat();
  const format = useFormatter();
  const sourceLabel = useEnumLabel("sourceSystem");
  const report = useQuery(trpc.dataQuality.report.queryOptions());
  const percent = (rate: number) => format.number(rate, { style: "percent", maximumFractionDigits: 2 });

  return (
    <QueryState
      query={report}
      skeletonRows={8}
      isEmpty={(data) => data.sources.length === 0}
      empty={
        <Card>
          <EmptyState icon={<Database />} title={t("empty")} />
        </Card>
      }
    >
      {(data) => (
        <div className="space-y-5" data-testid="quality-report">
          <p className="text-xs text-slate-500">{t("generatedAt", { time: fmt.dateTime(data.generatedAt) })}</p>
          {data.sources.map((s) => (
            <Card key={s.sourceSystem} data-testid={`quality-${s.sourceSystem}`}>
              <CardHeader title={sourceLabel(s.sourceSystem) === s.sourceSystem ? s.sourceSystem : `${sourceLabel(s.sourceSystem)} (${s.sourceSystem})`} />
              <CardBody className="border-b border-slate-100">
                <DescriptionList
                  className="sm:grid-cols-3 lg:grid-cols-6"
                  items={[
                    { label: t("records"), value: format.number(s.records) },
                    { label: t("customers"), value: format.number(s.customers) },
                    { label: t("lastLoad"), value: s.lastLoadedAt ? fmt.dateTime(s.lastLoadedAt) : t("never") },
                    { label: t("lastImport"), value: s.lastImportAt ? fmt.dateTime(s.lastImportAt) : t("never") },
                    {
                      label: <span title={t("duplicates.acrossHint")}>{t("duplicates.across")}</span>,
                      value: <span className={cn(s.duplicates.certAcrossCustomers > 0 && "font-medium text-amber-700")}>{format.number(s.duplicates.certAcrossCustomers)}</span>,
                    },
                    {
                      label: <span title={t("duplicates.multipleHint")}>{t("duplicates.multiple")}</span>,
                      value: <span className={cn(s.duplicates.certMultipleKeys > 0 && "font-medium text-amber-700")}>{format.number(s.duplicates.certMultipleKeys)}</span>,
                    },
                  ]}
                />
              </CardBody>
              <DataTable<FieldStats>
                caption={t("caption", { source: s.sourceSystem })}
                rows={s.fields}
                rowKey={(f) => f.field}
                columns={[
                  { key: "field", header: t("col.field"), primary: true, cell: (f) => (t.has(`field.${f.field}`) ? t(`field.${f.field}` as "field.name") : f.field) },
                  {
                    key: "null",
                    header: t("col.nullRate"),
                    align: "right",
                    cell: (f) => <span className={cn("tabular-nums", rateTone(f.nullRate))}>{t("rateValue", { rate: percent(f.nullRate), count: format.number(f.nullCount) })}</span>,
                  },
                  {
                    key: "invalid",
                    header: t("col.invalidRate"),
                    align: "right",
                    cell: (f) => (
                      <span className={cn("tabular-nums", rateTone(f.invalidRate))}>{t("rateValue", { rate: percent(f.invalidRate), count: format.number(f.invalidCount) })}</span>
                    ),
                  },
                  {
                    key: "nonStandard",
                    header: <span title={t("col.nonStandardHint")}>{t("col.nonStandardRate")}</span>,
                    align: "right",
                    cell: (f) => (
                      <span className={cn("tabular-nums", f.nonStandardCount > 0 && "text-slate-600")}>
                        {t("rateValue", { rate: percent(f.nonStandardRate), count: format.number(f.nonStandardCount) })}
                      </span>
                    ),
                  },
                ]}
              />
            </Card>
          ))}
        </div>
      )}
    </QueryState>
  );
}
