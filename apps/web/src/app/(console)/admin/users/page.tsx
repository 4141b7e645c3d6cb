import { PageHeader } from "@mkt/ui";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { UserAdmin } from "@/components/admin/user-admin";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("adminUsers");
  return { title: t("title") };
}

export default async function UsersPage() {
  const { user, allowed } = await pageAccess("user:read");
  const t = await getTranslations("adminUsers");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {allowed ? <UserAdmin canManage={user.permissions.includes("user:manage")} /> : <Forbidden />}
    </>
  );
}
