"use client";

import { Card, CardBody, CardHeader, EmptyState, StatCard, cn, combineQueries } from "@mkt/ui";
import { TrendChart } from "@mkt/ui/charts";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { BarChart3, Landmark, PieChart, TrendingUp } from "lucide-react";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { QueryState } from "@/components/query-state";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { useEnumLabel } from "@/lib/use-enum-label";
import { useFormat } from "@/lib/use-localized";

type Profile = RouterOutputs["segment"]["profile"];
type Bucket = Profile["tags"][number]["buckets"][number];

/** Tags a profile starts with: who they are, what they are worth, how they behave. */
export const DEFAULT_PROFILE_TAGS = ["AGE_BAND", "GENDER", "AUM_BAND", "RISK_LEVEL", "LIFECYCLE_STAGE"];
const MAX_TAGS = 8;

/** 客群画像: TGI per tag value, AUM and holdings against the scope, size over time. */
export function SegmentProfile({ segmentId }: { segmentId: string }) {
  const t = useTranslations("segments.profile");
  const trpc = useTRPC();
  const locale = useLocale();
  const options = useQuery(trpc.segment.builderOptions.queryOptions());
  const [tags, setTags] = useState<string[]>(DEFAULT_PROFILE_TAGS);
  const chosen = tags.filter((c) => options.data?.tags.some((x) => x.code === c) ?? false);
  const profile = useQuery({ ...trpc.segment.profile.queryOptions({ segmentId, tagCodes: chosen }), enabled: !!options.data, placeholderData: keepPreviousData });

  return (
    <QueryState query={combineQueries(profile, options)} skeletonRows={6}>
      {([p, builder]) => {
        const tagName = (code: string) => {
          const x = builder.tags.find((y) => y.code === code);
          return x ? (locale === "en" ? x.nameEn : x.name) : code;
        };
        return (
          <div className="space-y-5" aria-busy={profile.isFetching} data-testid="segment-profile">
            <Card>
              <CardHeader title={t("tagsTitle")} description={t("tagsDescription", { max: MAX_TAGS })} icon={<BarChart3 className="size-4" aria-hidden="true" />} />
              <CardBody>
                <div className="mb-4 flex flex-wrap items-center gap-2">
                  {tags.map((code) => (
                    <button
                      key={code}
                      type="button"
                      onClick={() => setTags(tags.filter((c) => c !== code))}
                      className="rounded-full border border-brand-600 bg-brand-50 px-2.5 py-1 text-xs text-brand-700"
                      aria-label={t("removeTag", { tag: tagName(code) })}
                    >
                      {tagName(code)} ×
                    </button>
                  ))}
                  {tags.length < MAX_TAGS && (
                    <select
                      aria-label={t("addTag")}
                      className="h-8 rounded-md border border-slate-300 bg-white px-2 text-xs"
                      value=""
                      onChange={(e) => e.target.value && setTags([...tags, e.target.value])}
                      data-testid="profile-add-tag"
                    >
                      <option value="">{t("addTag")}</option>
                      {builder.tags
                        .filter((x) => !tags.includes(x.code))
                        .map((x) => (
                          <option key={x.code} value={x.code}>
                            {locale === "en" ? x.nameEn : x.name}
                          </option>
                        ))}
                    </select>
                  )}
                </div>
                {p.tags.length === 0 ? (
                  <EmptyState icon={<BarChart3 />} title={t("noTags")} />
                ) : (
                  <div className="grid gap-6 xl:grid-cols-2">
                    {p.tags.map((tag) => (
                      <TagDistribution key={tag.code} title={locale === "en" ? tag.nameEn : tag.name} buckets={tag.buckets} enumLabel={tag.valueType === "ENUM" ? (v) => enumLabelOf(builder, tag.code, v, locale) : undefined} />
                    ))}
                  </div>
                )}
              </CardBody>
            </Card>
            <div className="grid gap-5 xl:grid-cols-2">
              <AumCard aum={p.aum} />
              <HoldingsCard holdings={p.holdings} />
            </div>
            <TrendCard trend={p.trend} />
          </div>
        );
      }}
    </QueryState>
  );
}

function enumLabelOf(options: RouterOutputs["segment"]["builderOptions"], code: string, value: string, locale: string): string {
  const v = options.tags.find((x) => x.code === code)?.enumValues.find((e) => e.value === value);
  return v ? (locale === "en" ? v.labelEn : v.label) : value;
}

function usePercent() {
  const format = useFormatter();
  return (x: number) => format.number(x, { style: "percent", maximumFractionDigits: 1 });
}

const TGI_HIGH = 120;
const TGI_LOW = 80;
const tgiColor = (tgi: number | null) => (tgi == null ? "var(--color-slate-300)" : tgi >= TGI_HIGH ? "var(--color-brand-600)" : tgi <= TGI_LOW ? "var(--color-amber-500)" : "var(--color-slate-400)");

/** One tag: a TGI bar per value (100 = as common as in the scope) and the shares beside it. */
function TagDistribution({ title, buckets, enumLabel }: { title: string; buckets: Bucket[]; enumLabel?: (value: string) => string }) {
  const t = useTranslations("segments.profile");
  const pct = usePercent();
  const rows = buckets.map((b) => ({ ...b, name: b.label === null ? t("noValue") : enumLabel ? enumLabel(b.label) : b.label, tgiValue: b.tgi ?? 0 }));
  const height = Math.max(120, rows.length * 30 + 30);
  // Room for the longest value label (CJK characters are about 11 px wide at this size).
  const labelWidth = Math.min(150, Math.max(48, 12 + 11 * Math.max(...rows.map((r) => [...r.name].length))));
  return (
    <figure className="min-w-0" aria-label={t("tgiChart", { tag: title })}>
      <figcaption className="mb-2 text-sm font-medium text-slate-800">{title}</figcaption>
      <BarChart responsive data={rows} layout="vertical" style={{ width: "100%", height }} margin={{ top: 4, right: 16, bottom: 4, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--color-slate-200)" horizontal={false} />
        <XAxis type="number" tick={{ fontSize: 11, fill: "var(--color-slate-500)" }} tickLine={false} axisLine={false} domain={[0, (max: number) => Math.max(150, Math.ceil(max / 50) * 50)]} />
        <YAxis type="category" dataKey="name" width={labelWidth} tick={{ fontSize: 11, fill: "var(--color-slate-600)" }} tickLine={false} axisLine={false} />
        <ReferenceLine x={100} stroke="var(--color-slate-500)" strokeDasharray="4 3" />
        <Tooltip
          contentStyle={{ fontSize: 12, borderRadius: 6 }}
          formatter={(_v, _n, item) => {
            const r = item.payload as (typeof rows)[number];
            return [`TGI ${r.tgi ?? "—"} · ${t("segmentShare")} ${pct(r.segmentShare)} · ${t("scopeShare")} ${pct(r.scopeShare)}`, ""];
          }}
        />
        <Bar dataKey="tgiValue" name="TGI" isAnimationActive={false} radius={[0, 3, 3, 0]}>
          {rows.map((r) => (
            <Cell key={r.name} fill={tgiColor(r.tgi)} />
          ))}
        </Bar>
      </BarChart>
      <ShareTable caption={t("tgiTable", { tag: title })} head={t("value")} rows={rows.map((r) => ({ name: r.name, segmentShare: r.segmentShare, scopeShare: r.scopeShare, tgi: r.tgi }))} />
    </figure>
  );
}

const tgiClass = (tgi: number | null) => (tgi != null && tgi >= TGI_HIGH ? "text-brand-700" : tgi != null && tgi <= TGI_LOW ? "text-amber-700" : "text-slate-700");

/** Shares in the segment and in the scope with the TGI, one row per value or band. */
function ShareTable({ caption, head, rows }: { caption: string; head: string; rows: { name: string; segmentShare: number; scopeShare: number; tgi: number | null }[] }) {
  const t = useTranslations("segments.profile");
  const pct = usePercent();
  return (
    <table className="mt-2 w-full text-xs">
      <caption className="sr-only">{caption}</caption>
      <thead className="text-slate-500">
        <tr>
          <th className="py-1 text-left font-normal">{head}</th>
          <th className="py-1 text-right font-normal">{t("segmentShare")}</th>
          <th className="py-1 text-right font-normal">{t("scopeShare")}</th>
          <th className="py-1 text-right font-normal">TGI</th>
        </tr>
      </thead>
      <tbody className="tabular-nums">
        {rows.map((r) => (
          <tr key={r.name} className="border-t border-slate-100">
            <td className="py-1 text-slate-700">{r.name}</td>
            <td className="py-1 text-right">{pct(r.segmentShare)}</td>
            <td className="py-1 text-right text-slate-500">{pct(r.scopeShare)}</td>
            <td className={cn("py-1 text-right font-medium", tgiClass(r.tgi))}>{r.tgi ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AumCard({ aum }: { aum: Profile["aum"] }) {
  const t = useTranslations("segments.profile");
  const fmt = useFormat();
  const format = useFormatter();
  const band = useEnumLabel("aumBand");
  const pct = usePercent();
  return (
    <Card>
      <CardHeader title={t("aumTitle")} description={aum.month ? t("aumMonth", { month: fmt.date(aum.month) }) : undefined} icon={<Landmark className="size-4" aria-hidden="true" />} />
      <CardBody className="space-y-4">
        <div className="grid grid-cols-2 gap-3">
          <StatCard label={t("aumAverage")} value={fmt.money(aum.segment.average)} hint={t("vsScope", { value: fmt.money(aum.scope.average) })} />
          <StatCard label={t("aumMedian")} value={fmt.money(aum.segment.median)} hint={t("vsScope", { value: fmt.money(aum.scope.median) })} />
          <StatCard label={t("aumTotal")} value={fmt.money(aum.segment.total)} hint={t("aumShare", { share: pct(aum.scope.total ? aum.segment.total / aum.scope.total : 0) })} />
          <StatCard label={t("aumCustomers")} value={format.number(aum.segment.customers)} />
        </div>
        <ShareTable caption={t("aumBands")} head={t("aumBands")} rows={aum.bands.map((b) => ({ name: band(b.label), segmentShare: b.segmentShare, scopeShare: b.scopeShare, tgi: b.tgi }))} />
      </CardBody>
    </Card>
  );
}

function HoldingsCard({ holdings }: { holdings: Profile["holdings"] }) {
  const t = useTranslations("segments.profile");
  const fmt = useFormat();
  const format = useFormatter();
  const category = useEnumLabel("productCategory");
  const pct = usePercent();
  return (
    <Card>
      <CardHeader title={t("holdingsTitle")} description={t("holdingsDescription")} icon={<PieChart className="size-4" aria-hidden="true" />} />
      <CardBody>
        {holdings.length === 0 ? (
          <EmptyState icon={<PieChart />} title={t("noHoldings")} />
        ) : (
          <table className="w-full text-xs">
            <caption className="sr-only">{t("holdingsTitle")}</caption>
            <thead className="text-slate-500">
              <tr>
                <th className="py-1 text-left font-normal">{t("category")}</th>
                <th className="py-1 text-right font-normal">{t("holders")}</th>
                <th className="py-1 text-right font-normal">{t("scopeShare")}</th>
                <th className="py-1 text-right font-normal">TGI</th>
                <th className="hidden py-1 text-right font-normal sm:table-cell">{t("amount")}</th>
              </tr>
            </thead>
            <tbody className="tabular-nums">
              {holdings.map((h) => (
                <tr key={h.category} className="border-t border-slate-100">
                  <td className="py-1 text-slate-700">{category(h.category)}</td>
                  <td className="py-1 text-right">
                    {format.number(h.segmentHolders)} <span className="text-slate-400">({pct(h.segmentShare)})</span>
                  </td>
                  <td className="py-1 text-right text-slate-500">{pct(h.scopeShare)}</td>
                  <td className="py-1 text-right font-medium">{h.tgi ?? "—"}</td>
                  <td className="hidden py-1 text-right sm:table-cell">{fmt.money(h.segmentAmount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </CardBody>
    </Card>
  );
}

function TrendCard({ trend }: { trend: Profile["trend"] }) {
  const t = useTranslations("segments.profile");
  const fmt = useFormat();
  const format = useFormatter();
  const data = trend.map((p) => ({ at: fmt.date(p.takenAt), count: p.count }));
  return (
    <Card>
      <CardHeader title={t("trendTitle")} description={t("trendDescription")} icon={<TrendingUp className="size-4" aria-hidden="true" />} />
      <CardBody>
        {data.length < 2 ? (
          <EmptyState icon={<TrendingUp />} title={t("trendFew")} />
        ) : (
          <TrendChart data={data} xKey="at" series={[{ key: "count", label: t("size") }]} formatValue={(v) => format.number(v)} ariaLabel={t("trendTitle")} height={220} />
        )}
      </CardBody>
    </Card>
  );
}
