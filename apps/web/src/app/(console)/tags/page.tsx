import { PageHeader, buttonClasses } from "@mkt/ui";
import { Plus } from "lucide-react";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { Forbidden } from "@/components/forbidden";
import { TagCatalogue } from "@/components/tags/tag-catalogue";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("tags.catalogue");
  return { title: t("title") };
}

export default async function TagCataloguePage() {
  const { user, allowed } = await pageAccess("tag:read");
  const t = await getTranslations("tags.catalogue");
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          allowed &&
          user.permissions.includes("tag:write") && (
            <Link href="/tags/new" className={buttonClasses("primary", "md")}>
              <Plus className="size-4" aria-hidden="true" />
              {t("create")}
            </Link>
          )
        }
      />
      {allowed ? <TagCatalogue /> : <Forbidden />}
    </>
  );
}
