import { cn } from "./cn";

export interface ProgressBarProps {
  value: number;
  max?: number;
  /** Accessible name, e.g. "导入进度". */
  label: string;
  /** Text next to the bar, e.g. "42%" or "1,200 / 3,000". */
  valueText?: string;
  tone?: "brand" | "success" | "warning" | "danger";
  className?: string;
}

const tones = { brand: "bg-brand-600", success: "bg-emerald-600", warning: "bg-amber-500", danger: "bg-red-600" };

export function ProgressBar({ value, max = 100, label, valueText, tone = "brand", className }: ProgressBarProps) {
  const pct = max > 0 ? Math.min(100, Math.max(0, (value / max) * 100)) : 0;
  return (
    <div className={cn("flex items-center gap-3", className)}>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={value}
        aria-valuetext={valueText}
        className="h-2 flex-1 overflow-hidden rounded-full bg-slate-200"
      >
        <div className={cn("h-full rounded-full transition-[width]", tones[tone])} style={{ width: `${pct}%` }} />
      </div>
      {valueText && <span className="text-xs text-slate-600 tabular-nums">{valueText}</span>}
    </div>
  );
}
