import { Button } from "./button";
import { ChevronLeft, ChevronRight } from "./icons";

export interface PaginationProps {
  page: number;
  pageCount: number;
  onPage: (page: number) => void;
  labels: { previous: string; next: string; status: string; nav: string };
}

/** Previous / next with "page x of y" (the caller formats `status` in its locale). */
export function Pagination({ page, pageCount, onPage, labels }: PaginationProps) {
  return (
    <nav aria-label={labels.nav} className="flex items-center justify-between gap-3 px-4 py-3 sm:px-5">
      <Button variant="secondary" size="sm" onClick={() => onPage(page - 1)} disabled={page <= 1} icon={<ChevronLeft />}>
        {labels.previous}
      </Button>
      <span className="text-xs text-slate-500 tabular-nums" aria-live="polite">
        {labels.status}
      </span>
      <Button variant="secondary" size="sm" onClick={() => onPage(page + 1)} disabled={page >= pageCount}>
        {labels.next}
        <ChevronRight />
      </Button>
    </nav>
  );
}
