"use client";

import { Card, DataTable, EmptyState, Field, Input, Select, buttonClasses } from "@mkt/ui";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { UsersRound } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import { ListPagination } from "@/components/list-pagination";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { useFormat, useLocalizedName } from "@/lib/use-localized";
import { useDebounced } from "./live-count";
import { SegmentKindBadge } from "./kind-badge";
import { Sparkline } from "./sparkline";
import { QueryState } from "@/components/query-state";

type Item = RouterOutputs["segment"]["list"]["items"][number];
const PAGE_SIZE = 20;
const KINDS = ["RULE", "STATIC", "MODEL"] as const;

/** The segments of the caller's scope: kind, size, owner, last snapshot and its trend. */
export function SegmentList() {
  const t = useTranslations("segments.list");
  const tKind = useTranslations("segments.kind");
  const trpc = useTRPC();
  const fmt = useFormat();
  const format = useFormatter();
  const orgName = useLocalizedName();
  const [q, setQ] = useState("");
  const [kind, setKind] = useState<(typeof KINDS)[number] | "">("");
  const [status, setStatus] = useState<"ACTIVE" | "ARCHIVED">("ACTIVE");
  const [page, setPage] = useState(1);
  const query = useDebounced(q.trim(), 300);

  const list = useQuery({
    ...trpc.segment.list.queryOptions({ q: query || undefined, kind: kind || undefined, status, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const pageCount = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE_SIZE));

  return (
    <Card aria-busy={list.isFetching}>
      <div className="flex flex-wrap gap-3 border-b border-slate-100 px-4 py-3 sm:px-5">
        <Field label={t("search")} className="w-full sm:w-56">
          {({ id }) => <Input id={id} type="search" value={q} onChange={(e) => (setQ(e.target.value), setPage(1))} placeholder={t("searchPlaceholder")} />}
        </Field>
        <Field label={t("kind")} className="w-36">
          {({ id }) => (
            <Select id={id} value={kind} onChange={(e) => (setKind(e.target.value as typeof kind), setPage(1))}>
              <option value="">{t("all")}</option>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {tKind(k)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label={t("status")} className="w-36">
          {({ id }) => (
            <Select id={id} value={status} onChange={(e) => (setStatus(e.target.value as typeof status), setPage(1))}>
              <option value="ACTIVE">{t("active")}</option>
              <option value="ARCHIVED">{t("archived")}</option>
            </Select>
          )}
        </Field>
      </div>
      <QueryState
        query={list}
        isEmpty={(data) => data.items.length === 0}
        empty={
          <EmptyState
            icon={<UsersRound />}
            title={t("empty")}
            description={t("emptyHint")}
            action={
              <Link href="/segments/new" className={buttonClasses("primary", "sm")}>
                {t("new")}
              </Link>
            }
          />
        }
      >
        {(data) => (
          <>
            <DataTable<Item>
              caption={t("caption")}
              rows={data.items}
              rowKey={(s) => s.id}
              testId="segment-list"
              columns={[
                {
                  key: "name",
                  header: t("col.name"),
                  primary: true,
                  wrap: true,
                  cell: (s) => (
                    <Link href={`/segments/${s.id}`} className="font-medium text-brand-700 hover:underline">
                      {s.name}
                    </Link>
                  ),
                },
                { key: "kind", header: t("col.kind"), cell: (s) => <SegmentKindBadge kind={s.kind} /> },
                { key: "count", header: t("col.count"), align: "right", cell: (s) => <span className="tabular-nums">{s.count == null ? "—" : format.number(s.count)}</span> },
                {
                  key: "trend",
                  header: t("col.trend"),
                  hideOnPhone: true,
                  cell: (s) => <Sparkline values={s.trend.map((p) => p.count)} label={t("trendLabel", { points: s.trend.length })} />,
                },
                { key: "owner", header: t("col.owner"), hideOnPhone: true, cell: (s) => s.owner.name },
                { key: "org", header: t("col.org"), wideOnly: true, cell: (s) => orgName(s.orgUnit) },
                { key: "snapshot", header: t("col.lastSnapshot"), hideOnPhone: true, cell: (s) => fmt.dateTime(s.lastSnapshotAt) },
              ]}
            />
            <ListPagination page={page} pageCount={pageCount} onPage={setPage} />
          </>
        )}
      </QueryState>
    </Card>
  );
}
