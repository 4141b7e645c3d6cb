"use client";

import { Card, CardBody, CardHeader, DataTable, DescriptionList, EmptyState, ProgressBar, StatCard, buttonClasses } from "@mkt/ui";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { CircleCheck, FileSearch } from "lucide-react";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { useMemo, useState } from "react";
import type { RouterOutputs } from "@/lib/api-types";
import { QueryState } from "@/components/query-state";
import { useTRPC } from "@/lib/trpc";
import { useEnumLabel } from "@/lib/use-enum-label";
import { useFormat, useLocalizedName } from "@/lib/use-localized";
import { ImportStatusBadge, RUNNING } from "../../import-status";
import { ListPagination } from "@/components/list-pagination";

type Issue = RouterOutputs["import"]["get"]["errors"]["items"][number];
const PAGE_SIZE = 50;

/** One batch: what happened (status, counts, progress while running) and every refused line. */
export function BatchDetail({ batchId }: { batchId: string }) {
  const t = useTranslations("data.batch");
  const tKind = useTranslations("data.kind");
  const tCommon = useTranslations("common");
  const locale = useLocale();
  const trpc = useTRPC();
  const fmt = useFormat();
  const orgName = useLocalizedName();
  const sourceLabel = useEnumLabel("sourceSystem");
  const [page, setPage] = useState(1);

  const batch = useQuery({
    ...trpc.import.get.queryOptions({ batchId, errorsPage: page, errorsPageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data && RUNNING.includes(query.state.data.status) ? 1_000 : false),
  });
  const dictionary = useQuery(trpc.import.dictionary.queryOptions());
  const fieldLabel = useMemo(() => {
    const labels = new Map<string, { zh: string; en: string }>();
    const fields = dictionary.data?.find((d) => d.kind === batch.data?.kind)?.fields ?? [];
    for (const f of fields) labels.set(f.key, f.label);
    return (key: string | null) => {
      if (!key) return t("errors.file");
      const label = labels.get(key);
      return label ? `${locale.startsWith("zh") ? label.zh : label.en} (${key})` : key;
    };
  }, [dictionary.data, batch.data?.kind, locale, t]);

  return (
    <QueryState
      query={batch}
      skeletonRows={6}
      notFound={
        <Card>
          <EmptyState icon={<FileSearch />} title={tCommon("notFoundTitle")} description={t("notFound")} />
        </Card>
      }
    >
      {(b) => {
        const pageCount = Math.max(1, Math.ceil(b.errors.total / PAGE_SIZE));
        return (
          <div className="space-y-5" data-testid="batch-detail">
            <Card>
              <CardBody className="space-y-4">
                <DescriptionList
                  className="sm:grid-cols-3 lg:grid-cols-4"
                  items={[
                    { label: t("field.status"), value: <ImportStatusBadge status={b.status} /> },
                    { label: t("field.kind"), value: tKind(b.kind) },
                    { label: t("field.source"), value: sourceLabel(b.sourceSystem) },
                    { label: t("field.file"), value: b.fileName ?? "—" },
                    { label: t("field.submittedBy"), value: b.submittedBy?.name ?? "—" },
                    { label: t("field.org"), value: orgName(b.orgUnit) },
                    { label: t("field.createdAt"), value: fmt.dateTime(b.createdAt) },
                    { label: t("field.finishedAt"), value: fmt.dateTime(b.finishedAt) },
                  ]}
                />
                {RUNNING.includes(b.status) && <ProgressBar label={t("progress")} value={b.progress} valueText={`${b.progress}%`} />}
                {b.duplicateOfId && (
                  <p className="text-sm text-slate-600">
                    {t("duplicateOf")}{" "}
                    <Link href={`/data/imports/${b.duplicateOfId}`} className="text-brand-700 hover:underline">
                      {t("viewOriginal")}
                    </Link>
                  </p>
                )}
              </CardBody>
            </Card>

            <div className="grid grid-cols-2 gap-3 sm:grid-cols-3">
              <StatCard label={t("field.total")} value={b.totalRows.toLocaleString(locale)} />
              <StatCard label={t("field.applied")} value={b.appliedRows.toLocaleString(locale)} />
              <StatCard label={t("field.errorRows")} value={b.errorRows.toLocaleString(locale)} />
            </div>

            {b.stats && (
              <Card>
                <CardHeader title={t("stats.title")} icon={<CircleCheck className="size-4" aria-hidden="true" />} />
                <CardBody>
                  <DescriptionList
                    className="sm:grid-cols-3 lg:grid-cols-6"
                    items={[
                      { label: t("stats.inserted"), value: b.stats.inserted },
                      { label: t("stats.updated"), value: b.stats.updated },
                      { label: t("stats.unchanged"), value: b.stats.unchanged },
                      ...(b.stats.newCustomers !== undefined ? [{ label: t("stats.newCustomers"), value: b.stats.newCustomers }] : []),
                      ...(b.stats.merged
                        ? [
                            { label: t("stats.mergedCert"), value: b.stats.merged.CERT_NO },
                            { label: t("stats.mergedPhone"), value: b.stats.merged.PHONE },
                          ]
                        : []),
                    ]}
                  />
                </CardBody>
              </Card>
            )}

            {b.errors.total > 0 && (
              <Card>
                <CardHeader
                  title={t("errors.title")}
                  description={
                    b.errorSummary?.truncated ? t("errors.truncated", { count: b.errors.total }) : t("errors.total", { count: b.errors.total })
                  }
                />
                <DataTable<Issue>
                  caption={t("errors.caption")}
                  rows={b.errors.items}
                  rowKey={(i) => `${i.line}-${i.field ?? ""}-${i.code}`}
                  testId="batch-errors"
                  columns={[
                    { key: "line", header: t("errors.line"), primary: true, cell: (i) => <span className="font-mono tabular-nums">{i.line}</span> },
                    { key: "field", header: t("errors.field"), primary: true, cell: (i) => fieldLabel(i.field) },
                    {
                      key: "reason",
                      header: t("errors.reason"),
                      className: "whitespace-normal",
                      cell: (i) => <span className="text-red-700">{locale.startsWith("zh") ? i.message.zh : i.message.en}</span>,
                    },
                  ]}
                />
                <ListPagination page={page} pageCount={pageCount} onPage={setPage} />
              </Card>
            )}
            <Link href="/data/imports" className={buttonClasses("secondary", "sm")}>
              {t("back")}
            </Link>
          </div>
        );
      }}
    </QueryState>
  );
}
