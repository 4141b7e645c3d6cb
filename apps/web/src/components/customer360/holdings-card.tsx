"use client";

import { Badge, Card, CardHeader, DataTable, EmptyState } from "@mkt/ui";
import { Briefcase, Wallet } from "lucide-react";
import { useTranslations } from "next-intl";
import { maturesSoon, toDate } from "@/lib/format";
import { useEnumLabel } from "@/lib/use-enum-label";
import { useFormat, useLocalizedName } from "@/lib/use-localized";
import type { Customer360, Revealed } from "./types";

type Holding = Customer360["holdings"][number];
type Account = Customer360["accounts"][number];

/** A maturity date, highlighted with the days left when it falls in the next 30 days. */
function Maturity({ date }: { date: Date | null }) {
  const t = useTranslations("customer360");
  const fmt = useFormat();
  const d = toDate(date);
  if (!d) return <span className="text-slate-400">—</span>;
  if (!maturesSoon(d)) return <>{fmt.date(d)}</>;
  const days = Math.max(0, Math.ceil((d.getTime() - Date.now()) / 86_400_000));
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5" data-testid="maturity-soon">
      <span className="font-medium text-amber-800">{fmt.date(d)}</span>
      <Badge tone="warning">{days === 0 ? t("maturesToday") : t("maturesInDays", { days })}</Badge>
    </span>
  );
}

const soonRow = (date: Date | null) => (maturesSoon(toDate(date)) ? "bg-amber-50/60" : undefined);

export function HoldingsCard({ data }: { data: Customer360 }) {
  const t = useTranslations("customer360");
  const category = useEnumLabel("productCategory");
  const status = useEnumLabel("holdingStatus");
  const source = useEnumLabel("sourceSystem");
  const name = useLocalizedName();
  const fmt = useFormat();
  return (
    <Card data-testid="holdings">
      <CardHeader title={t("holdings")} icon={<Briefcase className="size-4" aria-hidden="true" />} />
      {data.holdings.length === 0 ? (
        <EmptyState title={t("holdingsEmpty")} className="py-8" />
      ) : (
        <DataTable<Holding>
          caption={t("holdings")}
          rows={data.holdings}
          rowKey={(h) => h.id}
          rowClassName={(h) => (h.status === "ACTIVE" ? soonRow(h.maturityDate) : "text-slate-500")}
          columns={[
            { key: "product", header: t("col.product"), primary: true, cell: (h) => name(h.product) },
            { key: "category", header: t("col.category"), cell: (h) => category(h.product.category) },
            { key: "risk", header: t("col.risk"), cell: (h) => <Badge tone="neutral">R{h.product.riskLevel}</Badge> },
            { key: "amount", header: t("col.amount"), align: "right", cell: (h) => fmt.money(h.amount) },
            { key: "opened", header: t("col.opened"), hideOnPhone: true, wideOnly: true, cell: (h) => fmt.date(h.openedAt) },
            { key: "maturity", header: t("col.maturity"), cell: (h) => (h.status === "ACTIVE" ? <Maturity date={h.maturityDate} /> : fmt.date(h.maturityDate)) },
            { key: "status", header: t("col.status"), cell: (h) => status(h.status) },
            { key: "source", header: t("col.source"), hideOnPhone: true, wideOnly: true, cell: (h) => source(h.sourceSystem) },
          ]}
        />
      )}
    </Card>
  );
}

export function AccountsCard({ data, revealed }: { data: Customer360; revealed: Revealed | null }) {
  const t = useTranslations("customer360");
  const kind = useEnumLabel("productCategory");
  const status = useEnumLabel("accountStatus");
  const source = useEnumLabel("sourceSystem");
  const name = useLocalizedName();
  const fmt = useFormat();
  const clearNo = new Map(revealed?.accounts?.map((a) => [a.id, a.accountNo]));
  return (
    <Card data-testid="accounts">
      <CardHeader title={t("accounts")} icon={<Wallet className="size-4" aria-hidden="true" />} />
      {data.accounts.length === 0 ? (
        <EmptyState title={t("accountsEmpty")} className="py-8" />
      ) : (
        <DataTable<Account>
          caption={t("accounts")}
          rows={data.accounts}
          rowKey={(a) => a.id}
          rowClassName={(a) => (a.status === "ACTIVE" ? soonRow(a.maturityDate) : "text-slate-500")}
          columns={[
            {
              key: "accountNo",
              header: t("col.accountNo"),
              primary: true,
              cell: (a) => <span className={clearNo.has(a.id) ? "font-mono text-amber-800" : "font-mono"}>{clearNo.get(a.id) ?? a.accountNo}</span>,
            },
            { key: "kind", header: t("col.kind"), primary: true, cell: (a) => <span className="text-slate-500">{kind(a.kind)}</span> },
            { key: "product", header: t("col.product"), cell: (a) => (a.product ? name(a.product) : "—") },
            { key: "balance", header: t("col.balance"), align: "right", cell: (a) => fmt.money(a.balance, a.currency) },
            { key: "opened", header: t("col.opened"), hideOnPhone: true, wideOnly: true, cell: (a) => fmt.date(a.openedAt) },
            { key: "maturity", header: t("col.maturity"), cell: (a) => <Maturity date={a.maturityDate} /> },
            { key: "status", header: t("col.status"), cell: (a) => status(a.status) },
            { key: "source", header: t("col.source"), hideOnPhone: true, wideOnly: true, cell: (a) => source(a.sourceSystem) },
          ]}
        />
      )}
    </Card>
  );
}
