import { PageHeader } from "@mkt/ui";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { OrgTree } from "@/components/admin/org-tree";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("adminOrg");
  return { title: t("title") };
}

export default async function OrgPage() {
  const { user, allowed } = await pageAccess("org:read");
  const t = await getTranslations("adminOrg");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {allowed ? <OrgTree canManage={user.permissions.includes("org:manage")} /> : <Forbidden />}
    </>
  );
}
