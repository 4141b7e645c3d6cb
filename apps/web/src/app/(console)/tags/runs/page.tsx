import { PageHeader } from "@mkt/ui";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Forbidden } from "@/components/forbidden";
import { RunHistory } from "@/components/tags/run-history";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("tags.runs");
  return { title: t("title") };
}

export default async function TagRunsPage() {
  const { user, allowed } = await pageAccess("tag:read");
  const t = await getTranslations("tags.runs");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {allowed ? <RunHistory canRun={user.permissions.includes("tag:run")} /> : <Forbidden />}
    </>
  );
}
