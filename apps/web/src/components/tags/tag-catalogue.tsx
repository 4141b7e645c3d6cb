"use client";

import { Card, CardBody, DataTable, EmptyState, Field, Input } from "@mkt/ui";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { AlertTriangle, Tags } from "lucide-react";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { useDeferredValue, useState } from "react";
import { ListPagination } from "@/components/list-pagination";
import type { RouterInputs, RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { useLocalizedName } from "@/lib/use-localized";
import { CategoryTree } from "./category-tree";
import { CodeSelect } from "./code-select";
import { TagStatusBadge } from "./tag-badges";
import { SOURCE_KINDS, TAG_STATUSES, VALUE_TYPES, percent } from "./tag-codes";
import { QueryState } from "@/components/query-state";

type Tag = RouterOutputs["tag"]["list"]["items"][number];
type Filters = RouterInputs["tag"]["list"];
const PAGE_SIZE = 25;

/** The catalogue: category tree on the left, search and filters over the tags on the right. */
export function TagCatalogue() {
  const t = useTranslations("tags.catalogue");
  const tType = useTranslations("tags.valueType");
  const tSource = useTranslations("tags.sourceKind");
  const tStatus = useTranslations("tags.status");
  const tCommon = useTranslations("common");
  const locale = useLocale();
  const name = useLocalizedName();
  const trpc = useTRPC();
  const [q, setQ] = useState("");
  const query = useDeferredValue(q.trim());
  const [category, setCategory] = useState("");
  const [valueType, setValueType] = useState<NonNullable<Filters["valueType"]> | "">("");
  const [sourceKind, setSourceKind] = useState<NonNullable<Filters["sourceKind"]> | "">("");
  const [status, setStatus] = useState<NonNullable<Filters["status"]> | "">("");
  const [unused, setUnused] = useState(false);
  const [page, setPage] = useState(1);
  const reset = <T,>(set: (v: T) => void) => (v: T) => (set(v), setPage(1));

  const categories = useQuery(trpc.tag.categories.queryOptions());
  const list = useQuery({
    ...trpc.tag.list.queryOptions({
      q: query || undefined,
      category: category || undefined,
      valueType: valueType || undefined,
      sourceKind: sourceKind || undefined,
      status: status || undefined,
      readsBelow: unused ? 1 : undefined,
      page,
      pageSize: PAGE_SIZE,
    }),
    placeholderData: keepPreviousData,
  });
  const pageCount = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE_SIZE));

  return (
    <div className="grid gap-5 lg:grid-cols-[15rem_minmax(0,1fr)]">
      <Card className="self-start">
        <CardBody className="max-h-72 overflow-y-auto px-2 py-2 sm:px-2 lg:max-h-none">
          <QueryState query={categories} skeletonRows={7}>
            {(data) => <CategoryTree categories={data} selected={category} onSelect={reset(setCategory)} />}
          </QueryState>
        </CardBody>
      </Card>
      <Card aria-busy={list.isFetching}>
        <div className="flex flex-wrap items-end gap-3 border-b border-slate-100 px-4 py-3 sm:px-5">
          <Field label={tCommon("search")} className="w-full sm:w-56">
            {({ id }) => <Input id={id} type="search" value={q} placeholder={t("searchPlaceholder")} onChange={(e) => (setQ(e.target.value), setPage(1))} />}
          </Field>
          <CodeSelect label={t("filterStatus")} className="w-32" all={t("all")} value={status} codes={TAG_STATUSES} labelOf={(c) => tStatus(c)} onChange={reset(setStatus)} />
          <CodeSelect label={t("filterValueType")} className="w-32" all={t("all")} value={valueType} codes={VALUE_TYPES} labelOf={(c) => tType(c)} onChange={reset(setValueType)} />
          <CodeSelect label={t("filterSourceKind")} className="w-32" all={t("all")} value={sourceKind} codes={SOURCE_KINDS} labelOf={(c) => tSource(c)} onChange={reset(setSourceKind)} />
          <label className="flex h-10 items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" checked={unused} onChange={(e) => reset(setUnused)(e.target.checked)} className="size-4 accent-brand-600" />
            {t("unused")}
          </label>
        </div>
        <QueryState
          query={list}
          skeletonRows={8}
          isEmpty={(data) => data.items.length === 0}
          empty={<EmptyState icon={<Tags />} title={t("empty")} description={t("emptyHint")} />}
        >
          {(data) => (
            <>
              <p className="px-4 pt-3 text-xs text-slate-500 sm:px-5">{t("total", { count: data.total })}</p>
              <DataTable<Tag>
                caption={t("caption")}
                rows={data.items}
                rowKey={(x) => x.code}
                testId="tag-catalogue"
                columns={[
                  {
                    key: "name",
                    header: t("col.name"),
                    primary: true,
                    wrap: true,
                    cell: (x) => (
                      <Link href={`/tags/${x.code}`} className="block max-w-60 min-w-0 hover:underline">
                        <span className="font-medium text-brand-700">{name(x)}</span>
                        <span className="block font-mono text-xs text-slate-500">{x.code}</span>
                      </Link>
                    ),
                  },
                  { key: "category", header: t("col.category"), hideOnPhone: true, wrap: true, cell: (x) => name(x.category) },
                  { key: "type", header: t("col.valueType"), cell: (x) => tType(x.valueType) },
                  { key: "source", header: t("col.sourceKind"), hideOnPhone: true, cell: (x) => tSource(x.sourceKind) },
                  { key: "status", header: t("col.status"), primary: true, cell: (x) => <TagStatusBadge status={x.status} /> },
                  {
                    key: "coverage",
                    header: t("col.coverage"),
                    align: "right",
                    cell: (x) => (
                      <span className="inline-flex items-center gap-1 tabular-nums">
                        {x.alerts.length > 0 && <AlertTriangle className="size-3.5 text-amber-500" aria-label={t("driftAlert")} />}
                        {x.coverage == null ? "—" : percent(x.coverage, locale)}
                      </span>
                    ),
                  },
                  { key: "reads", header: t("col.reads30d"), align: "right", wideOnly: true, cell: (x) => <span className="tabular-nums">{x.reads30d}</span> },
                  { key: "owner", header: t("col.owner"), wideOnly: true, cell: (x) => x.businessOwner?.name ?? "—" },
                ]}
              />
              <ListPagination page={page} pageCount={pageCount} onPage={setPage} />
            </>
          )}
        </QueryState>
      </Card>
    </div>
  );
}
