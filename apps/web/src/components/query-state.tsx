"use client";

import { QueryState as BaseQueryState, type QueryStateLabels, type QueryStateProps } from "@mkt/ui";
import { useTranslations } from "next-intl";

/**
 * `@mkt/ui`'s QueryState (loading skeleton → error with retry → empty state → content) with the
 * console's common words; a list passes its own `labels` only where it words them differently.
 */
export function QueryState<T>({ labels, ...rest }: Omit<QueryStateProps<T>, "labels"> & { labels?: Partial<QueryStateLabels> }) {
  const t = useTranslations("common");
  return <BaseQueryState<T> {...rest} labels={{ loading: t("loading"), errorTitle: t("errorTitle"), errorDescription: t("errorDescription"), retry: t("retry"), ...labels }} />;
}
