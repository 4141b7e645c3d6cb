import { PageHeader } from "@mkt/ui";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/session";
import { MergeList } from "./merge-list";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("data.identity");
  return { title: t("title") };
}

export default async function IdentityPage() {
  const { user, allowed } = await pageAccess("import:read");
  const t = await getTranslations("data.identity");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {allowed ? <MergeList canSplit={user.permissions.includes("identity:manage")} /> : <Forbidden />}
    </>
  );
}
