import { PageHeader } from "@mkt/ui";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { Forbidden } from "@/components/forbidden";
import { TagForm } from "@/components/tags/tag-form";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("tags.form");
  return { title: t("editTitle") };
}

export default async function EditTagPage({ params }: { params: Promise<{ code: string }> }) {
  const { allowed } = await pageAccess("tag:write");
  const code = decodeURIComponent((await params).code);
  const t = await getTranslations("tags.form");
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href={`/tags/${code}`} className="hover:text-slate-700 hover:underline">
            ← {code}
          </Link>
        }
        title={t("editTitle")}
        description={t("editDescription")}
      />
      {allowed ? <TagForm code={code} /> : <Forbidden />}
    </>
  );
}
