"use client";

import { CursorPagination as BaseCursorPagination, type CursorPaginationProps } from "@mkt/ui";
import { useTranslations } from "next-intl";

/** `@mkt/ui`'s keyset-list footer (previous / "page x" / next) with the console's common words. */
export function CursorPagination<C>(props: Omit<CursorPaginationProps<C>, "labels">) {
  const t = useTranslations("common");
  return (
    <BaseCursorPagination<C>
      {...props}
      labels={{ previous: t("previous"), next: t("next"), status: (page) => t("pageStatus", { page }), nav: t("pagination") }}
    />
  );
}
