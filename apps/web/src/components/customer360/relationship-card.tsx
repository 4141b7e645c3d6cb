"use client";

import { Badge, Card, CardBody, CardHeader, DescriptionList } from "@mkt/ui";
import { ShieldAlert, UserCheck } from "lucide-react";
import { useTranslations } from "next-intl";
import { RiskBadge } from "@/components/customers/badges";
import { useEnumLabel } from "@/lib/use-enum-label";
import { useFormat } from "@/lib/use-localized";
import type { Customer360 } from "./types";

/** The assigned RM and the risk-tolerance assessment (with its expiry: an expired one blocks risk products). */
export function RelationshipCard({ data }: { data: Customer360 }) {
  const t = useTranslations("customer360");
  const channel = useEnumLabel("riskChannel");
  const fmt = useFormat();
  const { rm, risk } = data;
  return (
    <Card data-testid="risk-card">
      <CardHeader title={t("rm")} icon={<UserCheck className="size-4" aria-hidden="true" />} />
      <CardBody className="space-y-4">
        {rm ? (
          <div className="flex items-center gap-3">
            <span aria-hidden="true" className="grid size-9 place-items-center rounded-full bg-brand-100 text-sm font-medium text-brand-800">
              {Array.from(rm.name)[0]}
            </span>
            <div>
              <div className="text-sm font-medium text-slate-900">{rm.name}</div>
              {rm.employeeNo && <div className="text-xs text-slate-500">{t("employeeNo", { no: rm.employeeNo })}</div>}
            </div>
          </div>
        ) : (
          <p className="text-sm text-slate-500">{t("rmNone")}</p>
        )}
        <div className="border-t border-slate-100 pt-4">
          <h3 className="mb-2 flex items-center gap-2 text-sm font-semibold text-slate-900">
            <ShieldAlert className="size-4 text-slate-400" aria-hidden="true" />
            {t("risk")}
          </h3>
          {risk ? (
            <>
              <div className="mb-3 flex flex-wrap items-center gap-2">
                <RiskBadge level={risk.level} />
                {risk.expired && (
                  <Badge tone="danger" className="font-semibold">
                    {t("riskExpired")}
                  </Badge>
                )}
              </div>
              {risk.expired && <p className="mb-3 text-xs text-red-700">{t("riskExpiredHint")}</p>}
              <DescriptionList
                items={[
                  { key: "assessed", label: t("riskAssessedAt"), value: fmt.date(risk.assessedAt) },
                  {
                    key: "expires",
                    label: t("riskExpiresAt"),
                    value: <span className={risk.expired ? "font-medium text-red-700" : undefined}>{fmt.date(risk.expiresAt)}</span>,
                  },
                  { key: "channel", label: t("riskChannel"), value: channel(risk.channel) },
                ]}
              />
            </>
          ) : (
            <p className="text-sm text-slate-500">{t("riskNone")}</p>
          )}
        </div>
      </CardBody>
    </Card>
  );
}
