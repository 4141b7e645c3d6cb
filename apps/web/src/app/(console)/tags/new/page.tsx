import { PageHeader } from "@mkt/ui";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { Forbidden } from "@/components/forbidden";
import { TagForm } from "@/components/tags/tag-form";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("tags.form");
  return { title: t("createTitle") };
}

export default async function NewTagPage() {
  const { allowed } = await pageAccess("tag:write");
  const t = await getTranslations("tags.form");
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/tags" className="hover:text-slate-700 hover:underline">
            ← {t("backToCatalogue")}
          </Link>
        }
        title={t("createTitle")}
        description={t("createDescription")}
      />
      {allowed ? <TagForm /> : <Forbidden />}
    </>
  );
}
