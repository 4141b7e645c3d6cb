import { PageHeader } from "@mkt/ui";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ApiKeyAdmin } from "@/components/admin/api-key-admin";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("adminApiKeys");
  return { title: t("title") };
}

export default async function ApiKeysPage() {
  const { allowed } = await pageAccess("apikey:manage");
  const t = await getTranslations("adminApiKeys");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {allowed ? <ApiKeyAdmin /> : <Forbidden />}
    </>
  );
}
