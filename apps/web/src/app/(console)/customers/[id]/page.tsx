import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { Customer360View } from "@/components/customer360/customer-360-view";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("customer360");
  return { title: t("title") };
}

export default async function CustomerPage({ params }: PageProps<"/customers/[id]">) {
  const { user, allowed } = await pageAccess("customer:read");
  if (!allowed) return <Forbidden />;
  const { id } = await params;
  const customerId = Number(id);
  if (!Number.isSafeInteger(customerId) || customerId <= 0) notFound();
  return <Customer360View customerId={customerId} canUnmask={user.permissions.includes("customer:unmask")} />;
}
