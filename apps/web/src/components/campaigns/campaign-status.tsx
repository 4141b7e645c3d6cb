"use client";

import { Badge, type BadgeTone } from "@mkt/ui";
import { useTranslations } from "next-intl";

export const CAMPAIGN_STATUSES = ["DRAFT", "PENDING_APPROVAL", "APPROVED", "RUNNING", "PAUSED", "COMPLETED", "CANCELLED", "REJECTED"] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Statuses whose figures move: the console polls while a campaign is in one. */
export const LIVE: readonly string[] = ["RUNNING", "PAUSED"];

const tone: Record<CampaignStatus, BadgeTone> = {
  DRAFT: "neutral",
  PENDING_APPROVAL: "warning",
  APPROVED: "info",
  RUNNING: "brand",
  PAUSED: "warning",
  COMPLETED: "success",
  CANCELLED: "neutral",
  REJECTED: "danger",
};

export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  const t = useTranslations("campaigns.status");
  return (
    <Badge tone={tone[status]}>
      <span data-testid="campaign-status">{t(status)}</span>
    </Badge>
  );
}
