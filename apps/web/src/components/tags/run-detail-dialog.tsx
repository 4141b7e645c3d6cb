"use client";

import { Dialog, DataTable } from "@mkt/ui";
import { useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { useTRPC } from "@/lib/trpc";
import { percent } from "./tag-codes";
import { QueryState } from "@/components/query-state";

interface TagLine {
  code: string;
  ms: number;
  nonNull: number;
  coverage: number;
  error?: string;
}

/** One run per tag: evaluation time, customers with a value, coverage, and the error of a failed tag. */
export function RunDetailDialog({ runId, onClose }: { runId: number; onClose: () => void }) {
  const t = useTranslations("tags.runs");
  const tCommon = useTranslations("common");
  const locale = useLocale();
  const trpc = useTRPC();
  const run = useQuery(trpc.tag.run.queryOptions({ runId }));
  const lines: TagLine[] = Object.entries(run.data?.tagStats ?? {})
    .map(([code, s]) => ({ code, ...s }))
    .sort((a, b) => Number(!!b.error) - Number(!!a.error) || b.ms - a.ms);
  return (
    <Dialog open onClose={onClose} title={t("detailTitle", { id: runId })} description={t("detailDescription")} closeLabel={tCommon("close")} className="max-w-3xl">
      <QueryState
        query={run}
        skeletonRows={6}
        isEmpty={() => lines.length === 0}
        empty={(data) => <p className="py-4 text-sm text-slate-500">{data.error ?? t("noTagStats")}</p>}
      >
        {() => (
          <div className="max-h-[60vh] overflow-y-auto">
            <DataTable<TagLine>
              caption={t("detailTitle", { id: runId })}
              rows={lines}
              rowKey={(l) => l.code}
              testId="run-tag-stats"
              columns={[
                {
                  key: "tag",
                  header: t("col.tag"),
                  primary: true,
                  cell: (l) => (
                    <Link href={`/tags/${l.code}`} className="font-mono text-xs text-brand-700 hover:underline">
                      {l.code}
                    </Link>
                  ),
                },
                { key: "ms", header: t("col.ms"), align: "right", cell: (l) => <span className="tabular-nums">{l.ms}</span> },
                { key: "rows", header: t("col.rows"), align: "right", cell: (l) => <span className="tabular-nums">{l.nonNull.toLocaleString(locale)}</span> },
                { key: "coverage", header: t("col.coverage"), align: "right", cell: (l) => <span className="tabular-nums">{percent(l.coverage, locale)}</span> },
                { key: "error", header: t("col.error"), wrap: true, cell: (l) => (l.error ? <span className="text-xs text-red-700">{l.error}</span> : "—") },
              ]}
            />
          </div>
        )}
      </QueryState>
    </Dialog>
  );
}
