import { PageHeader } from "@mkt/ui";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { CampaignForm } from "@/components/campaigns/campaign-form";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("campaigns.form");
  return { title: t("newTitle") };
}

export default async function NewCampaignPage() {
  const { allowed } = await pageAccess("campaign:write");
  const t = await getTranslations("campaigns.form");
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/campaigns" className="hover:underline">
            {t("back")}
          </Link>
        }
        title={t("newTitle")}
        description={t("newDescription")}
      />
      {allowed ? <CampaignForm /> : <Forbidden />}
    </>
  );
}
