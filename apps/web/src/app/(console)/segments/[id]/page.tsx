import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Forbidden } from "@/components/forbidden";
import { ExportDialog } from "@/components/segments/export-dialog";
import { SegmentDetail } from "@/components/segments/segment-detail";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("segments.detail");
  return { title: t("title") };
}

export default async function SegmentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { user, allowed } = await pageAccess("segment:read");
  if (!allowed) return <Forbidden />;
  return (
    <SegmentDetail
      segmentId={id}
      canWrite={user.permissions.includes("segment:write")}
      exportAction={user.permissions.includes("export:write") ? <ExportDialog segmentId={id} /> : undefined}
    />
  );
}
