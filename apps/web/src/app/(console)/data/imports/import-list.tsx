"use client";

import { Card, DataTable, EmptyState, Field, Select, buttonClasses } from "@mkt/ui";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { FileUp } from "lucide-react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { useEnumLabel } from "@/lib/use-enum-label";
import { useFormat, useLocalizedName } from "@/lib/use-localized";
import { IMPORT_KINDS, IMPORT_STATUSES, ImportStatusBadge, RUNNING, type ImportKindCode, type ImportStatusCode } from "../import-status";
import { ListPagination } from "@/components/list-pagination";
import { QueryState } from "@/components/query-state";

type Batch = RouterOutputs["import"]["list"]["items"][number];
const PAGE_SIZE = 20;

/** The batches of the caller's org subtree, newest first; refreshes itself while one is running. */
export function ImportList() {
  const t = useTranslations("data.imports");
  const tKind = useTranslations("data.kind");
  const tStatus = useTranslations("data.status");
  const tCommon = useTranslations("common");
  const trpc = useTRPC();
  const fmt = useFormat();
  const orgName = useLocalizedName();
  const sourceLabel = useEnumLabel("sourceSystem");
  const [kind, setKind] = useState<ImportKindCode | "">("");
  const [status, setStatus] = useState<ImportStatusCode | "">("");
  const [page, setPage] = useState(1);

  const list = useQuery({
    ...trpc.import.list.queryOptions({ kind: kind || undefined, status: status || undefined, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.items.some((b) => RUNNING.includes(b.status)) ? 2_000 : false),
  });
  const pageCount = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE_SIZE));

  return (
    <Card aria-busy={list.isFetching}>
      <div className="flex flex-wrap gap-3 border-b border-slate-100 px-4 py-3 sm:px-5">
        <Field label={t("filterKind")} className="w-40">
          {({ id }) => (
            <Select id={id} value={kind} onChange={(e) => (setKind(e.target.value as ImportKindCode | ""), setPage(1))}>
              <option value="">{t("all")}</option>
              {IMPORT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {tKind(k)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label={t("filterStatus")} className="w-40">
          {({ id }) => (
            <Select id={id} value={status} onChange={(e) => (setStatus(e.target.value as ImportStatusCode | ""), setPage(1))}>
              <option value="">{t("all")}</option>
              {IMPORT_STATUSES.map((s) => (
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
        empty={<EmptyState icon={<FileUp />} title={t("empty")} />}
      >
        {(data) => (
          <>
            <DataTable<Batch>
              caption={t("caption")}
              rows={data.items}
              rowKey={(b) => b.id}
              testId="import-batches"
              columns={[
                { key: "createdAt", header: t("col.createdAt"), primary: true, cell: (b) => fmt.dateTime(b.createdAt) },
                { key: "kind", header: t("col.kind"), primary: true, cell: (b) => tKind(b.kind) },
                { key: "source", header: t("col.source"), cell: (b) => sourceLabel(b.sourceSystem) },
                { key: "file", header: t("col.file"), wideOnly: true, className: "max-w-48 truncate", cell: (b) => b.fileName ?? t("jsonBatch") },
                { key: "status", header: t("col.status"), cell: (b) => <ImportStatusBadge status={b.status} /> },
                {
                  key: "rows",
                  header: t("col.rows"),
                  align: "right",
                  cell: (b) => <span className="tabular-nums">{t("rowsValue", { applied: b.appliedRows, total: b.totalRows })}</span>,
                },
                {
                  key: "errors",
                  header: t("col.errors"),
                  align: "right",
                  cell: (b) => <span className={b.errorRows > 0 ? "font-medium text-red-600 tabular-nums" : "tabular-nums"}>{b.errorRows}</span>,
                },
                {
                  key: "submittedBy",
                  header: t("col.submittedBy"),
                  hideOnPhone: true,
                  cell: (b) => (b.submittedBy ? (b.submittedBy.kind === "apiKey" ? t("apiKeyBy", { name: b.submittedBy.name }) : b.submittedBy.name) : "—"),
                },
                { key: "org", header: t("col.org"), wideOnly: true, cell: (b) => orgName(b.orgUnit) },
                {
                  key: "view",
                  header: tCommon("actions"),
                  align: "right",
                  cell: (b) => (
                    <Link href={`/data/imports/${b.id}`} className={buttonClasses("ghost", "sm")}>
                      {t("view")}
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
