import { Badge, Card, CardBody, CardHeader, cn, DescriptionList, focusRing, PageHeader } from "@mkt/ui";
import { ChevronRight, Lock, MapPinned } from "lucide-react";
import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import Link from "next/link";
import { visibleAreas } from "@/components/shell/nav-items";
import { pageAccess } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("dashboard");
  return { title: t("title") };
}

/**
 * A plain start page: who you are, which customers you can see, and where to go. Business
 * figures arrive with the monitoring issue; nothing here is invented.
 */
export default async function DashboardPage() {
  const { user } = await pageAccess("self");
  const t = await getTranslations("dashboard");
  const tNav = await getTranslations("nav");
  const tRole = await getTranslations("enums.role");
  const locale = await getLocale();
  const org = locale === "en" ? user.orgUnit.nameEn : user.orgUnit.name;
  const scope =
    user.role === "RM" ? t("scopeRm", { org }) : user.orgUnit.level === "HEAD_OFFICE" ? t("scopeHeadOffice") : t("scopeSubtree", { org });
  const links = visibleAreas(user.permissions).filter((a) => a.key !== "dashboard");

  return (
    <>
      <PageHeader title={t("welcome", { name: user.name })} description={t("intro")} />
      <div className="grid items-start gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-1" data-testid="scope-card">
          <CardHeader title={t("scopeTitle")} icon={<MapPinned className="size-4" aria-hidden="true" />} />
          <CardBody className="space-y-4">
            <p className="text-sm text-slate-800" data-testid="scope-text">
              {scope}
            </p>
            <DescriptionList
              items={[
                { key: "role", label: t("role"), value: tRole(user.role) },
                { key: "org", label: t("org"), value: org },
              ]}
            />
            <p className="flex gap-2 rounded-md bg-slate-50 px-3 py-2 text-xs leading-relaxed text-slate-600">
              <Lock className="mt-0.5 size-3.5 shrink-0 text-slate-400" aria-hidden="true" />
              {t("maskingNote")}
            </p>
          </CardBody>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader title={t("quickLinks")} description={t("loop")} />
          <ul className="grid sm:grid-cols-2">
            {links.map((area) => (
              <li key={area.key} className="border-b border-slate-100 sm:odd:border-r">
                <Link href={area.href} className={cn("flex h-full items-center gap-3 px-4 py-3 hover:bg-slate-50 sm:px-5", focusRing)}>
                  <span className={cn("grid size-9 shrink-0 place-items-center rounded-md", area.planned ? "bg-slate-100 text-slate-400" : "bg-brand-50 text-brand-600")}>
                    <area.icon className="size-[18px]" aria-hidden="true" />
                  </span>
                  <span className="min-w-0 flex-1">
                    <span className="flex items-center gap-2 text-sm font-medium text-slate-900">
                      {tNav(area.key)}
                      {area.planned && <Badge tone="neutral">{t("comingSoon")}</Badge>}
                    </span>
                    <span className="line-clamp-2 block text-xs text-slate-500">{t(`link.${area.key}`)}</span>
                  </span>
                  <ChevronRight className="size-4 shrink-0 text-slate-300" aria-hidden="true" />
                </Link>
              </li>
            ))}
          </ul>
        </Card>
      </div>
    </>
  );
}
