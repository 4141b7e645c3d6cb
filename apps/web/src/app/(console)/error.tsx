"use client";

import { Card, ErrorState } from "@mkt/ui";
import { useTranslations } from "next-intl";

/** A page that failed to render keeps the shell and offers a retry. */
export default function ConsoleError({ reset }: { error: Error; reset: () => void }) {
  const t = useTranslations("common");
  return (
    <Card>
      <ErrorState title={t("errorTitle")} description={t("errorDescription")} retry={{ label: t("retry"), onRetry: reset }} />
    </Card>
  );
}
