import { PageHeader } from "@mkt/ui";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { Forbidden } from "@/components/forbidden";
import { EditSegment } from "@/components/segments/edit-segment";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("segments.editor");
  return { title: t("editTitle") };
}

export default async function EditSegmentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { allowed } = await pageAccess("segment:write");
  const t = await getTranslations("segments.editor");
  return (
    <>
      <PageHeader eyebrow={<Link href={`/segments/${id}`}>{t("backToSegment")}</Link>} title={t("editTitle")} />
      {allowed ? <EditSegment segmentId={id} /> : <Forbidden />}
    </>
  );
}
