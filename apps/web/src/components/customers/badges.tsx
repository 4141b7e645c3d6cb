"use client";

import { Badge, type BadgeTone } from "@mkt/ui";
import { useTranslations } from "next-intl";

const riskTone: Record<string, BadgeTone> = { C1: "success", C2: "info", C3: "brand", C4: "warning", C5: "danger" };

export function RiskBadge({ level }: { level: string | null | undefined }) {
  const t = useTranslations("enums.riskLevel");
  if (!level) return <span className="text-slate-400">—</span>;
  return <Badge tone={riskTone[level] ?? "neutral"}>{t(level)}</Badge>;
}

const statusTone: Record<string, BadgeTone> = { ACTIVE: "success", DORMANT: "warning", CLOSED: "neutral" };

export function CustomerStatusBadge({ status }: { status: string }) {
  const t = useTranslations("enums.customerStatus");
  return <Badge tone={statusTone[status] ?? "neutral"}>{t(status)}</Badge>;
}
