import { PageHeader } from "@mkt/ui";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/session";
import { DictionaryView } from "./dictionary-view";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("data.dictionary");
  return { title: t("title") };
}

export default async function DictionaryPage() {
  const { allowed } = await pageAccess("import:read");
  const t = await getTranslations("data.dictionary");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {allowed ? <DictionaryView /> : <Forbidden />}
    </>
  );
}
