"use client";

import { Pagination } from "@mkt/ui";
import { useTranslations } from "next-intl";

/** Previous / "page x of y" / next under a paged list; nothing when everything fits on one page. */
export function ListPagination({ page, pageCount, onPage }: { page: number; pageCount: number; onPage: (page: number) => void }) {
  const t = useTranslations("common");
  if (pageCount <= 1) return null;
  return (
    <Pagination
      page={page}
      pageCount={pageCount}
      onPage={onPage}
      labels={{ previous: t("previous"), next: t("next"), status: t("pageOf", { page, pageCount }), nav: t("pagination") }}
    />
  );
}
