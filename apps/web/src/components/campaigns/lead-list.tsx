"use client";

import { Badge, Card, DataTable, EmptyState, Field, Select, type BadgeTone } from "@mkt/ui";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { BriefcaseBusiness } from "lucide-react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import { ListPagination } from "@/components/list-pagination";
import type { RouterOutputs } from "@/lib/api-types";
import { daysUntil } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { useFormat } from "@/lib/use-localized";
import { QueryState } from "@/components/query-state";

type Lead = RouterOutputs["campaign"]["leads"]["items"][number];
const STATUSES = ["OPEN", "IN_PROGRESS", "WON", "LOST", "EXPIRED"] as const;
const PAGE_SIZE = 20;
const priorityTone: Record<Lead["priority"], BadgeTone> = { HIGH: "danger", MEDIUM: "warning", LOW: "neutral" };

/** Leads handed over by campaigns: an RM's own, a manager's subtree's; soonest due first. Works at 390 px. */
export function LeadList() {
  const t = useTranslations("campaigns.leads");
  const trpc = useTRPC();
  const fmt = useFormat();
  const [status, setStatus] = useState<(typeof STATUSES)[number] | "">("OPEN");
  const [page, setPage] = useState(1);
  const list = useQuery({ ...trpc.campaign.leads.queryOptions({ status: status || undefined, page, pageSize: PAGE_SIZE }), placeholderData: keepPreviousData });
  const pageCount = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE_SIZE));

  return (
    <Card aria-busy={list.isFetching}>
      <div className="flex flex-wrap gap-3 border-b border-slate-100 px-4 py-3 sm:px-5">
        <Field label={t("filterStatus")} className="w-44">
          {({ id }) => (
            <Select id={id} value={status} onChange={(e) => (setStatus(e.target.value as typeof status), setPage(1))}>
              <option value="">{t("all")}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <QueryState
        query={list}
        isEmpty={(data) => data.items.length === 0}
        empty={<EmptyState icon={<BriefcaseBusiness />} title={t("empty")} description={t("emptyHint")} />}
      >
        {(data) => (
          <>
            <DataTable<Lead>
              caption={t("caption")}
              rows={data.items}
              rowKey={(l) => l.id}
              testId="lead-list"
              columns={[
                {
                  key: "customer",
                  header: t("col.customer"),
                  primary: true,
                  cell: (l) => (
                    <Link href={`/customers/${l.customer.id}`} className="font-medium text-brand-700 hover:underline">
                      {l.customer.name}
                    </Link>
                  ),
                },
                { key: "priority", header: t("col.priority"), primary: true, cell: (l) => <Badge tone={priorityTone[l.priority]}>{t(`priority.${l.priority}`)}</Badge> },
                {
                  key: "due",
                  header: t("col.due"),
                  cell: (l) => {
                    const days = daysUntil(new Date(l.dueAt));
                    return <span className={days < 0 ? "font-medium text-red-600" : days <= 1 ? "text-amber-700" : undefined}>{fmt.date(l.dueAt)}</span>;
                  },
                },
                { key: "status", header: t("col.status"), cell: (l) => t(`status.${l.status}`) },
                { key: "campaign", header: t("col.campaign"), wrap: true, cell: (l) => l.campaign?.name ?? "—" },
                { key: "rm", header: t("col.rm"), hideOnPhone: true, cell: (l) => l.rm?.name ?? t("unassigned") },
                { key: "created", header: t("col.created"), wideOnly: true, cell: (l) => fmt.dateTime(l.createdAt) },
              ]}
            />
            <ListPagination page={page} pageCount={pageCount} onPage={setPage} />
          </>
        )}
      </QueryState>
    </Card>
  );
}
