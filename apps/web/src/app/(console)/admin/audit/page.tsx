import { PageHeader } from "@mkt/ui";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AuditLog } from "@/components/admin/audit-log";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("adminAudit");
  return { title: t("title") };
}

export default async function AuditPage() {
  const { allowed } = await pageAccess("audit:read");
  const t = await getTranslations("adminAudit");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {allowed ? <AuditLog /> : <Forbidden />}
    </>
  );
}
