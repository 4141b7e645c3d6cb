import { PageHeader } from "@mkt/ui";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/session";
import { BatchDetail } from "./batch-detail";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("data.batch");
  return { title: t("title") };
}

export default async function BatchPage({ params }: { params: Promise<{ batchId: string }> }) {
  const { allowed } = await pageAccess("import:read");
  const { batchId } = await params;
  const t = await getTranslations("data.batch");
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/data/imports" className="hover:text-slate-700 hover:underline">
            ← {t("back")}
          </Link>
        }
        title={t("title")}
        description={t("allOrNothing")}
      />
      {allowed ? <BatchDetail batchId={batchId} /> : <Forbidden />}
    </>
  );
}
