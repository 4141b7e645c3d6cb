import type { ReactNode } from "react";
import { cn } from "./cn";

export interface DescriptionItem {
  label: ReactNode;
  value: ReactNode;
  key?: string;
}

/** Label/value pairs: two columns on wide screens, stacked on phones. */
export function DescriptionList({ items, className }: { items: DescriptionItem[]; className?: string }) {
  return (
    <dl className={cn("grid grid-cols-1 gap-x-6 gap-y-3 sm:grid-cols-2", className)}>
      {items.map((item, i) => (
        <div key={item.key ?? i} className="min-w-0">
          <dt className="text-xs text-slate-500">{item.label}</dt>
          <dd className="mt-0.5 text-sm break-words text-slate-900">{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
