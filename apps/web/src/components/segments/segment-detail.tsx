"use client";

import { Button, Card, DataTable, EmptyState, ErrorState, PageHeader, StatCard, UnderlineTabs, buttonClasses } from "@mkt/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { Archive, Camera, History, Pencil, UsersRound } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { QueryState } from "@/components/query-state";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { useFormat, useLocalizedName } from "@/lib/use-localized";
import { SegmentKindBadge } from "./kind-badge";
import { PreviewTable } from "./live-count";
import { SegmentProfile } from "./segment-profile";

type Detail = RouterOutputs["segment"]["get"];
type Snapshot = Detail["snapshots"][number];
const TABS = ["profile", "members", "snapshots"] as const;

export interface SegmentDetailProps {
  segmentId: string;
  canWrite: boolean;
  /** The export action (seg-export's dialog), when the caller may export. */
  exportAction?: ReactNode;
}

/** A saved segment: size and provenance, actions, and its profile, members and snapshots. */
export function SegmentDetail({ segmentId, canWrite, exportAction }: SegmentDetailProps) {
  const t = useTranslations("segments.detail");
  const tCommon = useTranslations("common");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fmt = useFormat();
  const format = useFormatter();
  const orgName = useLocalizedName();
  const [tab, setTab] = useState<(typeof TABS)[number]>("profile");
  const [confirmArchive, setConfirmArchive] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);

  const segment = useQuery(trpc.segment.get.queryOptions({ segmentId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.segment.pathKey() });
  const fail = (err: unknown) => setActionError(err instanceof TRPCClientError ? err.message : t("actionFailed"));
  const snapshot = useMutation(trpc.segment.snapshot.mutationOptions({ onSuccess: refresh, onError: fail }));
  const archive = useMutation(
    trpc.segment.archive.mutationOptions({
      onSuccess: () => (setConfirmArchive(false), refresh()),
      onError: (e) => (setConfirmArchive(false), fail(e)),
    }),
  );

  return (
    <QueryState query={segment} skeletonRows={6} notFound={<ErrorState title={tCommon("notFoundTitle")} description={tCommon("notFoundDescription")} />}>
      {(s) => {
        const active = s.status === "ACTIVE";

        return (
          <>
            <PageHeader
              eyebrow={<SegmentKindBadge kind={s.kind} />}
              title={s.name}
              description={s.description ?? undefined}
              actions={
                <div className="flex flex-wrap gap-2">
                  {exportAction}
                  {canWrite && active && (
                    <>
                      <Button variant="secondary" size="sm" onClick={() => snapshot.mutate({ segmentId })} loading={snapshot.isPending} icon={<Camera className="size-4" aria-hidden="true" />} data-testid="take-snapshot">
                        {t("snapshotNow")}
                      </Button>
                      {s.kind === "RULE" && (
                        <Link href={`/segments/${segmentId}/edit`} className={buttonClasses("secondary", "sm")}>
                          <Pencil className="size-4" aria-hidden="true" /> {t("edit")}
                        </Link>
                      )}
                      <Button variant="ghost" size="sm" onClick={() => setConfirmArchive(true)} icon={<Archive className="size-4" aria-hidden="true" />}>
                        {t("archive")}
                      </Button>
                    </>
                  )}
                </div>
              }
            />
            {actionError && (
              <p role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
                {actionError}
              </p>
            )}
            <div className="mb-5 grid grid-cols-2 gap-3 lg:grid-cols-4">
              <StatCard label={t("count")} value={<span data-testid="segment-count">{s.count == null ? "—" : format.number(s.count)}</span>} hint={s.lastSnapshotAt ? t("asOf", { at: fmt.dateTime(s.lastSnapshotAt) }) : undefined} icon={<UsersRound className="size-4" />} />
              <StatCard label={t("owner")} value={<span className="text-base">{s.owner.name}</span>} hint={orgName(s.orgUnit)} />
              <StatCard label={t("status")} value={<span className="text-base">{t(`statusValue.${s.status}`)}</span>} hint={t("updated", { at: fmt.dateTime(s.updatedAt) })} />
              <StatCard label={t("usedBy")} value={<span className="text-base">{s.usedBy.length}</span>} hint={s.usedBy.map((u) => u.name).join("、") || t("unused")} />
            </div>

            <UnderlineTabs label={t("tabs")} tabs={TABS} value={tab} onChange={setTab} render={(k) => t(`tab.${k}`)} />
            <div role="tabpanel">
              {tab === "profile" && <SegmentProfile segmentId={segmentId} />}
              {tab === "members" && <Members segmentId={segmentId} />}
              {tab === "snapshots" && <SnapshotList snapshots={s.snapshots} />}
            </div>

            <ConfirmDialog
              open={confirmArchive}
              title={t("archiveTitle")}
              description={t("archiveDescription")}
              confirmLabel={t("archive")}
              danger
              busy={archive.isPending}
              onConfirm={() => archive.mutate({ segmentId })}
              onClose={() => setConfirmArchive(false)}
            />
          </>
        );
      }}
    </QueryState>
  );
}

function Members({ segmentId }: { segmentId: string }) {
  const t = useTranslations("segments.detail");
  const trpc = useTRPC();
  const members = useQuery(trpc.segment.members.queryOptions({ segmentId }));
  return (
    <Card>
      <p className="border-b border-slate-100 px-4 py-3 text-xs text-slate-500 sm:px-5">{t("membersHint")}</p>
      <QueryState query={members}>{(data) => <PreviewTable rows={data.items} />}</QueryState>
    </Card>
  );
}

function SnapshotList({ snapshots }: { snapshots: Snapshot[] }) {
  const t = useTranslations("segments.detail");
  const fmt = useFormat();
  const format = useFormatter();
  if (snapshots.length === 0) return <EmptyState icon={<History />} title={t("noSnapshots")} />;
  return (
    <Card>
      <DataTable<Snapshot>
        caption={t("snapshotsCaption")}
        rows={snapshots}
        rowKey={(x) => x.id}
        testId="snapshot-list"
        columns={[
          { key: "at", header: t("col.takenAt"), primary: true, cell: (x) => fmt.dateTime(x.takenAt) },
          { key: "trigger", header: t("col.trigger"), cell: (x) => t(`trigger.${x.trigger}`) },
          { key: "count", header: t("col.count"), align: "right", cell: (x) => <span className="tabular-nums">{format.number(x.count)}</span> },
          { key: "run", header: t("col.tagRun"), hideOnPhone: true, cell: (x) => (x.tagRunId ? `#${x.tagRunId}` : "—") },
          { key: "version", header: t("col.ruleVersion"), hideOnPhone: true, cell: (x) => (x.ruleVersion ? `v${x.ruleVersion}` : "—") },
        ]}
      />
    </Card>
  );
}
