import { cn } from "./cn";

/** A grey placeholder block; hidden from assistive technology (the caller announces loading). */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden="true" className={cn("animate-pulse rounded bg-slate-200/80", className)} />;
}

/** Placeholder rows for a table or list while it loads. `label` is announced to screen readers. */
export function SkeletonRows({ rows = 5, label, className }: { rows?: number; label: string; className?: string }) {
  return (
    <div role="status" aria-live="polite" className={cn("space-y-3 px-4 py-4 sm:px-5", className)}>
      <span className="sr-only">{label}</span>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex items-center gap-4">
          <Skeleton className="h-4 w-1/4" />
          <Skeleton className="h-4 w-1/3" />
          <Skeleton className="h-4 flex-1" />
        </div>
      ))}
    </div>
  );
}
