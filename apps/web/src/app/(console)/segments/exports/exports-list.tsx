"use client";

import { Button, Card, DataTable, EmptyState, UnderlineTabs } from "@mkt/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { FileDown } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import { ExportProgress, ExportStatusBadge, type ExportItem } from "@/components/segments/export-dialog";
import { useTRPC } from "@/lib/trpc";
import { useFormat } from "@/lib/use-localized";
import { QueryState } from "@/components/query-state";

const VIEWS = ["mine", "approvals"] as const;
type View = (typeof VIEWS)[number];

/** My exports (with progress and download links), and for approvers the requests waiting for them. */
export function ExportsList({ canApprove }: { canApprove: boolean }) {
  const t = useTranslations("exports.list");
  const [view, setView] = useState<View>("mine");
  const views = canApprove ? VIEWS : (["mine"] as const);
  return (
    <>
      {views.length > 1 && (
        <UnderlineTabs label={t("views")} tabs={views} value={view} onChange={setView} render={(v) => t(`view.${v}`)} testId={(v) => `exports-view-${v}`} />
      )}
      <ExportTable view={view} />
    </>
  );
}

function ExportTable({ view }: { view: View }) {
  const t = useTranslations("exports.list");
  const tCommon = useTranslations("common");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fmt = useFormat();
  const format = useFormatter();
  const [error, setError] = useState<string | null>(null);
  const list = useQuery({
    ...trpc.segmentExport.list.queryOptions({ view, limit: 50 }),
    refetchInterval: (q) => (q.state.data?.items.some((e) => e.status === "QUEUED" || e.status === "RUNNING") ? 1_500 : false),
  });
  const done = {
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.segmentExport.pathKey() }),
    onError: (e: unknown) => setError(e instanceof TRPCClientError ? e.message : t("actionFailed")),
  };
  const approve = useMutation(trpc.segmentExport.approve.mutationOptions(done));
  const reject = useMutation(trpc.segmentExport.reject.mutationOptions(done));

  return (
    <QueryState
      query={list}
      isEmpty={(data) => data.items.length === 0}
      empty={<EmptyState icon={<FileDown />} title={t(view === "mine" ? "emptyMine" : "emptyApprovals")} description={view === "mine" ? t("emptyMineHint") : undefined} />}
    >
      {(data) => (
        <Card>
          {error && (
            <p role="alert" className="border-b border-red-100 bg-red-50 px-4 py-2 text-sm text-red-700">
              {error}
            </p>
          )}
          <DataTable<ExportItem>
            caption={t(`view.${view}`)}
            rows={data.items}
            rowKey={(e) => e.id}
            testId={`exports-${view}`}
            columns={[
              {
                key: "segment",
                header: t("col.segment"),
                primary: true,
                cell: (e) => (
                  <Link href={`/segments/${e.segmentId}`} className="text-brand-700 hover:underline">
                    {e.segmentName}
                  </Link>
                ),
              },
              { key: "format", header: t("col.format"), cell: (e) => e.format },
              { key: "rows", header: t("col.rows"), align: "right", cell: (e) => <span className="tabular-nums">{format.number(e.rowsWritten ?? e.rowCount)}</span> },
              ...(view === "approvals"
                ? [
                    { key: "requester", header: t("col.requester"), cell: (e: ExportItem) => e.requestedBy.name },
                    { key: "reason", header: t("col.reason"), wrap: true, cell: (e: ExportItem) => e.reason ?? "—" },
                  ]
                : []),
              { key: "created", header: t("col.created"), hideOnPhone: true, cell: (e) => fmt.dateTime(e.createdAt) },
              {
                key: "status",
                header: t("col.status"),
                cell: (e) => (view === "mine" ? <ExportProgress item={e} /> : <ExportStatusBadge status={e.status} />),
              },
              ...(view === "approvals"
                ? [
                    {
                      key: "actions",
                      header: tCommon("actions"),
                      cell: (e: ExportItem) => (
                        <div className="flex gap-2">
                          <Button size="sm" onClick={() => approve.mutate({ exportId: e.id })} loading={approve.isPending && approve.variables?.exportId === e.id} data-testid="export-approve">
                            {t("approve")}
                          </Button>
                          <Button size="sm" variant="secondary" onClick={() => reject.mutate({ exportId: e.id })} loading={reject.isPending && reject.variables?.exportId === e.id}>
                            {t("reject")}
                          </Button>
                        </div>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Card>
      )}
    </QueryState>
  );
}
