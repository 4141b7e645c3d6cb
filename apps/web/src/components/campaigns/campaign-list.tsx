"use client";

import { Card, DataTable, EmptyState, Field, Input, Select, buttonClasses } from "@mkt/ui";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Megaphone } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import { ListPagination } from "@/components/list-pagination";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { useFormat, useLocalizedName } from "@/lib/use-localized";
import { CAMPAIGN_STATUSES, CampaignStatusBadge, LIVE, type CampaignStatus } from "./campaign-status";
import { QueryState } from "@/components/query-state";

type Row = RouterOutputs["campaign"]["list"]["items"][number];
const PAGE_SIZE = 20;

/** The campaigns of the caller's org subtree with their key figures; refreshes while one runs. */
export function CampaignList() {
  const t = useTranslations("campaigns.list");
  const tCommon = useTranslations("common");
  const tStatus = useTranslations("campaigns.status");
  const trpc = useTRPC();
  const fmt = useFormat();
  const format = useFormatter();
  const orgName = useLocalizedName();
  const [q, setQ] = useState("");
  const [status, setStatus] = useState<CampaignStatus | "">("");
  const [page, setPage] = useState(1);

  const list = useQuery({
    ...trpc.campaign.list.queryOptions({ q: q.trim() || undefined, status: status || undefined, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.items.some((c) => LIVE.includes(c.status)) ? 5_000 : false),
  });
  const pageCount = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE_SIZE));
  const n = (v: number) => format.number(v);
  const pct = (a: number, b: number) => (b > 0 ? format.number(a / b, { style: "percent", maximumFractionDigits: 1 }) : "—");

  return (
    <Card aria-busy={list.isFetching}>
      <div className="flex flex-wrap gap-3 border-b border-slate-100 px-4 py-3 sm:px-5">
        <Field label={t("search")} className="w-64">
          {({ id }) => <Input id={id} value={q} placeholder={t("searchPlaceholder")} onChange={(e) => (setQ(e.target.value), setPage(1))} />}
        </Field>
        <Field label={t("filterStatus")} className="w-44">
          {({ id }) => (
            <Select id={id} value={status} onChange={(e) => (setStatus(e.target.value as CampaignStatus | ""), setPage(1))} data-testid="campaign-status-filter">
              <option value="">{t("all")}</option>
              {CAMPAIGN_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {tStatus(s)}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <QueryState
        query={list}
        isEmpty={(data) => data.items.length === 0}
        empty={<EmptyState icon={<Megaphone />} title={t("empty")} description={t("emptyHint")} />}
      >
        {(data) => (
          <>
            <DataTable<Row>
              caption={t("caption")}
              rows={data.items}
              rowKey={(c) => c.id}
              testId="campaign-list"
              columns={[
                {
                  key: "name",
                  header: t("col.name"),
                  primary: true,
                  // A fixed width with truncation (the full text in the tooltip), so a long name never
                  // pushes the figures and the actions out of a 1440 px screen.
                  cell: (c) => {
                    const sub = `${c.code} · ${c.createdBy?.name ?? "—"} · ${orgName(c.orgUnit)}`;
                    return (
                      <Link href={`/campaigns/${c.id}`} title={c.name} className="block font-medium text-brand-700 hover:underline md:w-60 md:max-w-60">
                        <span className="block md:truncate">{c.name}</span>
                        <span className="block text-xs font-normal text-slate-500 md:truncate" title={sub}>
                          {sub}
                        </span>
                      </Link>
                    );
                  },
                },
                { key: "status", header: t("col.status"), primary: true, cell: (c) => <CampaignStatusBadge status={c.status} /> },
                { key: "audience", header: t("col.audienceKind"), widestOnly: true, cell: (c) => t(`audienceKind.${c.audienceKind}`) },
                { key: "reach", header: t("col.audience"), align: "right", cell: (c) => <span className="tabular-nums">{n(c.figures.audience)}</span> },
                { key: "sent", header: t("col.sent"), align: "right", cell: (c) => <span className="tabular-nums">{n(c.figures.sent)}</span> },
                { key: "delivery", header: t("col.deliveryRate"), align: "right", cell: (c) => <span className="tabular-nums">{pct(c.figures.delivered, c.figures.sent)}</span> },
                { key: "converted", header: t("col.converted"), align: "right", cell: (c) => <span className="tabular-nums">{n(c.figures.converted)}</span> },
                {
                  key: "cost",
                  header: t("col.cost"),
                  align: "right",
                  cell: (c) => (
                    <span className={c.budget !== null && c.figures.cost > c.budget ? "font-medium text-red-600 tabular-nums" : "tabular-nums"}>
                      {fmt.money(c.figures.cost)}
                      {/* The budget on its own line keeps the column narrow. */}
                      {c.budget !== null && <span className="block text-xs font-normal text-slate-400">/ {fmt.money(c.budget)}</span>}
                    </span>
                  ),
                },
                { key: "created", header: t("col.created"), widestOnly: true, cell: (c) => fmt.date(c.createdAt) },
                {
                  key: "open",
                  header: tCommon("actions"),
                  align: "right",
                  stickyEnd: true,
                  cell: (c) => (
                    <Link href={c.status === "PENDING_APPROVAL" ? `/campaigns/${c.id}/review` : `/campaigns/${c.id}`} className={buttonClasses("ghost", "sm")}>
                      {c.status === "PENDING_APPROVAL" ? t("review") : t("open")}
                    </Link>
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
