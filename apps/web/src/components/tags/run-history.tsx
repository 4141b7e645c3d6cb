"use client";

import { Badge, Button, Card, CardHeader, DataTable, EmptyState, ProgressBar } from "@mkt/ui";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Play, Timer } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { ListPagination } from "@/components/list-pagination";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { useFormat } from "@/lib/use-localized";
import { problemsOf } from "./problems";
import { RunDetailDialog } from "./run-detail-dialog";
import { RunStatusBadge } from "./tag-badges";
import { QueryState } from "@/components/query-state";

type Run = RouterOutputs["tag"]["runs"]["items"][number];
const PAGE_SIZE = 20;

function duration(run: Run): string {
  if (!run.finishedAt) return "—";
  const s = Math.round((new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime()) / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Batch runs, newest first, with progress while one runs (polled); `tag:run` holders start one. */
export function RunHistory({ canRun }: { canRun: boolean }) {
  const t = useTranslations("tags.runs");
  const tTrigger = useTranslations("tags.trigger");
  const tPhase = useTranslations("tags.phase");
  const tCommon = useTranslations("common");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fmt = useFormat();
  const [page, setPage] = useState(1);
  const [confirming, setConfirming] = useState(false);
  const [detail, setDetail] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const runs = useQuery({
    ...trpc.tag.runs.queryOptions({ page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.items.some((r) => r.status === "RUNNING") ? 2_000 : false),
  });
  const start = useMutation(
    trpc.tag.startRun.mutationOptions({
      onSuccess: () => (setConfirming(false), setPage(1), void queryClient.invalidateQueries({ queryKey: trpc.tag.runs.queryKey() })),
      onError: (e) => (setConfirming(false), setError(problemsOf(e).form)),
    }),
  );
  const running = runs.data?.items.some((r) => r.status === "RUNNING");
  const pageCount = Math.max(1, Math.ceil((runs.data?.total ?? 0) / PAGE_SIZE));

  return (
    <Card aria-busy={runs.isFetching}>
      <CardHeader
        title={t("listTitle")}
        description={t("listDescription")}
        icon={<Timer className="size-4" aria-hidden="true" />}
        actions={
          canRun && (
            <Button size="sm" onClick={() => setConfirming(true)} disabled={running}>
              <Play className="size-4" aria-hidden="true" />
              {t("start")}
            </Button>
          )
        }
      />
      {error && (
        <p role="alert" className="px-4 pt-3 text-sm text-red-600 sm:px-5">
          {error}
        </p>
      )}
      {detail !== null && <RunDetailDialog runId={detail} onClose={() => setDetail(null)} />}
      <ConfirmDialog open={confirming} title={t("startTitle")} description={t("startDescription")} confirmLabel={t("start")} busy={start.isPending} onConfirm={() => start.mutate({ confirm: true })} onClose={() => setConfirming(false)} />
      <QueryState
        query={runs}
        isEmpty={(data) => data.items.length === 0}
        empty={<EmptyState icon={<Timer />} title={t("empty")} description={t("emptyHint")} />}
      >
        {(data) => (
          <>
            <DataTable<Run>
              caption={t("listTitle")}
              rows={data.items}
              rowKey={(r) => r.id}
              testId="tag-runs"
              columns={[
                { key: "id", header: t("col.run"), primary: true, cell: (r) => <span className="font-mono">#{r.id}</span> },
                {
                  key: "status",
                  header: t("col.status"),
                  primary: true,
                  cell: (r) => (
                    <span className="inline-flex items-center gap-1.5">
                      <RunStatusBadge status={r.status} />
                      {r.current && <Badge tone="brand">{t("current")}</Badge>}
                    </span>
                  ),
                },
                {
                  key: "progress",
                  header: t("col.progress"),
                  cell: (r) =>
                    r.status === "RUNNING" ? (
                      <ProgressBar className="min-w-40" label={t("progressLabel", { id: r.id })} value={r.progress} valueText={`${r.progress}% · ${r.phase && tPhase.has(r.phase) ? tPhase(r.phase) : (r.phase ?? "")}`} />
                    ) : r.status === "FAILED" ? (
                      <span className="block max-w-72 truncate text-xs text-red-700" title={r.error ?? undefined}>
                        {r.error ?? "—"}
                      </span>
                    ) : (
                      <span className="tabular-nums">{t("computed", { tags: r.tagCount, customers: r.customers })}</span>
                    ),
                },
                { key: "trigger", header: t("col.trigger"), hideOnPhone: true, cell: (r) => tTrigger(r.trigger) },
                { key: "asOf", header: t("col.asOf"), hideOnPhone: true, cell: (r) => fmt.dateTime(r.asOf) },
                { key: "started", header: t("col.started"), wideOnly: true, cell: (r) => fmt.dateTime(r.startedAt) },
                { key: "duration", header: t("col.duration"), align: "right", cell: (r) => <span className="tabular-nums">{duration(r)}</span> },
                { key: "attempts", header: t("col.attempts"), align: "right", wideOnly: true, cell: (r) => r.attempts },
                {
                  key: "details",
                  header: tCommon("actions"),
                  align: "right",
                  cell: (r) =>
                    r.status !== "RUNNING" && (
                      <Button variant="ghost" size="sm" onClick={() => setDetail(r.id)}>
                        {t("details")}
                      </Button>
                    ),
                },
              ]}
            />
            <ListPagination page={page} pageCount={pageCount} onPage={setPage} />
          </>
        )}
      </QueryState>
    </Card>
  );
}
