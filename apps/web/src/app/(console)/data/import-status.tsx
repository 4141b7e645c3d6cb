"use client";

import { Badge, type BadgeTone } from "@mkt/ui";
import { useTranslations } from "next-intl";

export const IMPORT_KINDS = ["CUSTOMERS", "ACCOUNTS", "HOLDINGS", "TRANSACTIONS"] as const;
export const IMPORT_STATUSES = ["PENDING", "VALIDATING", "APPLYING", "APPLIED", "REJECTED", "FAILED", "DUPLICATE"] as const;
export type ImportKindCode = (typeof IMPORT_KINDS)[number];
export type ImportStatusCode = (typeof IMPORT_STATUSES)[number];

/** Statuses in which the worker (or the request) is still at it: poll until they change. */
export const RUNNING: readonly string[] = ["PENDING", "VALIDATING", "APPLYING"];

const tone: Record<string, BadgeTone> = {
  PENDING: "info",
  VALIDATING: "info",
  APPLYING: "brand",
  APPLIED: "success",
  REJECTED: "danger",
  FAILED: "danger",
  DUPLICATE: "neutral",
};

export function ImportStatusBadge({ status }: { status: string }) {
  const t = useTranslations("data.status");
  return <Badge tone={tone[status] ?? "neutral"}>{t.has(status) ? t(status) : status}</Badge>;
}
