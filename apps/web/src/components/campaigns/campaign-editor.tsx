"use client";

import { cn } from "@mkt/ui";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { CampaignForm } from "./campaign-form";
import { FlowDesigner } from "./flow/flow-designer";
import type { FlowJson } from "./flow/graph";
import { TemplateEditor } from "./template-editor";
import { useTRPC } from "@/lib/trpc";
import { QueryState } from "@/components/query-state";

const TABS = ["flow", "templates", "settings"] as const;
type Tab = (typeof TABS)[number];

/** Design of one campaign: its flow on the canvas, its templates, its settings. Read-only once submitted. */
export function CampaignEditor({ campaignId, canWrite }: { campaignId: string; canWrite: boolean }) {
  const t = useTranslations("campaigns.editor");
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get("tab") ?? "") ? (params.get("tab") as Tab) : "flow";
  const campaign = useQuery(trpc.campaign.get.queryOptions({ campaignId }));

  return (
    <QueryState
      query={campaign}
      skeletonRows={6}
      describeError={(e) => (e instanceof Error ? e.message : undefined)}
    >
      {(data) => {
      const c = data;
      const readOnly = !canWrite || !(c.status === "DRAFT" || c.status === "REJECTED");

      return (
        <div className="space-y-4">
          {readOnly && <p className="rounded-md bg-slate-100 px-4 py-2 text-sm text-slate-600">{t("readOnly")}</p>}
          <div role="tablist" aria-label={t("tabs")} className="inline-flex rounded-lg bg-slate-100 p-1">
            {TABS.map((key) => (
              <button
                key={key}
                type="button"
                role="tab"
                aria-selected={tab === key}
                data-testid={`editor-tab-${key}`}
                onClick={() => router.replace(`${pathname}?tab=${key}`, { scroll: false })}
                className={cn("rounded-md px-3 py-1.5 text-sm", tab === key ? "bg-white font-medium text-slate-900 shadow-xs" : "text-slate-600 hover:text-slate-900")}
              >
                {t(`tab.${key}`)}
              </button>
            ))}
          </div>
          <div role="tabpanel">
            {tab === "flow" && (
              <FlowDesigner campaignId={c.id} flow={c.flow as FlowJson} templates={c.templates} readOnly={readOnly} />
            )}
            {tab === "templates" && <TemplateEditor campaign={c} readOnly={readOnly} />}
            {tab === "settings" && (readOnly ? <p className="text-sm text-slate-500">{t("settingsReadOnly")}</p> : <CampaignForm campaign={c} />)}
          </div>
        </div>
      );
      }}
    </QueryState>
  );
}
