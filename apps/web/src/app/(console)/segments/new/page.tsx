import { PageHeader } from "@mkt/ui";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { Forbidden } from "@/components/forbidden";
import { SegmentEditor } from "@/components/segments/segment-editor";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("segments.editor");
  return { title: t("newTitle") };
}

export default async function NewSegmentPage() {
  const { allowed } = await pageAccess("segment:write");
  const t = await getTranslations("segments.editor");
  return (
    <>
      <PageHeader eyebrow={<Link href="/segments">{t("back")}</Link>} title={t("newTitle")} description={t("newDescription")} />
      {allowed ? <SegmentEditor /> : <Forbidden />}
    </>
  );
}
