"use client";

import { Card, CardBody, CardHeader, DataTable, ProgressBar, StatCard, cn } from "@mkt/ui";
import { TrendChart } from "@mkt/ui/charts";
import { useQuery } from "@tanstack/react-query";
import { AlertTriangle } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { useFormat } from "@/lib/use-localized";
import { LIVE } from "./campaign-status";
import { SuppressionChart } from "./suppression-chart";
import { QueryState } from "@/components/query-state";

type Funnel = RouterOutputs["campaign"]["funnel"];
type Step = Funnel["steps"][number];
const STAGES = ["reached", "sent", "delivered", "clicked", "responded", "converted"] as const;

/** The live funnel of a campaign; polls every few seconds while it runs. */
export function CampaignMonitor({ campaignId }: { campaignId: string }) {
  const t = useTranslations("campaigns.monitor");
  const trpc = useTRPC();
  const funnel = useQuery({
    ...trpc.campaign.funnel.queryOptions({ campaignId }),
    refetchInterval: (q) => (q.state.data && LIVE.includes(q.state.data.status) ? 3_000 : q.state.data?.status === "APPROVED" ? 5_000 : false),
  });
  return (
    <QueryState
      query={funnel}
      skeletonRows={6}
      describeError={(e) => (e instanceof Error ? e.message : undefined)}
    >
      {(data) => {
      const f = data;
      if (f.runs === 0) {
        return (
          <Card>
            <CardBody>
              <p className="text-sm text-slate-500">{t("notLaunched")}</p>
            </CardBody>
          </Card>
        );
      }
      return (
        <div className="space-y-4" aria-busy={funnel.isFetching} data-testid="campaign-monitor">
          <Alerts funnel={f} />
          <Figures funnel={f} />
          <div className="grid gap-4 xl:grid-cols-2">
            <FunnelCard funnel={f} />
            <Card>
              <CardHeader title={t("suppressedTitle")} description={t("suppressedHint")} />
              <CardBody>
                <SuppressionChart rows={f.suppressed} />
              </CardBody>
            </Card>
          </div>
          <StepsCard steps={f.steps} />
          <div className="grid gap-4 xl:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
            <SeriesCard funnel={f} />
            <CostCard funnel={f} />
          </div>
        </div>
      );
      }}
    </QueryState>
  );
}

function Alerts({ funnel }: { funnel: Funnel }) {
  const t = useTranslations("campaigns.monitor");
  const format = useFormatter();
  const fmt = useFormat();
  if (!funnel.alerts.length) return null;
  return (
    <div role="alert" className="space-y-1 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800" data-testid="campaign-alerts">
      {funnel.alerts.map((a) => (
        <p key={a.kind} className="flex items-center gap-2">
          <AlertTriangle className="size-4 shrink-0" aria-hidden="true" />
          {a.kind === "LOW_DELIVERY"
            ? t("alert.lowDelivery", { rate: format.number(a.rate, { style: "percent", maximumFractionDigits: 1 }), threshold: format.number(a.threshold, { style: "percent" }) })
            : t("alert.overBudget", { spent: fmt.money(a.spent), budget: fmt.money(a.budget) })}
        </p>
      ))}
    </div>
  );
}

function Figures({ funnel: f }: { funnel: Funnel }) {
  const t = useTranslations("campaigns.monitor");
  const format = useFormatter();
  const fmt = useFormat();
  const pct = (a: number, b: number) => (b > 0 ? format.number(a / b, { style: "percent", maximumFractionDigits: 1 }) : "—");
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
      <StatCard label={t("figure.audience")} value={format.number(f.audience)} hint={t("figure.runs", { count: f.runs })} />
      <StatCard label={t("figure.sent")} value={<span data-testid="figure-sent">{format.number(f.treated.sent)}</span>} hint={t("figure.messages")} />
      <StatCard label={t("figure.deliveryRate")} value={pct(f.treated.delivered, f.treated.sent)} />
      <StatCard label={t("figure.clickRate")} value={pct(f.treated.clicked, f.treated.delivered)} />
      <StatCard label={t("figure.converted")} value={format.number(f.treated.converted)} hint={t("figure.leads", { count: f.leads })} />
      <StatCard label={t("figure.cost")} value={fmt.money(f.cost.spent)} hint={f.cost.budget !== null ? t("figure.ofBudget", { budget: fmt.money(f.cost.budget) }) : t("figure.noBudget")} />
    </div>
  );
}

/** Treated vs control side by side: customers at each stage, the conversion rates and their difference. */
function FunnelCard({ funnel: f }: { funnel: Funnel }) {
  const t = useTranslations("campaigns.monitor");
  const format = useFormatter();
  const max = Math.max(1, ...STAGES.map((s) => f.treated[s]));
  const treatedRate = f.treated.reached > 0 ? f.comparison.treatedRate : null;
  const controlRate = f.control.reached > 0 ? f.comparison.controlRate : null;
  const diff = treatedRate !== null && controlRate !== null ? f.comparison.uplift : null;
  const pct = (v: number | null) => (v === null ? "—" : format.number(v, { style: "percent", maximumFractionDigits: 2 }));
  return (
    <Card>
      <CardHeader title={t("funnelTitle")} description={t("funnelHint")} />
      <CardBody className="space-y-4">
        <table className="w-full text-sm" data-testid="campaign-funnel">
          <thead>
            <tr className="text-left text-xs text-slate-500">
              <th className="py-1 font-medium">{t("stage.title")}</th>
              <th className="w-1/2 py-1 font-medium">{t("treated")}</th>
              <th className="py-1 text-right font-medium">{t("control")}</th>
            </tr>
          </thead>
          <tbody>
            {STAGES.map((s) => (
              <tr key={s} className="border-t border-slate-100">
                <td className="py-1.5 text-slate-700">{t(`stage.${s}`)}</td>
                <td className="py-1.5">
                  <div className="flex items-center gap-2">
                    <div className="h-3 flex-1 rounded bg-slate-100">
                      <div className="h-3 rounded bg-brand-600" style={{ width: `${(f.treated[s] / max) * 100}%` }} />
                    </div>
                    <span className="w-16 text-right tabular-nums" data-testid={`funnel-${s}`}>
                      {format.number(f.treated[s])}
                    </span>
                  </div>
                </td>
                <td className="py-1.5 text-right text-slate-600 tabular-nums" data-testid={`funnel-control-${s}`}>
                  {s === "reached" || s === "converted" ? format.number(f.control[s]) : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="grid grid-cols-3 gap-2 rounded-md bg-slate-50 p-3 text-center">
          <div>
            <p className="text-xs text-slate-500">{t("rateTreated")}</p>
            <p className="text-lg font-semibold tabular-nums">{pct(treatedRate)}</p>
          </div>
          <div>
            <p className="text-xs text-slate-500">{t("rateControl")}</p>
            <p className="text-lg font-semibold tabular-nums">{pct(controlRate)}</p>
          </div>
          <div>
            <p className="text-xs text-slate-500">{t("difference")}</p>
            <p className={cn("text-lg font-semibold tabular-nums", diff !== null && diff > 0 ? "text-emerald-700" : diff !== null && diff < 0 ? "text-red-700" : "")}>
              {diff === null ? "—" : `${diff >= 0 ? "+" : ""}${format.number(diff * 100, { maximumFractionDigits: 2 })} pp`}
            </p>
          </div>
        </div>
      </CardBody>
    </Card>
  );
}

function StepsCard({ steps }: { steps: Step[] }) {
  const t = useTranslations("campaigns.monitor");
  const tCh = useTranslations("campaigns.channel");
  const format = useFormatter();
  const num = (v: number) => <span className="tabular-nums">{format.number(v)}</span>;
  return (
    <Card>
      <CardHeader title={t("stepsTitle")} />
      {steps.length === 0 ? (
        <CardBody>
          <p className="text-sm text-slate-500">{t("noSteps")}</p>
        </CardBody>
      ) : (
        <DataTable<Step>
          caption={t("stepsTitle")}
          rows={steps}
          rowKey={(s) => `${s.stepId}:${s.channel}`}
          testId="campaign-steps"
          columns={[
            { key: "step", header: t("col.step"), primary: true, cell: (s) => s.label ?? s.stepId },
            { key: "channel", header: t("col.channel"), primary: true, cell: (s) => tCh(s.channel) },
            { key: "audience", header: t("col.audience"), align: "right", cell: (s) => num(s.treated.audience) },
            { key: "queued", header: t("col.queued"), align: "right", cell: (s) => num(s.treated.pending) },
            { key: "suppressed", header: t("col.suppressed"), align: "right", cell: (s) => num(s.treated.suppressed) },
            { key: "sent", header: t("col.sent"), align: "right", cell: (s) => num(s.treated.sent) },
            { key: "delivered", header: t("col.delivered"), align: "right", cell: (s) => num(s.treated.delivered) },
            { key: "failed", header: t("col.failed"), align: "right", cell: (s) => num(s.treated.failed) },
            { key: "clicked", header: t("col.clicked"), align: "right", cell: (s) => num(s.treated.clicked) },
            { key: "responded", header: t("col.responded"), align: "right", cell: (s) => num(s.treated.responded) },
            { key: "converted", header: t("col.converted"), align: "right", cell: (s) => num(s.treated.converted) },
            {
              key: "control",
              header: t("col.control"),
              align: "right",
              hideOnPhone: true,
              cell: (s) => (s.control ? t("controlCell", { audience: format.number(s.control.audience), converted: format.number(s.control.converted) }) : "—"),
            },
          ]}
        />
      )}
    </Card>
  );
}

function SeriesCard({ funnel: f }: { funnel: Funnel }) {
  const t = useTranslations("campaigns.monitor");
  const format = useFormatter();
  const label = (d: Date) =>
    f.series.bucket === "day" ? format.dateTime(d, { month: "2-digit", day: "2-digit" }) : format.dateTime(d, { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
  const data = f.series.points.map((p) => ({ at: label(p.at), sent: p.sent, delivered: p.delivered, clicked: p.clicked, converted: p.converted }));
  return (
    <Card>
      <CardHeader title={t("seriesTitle")} description={t(`bucket.${f.series.bucket}`)} />
      <CardBody>
        {data.length === 0 ? (
          <p className="py-8 text-center text-sm text-slate-500">{t("noSeries")}</p>
        ) : (
          <TrendChart
            ariaLabel={t("seriesTitle")}
            data={data}
            xKey="at"
            formatValue={(v) => format.number(v)}
            series={[
              { key: "sent", label: t("stage.sent") },
              { key: "delivered", label: t("stage.delivered"), kind: "line" },
              { key: "clicked", label: t("stage.clicked"), kind: "line" },
              { key: "converted", label: t("stage.converted"), kind: "line" },
            ]}
          />
        )}
      </CardBody>
    </Card>
  );
}

function CostCard({ funnel: f }: { funnel: Funnel }) {
  const t = useTranslations("campaigns.monitor");
  const tCh = useTranslations("campaigns.channel");
  const fmt = useFormat();
  const { spent, budget } = f.cost;
  return (
    <Card>
      <CardHeader title={t("costTitle")} />
      <CardBody className="space-y-3">
        {budget !== null ? (
          <ProgressBar
            label={t("costTitle")}
            value={spent}
            max={budget}
            tone={spent > budget ? "danger" : spent > budget * 0.8 ? "warning" : "brand"}
            valueText={`${fmt.money(spent)} / ${fmt.money(budget)}`}
          />
        ) : (
          <p className="text-sm text-slate-600">{t("figure.noBudget")}</p>
        )}
        <ul className="divide-y divide-slate-100 text-sm">
          {f.cost.byChannel.map((c) => (
            <li key={c.channel} className="flex justify-between py-1.5">
              <span className="text-slate-600">{tCh(c.channel)}</span>
              <span className="tabular-nums">{fmt.money(c.cost)}</span>
            </li>
          ))}
        </ul>
      </CardBody>
    </Card>
  );
}
