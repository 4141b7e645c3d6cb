"use client";

import { Area, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from "recharts";

export interface TrendSeries {
  key: string;
  label: string;
  /** A CSS colour; defaults cycle through the brand palette. */
  color?: string;
  /** "area" (filled, the headline figure) or "line" (a dashed component of it). Default area. */
  kind?: "area" | "line";
}

export interface TrendChartProps {
  data: ReadonlyArray<Record<string, string | number | null>>;
  xKey: string;
  series: TrendSeries[];
  /** Formats axis ticks and tooltip values (locale-aware formatting is the caller's). */
  formatValue?: (value: number) => string;
  formatAxisValue?: (value: number) => string;
  height?: number;
  /** Accessible description of what the chart shows. */
  ariaLabel: string;
}

const palette = ["var(--color-brand-600)", "var(--color-emerald-500)", "var(--color-amber-500)", "var(--color-slate-400)"];

/** A month-by-month chart (AUM trend and similar): filled areas and dashed lines, sized by its container. */
export function TrendChart({ data, xKey, series, formatValue, formatAxisValue, height = 260, ariaLabel }: TrendChartProps) {
  const fmt = (v: unknown) => (typeof v === "number" && formatValue ? formatValue(v) : String(v));
  return (
    <figure aria-label={ariaLabel} className="w-full">
      <ComposedChart responsive data={data as Record<string, unknown>[]} style={{ width: "100%", height }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <defs>
          {series.map((s, i) => (
            <linearGradient key={s.key} id={`fill-${s.key}`} x1="0" y1="0" x2="0" y2="1">
              <stop offset="5%" stopColor={s.color ?? palette[i % palette.length]} stopOpacity={0.3} />
              <stop offset="95%" stopColor={s.color ?? palette[i % palette.length]} stopOpacity={0.02} />
            </linearGradient>
          ))}
        </defs>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--color-slate-200)" vertical={false} />
        <XAxis dataKey={xKey} tick={{ fontSize: 11, fill: "var(--color-slate-500)" }} tickLine={false} axisLine={false} minTickGap={12} />
        <YAxis
          width={56}
          tick={{ fontSize: 11, fill: "var(--color-slate-500)" }}
          tickLine={false}
          axisLine={false}
          tickFormatter={(v: number) => (formatAxisValue ?? formatValue ?? String)(v)}
        />
        <Tooltip formatter={(v) => fmt(v)} contentStyle={{ fontSize: 12, borderRadius: 6 }} />
        {series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
        {series.map((s, i) =>
          s.kind === "line" ? (
            <Line
              key={s.key}
              type="monotone"
              dataKey={s.key}
              name={s.label}
              stroke={s.color ?? palette[i % palette.length]}
              strokeWidth={1.5}
              strokeDasharray="4 3"
              dot={false}
              isAnimationActive={false}
            />
          ) : (
            <Area
              key={s.key}
              type="monotone"
              dataKey={s.key}
              name={s.label}
              stroke={s.color ?? palette[i % palette.length]}
              strokeWidth={2}
              fill={`url(#fill-${s.key})`}
              isAnimationActive={false}
            />
          ),
        )}
      </ComposedChart>
    </figure>
  );
}
