import { buttonClasses, Card, EmptyState } from "@mkt/ui";
import { SearchX } from "lucide-react";
import { getTranslations } from "next-intl/server";
import Link from "next/link";

export default async function NotFound() {
  const t = await getTranslations("common");
  return (
    <main className="grid min-h-dvh place-items-center px-4">
      <Card className="w-full max-w-md">
        <EmptyState
          icon={<SearchX />}
          title={t("notFoundTitle")}
          description={t("notFoundDescription")}
          action={
            <Link href="/dashboard" className={buttonClasses("secondary", "sm")}>
              {t("backToDashboard")}
            </Link>
          }
        />
      </Card>
    </main>
  );
}
