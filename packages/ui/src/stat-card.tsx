import type { ReactNode } from "react";
import { Card } from "./card";

export interface StatCardProps {
  label: ReactNode;
  value: ReactNode;
  hint?: ReactNode;
  icon?: ReactNode;
}

export function StatCard({ label, value, hint, icon }: StatCardProps) {
  return (
    <Card className="px-3.5 py-3 sm:px-5 sm:py-4">
      <div className="flex items-start justify-between gap-3">
        <p className="text-sm text-slate-500">{label}</p>
        {icon && <span className="text-brand-500 [&_svg]:size-5">{icon}</span>}
      </div>
      <p className="mt-1.5 truncate text-lg font-semibold text-slate-900 tabular-nums sm:mt-2 sm:text-2xl">{value}</p>
      {hint && <p className="mt-1 text-xs text-slate-500">{hint}</p>}
    </Card>
  );
}
