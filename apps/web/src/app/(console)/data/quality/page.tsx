import { PageHeader } from "@mkt/ui";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/session";
import { QualityReport } from "./quality-report";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("data.quality");
  return { title: t("title") };
}

export default async function QualityPage() {
  const { allowed } = await pageAccess("import:read");
  const t = await getTranslations("data.quality");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {allowed ? <QualityReport /> : <Forbidden />}
    </>
  );
}
