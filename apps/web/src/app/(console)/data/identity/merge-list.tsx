"use client";

import { Badge, Button, Card, DataTable, EmptyState, Field, Select } from "@mkt/ui";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { GitMerge, Split } from "lucide-react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { useEnumLabel } from "@/lib/use-enum-label";
import { useFormat } from "@/lib/use-localized";
import { SplitDialog } from "./split-dialog";
import { ListPagination } from "@/components/list-pagination";
import { QueryState } from "@/components/query-state";

type Merge = RouterOutputs["identity"]["merges"]["items"][number];
type SplitResult = RouterOutputs["identity"]["split"];
const PAGE_SIZE = 20;

/** The merge log of the caller's subtree; admins (identity:manage) can reverse a standing merge. */
export function MergeList({ canSplit }: { canSplit: boolean }) {
  const t = useTranslations("data.identity");
  const trpc = useTRPC();
  const fmt = useFormat();
  const ruleLabel = useEnumLabel("matchRule");
  const [rule, setRule] = useState<"" | "CERT_NO" | "PHONE">("");
  const [state, setState] = useState<"" | "standing" | "reversed">("");
  const [page, setPage] = useState(1);
  const [splitting, setSplitting] = useState<Merge | null>(null);
  const [done, setDone] = useState<SplitResult | null>(null);

  const merges = useQuery({
    ...trpc.identity.merges.queryOptions({ rule: rule || undefined, reversed: state === "" ? undefined : state === "reversed", page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const pageCount = Math.max(1, Math.ceil((merges.data?.total ?? 0) / PAGE_SIZE));
  const customerLink = (c: { id: number; customerNo: string; name: string }) => (
    <Link href={`/customers/${c.id}`} className="text-brand-700 hover:underline">
      {c.customerNo} {c.name}
    </Link>
  );

  return (
    <div className="space-y-4">
      {done && (
        <p role="status" className="rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800">
          {done.factsMoved
            ? t("splitDone", { customerNo: done.customerNo, accounts: done.moved.accounts, holdings: done.moved.holdings, transactions: done.moved.transactions })
            : t("factsKept", { customerNo: done.customerNo })}
        </p>
      )}
      <Card aria-busy={merges.isFetching}>
        <div className="flex flex-wrap gap-3 border-b border-slate-100 px-4 py-3 sm:px-5">
          <Field label={t("filterRule")} className="w-44">
            {({ id }) => (
              <Select id={id} value={rule} onChange={(e) => (setRule(e.target.value as typeof rule), setPage(1))}>
                <option value="">{t("all")}</option>
                <option value="CERT_NO">{ruleLabel("CERT_NO")}</option>
                <option value="PHONE">{ruleLabel("PHONE")}</option>
              </Select>
            )}
          </Field>
          <Field label={t("filterState")} className="w-36">
            {({ id }) => (
              <Select id={id} value={state} onChange={(e) => (setState(e.target.value as typeof state), setPage(1))}>
                <option value="">{t("all")}</option>
                <option value="standing">{t("standing")}</option>
                <option value="reversed">{t("reversed")}</option>
              </Select>
            )}
          </Field>
        </div>
        <QueryState
          query={merges}
          isEmpty={(data) => data.items.length === 0}
          empty={<EmptyState icon={<GitMerge />} title={t("empty")} />}
        >
          {(data) => (
            <>
              <DataTable<Merge>
                caption={t("caption")}
                rows={data.items}
                rowKey={(m) => m.id}
                testId="identity-merges"
                columns={[
                  { key: "createdAt", header: t("col.createdAt"), primary: true, cell: (m) => fmt.dateTime(m.createdAt) },
                  { key: "rule", header: t("col.rule"), primary: true, cell: (m) => <Badge tone={m.rule === "CERT_NO" ? "info" : "brand"}>{ruleLabel(m.rule)}</Badge> },
                  { key: "matched", header: t("col.matched"), cell: (m) => <span className="font-mono text-xs">{m.matchedValue ?? "—"}</span> },
                  { key: "source", header: t("col.source"), cell: (m) => <span className="font-mono text-xs">{`${m.sourceSystem}:${m.sourceKey}`}</span> },
                  { key: "customer", header: t("col.customer"), cell: (m) => customerLink(m.customer) },
                  {
                    key: "state",
                    header: t("col.state"),
                    cell: (m) =>
                      m.reversedAt ? (
                        <span className="space-y-0.5">
                          <Badge tone="neutral">{t("reversed")}</Badge>
                          {m.splitCustomer && <span className="block text-xs text-slate-500">{t("splitInto", { customerNo: m.splitCustomer.customerNo })}</span>}
                        </span>
                      ) : (
                        <Badge tone="success">{t("standing")}</Badge>
                      ),
                  },
                  ...(canSplit
                    ? [
                        {
                          key: "actions",
                          header: t("col.actions"),
                          align: "right" as const,
                          cell: (m: Merge) =>
                            !m.reversedAt && (
                              <Button variant="ghost" size="sm" onClick={() => (setDone(null), setSplitting(m))} icon={<Split className="size-4" aria-hidden="true" />}>
                                {t("split")}
                              </Button>
                            ),
                        },
                      ]
                    : []),
                ]}
              />
              <ListPagination page={page} pageCount={pageCount} onPage={setPage} />
            </>
          )}
        </QueryState>
      </Card>
      {splitting && (
        <SplitDialog
          merge={splitting}
          onClose={() => setSplitting(null)}
          onDone={(result) => {
            setSplitting(null);
            setDone(result);
          }}
        />
      )}
    </div>
  );
}
