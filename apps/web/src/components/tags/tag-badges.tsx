"use client";

import { Badge, type BadgeTone } from "@mkt/ui";
import { useTranslations } from "next-intl";

const TAG_TONE: Record<string, BadgeTone> = { DRAFT: "neutral", IN_REVIEW: "warning", PUBLISHED: "success", RETIRED: "neutral" };
const VERSION_TONE: Record<string, BadgeTone> = { DRAFT: "neutral", IN_REVIEW: "warning", PUBLISHED: "success", REJECTED: "danger", SUPERSEDED: "neutral" };
const RUN_TONE: Record<string, BadgeTone> = { RUNNING: "info", SUCCEEDED: "success", FAILED: "danger" };

export function TagStatusBadge({ status }: { status: string }) {
  const t = useTranslations("tags.status");
  return <Badge tone={TAG_TONE[status] ?? "neutral"}>{t(status)}</Badge>;
}

export function VersionStatusBadge({ status }: { status: string }) {
  const t = useTranslations("tags.versionStatus");
  return <Badge tone={VERSION_TONE[status] ?? "neutral"}>{t(status)}</Badge>;
}

export function RunStatusBadge({ status }: { status: string }) {
  const t = useTranslations("tags.runStatus");
  return <Badge tone={RUN_TONE[status] ?? "neutral"}>{t(status)}</Badge>;
}
