import { PageHeader } from "@mkt/ui";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/session";
import { ExportsList } from "./exports-list";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("exports.list");
  return { title: t("title") };
}

export default async function SegmentExportsPage() {
  const { user, allowed } = await pageAccess("export:read");
  const t = await getTranslations("exports.list");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {allowed ? <ExportsList canApprove={user.permissions.includes("export:approve")} /> : <Forbidden />}
    </>
  );
}
