import { PageHeader } from "@mkt/ui";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { Forbidden } from "@/components/forbidden";
import { OverlapView } from "@/components/segments/overlap-view";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("segments.overlap");
  return { title: t("title") };
}

export default async function OverlapPage() {
  const { allowed } = await pageAccess("segment:read");
  const t = await getTranslations("segments.overlap");
  const tList = await getTranslations("segments.editor");
  return (
    <>
      <PageHeader eyebrow={<Link href="/segments">{tList("back")}</Link>} title={t("title")} description={t("description")} />
      {allowed ? <OverlapView /> : <Forbidden />}
    </>
  );
}
