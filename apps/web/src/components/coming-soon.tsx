import { Badge, Card, CardBody, PageHeader } from "@mkt/ui";
import { Hourglass } from "lucide-react";
import { getTranslations } from "next-intl/server";

export type ComingSoonArea = "segments" | "models" | "campaigns" | "benefits" | "leads" | "monitoring" | "approvals";

/** The honest placeholder for an area of the product that a later release builds. */
export async function ComingSoon({ area }: { area: ComingSoonArea }) {
  const t = await getTranslations("comingSoon");
  const points = t.raw(`${area}.points`) as string[];
  return (
    <>
      <PageHeader title={t(`${area}.title`)} description={t(`${area}.summary`)} actions={<Badge tone="warning">{t("badge")}</Badge>} />
      <Card data-testid="coming-soon">
        <CardBody className="flex flex-col gap-4 sm:flex-row sm:items-start sm:gap-6">
          <span className="grid size-12 shrink-0 place-items-center rounded-full bg-amber-50 text-amber-600">
            <Hourglass className="size-6" aria-hidden="true" />
          </span>
          <div className="min-w-0">
            <h2 className="text-base font-semibold text-slate-900">{t("heading")}</h2>
            <p className="mt-1 text-sm text-slate-600">{t("intro")}</p>
            <ul className="mt-3 list-disc space-y-1.5 pl-5 text-sm text-slate-700 marker:text-slate-400">
              {points.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        </CardBody>
      </Card>
    </>
  );
}

export async function comingSoonMetadata(area: ComingSoonArea) {
  const t = await getTranslations("comingSoon");
  return { title: t(`${area}.title`) };
}
