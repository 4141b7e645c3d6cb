"use client";

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { useFormatter, useTranslations } from "next-intl";

export type Distribution =
  | { kind: "categorical"; counts: Record<string, number> }
  | { kind: "numeric"; edges: number[]; counts: number[]; min: number | null; max: number | null; mean: number | null };

export interface EnumValueLabel {
  value: string;
  label: string;
  labelEn: string;
}

/**
 * A tag's distribution in one run (or a preview): customers per value — labelled enum values,
 * yes/no, or numeric bins between the edges (bin k holds edges[k-1] <= v < edges[k]).
 */
export function DistributionChart({ distribution, enumValues, locale, height = 240 }: { distribution: Distribution; enumValues?: EnumValueLabel[] | null; locale: string; height?: number }) {
  const t = useTranslations("tags.chart");
  const format = useFormatter();
  const num = (v: number) => format.number(v, { notation: "compact", maximumFractionDigits: 1 });
  const data = bars(distribution, {
    rank: (value) => {
      const i = enumValues?.findIndex((e) => e.value === value) ?? -1;
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    },
    enumLabel: (v) => {
      const e = enumValues?.find((x) => x.value === v);
      return e ? (locale === "en" ? e.labelEn : e.label) : v;
    },
    bool: (v) => (v === "true" ? t("true") : t("false")),
    num,
    below: (v) => t("below", { value: num(v) }),
    atLeast: (v) => t("atLeast", { value: num(v) }),
  });
  if (!data.some((d) => d.count > 0)) return <p className="py-8 text-center text-sm text-slate-500">{t("noValues")}</p>;
  // Many or long labels are slanted so they do not run into each other on narrow screens.
  const slanted = data.length > 6 || data.reduce((n, d) => n + d.name.length, 0) > 20;
  return (
    <figure aria-label={t("aria")} className="w-full" data-testid="distribution-chart">
      <BarChart responsive data={data} style={{ width: "100%", height }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--color-slate-200)" vertical={false} />
        <XAxis dataKey="name" tick={{ fontSize: 11, fill: "var(--color-slate-500)" }} tickLine={false} axisLine={false} interval={0} angle={slanted ? -30 : 0} textAnchor={slanted ? "end" : "middle"} height={slanted ? 64 : 30} />
        <YAxis width={48} tick={{ fontSize: 11, fill: "var(--color-slate-500)" }} tickLine={false} axisLine={false} tickFormatter={(v: number) => num(v)} allowDecimals={false} />
        <Tooltip formatter={(v) => [format.number(Number(v)), t("customers")]} contentStyle={{ fontSize: 12, borderRadius: 6 }} />
        <Bar dataKey="count" name={t("customers")} fill="var(--color-brand-600)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
      </BarChart>
    </figure>
  );
}

interface Namers {
  /** Position of a categorical value (the tag's own order of its enum values). */
  rank: (value: string) => number;
  enumLabel: (value: string) => string;
  bool: (value: string) => string;
  num: (value: number) => string;
  below: (value: number) => string;
  atLeast: (value: number) => string;
}

function bars(d: Distribution, n: Namers): { name: string; count: number }[] {
  if (d.kind === "categorical") {
    const isBool = Object.keys(d.counts).every((k) => k === "true" || k === "false");
    const entries = Object.entries(d.counts).sort(([a], [b]) => (isBool ? (a === "true" ? -1 : 1) : n.rank(a) - n.rank(b)));
    return entries.map(([k, count]) => ({ name: isBool ? n.bool(k) : n.enumLabel(k), count }));
  }
  return d.counts.map((count, k) => {
    const lo = d.edges[k - 1];
    const hi = d.edges[k];
    const name = lo === undefined ? (hi === undefined ? "—" : n.below(hi)) : hi === undefined ? n.atLeast(lo) : `${n.num(lo)}–${n.num(hi)}`;
    return { name, count };
  });
}
