"use client";

import { Button, Card, CardBody, CardHeader, DataTable, DescriptionList, EmptyState, PageHeader, SkeletonRows, StatCard, buttonClasses } from "@mkt/ui";
import { TrendChart } from "@mkt/ui/charts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, BarChart3, FileSearch, History, Link2 } from "lucide-react";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import type { RouterOutputs } from "@/lib/api-types";
import { QueryState } from "@/components/query-state";
import { useTRPC } from "@/lib/trpc";
import { useFormat, useLocalizedName } from "@/lib/use-localized";
import { DistributionChart, type EnumValueLabel } from "./distribution-chart";
import { ImportedValuesCard } from "./imported-values-card";
import { OwnersDialog } from "./owners-dialog";
import { problemsOf } from "./problems";
import { RetireDialog } from "./retire-dialog";
import { TagStatusBadge, VersionStatusBadge } from "./tag-badges";
import { percent } from "./tag-codes";

type TagPage = RouterOutputs["tag"]["get"];
type Version = TagPage["versions"][number];
type Usage = TagPage["usages"][number];

/** One tag: definition (口径) and owners, quality of the latest runs, versions, usage. */
export function TagDetail({ code, can }: { code: string; can: { write: boolean; approve: boolean } }) {
  const t = useTranslations("tags.detail");
  const tCommon = useTranslations("common");
  const trpc = useTRPC();
  const name = useLocalizedName();
  const tag = useQuery(trpc.tag.get.queryOptions({ code }));
  const [retiring, setRetiring] = useState(false);
  const back = (
    <Link href="/tags" className="hover:text-slate-700 hover:underline">
      ← {t("back")}
    </Link>
  );

  return (
    <QueryState
      query={tag}
      loading={
        <>
          <PageHeader eyebrow={back} title={code} />
          <SkeletonRows rows={8} label={tCommon("loading")} />
        </>
      }
      notFound={<TagNotFound />}
    >
      {(x) => {
        const openVersion = x.versions.find((v) => v.status === "DRAFT" || v.status === "IN_REVIEW");
        return (
          <div className="space-y-5" data-testid="tag-detail">
            <PageHeader
              eyebrow={back}
              title={name(x)}
              description={
                <span className="flex flex-wrap items-center gap-2">
                  <TagStatusBadge status={x.status} />
                  <span className="font-mono">{x.code}</span>
                  <span>· {x.currentVersion == null ? t("notPublished") : t("currentVersion", { version: x.currentVersion })}</span>
                </span>
              }
              actions={
                <>
                {can.write && x.status !== "RETIRED" && openVersion?.status !== "IN_REVIEW" && (
                  <Link href={`/tags/${x.code}/edit`} className={buttonClasses("secondary", "sm")}>
                    {openVersion ? t("editDraft") : t("newVersion")}
                  </Link>
                )}
                {can.approve && x.status !== "RETIRED" && (
                  <Button variant="danger" size="sm" onClick={() => setRetiring(true)}>
                    {t("retire")}
                  </Button>
                )}
                </>
              }
            />
            {retiring && <RetireDialog code={x.code} onClose={() => setRetiring(false)} />}
            <Definition tag={x} canWrite={can.write} />
            {x.sourceKind === "IMPORTED" && can.write && x.status !== "RETIRED" && <ImportedValuesCard code={x.code} />}
            <Quality tag={x} />
            <Versions tag={x} canWrite={can.write} />
            <UsageCard tag={x} />
          </div>
        );
      }}
    </QueryState>
  );
}

function Definition({ tag: x, canWrite }: { tag: TagPage; canWrite: boolean }) {
  const t = useTranslations("tags.detail");
  const tType = useTranslations("tags.valueType");
  const tSource = useTranslations("tags.sourceKind");
  const tFreq = useTranslations("tags.frequency");
  const locale = useLocale();
  const name = useLocalizedName();
  const enumValues = (x.enumValues as EnumValueLabel[] | null) ?? [];
  const [editingOwners, setEditingOwners] = useState(false);
  return (
    <Card>
      <CardHeader
        title={t("definitionTitle")}
        actions={
          canWrite && (
            <Button variant="ghost" size="sm" onClick={() => setEditingOwners(true)}>
              {t("changeOwners")}
            </Button>
          )
        }
      />
      {editingOwners && <OwnersDialog code={x.code} owners={x} onClose={() => setEditingOwners(false)} />}
      <CardBody className="space-y-4">
        <p className="text-sm leading-6 whitespace-pre-line text-slate-800" data-testid="tag-definition">
          {locale === "en" ? x.definitionEn : x.definition}
        </p>
        <DescriptionList
          className="sm:grid-cols-2 lg:grid-cols-4"
          items={[
            { label: t("category"), value: name(x.category) },
            { label: t("valueType"), value: x.unit ? `${tType(x.valueType)} (${x.unit})` : tType(x.valueType) },
            { label: t("sourceKind"), value: tSource(x.sourceKind) },
            { label: t("frequency"), value: tFreq(x.updateFrequency) },
            { label: t("businessOwner"), value: x.businessOwner?.name ?? "—" },
            { label: t("technicalOwner"), value: x.technicalOwner?.name ?? "—" },
            { label: t("coverageDriftMax"), value: x.coverageDriftMax == null ? t("noThreshold") : percent(x.coverageDriftMax, locale) },
            { label: t("psiMax"), value: x.psiMax == null ? t("noThreshold") : x.psiMax },
          ]}
        />
        {enumValues.length > 0 && (
          <div>
            <h3 className="mb-1.5 text-xs font-medium text-slate-500">{t("enumValues")}</h3>
            <ul className="flex flex-wrap gap-1.5">
              {enumValues.map((e) => (
                <li key={e.value} className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-700">
                  {locale === "en" ? e.labelEn : e.label} <span className="font-mono text-slate-400">{e.value}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </CardBody>
    </Card>
  );
}

function Quality({ tag: x }: { tag: TagPage }) {
  const t = useTranslations("tags.detail");
  const tAlert = useTranslations("tags.alert");
  const locale = useLocale();
  const fmt = useFormat();
  const latest = x.stats[0];
  if (!latest) {
    return (
      <Card>
        <CardHeader title={t("qualityTitle")} icon={<BarChart3 className="size-4" aria-hidden="true" />} />
        <EmptyState icon={<BarChart3 />} title={t("noStats")} description={t("noStatsHint")} />
      </Card>
    );
  }
  const signed = (v: number) => `${v > 0 ? "+" : ""}${(v * 100).toFixed(2)} pp`;
  const trend = [...x.stats].reverse().map((s) => ({ run: `${fmt.date(s.asOf)} #${s.runId}`, coverage: Math.round(s.coverage * 10_000) / 100 }));
  return (
    <Card>
      <CardHeader title={t("qualityTitle")} description={t("qualityAsOf", { asOf: fmt.dateTime(latest.asOf), run: latest.runId })} icon={<BarChart3 className="size-4" aria-hidden="true" />} />
      <CardBody className="space-y-5">
        {latest.alerts.length > 0 && (
          <div role="alert" className="flex items-start gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset" data-testid="drift-alert">
            <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
            <span>{latest.alerts.map((a) => (tAlert.has(a) ? tAlert(a) : a)).join("；")}</span>
          </div>
        )}
        <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
          <StatCard label={t("coverage")} value={percent(latest.coverage, locale)} hint={t("withValue", { count: latest.nonNull })} />
          <StatCard label={t("coverageDelta")} value={latest.coverageDelta == null ? "—" : signed(latest.coverageDelta)} hint={t("versusPrevious")} />
          <StatCard label={t("psi")} value={latest.psi == null ? "—" : latest.psi.toFixed(3)} hint={x.psiMax == null ? t("noThreshold") : t("threshold", { value: x.psiMax })} />
          <StatCard label={t("reads30d")} value={x.reads30d} hint={t("usedByCount", { count: x.usedBy })} />
        </div>
        <div className="grid gap-5 xl:grid-cols-2">
          <div>
            <h3 className="mb-2 text-sm font-medium text-slate-700">{t("distribution")}</h3>
            <DistributionChart distribution={latest.distribution} enumValues={x.enumValues as EnumValueLabel[] | null} locale={locale} />
          </div>
          <div>
            <h3 className="mb-2 text-sm font-medium text-slate-700">{t("coverageTrend")}</h3>
            {trend.length > 1 ? (
              <TrendChart data={trend} xKey="run" series={[{ key: "coverage", label: t("coverage") }]} formatValue={(v) => `${v}%`} ariaLabel={t("coverageTrend")} height={240} />
            ) : (
              <p className="py-8 text-center text-sm text-slate-500">{t("oneRunOnly")}</p>
            )}
          </div>
        </div>
      </CardBody>
    </Card>
  );
}

function Versions({ tag: x, canWrite }: { tag: TagPage; canWrite: boolean }) {
  const t = useTranslations("tags.detail");
  const fmt = useFormat();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const submit = useMutation(
    trpc.tag.submit.mutationOptions({
      onSuccess: () => (setError(null), void queryClient.invalidateQueries({ queryKey: trpc.tag.pathKey() })),
      onError: (e) => setError(problemsOf(e).form),
    }),
  );
  return (
    <Card>
      <CardHeader title={t("versionsTitle")} icon={<History className="size-4" aria-hidden="true" />} />
      {error && (
        <p role="alert" className="px-4 pt-3 text-sm text-red-600 sm:px-5">
          {error}
        </p>
      )}
      <DataTable<Version>
        caption={t("versionsTitle")}
        rows={x.versions}
        rowKey={(v) => v.version}
        testId="tag-versions"
        columns={[
          { key: "version", header: t("col.version"), primary: true, cell: (v) => <span className="font-mono">v{v.version}</span> },
          { key: "status", header: t("col.status"), primary: true, cell: (v) => <VersionStatusBadge status={v.status} /> },
          {
            key: "change",
            header: t("col.changeNote"),
            wrap: true,
            cell: (v) => (
              <div className="min-w-48 space-y-1">
                <p>{v.changeNote}</p>
                {v.reviewNote && <p className="text-xs text-slate-500">{t("reviewNote", { note: v.reviewNote })}</p>}
                {v.rule != null && (
                  <details className="text-xs">
                    <summary className="cursor-pointer text-brand-700">{t("showRule")}</summary>
                    <pre className="mt-1 max-h-64 max-w-xl overflow-auto rounded bg-slate-50 p-2 text-[11px] leading-4 text-slate-700">{JSON.stringify(v.rule, null, 2)}</pre>
                  </details>
                )}
              </div>
            ),
          },
          { key: "author", header: t("col.author"), hideOnPhone: true, cell: (v) => `${v.createdBy?.name ?? "—"} · ${fmt.dateTime(v.createdAt)}` },
          { key: "reviewer", header: t("col.reviewer"), wideOnly: true, cell: (v) => (v.reviewedBy ? `${v.reviewedBy.name} · ${fmt.dateTime(v.reviewedAt)}` : "—") },
          ...(canWrite && x.versions.some((v) => v.status === "DRAFT")
            ? [
                {
                  key: "actions",
                  header: t("col.actions"),
                  align: "right" as const,
                  cell: (v: Version) =>
                    v.status === "DRAFT" ? (
                      <Button size="sm" onClick={() => submit.mutate({ code: x.code, version: v.version })} loading={submit.isPending}>
                        {t("submit")}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

function UsageCard({ tag: x }: { tag: TagPage }) {
  const t = useTranslations("tags.detail");
  const tUsed = useTranslations("tags.usedBy");
  const fmt = useFormat();
  return (
    <Card>
      <CardHeader title={t("usageTitle")} description={t("usageDescription", { reads: x.reads30d })} icon={<Link2 className="size-4" aria-hidden="true" />} />
      {x.usages.length === 0 ? (
        <EmptyState icon={<Link2 />} title={t("noUsage")} description={x.reads30d === 0 && x.status === "PUBLISHED" ? t("unusedHint") : undefined} />
      ) : (
        <DataTable<Usage>
          caption={t("usageTitle")}
          rows={x.usages}
          rowKey={(u) => `${u.usedBy}:${u.refId}`}
          columns={[
            { key: "kind", header: t("col.usedBy"), primary: true, cell: (u) => tUsed(u.usedBy) },
            { key: "name", header: t("col.refName"), primary: true, cell: (u) => u.refName ?? u.refId },
            { key: "last", header: t("col.lastUsed"), cell: (u) => fmt.dateTime(u.lastUsedAt) },
          ]}
        />
      )}
    </Card>
  );
}

/** What a tag page shows for a code that does not exist (or is not visible). */
export function TagNotFound() {
  const t = useTranslations("tags.detail");
  const tCommon = useTranslations("common");
  return (
    <Card>
      <EmptyState icon={<FileSearch />} title={tCommon("notFoundTitle")} description={t("notFound")} />
    </Card>
  );
}
