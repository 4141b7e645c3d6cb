import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ApprovalReview } from "@/components/campaigns/approval-review";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("campaigns.review");
  return { title: t("title") };
}

export default async function CampaignReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { allowed } = await pageAccess("campaign:approve");
  return <ApprovalReview campaignId={id} canApprove={allowed} />;
}
