import { PageHeader } from "@mkt/ui";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/session";
import { ImportList } from "./import-list";
import { ImportUpload } from "./import-upload";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("data.imports");
  return { title: t("title") };
}

export default async function ImportsPage() {
  const { user, allowed } = await pageAccess("import:read");
  const t = await getTranslations("data.imports");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {allowed ? (
        <div className="space-y-5">
          {user.permissions.includes("import:write") && <ImportUpload />}
          <ImportList />
        </div>
      ) : (
        <Forbidden />
      )}
    </>
  );
}
