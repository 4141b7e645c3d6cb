"use client";

import { QueryState as BaseQueryState, type QueryStateLabels, type QueryStateProps } from "@mkt/ui";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { apiErrorCode } from "@/lib/api-error";

/**
 * `@mkt/ui`'s QueryState (loading skeleton → error with retry → empty state → content) with the
 * console's common words; a list passes its own `labels` only where it words them differently.
 * A detail passes `notFound`: shown instead of the error when the API answers NOT_FOUND.
 */
export function QueryState<T>({
  labels,
  notFound,
  renderError,
  ...rest
}: Omit<QueryStateProps<T>, "labels"> & { labels?: Partial<QueryStateLabels>; notFound?: ReactNode }) {
  const t = useTranslations("common");
  return (
    <BaseQueryState<T>
      {...rest}
      labels={{ loading: t("loading"), errorTitle: t("errorTitle"), errorDescription: t("errorDescription"), retry: t("retry"), ...labels }}
      renderError={
        notFound === undefined
          ? renderError
          : (error, errorState) => (apiErrorCode(error) === "NOT_FOUND" ? notFound : renderError ? renderError(error, errorState) : errorState)
      }
    />
  );
}
