"use client";

import { Badge, Button, Card, DataTable, Dialog, EmptyState, Field, Textarea } from "@mkt/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Inbox } from "lucide-react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { useFormat, useLocalizedName } from "@/lib/use-localized";
import { problemsOf } from "./problems";
import { QueryState } from "@/components/query-state";

type Pending = RouterOutputs["tag"]["approvals"][number];
type Decision = { item: Pending; approve: boolean };

/** Versions awaiting approval (maker-checker): approve or reject with a note; never one's own. */
export function ApprovalInbox() {
  const t = useTranslations("tags.approvals");
  const tCommon = useTranslations("common");
  const trpc = useTRPC();
  const fmt = useFormat();
  const name = useLocalizedName();
  const me = useQuery(trpc.me.get.queryOptions());
  const list = useQuery(trpc.tag.approvals.queryOptions());
  const [deciding, setDeciding] = useState<Decision | null>(null);

  return (
    <QueryState
      query={list}
    >
      {(data) => (
        <Card>
          {data.length === 0 ? (
            <EmptyState icon={<Inbox />} title={t("empty")} description={t("emptyHint")} />
          ) : (
            <DataTable<Pending>
              caption={t("caption")}
              rows={data}
              rowKey={(p) => `${p.code}@${p.version}`}
              testId="tag-approvals"
              columns={[
                {
                  key: "tag",
                  header: t("col.tag"),
                  primary: true,
                  cell: (p) => (
                    <Link href={`/tags/${p.code}`} className="hover:underline">
                      <span className="font-medium text-brand-700">{name(p)}</span>
                      <span className="block font-mono text-xs text-slate-500">
                        {p.code} · v{p.version}
                      </span>
                    </Link>
                  ),
                },
                { key: "kind", header: t("col.kind"), cell: (p) => <Badge tone={p.firstVersion ? "brand" : "info"}>{p.firstVersion ? t("newTag") : t("newVersion")}</Badge> },
                { key: "note", header: t("col.changeNote"), wrap: true, hideOnPhone: true, cell: (p) => p.changeNote },
                { key: "by", header: t("col.submittedBy"), cell: (p) => `${p.createdBy?.name ?? "—"} · ${fmt.dateTime(p.submittedAt)}` },
                {
                  key: "actions",
                  header: tCommon("actions"),
                  align: "right",
                  cell: (p) =>
                    me.data && p.createdBy?.id === me.data.id ? (
                      <span className="text-xs text-slate-500">{t("ownVersion")}</span>
                    ) : (
                      <div className="flex justify-end gap-2">
                        <Button size="sm" onClick={() => setDeciding({ item: p, approve: true })}>
                          {t("approve")}
                        </Button>
                        <Button size="sm" variant="secondary" onClick={() => setDeciding({ item: p, approve: false })}>
                          {t("reject")}
                        </Button>
                      </div>
                    ),
                },
              ]}
            />
          )}
          {deciding && <DecisionDialog decision={deciding} onClose={() => setDeciding(null)} />}
        </Card>
      )}
    </QueryState>
  );
}

function DecisionDialog({ decision: { item, approve }, onClose }: { decision: Decision; onClose: () => void }) {
  const t = useTranslations("tags.approvals");
  const tCommon = useTranslations("common");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const done = () => (void queryClient.invalidateQueries({ queryKey: trpc.tag.pathKey() }), onClose());
  const onError = (e: unknown) => setError(problemsOf(e).form ?? t("failed"));
  const approveM = useMutation(trpc.tag.approve.mutationOptions({ onSuccess: done, onError }));
  const rejectM = useMutation(trpc.tag.reject.mutationOptions({ onSuccess: done, onError }));
  const confirm = () => {
    const ref = { code: item.code, version: item.version };
    if (approve) return approveM.mutate({ ...ref, note: note.trim() || undefined });
    if (!note.trim()) return setError(t("noteRequired"));
    rejectM.mutate({ ...ref, note: note.trim() });
  };
  return (
    <Dialog
      open
      onClose={onClose}
      title={approve ? t("approveTitle", { code: item.code, version: item.version }) : t("rejectTitle", { code: item.code, version: item.version })}
      description={approve ? t("approveDescription") : t("rejectDescription")}
      closeLabel={tCommon("close")}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {tCommon("cancel")}
          </Button>
          <Button variant={approve ? "primary" : "danger"} onClick={confirm} loading={approveM.isPending || rejectM.isPending}>
            {approve ? t("approve") : t("reject")}
          </Button>
        </>
      }
    >
      <Field label={approve ? t("noteOptional") : t("note")} error={error ?? undefined}>
        {({ id, describedBy, invalid }) => (
          <Textarea id={id} value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} />
        )}
      </Field>
    </Dialog>
  );
}
