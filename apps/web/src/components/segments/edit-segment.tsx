"use client";

import { ErrorState, SkeletonRows } from "@mkt/ui";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/lib/trpc";
import { SegmentEditor } from "./segment-editor";
import type { SegmentRule } from "./rule-model";

/** Loads a saved rule segment into the builder. */
export function EditSegment({ segmentId }: { segmentId: string }) {
  const tCommon = useTranslations("common");
  const trpc = useTRPC();
  const segment = useQuery(trpc.segment.get.queryOptions({ segmentId }));
  if (segment.isError) return <ErrorState title={tCommon("notFoundTitle")} description={tCommon("notFoundDescription")} />;
  if (!segment.data) return <SkeletonRows rows={6} label={tCommon("loading")} />;
  const s = segment.data;
  if (s.kind !== "RULE" || !s.rule) return <ErrorState title={tCommon("notFoundTitle")} description={tCommon("notFoundDescription")} />;
  return <SegmentEditor segment={{ id: s.id, name: s.name, description: s.description, rule: s.rule as SegmentRule }} />;
}
