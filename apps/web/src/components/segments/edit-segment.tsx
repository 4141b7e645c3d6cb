"use client";

import { ErrorState } from "@mkt/ui";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { QueryState } from "@/components/query-state";
import { useTRPC } from "@/lib/trpc";
import { SegmentEditor } from "./segment-editor";
import type { SegmentRule } from "./rule-model";

/** Loads a saved rule segment into the builder. */
export function EditSegment({ segmentId }: { segmentId: string }) {
  const tCommon = useTranslations("common");
  const trpc = useTRPC();
  const segment = useQuery(trpc.segment.get.queryOptions({ segmentId }));
  const notFound = <ErrorState title={tCommon("notFoundTitle")} description={tCommon("notFoundDescription")} />;
  return (
    <QueryState query={segment} skeletonRows={6} notFound={notFound}>
      {(s) =>
        s.kind !== "RULE" || !s.rule ? notFound : <SegmentEditor segment={{ id: s.id, name: s.name, description: s.description, rule: s.rule as SegmentRule }} />
      }
    </QueryState>
  );
}
