"use client";

import { Badge, Card, EmptyState, PageHeader, Skeleton, StatCard } from "@mkt/ui";
import { aumBand } from "@mkt/core/customer/aum-band";
import { useQuery } from "@tanstack/react-query";
import { ArrowLeft, Briefcase, Landmark, PiggyBank, SearchX, TrendingUp } from "lucide-react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import { CustomerStatusBadge } from "@/components/customers/badges";
import { QueryState } from "@/components/query-state";
import { CustomerTagsCard } from "@/components/tags/customer-tags-card";
import { apiErrorCode } from "@/lib/api-error";
import { useTRPC } from "@/lib/trpc";
import { useEnumLabel } from "@/lib/use-enum-label";
import { useFormat } from "@/lib/use-localized";
import { AccountsCard, HoldingsCard } from "./holdings-card";
import { AumTrendCard } from "./aum-trend-card";
import { ContactCard } from "./contact-card";
import { EventsCard, SourcesCard, TransactionsCard } from "./activity-cards";
import { ProfileCard } from "./profile-card";
import { RelationshipCard } from "./relationship-card";
import type { Customer360, Revealed } from "./types";
import { UnmaskDialog } from "./unmask-dialog";

/**
 * The customer 360° page: one call (customer.get360, scoped and masked by the API), laid out as
 * stacked cards on phones and two columns on desktop. Clear values from "reveal" live only in
 * this component's state and are dropped when the user masks again or leaves the page.
 */
export function Customer360View({ customerId, canUnmask }: { customerId: number; canUnmask: boolean }) {
  const t = useTranslations("customer360");
  const trpc = useTRPC();
  const query = useQuery(trpc.customer.get360.queryOptions({ customerId }));
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const [unmaskOpen, setUnmaskOpen] = useState(false);
  const restriction = useEnumLabel("restrictionKind");

  const back = (
    <Link href="/customers" className="inline-flex items-center gap-1 text-brand-700 hover:underline">
      <ArrowLeft className="size-3.5" aria-hidden="true" />
      {t("back")}
    </Link>
  );

  return (
    <QueryState
      query={query}
      loading={
        <div role="status" aria-live="polite">
          <span className="sr-only">{t("loading")}</span>
          <PageHeader eyebrow={back} title={<Skeleton className="h-7 w-48" />} />
          <div className="grid gap-4 lg:grid-cols-3">
            <Skeleton className="h-80" />
            <Skeleton className="h-80 lg:col-span-2" />
          </div>
        </div>
      }
      renderError={(error, errorState) => (
        <>
          <PageHeader eyebrow={back} title={t("title")} />
          <Card>
            {apiErrorCode(error) === "NOT_FOUND" ? <EmptyState icon={<SearchX />} title={t("notFoundTitle")} description={t("notFoundDescription")} /> : errorState}
          </Card>
        </>
      )}
    >
      {(data) => {
        const displayName = revealed?.name ?? data.profile.name;
        return (
          <>
            <PageHeader
              eyebrow={back}
              title={
                <span className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                  <span data-testid="customer-name">{displayName}</span>
                  <span className="font-mono text-sm font-normal text-slate-500">{data.profile.customerNo}</span>
                </span>
              }
              actions={
                <div className="flex flex-wrap items-center gap-2">
                  <CustomerStatusBadge status={data.profile.status} />
                  {data.restrictions.some((r) => r.active && r.kind === "DO_NOT_DISTURB") && <Badge tone="warning">{restriction("DO_NOT_DISTURB")}</Badge>}
                  {data.restrictions.some((r) => r.active && r.kind === "COMPLAINT") && <Badge tone="danger">{restriction("COMPLAINT")}</Badge>}
                </div>
              }
            />
            <Summary data={data} />
            <div className="mt-4 grid items-start gap-4 md:grid-cols-2 xl:grid-cols-[minmax(0,1.5fr)_minmax(0,1fr)_minmax(0,1fr)]">
              <ProfileCard data={data} revealed={revealed} canUnmask={canUnmask} onUnmask={() => setUnmaskOpen(true)} onHide={() => setRevealed(null)} />
              <RelationshipCard data={data} />
              <ContactCard data={data} />
            </div>
            <div className="mt-4 space-y-4">
              <CustomerTagsCard customerId={customerId} />
              <AumTrendCard data={data} />
              <HoldingsCard data={data} />
              <AccountsCard data={data} revealed={revealed} />
              <TransactionsCard data={data} />
              <div className="grid items-start gap-4 2xl:grid-cols-2">
                <EventsCard data={data} />
                <SourcesCard data={data} />
              </div>
            </div>
            {canUnmask && <UnmaskDialog customerId={customerId} open={unmaskOpen} onClose={() => setUnmaskOpen(false)} onRevealed={setRevealed} />}
          </>
        );
      }}
    </QueryState>
  );
}

/** The figures an RM looks at first: latest AUM and its parts, and how many products are held. */
function Summary({ data }: { data: Customer360 }) {
  const t = useTranslations("customer360");
  const tBand = useTranslations("enums.aumBand");
  const fmt = useFormat();
  const latest = data.aumTrend[data.aumTrend.length - 1];
  const band = latest ? aumBand(latest.aum) : null;
  return (
    <div className="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="customer-summary">
      <StatCard label={t("latestAum")} value={fmt.money(latest?.aum)} hint={band ? tBand(band) : undefined} icon={<TrendingUp />} />
      <StatCard label={t("series.deposit")} value={fmt.money(latest?.deposit)} icon={<PiggyBank />} />
      <StatCard label={t("series.wealth")} value={fmt.money(latest?.wealth)} icon={<Landmark />} />
      <StatCard label={t("holdings")} value={data.holdings.filter((h) => h.status === "ACTIVE").length} icon={<Briefcase />} />
    </div>
  );
}
