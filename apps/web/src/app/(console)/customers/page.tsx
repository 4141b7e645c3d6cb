import { PageHeader } from "@mkt/ui";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { CustomerSearch } from "@/components/customers/customer-search";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("customers");
  return { title: t("title") };
}

export default async function CustomersPage({ searchParams }: PageProps<"/customers">) {
  const { allowed } = await pageAccess("customer:read");
  const t = await getTranslations("customers");
  const { q } = await searchParams;
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {allowed ? <CustomerSearch initialQuery={typeof q === "string" ? q.slice(0, 50) : ""} /> : <Forbidden />}
    </>
  );
}
