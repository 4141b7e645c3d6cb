"use client";

import { Badge, type BadgeTone } from "@mkt/ui";
import { useTranslations } from "next-intl";

const TONES: Record<string, BadgeTone> = { RULE: "brand", STATIC: "info", MODEL: "warning" };

export function SegmentKindBadge({ kind }: { kind: "RULE" | "STATIC" | "MODEL" }) {
  const t = useTranslations("segments.kind");
  return <Badge tone={TONES[kind]}>{t(kind)}</Badge>;
}
