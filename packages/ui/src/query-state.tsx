import type { ReactNode } from "react";
import { ErrorState } from "./error-state";
import { SkeletonRows } from "./skeleton";

/** What QueryState reads of a query (TanStack Query's result fits). */
export interface QueryLike<T> {
  isPending: boolean;
  isError: boolean;
  data: T | undefined;
  error?: unknown;
  refetch?: () => unknown;
}

/** The words QueryState shows; the caller's messages supply them (this package has no i18n). */
export interface QueryStateLabels {
  /** Announced to screen readers while loading. */
  loading: string;
  errorTitle: ReactNode;
  errorDescription?: ReactNode;
  /** The retry button's label; without it (or with `retry={false}`) there is no button. */
  retry?: ReactNode;
}

export interface QueryStateProps<T> {
  query: QueryLike<T>;
  labels: QueryStateLabels;
  /** Placeholder rows while loading (5). */
  skeletonRows?: number;
  /** Shown instead of the skeleton rows while loading. */
  loading?: ReactNode;
  /** Whether the loaded data has nothing to show; `empty` is shown then. */
  isEmpty?: (data: T) => boolean;
  /** The empty state: a node, or made from the loaded data (e.g. its own message). */
  empty?: ReactNode | ((data: T) => ReactNode);
  /** A description of the error better than the generic one (e.g. the server's problem), or undefined. */
  describeError?: (error: unknown) => ReactNode | undefined;
  /** Offer a retry button (refetches the query); true by default. */
  retry?: boolean;
  /**
   * What a failed query shows, given its error and the generic error state: e.g. a not-found empty
   * state for a detail that does not exist, or the error state inside the page's frame.
   */
  renderError?: (error: unknown, errorState: ReactNode) => ReactNode;
  /** The content, for loaded data that is not empty. */
  children: (data: T) => ReactNode;
}

/**
 * The one switch every console list makes over its query: loading skeleton → error with retry →
 * empty state → content. The content renders only with loaded data (`children(data)`), and a
 * refetch that fails after data was shown keeps showing the error, never stale rows as if fresh.
 */
export function QueryState<T>({ query, labels, skeletonRows = 5, loading, isEmpty, empty, describeError, retry = true, renderError, children }: QueryStateProps<T>) {
  if (query.isPending) return loading ?? <SkeletonRows rows={skeletonRows} label={labels.loading} />;
  if (query.isError || query.data === undefined) {
    const refetch = query.refetch;
    const errorState = (
      <ErrorState
        title={labels.errorTitle}
        description={(describeError && query.error !== undefined ? describeError(query.error) : undefined) ?? labels.errorDescription}
        retry={retry && refetch && labels.retry ? { label: labels.retry, onRetry: () => void refetch() } : undefined}
      />
    );
    return renderError ? renderError(query.error, errorState) : errorState;
  }
  if (isEmpty?.(query.data) && empty !== undefined) return typeof empty === "function" ? empty(query.data) : empty;
  return children(query.data);
}

/** A query's data once loaded (TanStack Query's result is a union of states, some without data). */
type DataOf<Q> = Q extends { data: infer T } ? Exclude<T, undefined> : never;

/**
 * Several queries as one for QueryState (a page that needs them all): failed as soon as one has
 * failed (with its error; retry refetches the failed ones), else pending while one is, and its
 * data the tuple of theirs once every one has it.
 */
export function combineQueries<const Q extends readonly QueryLike<unknown>[]>(...queries: Q): QueryLike<{ -readonly [K in keyof Q]: DataOf<Q[K]> }> {
  const failed = queries.filter((q) => q.isError);
  const complete = queries.every((q) => q.data !== undefined);
  return {
    isError: failed.length > 0,
    isPending: failed.length === 0 && queries.some((q) => q.isPending),
    data: complete ? (queries.map((q) => q.data) as { -readonly [K in keyof Q]: DataOf<Q[K]> }) : undefined,
    error: failed[0]?.error,
    refetch: () => failed.forEach((q) => q.refetch?.()),
  };
}
