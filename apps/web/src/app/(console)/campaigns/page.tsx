import { PageHeader, buttonClasses } from "@mkt/ui";
import { Plus } from "lucide-react";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { CampaignList } from "@/components/campaigns/campaign-list";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("campaigns.list");
  return { title: t("title") };
}

export default async function CampaignsPage() {
  const { user, allowed } = await pageAccess("campaign:read");
  const t = await getTranslations("campaigns.list");
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          allowed &&
          user.permissions.includes("campaign:write") && (
            <Link href="/campaigns/new" className={buttonClasses("primary", "md")} data-testid="campaign-new">
              <Plus className="size-4" />
              {t("new")}
            </Link>
          )
        }
      />
      {allowed ? <CampaignList /> : <Forbidden />}
    </>
  );
}
