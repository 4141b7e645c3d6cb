import type { ReactNode } from "react";
import { CampaignHeader } from "@/components/campaigns/campaign-header";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/session";

/** One campaign: its header (status, actions, sub-pages) over the monitoring, design and review pages. */
export default async function CampaignLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  const { user, allowed } = await pageAccess("campaign:read");
  if (!allowed) return <Forbidden />;
  const { id } = await params;
  return (
    <>
      <CampaignHeader campaignId={id} permissions={user.permissions} />
      {children}
    </>
  );
}
