import { PageHeader } from "@mkt/ui";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LeadList } from "@/components/campaigns/lead-list";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("campaigns.leads");
  return { title: t("title") };
}

export default async function LeadsPage() {
  const { allowed } = await pageAccess("lead:read");
  const t = await getTranslations("campaigns.leads");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {allowed ? <LeadList /> : <Forbidden />}
    </>
  );
}
