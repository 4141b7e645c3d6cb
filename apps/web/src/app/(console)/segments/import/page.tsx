import { PageHeader } from "@mkt/ui";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { Forbidden } from "@/components/forbidden";
import { ImportForm } from "@/components/segments/import-form";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("segments.import");
  return { title: t("pageTitle") };
}

export default async function ImportPage() {
  const { allowed } = await pageAccess("segment:write");
  const t = await getTranslations("segments.import");
  const tList = await getTranslations("segments.editor");
  return (
    <>
      <PageHeader eyebrow={<Link href="/segments">{tList("back")}</Link>} title={t("pageTitle")} description={t("pageDescription")} />
      {allowed ? <ImportForm /> : <Forbidden />}
    </>
  );
}
