import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { CampaignEditor } from "@/components/campaigns/campaign-editor";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("campaigns.editor");
  return { title: t("title") };
}

export default async function CampaignEditPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { allowed } = await pageAccess("campaign:write");
  return (
    <Suspense>
      <CampaignEditor campaignId={id} canWrite={allowed} />
    </Suspense>
  );
}
