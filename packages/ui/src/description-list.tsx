import type { ReactNode } from "react";
import { cn } from "./cn";

export interface DescriptionItem {
  label: ReactNode;
  value: ReactNode;
  key?: string;
}

/** Label/value pairs in two columns (one with `single`), compact enough for a phone. */
export function DescriptionList({ items, className, single }: { items: DescriptionItem[]; className?: string; single?: boolean }) {
  return (
    <dl className={cn("grid gap-x-4 gap-y-3", single ? "grid-cols-1" : "grid-cols-2", className)}>
      {items.map((item, i) => (
        <div key={item.key ?? i} className="min-w-0">
          <dt className="text-xs text-slate-500">{item.label}</dt>
          <dd className="mt-0.5 text-sm break-words text-slate-900">{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
