import type { ReactNode } from "react";
import { Button } from "./button";
import { cn } from "./cn";

export interface ErrorStateProps {
  title: ReactNode;
  description?: ReactNode;
  /** Shown as a button when given; the label comes from the caller's messages. */
  retry?: { label: ReactNode; onRetry: () => void };
  icon?: ReactNode;
  className?: string;
}

export function ErrorState({ title, description, retry, icon, className }: ErrorStateProps) {
  return (
    <div role="alert" className={cn("flex flex-col items-center justify-center gap-2 px-6 py-10 text-center", className)}>
      {icon && <div className="mb-1 text-red-400 [&_svg]:size-9">{icon}</div>}
      <p className="text-sm font-medium text-red-700">{title}</p>
      {description && <p className="max-w-md text-sm text-slate-500">{description}</p>}
      {retry && (
        <Button variant="secondary" size="sm" className="mt-2" onClick={retry.onRetry}>
          {retry.label}
        </Button>
      )}
    </div>
  );
}
