import { PageHeader, buttonClasses } from "@mkt/ui";
import { FileUp, Layers, Plus } from "lucide-react";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { Forbidden } from "@/components/forbidden";
import { SegmentList } from "@/components/segments/segment-list";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("segments.list");
  return { title: t("title") };
}

export default async function SegmentsPage() {
  const { user, allowed } = await pageAccess("segment:read");
  const t = await getTranslations("segments.list");
  const canWrite = user.permissions.includes("segment:write");
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          allowed && (
            <>
              <Link href="/segments/overlap" className={buttonClasses("secondary", "sm")}>
                <Layers className="size-4" aria-hidden="true" /> {t("overlap")}
              </Link>
              {canWrite && (
                <>
                  <Link href="/segments/import" className={buttonClasses("secondary", "sm")}>
                    <FileUp className="size-4" aria-hidden="true" /> {t("import")}
                  </Link>
                  <Link href="/segments/new" className={buttonClasses("primary", "sm")} data-testid="new-segment">
                    <Plus className="size-4" aria-hidden="true" /> {t("new")}
                  </Link>
                </>
              )}
            </>
          )
        }
      />
      {allowed ? <SegmentList /> : <Forbidden />}
    </>
  );
}
