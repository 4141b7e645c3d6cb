"use client";

import { Card, CardHeader, DataTable, EmptyState, ErrorState, SkeletonRows, Spinner, cn } from "@mkt/ui";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { Eye, UsersRound } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPCClient } from "@/lib/trpc";
import { useEnumLabel } from "@/lib/use-enum-label";
import { useLocalizedName } from "@/lib/use-localized";
import { completeRule, ruleKey, type SegmentRule } from "./rule-model";

/** Waits until the value has not changed for `ms` before passing it on. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

const DEBOUNCE_MS = 300;
type PreviewRow = RouterOutputs["segment"]["preview"]["items"][number];

/** The draft's count and preview, fetched once the rule is complete and has settled. */
export function useDraftResults(rule: SegmentRule) {
  const client = useTRPCClient();
  const checked = completeRule(rule);
  const key = useDebounced(checked.ok ? ruleKey(checked.rule) : null, DEBOUNCE_MS);
  const count = useQuery({
    queryKey: ["segment.count", key],
    queryFn: () => client.segment.count.mutate({ rule: JSON.parse(key!) as unknown }),
    enabled: key !== null,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    retry: false,
  });
  const preview = useQuery({
    queryKey: ["segment.preview", key],
    queryFn: () => client.segment.preview.mutate({ rule: JSON.parse(key!) as unknown }),
    enabled: key !== null,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    retry: false,
  });
  const settling = checked.ok && key !== ruleKey(checked.rule);
  return { checked, count, preview, settling };
}

const problemOf = (error: unknown) => (error instanceof TRPCClientError ? error.message : null);

/** The big number marketers watch while they edit. */
export function LiveCount({ results }: { results: ReturnType<typeof useDraftResults> }) {
  const t = useTranslations("segments.builder");
  const format = useFormatter();
  const { checked, count, settling } = results;
  const busy = settling || count.isFetching;
  return (
    <Card className="p-4 sm:p-5">
      <div className="flex items-center gap-2 text-sm font-medium text-slate-600">
        <UsersRound className="size-4" aria-hidden="true" /> {t("liveCount")}
        {busy && <Spinner className="size-3.5" />}
      </div>
      <p className={cn("mt-2 text-4xl font-semibold tracking-tight tabular-nums transition-opacity", busy ? "text-slate-400" : "text-slate-900")} data-testid="live-count" aria-live="polite" aria-busy={busy}>
        {count.data ? format.number(count.data.count) : "—"}
      </p>
      {!checked.ok ? (
        <p className="mt-2 text-xs text-amber-700" data-testid="rule-incomplete">
          {t(`unfinished.${checked.code}`)}
          {checked.message && <span className="mt-1 block font-mono text-[11px] break-all text-amber-600">{checked.message}</span>}
        </p>
      ) : count.isError ? (
        <p role="alert" className="mt-2 text-xs text-red-600">
          {problemOf(count.error) ?? t("countFailed")}
        </p>
      ) : (
        <p className="mt-2 text-xs text-slate-500">{t("countHint")}</p>
      )}
    </Card>
  );
}

/** Up to 50 matching customers, masked as everywhere in search. */
export function DraftPreview({ results }: { results: ReturnType<typeof useDraftResults> }) {
  const t = useTranslations("segments.preview");
  const tCommon = useTranslations("common");
  return (
    <Card>
      <CardHeader title={t("title")} description={t("description")} icon={<Eye className="size-4" aria-hidden="true" />} />
      {results.preview.isPending && results.preview.fetchStatus !== "idle" ? (
        <SkeletonRows rows={5} label={tCommon("loading")} />
      ) : results.preview.isError ? (
        <ErrorState title={tCommon("errorTitle")} description={problemOf(results.preview.error) ?? tCommon("errorDescription")} />
      ) : !results.preview.data ? (
        <EmptyState icon={<Eye />} title={t("waiting")} />
      ) : (
        <div className="max-h-[36rem] overflow-y-auto">
          <PreviewTable rows={results.preview.data.items} />
        </div>
      )}
    </Card>
  );
}

export function PreviewTable({ rows }: { rows: readonly PreviewRow[] }) {
  const t = useTranslations("segments.preview");
  const orgName = useLocalizedName();
  const band = useEnumLabel("aumBand");
  if (rows.length === 0) return <EmptyState icon={<UsersRound />} title={t("empty")} />;
  return (
    <DataTable<PreviewRow>
      caption={t("caption")}
      rows={rows}
      rowKey={(r) => r.id}
      testId="segment-preview"
      columns={[
        { key: "customerNo", header: t("col.customerNo"), primary: true, cell: (r) => <span className="font-mono text-xs">{r.customerNo}</span> },
        { key: "name", header: t("col.name"), primary: true, cell: (r) => r.name },
        { key: "phone", header: t("col.phone"), cell: (r) => <span className="font-mono text-xs">{r.phone ?? "—"}</span> },
        { key: "org", header: t("col.org"), hideOnPhone: true, cell: (r) => orgName(r.orgUnit) },
        { key: "rm", header: t("col.rm"), wideOnly: true, cell: (r) => r.rm?.name ?? "—" },
        { key: "band", header: t("col.aumBand"), cell: (r) => band(r.aumBand) },
        { key: "risk", header: t("col.risk"), hideOnPhone: true, cell: (r) => r.riskLevel ?? "—" },
      ]}
    />
  );
}
