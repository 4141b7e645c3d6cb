"use client";

import { Badge, Button, Card, CardBody, CardHeader, DescriptionList } from "@mkt/ui";
import { Eye, EyeOff, Lock, UserRound } from "lucide-react";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { useEnumLabel } from "@/lib/use-enum-label";
import { useFormat, useLocalizedName } from "@/lib/use-localized";
import type { Customer360, Revealed } from "./types";

interface Props {
  data: Customer360;
  revealed: Revealed | null;
  canUnmask: boolean;
  onUnmask: () => void;
  onHide: () => void;
}

/** Masked personal fields; with customer:unmask, a "reveal" action (reason asked, audited). */
export function ProfileCard({ data, revealed, canUnmask, onUnmask, onHide }: Props) {
  const t = useTranslations("customer360");
  const gender = useEnumLabel("gender");
  const certType = useEnumLabel("certType");
  const customerType = useEnumLabel("customerType");
  const orgName = useLocalizedName();
  const fmt = useFormat();
  const p = data.profile;

  const pii = (masked: string | null, clear: string | null | undefined, testId: string): ReactNode => {
    if (clear !== undefined) {
      return (
        <span className="font-mono break-all text-amber-800" data-testid={`${testId}-clear`}>
          {clear ?? "—"}
        </span>
      );
    }
    if (!masked) return "—";
    return (
      <span className="inline-flex items-center gap-1 font-mono break-all" data-testid={`${testId}-masked`}>
        {masked}
        <Lock className="size-3 text-slate-400" aria-label={t("masked")} />
      </span>
    );
  };

  return (
    <Card data-testid="profile-card">
      <CardHeader
        title={t("profile")}
        icon={<UserRound className="size-4" aria-hidden="true" />}
        actions={
          canUnmask &&
          (revealed ? (
            <Button variant="ghost" size="sm" onClick={onHide} icon={<EyeOff className="size-4" aria-hidden="true" />}>
              {t("hideClear")}
            </Button>
          ) : (
            <Button variant="secondary" size="sm" onClick={onUnmask} icon={<Eye className="size-4" aria-hidden="true" />}>
              {t("unmask")}
            </Button>
          ))
        }
      />
      <CardBody>
        {revealed && (
          <p role="status" className="mb-3 rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-800">
            <Badge tone="warning" className="mr-1.5">
              {t("unmasked")}
            </Badge>
            {t("unmaskDone")}
          </p>
        )}
        <DescriptionList
          items={[
            { key: "name", label: t("field.name"), value: pii(p.name, revealed?.name, "name") },
            { key: "customerNo", label: t("field.customerNo"), value: <span className="font-mono">{p.customerNo}</span> },
            { key: "phone", label: t("field.phone"), value: pii(p.phone, revealed?.phone, "phone") },
            {
              key: "cert",
              label: t("field.cert"),
              value: (
                <span className="flex flex-col">
                  <span className="text-xs text-slate-500">{certType(p.certType)}</span>
                  {pii(p.certNo, revealed?.certNo, "cert")}
                </span>
              ),
            },
            { key: "email", label: t("field.email"), value: pii(p.email, revealed?.email, "email") },
            {
              key: "gender",
              label: `${t("field.gender")} / ${t("field.age")}`,
              value: `${gender(p.gender)}${p.age != null ? ` · ${t("field.ageValue", { age: p.age })}` : ""}`,
            },
            { key: "region", label: t("field.region"), value: [...new Set([p.province, p.city].filter(Boolean))].join(" ") || "—" },
            { key: "occupation", label: t("field.occupation"), value: p.occupation ?? "—" },
            { key: "type", label: t("field.type"), value: customerType(p.type) },
            { key: "openedAt", label: t("field.openedAt"), value: fmt.date(p.openedAt) },
            { key: "org", label: t("field.org"), value: orgName(data.orgUnit) },
          ]}
        />
      </CardBody>
    </Card>
  );
}
