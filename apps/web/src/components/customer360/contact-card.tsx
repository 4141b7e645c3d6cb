"use client";

import { Badge, Card, CardBody, CardHeader, cn } from "@mkt/ui";
import { BellOff, Check, Minus, X } from "lucide-react";
import { useTranslations } from "next-intl";
import { useEnumLabel } from "@/lib/use-enum-label";
import { useFormat } from "@/lib/use-localized";
import type { Customer360 } from "./types";

/** Do-not-disturb and complaint flags, then the consent grid (purpose × channel). */
export function ContactCard({ data }: { data: Customer360 }) {
  const t = useTranslations("customer360");
  const kind = useEnumLabel("restrictionKind");
  const channel = useEnumLabel("channel");
  const purpose = useEnumLabel("consentPurpose");
  const fmt = useFormat();
  const purposes = [...new Set(data.consents.map((c) => c.purpose))];
  const channels = [...new Set(data.consents.map((c) => c.channel))];
  const consent = (p: string, ch: string) => data.consents.find((c) => c.purpose === p && c.channel === ch);

  return (
    <Card data-testid="contact-card">
      <CardHeader title={t("flags")} icon={<BellOff className="size-4" aria-hidden="true" />} />
      <CardBody className="space-y-4">
        {data.restrictions.length === 0 ? (
          <p className="text-sm text-slate-500">{t("flagsNone")}</p>
        ) : (
          <ul className="space-y-2">
            {data.restrictions.map((r) => (
              <li key={r.id} className={cn("flex flex-wrap items-center gap-2 text-sm", !r.active && "opacity-60")}>
                <Badge tone={r.active ? (r.kind === "COMPLAINT" ? "danger" : "warning") : "neutral"}>{kind(r.kind)}</Badge>
                <span className="text-slate-700">{r.channel ? channel(r.channel) : t("flagAllChannels")}</span>
                <span className="text-xs text-slate-500">
                  {r.validTo ? t("flagUntil", { date: fmt.date(r.validTo) }) : t("flagOpenEnded")}
                  {!r.active && ` · ${t("flagInactive")}`}
                </span>
                {r.reason && <span className="w-full text-xs text-slate-500">{r.reason}</span>}
              </li>
            ))}
          </ul>
        )}

        <div className="border-t border-slate-100 pt-4">
          <h3 className="mb-2 text-sm font-semibold text-slate-900">{t("consents")}</h3>
          <table className="w-full text-sm" data-testid="consents-grid">
            <caption className="sr-only">{t("consentsCaption")}</caption>
            <thead>
              <tr className="text-xs text-slate-500">
                <th scope="col" className="py-1 text-left font-medium">
                  {t("channel")}
                </th>
                {purposes.map((p) => (
                  <th key={p} scope="col" className="py-1 text-center font-medium">
                    {purpose(p)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {channels.map((ch) => (
                <tr key={ch}>
                  <th scope="row" className="py-1.5 text-left font-normal text-slate-700">
                    {channel(ch)}
                  </th>
                  {purposes.map((p) => (
                    <td key={p} className="py-1.5 text-center">
                      <ConsentMark granted={consent(p, ch)?.granted ?? null} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="mt-2 flex flex-wrap gap-x-3 gap-y-1 text-[11px] text-slate-500" aria-hidden="true">
            <span className="inline-flex items-center gap-1"><Check className="size-3 text-emerald-700" />{t("consentGranted")}</span>
            <span className="inline-flex items-center gap-1"><X className="size-3 text-red-600" />{t("consentDenied")}</span>
            <span className="inline-flex items-center gap-1"><Minus className="size-3 text-slate-300" />{t("consentUnknown")}</span>
          </p>
        </div>
      </CardBody>
    </Card>
  );
}

function ConsentMark({ granted }: { granted: boolean | null }) {
  const t = useTranslations("customer360");
  if (granted === true)
    return (
      <span className="inline-flex items-center gap-1 text-emerald-700" title={t("consentGranted")}>
        <Check className="size-4" aria-hidden="true" />
        <span className="sr-only">{t("consentGranted")}</span>
      </span>
    );
  if (granted === false)
    return (
      <span className="inline-flex items-center gap-1 text-red-600" title={t("consentDenied")}>
        <X className="size-4" aria-hidden="true" />
        <span className="sr-only">{t("consentDenied")}</span>
      </span>
    );
  return (
    <span className="inline-flex items-center text-slate-300" title={t("consentUnknown")}>
      <Minus className="size-4" aria-hidden="true" />
      <span className="sr-only">{t("consentUnknown")}</span>
    </span>
  );
}
