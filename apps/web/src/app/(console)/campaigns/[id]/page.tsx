import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { CampaignMonitor } from "@/components/campaigns/campaign-monitor";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("campaigns.monitor");
  return { title: t("title") };
}

export default async function CampaignPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <CampaignMonitor campaignId={id} />;
}
