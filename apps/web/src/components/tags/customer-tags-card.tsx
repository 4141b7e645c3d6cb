"use client";

import { Badge, Card, CardBody, CardHeader, EmptyState } from "@mkt/ui";
import { useQuery } from "@tanstack/react-query";
import { Tags } from "lucide-react";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { QueryState } from "@/components/query-state";

type Value = RouterOutputs["tag"]["customerValues"][number];
const THEMES = ["VALUE", "ASSET", "PRODUCT", "TRANSACTION", "RISK", "LIABILITY", "NATURAL"];

/**
 * A customer's current tags on the 360° page, by theme: yes/no tags that are true as chips, the
 * others as "name: value" (zeros left out). Values come from the current run, real-time ones marked.
 */
export function CustomerTagsCard({ customerId }: { customerId: number }) {
  const t = useTranslations("tags.customer");
  const locale = useLocale();
  const format = useFormatter();
  const trpc = useTRPC();
  const values = useQuery(trpc.tag.customerValues.queryOptions({ customerId }));
  const name = (v: Value) => (locale === "en" ? v.nameEn : v.name);
  const text = (v: Value): string => {
    if (v.display) return locale === "en" ? v.display.en : v.display.zh;
    if (typeof v.value === "number" && v.valueType === "NUMBER") return `${format.number(v.value, { maximumFractionDigits: 2 })}${v.unit ? ` ${v.unit}` : ""}`;
    return String(v.label ?? v.value);
  };

  const body = (
    <QueryState query={values} skeletonRows={3} isEmpty={(data) => data.length === 0} empty={<EmptyState icon={<Tags />} title={t("empty")} />}>
      {(data) => (
        <CardBody className="space-y-3">
          {THEMES.map((theme) => {
            // "No" and zero say little on a profile: the tag page lists every value.
            const shown = data.filter((v) => v.theme === theme && v.value !== false && !(v.valueType === "NUMBER" && v.value === 0));
            if (!shown.length) return null;
            return (
              <div key={theme} className="grid gap-1.5 sm:grid-cols-[6rem_1fr]">
                <h3 className="text-xs font-medium text-slate-500 sm:pt-1">{t(`theme.${theme}`)}</h3>
                <ul className="flex flex-wrap gap-1.5">
                  {shown.map((v) => (
                    <li key={v.code}>
                      <Link href={`/tags/${v.code}`} className="inline-flex items-center gap-1 rounded-md bg-slate-100 px-2 py-0.5 text-xs text-slate-700 hover:bg-brand-50 hover:text-brand-800">
                        {v.value === true ? name(v) : `${name(v)}：${text(v)}`}
                        {v.realtime && <Badge tone="warning">{t("realtime")}</Badge>}
                      </Link>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </CardBody>
      )}
    </QueryState>
  );
  return (
    <Card data-testid="customer-tags">
      <CardHeader title={t("title")} description={t("description")} icon={<Tags className="size-4" aria-hidden="true" />} />
      {body}
    </Card>
  );
}
