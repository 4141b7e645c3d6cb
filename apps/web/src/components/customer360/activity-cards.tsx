"use client";

import { Card, CardHeader, DataTable, EmptyState, cn } from "@mkt/ui";
import { ArrowLeftRight, Database, MousePointerClick } from "lucide-react";
import { useTranslations } from "next-intl";
import { useEnumLabel } from "@/lib/use-enum-label";
import { useFormat, useLocalizedName } from "@/lib/use-localized";
import type { Customer360 } from "./types";

type Txn = Customer360["transactions"][number];
type AppEvent = Customer360["events"][number];
type Source = Customer360["sourceRecords"][number];

const OUTFLOW = new Set(["WITHDRAWAL", "TRANSFER_OUT", "CARD_SPEND", "PURCHASE", "LOAN_REPAYMENT", "ETC_TOLL", "FEE"]);

export function TransactionsCard({ data }: { data: Customer360 }) {
  const t = useTranslations("customer360");
  const type = useEnumLabel("txnType");
  const channel = useEnumLabel("txnChannel");
  const name = useLocalizedName();
  const fmt = useFormat();
  return (
    <Card data-testid="transactions">
      <CardHeader title={t("transactions")} icon={<ArrowLeftRight className="size-4" aria-hidden="true" />} />
      {data.transactions.length === 0 ? (
        <EmptyState title={t("transactionsEmpty")} className="py-8" />
      ) : (
        <DataTable<Txn>
          caption={t("transactions")}
          rows={data.transactions}
          rowKey={(x) => x.id}
          columns={[
            { key: "time", header: t("col.time"), primary: true, cell: (x) => <span className="tabular-nums">{fmt.dateTime(x.txnTime)}</span> },
            { key: "type", header: t("col.type"), primary: true, cell: (x) => type(x.type) },
            {
              key: "amount",
              header: t("col.amount"),
              align: "right",
              primary: true,
              cell: (x) => (
                <span className={cn("tabular-nums", OUTFLOW.has(x.type) ? "text-slate-900" : "text-emerald-700")}>
                  {OUTFLOW.has(x.type) ? "−" : "+"}
                  {fmt.money(Math.abs(x.amount))}
                </span>
              ),
            },
            { key: "channel", header: t("col.channel"), cell: (x) => channel(x.channel) },
            { key: "product", header: t("col.productOrAccount"), cell: (x) => (x.product ? name(x.product) : <span className="font-mono text-xs">{x.accountNo ?? "—"}</span>) },
          ]}
        />
      )}
    </Card>
  );
}

export function EventsCard({ data }: { data: Customer360 }) {
  const t = useTranslations("customer360");
  const event = useEnumLabel("appEvent");
  const name = useLocalizedName();
  const fmt = useFormat();
  return (
    <Card data-testid="events">
      <CardHeader title={t("events")} icon={<MousePointerClick className="size-4" aria-hidden="true" />} />
      {data.events.length === 0 ? (
        <EmptyState title={t("eventsEmpty")} className="py-8" />
      ) : (
        <DataTable<AppEvent>
          caption={t("events")}
          rows={data.events}
          rowKey={(e) => e.id}
          columns={[
            { key: "time", header: t("col.time"), primary: true, cell: (e) => <span className="tabular-nums">{fmt.dateTime(e.eventTime)}</span> },
            { key: "event", header: t("col.event"), primary: true, cell: (e) => event(e.eventType) },
            { key: "product", header: t("col.product"), cell: (e) => (e.product ? name(e.product) : "—") },
          ]}
        />
      )}
    </Card>
  );
}

export function SourcesCard({ data }: { data: Customer360 }) {
  const t = useTranslations("customer360");
  const system = useEnumLabel("sourceSystem");
  const rule = useEnumLabel("matchRule");
  const fmt = useFormat();
  return (
    <Card data-testid="sources">
      <CardHeader title={t("sources")} description={t("sourcesDescription")} icon={<Database className="size-4" aria-hidden="true" />} />
      {data.sourceRecords.length === 0 ? (
        <EmptyState title={t("sourcesEmpty")} className="py-8" />
      ) : (
        <DataTable<Source>
          caption={t("sources")}
          rows={data.sourceRecords}
          rowKey={(s) => `${s.sourceSystem}:${s.sourceKey}`}
          columns={[
            { key: "system", header: t("col.source"), primary: true, cell: (s) => system(s.sourceSystem) },
            { key: "key", header: t("col.sourceKey"), cell: (s) => <span className="font-mono text-xs">{s.sourceKey}</span> },
            { key: "rule", header: t("col.matchRule"), cell: (s) => rule(s.matchRule) },
            { key: "loaded", header: t("col.loadedAt"), cell: (s) => fmt.dateTime(s.loadedAt) },
          ]}
        />
      )}
    </Card>
  );
}
