import { buttonClasses, Card, EmptyState } from "@mkt/ui";
import { ShieldOff } from "lucide-react";
import { getTranslations } from "next-intl/server";
import Link from "next/link";

/** Shown in place of a page whose permission the user's role lacks (the API refuses it too). */
export async function Forbidden() {
  const t = await getTranslations("common");
  return (
    <Card>
      <EmptyState
        icon={<ShieldOff />}
        title={t("forbiddenTitle")}
        description={t("forbiddenDescription")}
        action={
          <Link href="/dashboard" className={buttonClasses("secondary", "sm")}>
            {t("backToDashboard")}
          </Link>
        }
      />
    </Card>
  );
}
