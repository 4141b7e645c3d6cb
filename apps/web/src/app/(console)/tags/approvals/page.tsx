import { PageHeader } from "@mkt/ui";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Forbidden } from "@/components/forbidden";
import { ApprovalInbox } from "@/components/tags/approval-inbox";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("tags.approvals");
  return { title: t("title") };
}

export default async function TagApprovalsPage() {
  const { allowed } = await pageAccess("tag:approve");
  const t = await getTranslations("tags.approvals");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {allowed ? <ApprovalInbox /> : <Forbidden />}
    </>
  );
}
