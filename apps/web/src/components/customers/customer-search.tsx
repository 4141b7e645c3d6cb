"use client";

import { Badge, Button, Card, EmptyState, Input, Table, TBody, Td, Th, THead, Tr, focusRing, cn, useCursorPages } from "@mkt/ui";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ChevronRight, Search, SearchX, UserRound, X } from "lucide-react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { useFormat, useLocalizedName } from "@/lib/use-localized";
import { CustomerStatusBadge, RiskBadge } from "./badges";
import { CursorPagination } from "@/components/cursor-pagination";
import { QueryState } from "@/components/query-state";

type Row = RouterOutputs["customer"]["search"]["items"][number];
const PAGE_SIZE = 20;

/**
 * Search inside the caller's scope. The query lives in the URL (?q=) so a result list survives
 * going back from a customer; pages are keyset cursors, kept as a stack for "previous".
 */
export function CustomerSearch({ initialQuery }: { initialQuery: string }) {
  const t = useTranslations("customers");
  const trpc = useTRPC();
  const router = useRouter();
  const [text, setText] = useState(initialQuery);
  const [q, setQ] = useState(initialQuery);
  const pages = useCursorPages<number>();

  const search = useQuery({
    ...trpc.customer.search.queryOptions({ q: q || undefined, cursor: pages.cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });

  const apply = (next: string) => {
    setQ(next);
    pages.reset();
    router.replace(next ? `/customers?q=${encodeURIComponent(next)}` : "/customers", { scroll: false });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    apply(text.trim());
  };

  const items = search.data?.items ?? [];
  const nextCursor = search.data?.nextCursor ?? null;

  return (
    <div className="space-y-4">
      <form role="search" onSubmit={submit} className="flex flex-col gap-2 sm:flex-row sm:items-start">
        <div className="flex-1">
          <label htmlFor="customer-q" className="sr-only">
            {t("searchLabel")}
          </label>
          <div className="relative">
          <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400" aria-hidden="true" />
          <Input
            id="customer-q"
            name="q"
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t("searchPlaceholder")}
            aria-describedby="customer-q-hint"
            maxLength={50}
            className="h-11 pl-9"
          />
          </div>
          <p id="customer-q-hint" className="mt-1.5 text-xs text-slate-500">
            {t("searchHint")}
          </p>
        </div>
        <div className="flex gap-2">
          <Button type="submit" size="lg" className="flex-1 sm:flex-none">
            {t("searchButton")}
          </Button>
          {q && (
            <Button
              variant="secondary"
              size="lg"
              onClick={() => {
                setText("");
                apply("");
              }}
              icon={<X className="size-4" aria-hidden="true" />}
            >
              {t("clear")}
            </Button>
          )}
        </div>
      </form>

      <Card aria-busy={search.isFetching} data-testid="customer-results">
        <QueryState
          query={search}
          skeletonRows={8}
          labels={{ loading: t("loading") }}
          isEmpty={() => items.length === 0}
          empty={
            <EmptyState
              icon={q ? <SearchX /> : <UserRound />}
              title={q ? t("emptyTitle") : t("emptyScopeTitle")}
              description={q ? t("emptyDescription") : t("emptyScopeDescription")}
            />
          }
        >
          {() => (
            <div className={cn(search.isPlaceholderData && "opacity-60 transition-opacity")}>
              <ResultsTable rows={items} />
              <ResultsCards rows={items} />
              <CursorPagination pages={pages} nextCursor={nextCursor} busy={search.isPlaceholderData} />
            </div>
          )}
        </QueryState>
      </Card>
    </div>
  );
}

function ResultsTable({ rows }: { rows: Row[] }) {
  const t = useTranslations("customers");
  const tBand = useTranslations("enums.aumBand");
  const orgName = useLocalizedName();
  const fmt = useFormat();
  return (
    <div className="hidden md:block">
      <Table caption={t("resultsCaption")}>
        <THead>
          <Tr>
            <Th>{t("col.customerNo")}</Th>
            <Th>{t("col.name")}</Th>
            <Th>{t("col.phone")}</Th>
            <Th>{t("col.org")}</Th>
            <Th>{t("col.rm")}</Th>
            <Th align="right">{t("col.aum")}</Th>
            <Th>{t("col.risk")}</Th>
            <Th>{t("col.status")}</Th>
          </Tr>
        </THead>
        <TBody>
          {rows.map((c) => (
            <Tr key={c.id} className="hover:bg-slate-50">
              <Td>
                <Link href={`/customers/${c.id}`} className={cn("font-mono text-brand-700 hover:underline", focusRing)} aria-label={t("open", { customerNo: c.customerNo })}>
                  {c.customerNo}
                </Link>
              </Td>
              <Td className="font-medium">{c.name}</Td>
              <Td className="font-mono text-slate-600" data-testid="masked-phone">
                {c.phone ?? "—"}
              </Td>
              <Td wrap className="min-w-32">{orgName(c.orgUnit)}</Td>
              <Td>{c.rm?.name ?? <span className="text-slate-400">{t("noRm")}</span>}</Td>
              <Td align="right">
                <div>{fmt.money(c.aum)}</div>
                {c.aumBand && <div className="text-xs text-slate-500">{tBand(c.aumBand)}</div>}
              </Td>
              <Td>
                <span className="inline-flex items-center gap-1">
                  <RiskBadge level={c.riskLevel} />
                  {c.riskExpired && <Badge tone="danger">{t("riskExpired")}</Badge>}
                </span>
              </Td>
              <Td>
                <CustomerStatusBadge status={c.status} />
              </Td>
            </Tr>
          ))}
        </TBody>
      </Table>
    </div>
  );
}

function ResultsCards({ rows }: { rows: Row[] }) {
  const t = useTranslations("customers");
  const orgName = useLocalizedName();
  const fmt = useFormat();
  return (
    <ul className="divide-y divide-slate-100 md:hidden" aria-label={t("resultsCaption")}>
      {rows.map((c) => (
        <li key={c.id}>
          <Link href={`/customers/${c.id}`} className={cn("flex items-center gap-3 px-4 py-3 active:bg-slate-50", focusRing)} aria-label={t("open", { customerNo: c.customerNo })}>
            <div className="min-w-0 flex-1 space-y-1">
              <div className="flex items-center gap-2">
                <span className="font-medium text-slate-900">{c.name}</span>
                <span className="font-mono text-xs text-slate-500">{c.customerNo}</span>
              </div>
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600">
                <span className="font-mono">{c.phone ?? "—"}</span>
                <span>{orgName(c.orgUnit)}</span>
                {c.rm && <span>{c.rm.name}</span>}
              </div>
              <div className="flex flex-wrap items-center gap-2">
                <span className="text-sm font-medium text-slate-900 tabular-nums">{fmt.money(c.aum)}</span>
                {c.riskLevel && <RiskBadge level={c.riskLevel} />}
                {c.riskExpired && <Badge tone="danger">{t("riskExpired")}</Badge>}
                {c.status !== "ACTIVE" && <CustomerStatusBadge status={c.status} />}
              </div>
            </div>
            <ChevronRight className="size-4 shrink-0 text-slate-400" aria-hidden="true" />
          </Link>
        </li>
      ))}
    </ul>
  );
}
