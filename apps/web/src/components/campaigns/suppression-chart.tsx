"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";

/** Customers held back, by the guardrail that held them (horizontal bars, largest first). */
export function SuppressionChart({ rows }: { rows: { reason: string; count: number }[] }) {
  const t = useTranslations("campaigns.suppression");
  const format = useFormatter();
  if (!rows.some((r) => r.count > 0)) return <p className="py-6 text-center text-sm text-slate-500">{t("none")}</p>;
  const data = rows.map((r) => ({ name: t.has(`reason.${r.reason}`) ? t(`reason.${r.reason}`) : r.reason, count: r.count }));
  return (
    <figure aria-label={t("aria")} className="w-full" data-testid="suppression-chart">
      <BarChart responsive layout="vertical" data={data} style={{ width: "100%", height: Math.max(120, 34 * data.length + 40) }} margin={{ top: 4, right: 24, bottom: 0, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--color-slate-200)" horizontal={false} />
        <XAxis type="number" tick={{ fontSize: 11, fill: "var(--color-slate-500)" }} tickLine={false} axisLine={false} allowDecimals={false} tickFormatter={(v: number) => format.number(v, { notation: "compact" })} />
        <YAxis type="category" dataKey="name" width={120} tick={{ fontSize: 12, fill: "var(--color-slate-700)" }} tickLine={false} axisLine={false} />
        <Tooltip formatter={(v) => [format.number(Number(v)), t("customers")]} contentStyle={{ fontSize: 12, borderRadius: 6 }} />
        <Bar dataKey="count" name={t("customers")} fill="var(--color-amber-500)" radius={[0, 3, 3, 0]} isAnimationActive={false} />
      </BarChart>
    </figure>
  );
}
