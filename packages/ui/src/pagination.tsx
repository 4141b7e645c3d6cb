"use client";

import { useState } from "react";
import { Button } from "./button";
import { ChevronLeft, ChevronRight } from "./icons";

export interface PaginationLabels {
  previous: string;
  next: string;
  /** "Page x" / "page x of y" in the caller's locale. */
  status: string;
  /** The navigation landmark's name. */
  nav: string;
}

export interface PaginationProps {
  page: number;
  pageCount: number;
  onPage: (page: number) => void;
  labels: PaginationLabels;
  /** While the page asked for is still loading both buttons wait (a second click would page on from stale data). */
  busy?: boolean;
}

/** Previous / next with "page x of y" (the caller formats `status` in its locale). */
export function Pagination({ page, pageCount, onPage, labels, busy = false }: PaginationProps) {
  return (
    <nav aria-label={labels.nav} aria-busy={busy || undefined} className="flex items-center justify-between gap-3 px-4 py-3 sm:px-5">
      <Button variant="secondary" size="sm" onClick={() => onPage(page - 1)} disabled={busy || page <= 1} icon={<ChevronLeft />}>
        {labels.previous}
      </Button>
      <span className="text-xs text-slate-500 tabular-nums" aria-live="polite">
        {labels.status}
      </span>
      <Button variant="secondary" size="sm" onClick={() => onPage(page + 1)} disabled={busy || page >= pageCount}>
        {labels.next}
        <ChevronRight />
      </Button>
    </nav>
  );
}

/**
 * The pages of a keyset-paginated list seen so far, as the stack of cursors that start them
 * (`null` starts the first page): "next" pushes the shown page's next cursor, "previous" pops.
 */
export interface CursorPages<C> {
  /** 1-based number of the page shown. */
  page: number;
  /** The cursor to query the page shown with. */
  cursor: C | null;
  /** Go to page `page` (one forward needs the shown page's `nextCursor`). */
  go: (page: number, nextCursor: C | null) => void;
  /** Back to the first page (after the filters changed). */
  reset: () => void;
}

/** The cursor stack after going to `page` from the one on top of `cursors`. */
export function cursorStackTo<C>(cursors: readonly (C | null)[], page: number, nextCursor: C | null): (C | null)[] {
  if (page === cursors.length + 1) return nextCursor === null ? [...cursors] : [...cursors, nextCursor];
  if (page >= 1 && page <= cursors.length) return cursors.slice(0, page);
  return [...cursors];
}

export function useCursorPages<C>(): CursorPages<C> {
  const [cursors, setCursors] = useState<(C | null)[]>([null]);
  return {
    page: cursors.length,
    cursor: cursors[cursors.length - 1] ?? null,
    go: (page, nextCursor) => setCursors((current) => cursorStackTo(current, page, nextCursor)),
    reset: () => setCursors([null]),
  };
}

export interface CursorPaginationProps<C> {
  pages: CursorPages<C>;
  /** The shown page's cursor to the next one; null on the last page. */
  nextCursor: C | null;
  labels: Omit<PaginationLabels, "status"> & { status: (page: number) => string };
  /** The page asked for is loading (e.g. TanStack Query's `isPlaceholderData`). */
  busy?: boolean;
}

/**
 * The footer of a keyset-paginated list (page count unknown): previous / next under the rows with
 * "page x", above a divider; nothing while the list fits on one page.
 */
export function CursorPagination<C>({ pages, nextCursor, labels, busy }: CursorPaginationProps<C>) {
  const { page } = pages;
  if (page === 1 && nextCursor === null) return null;
  return (
    <div className="border-t border-slate-100">
      <Pagination
        page={page}
        pageCount={nextCursor === null ? page : page + 1}
        onPage={(p) => pages.go(p, nextCursor)}
        labels={{ ...labels, status: labels.status(page) }}
        busy={busy}
      />
    </div>
  );
}
