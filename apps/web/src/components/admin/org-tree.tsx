"use client";

import { Badge, Button, Card, EmptyState, SkeletonRows, cn } from "@mkt/ui";
import { useQuery } from "@tanstack/react-query";
import { Building2, Pencil, Plus } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { useLocalizedName } from "@/lib/use-localized";
import { QueryState } from "@/components/query-state";
import { OrgUnitDialog } from "./org-unit-dialog";

export type OrgUnit = RouterOutputs["org"]["tree"][number];
type Editing = { mode: "create"; parent: OrgUnit } | { mode: "edit"; unit: OrgUnit } | null;

const levelTone = { HEAD_OFFICE: "brand", BRANCH: "info", SUB_BRANCH: "neutral" } as const;
const depthOf = (path: string) => path.split("/").filter(Boolean).length;

/** The caller's subtree, indented by depth; admins add child units and rename units. */
export function OrgTree({ canManage }: { canManage: boolean }) {
  const t = useTranslations("adminOrg");
  const tCommon = useTranslations("common");
  const tLevel = useTranslations("enums.orgLevel");
  const name = useLocalizedName();
  const trpc = useTRPC();
  const tree = useQuery(trpc.org.tree.queryOptions());
  const [editing, setEditing] = useState<Editing>(null);

  return (
    <QueryState
      query={tree}
      loading={<Card><SkeletonRows rows={8} label={tCommon("loading")} /></Card>}
      renderError={(_, errorState) => <Card>{errorState}</Card>}
      isEmpty={(units) => units.length === 0}
      empty={<Card><EmptyState icon={<Building2 />} title={t("empty")} /></Card>}
    >
      {(units) => {
        const rootDepth = Math.min(...units.map((u) => depthOf(u.path)));
        return (
          <Card data-testid="org-tree">
            <ul role="tree" aria-label={t("caption")} className="divide-y divide-slate-100">
              {units.map((u) => {
                const depth = depthOf(u.path) - rootDepth;
                return (
                  <li key={u.id} role="treeitem" aria-level={depth + 1} aria-selected={false} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2.5 pr-4 sm:pr-5" style={{ paddingLeft: `${1 + depth * 1.5}rem` }}>
                    <Building2 className={cn("size-4 shrink-0", depth === 0 ? "text-brand-600" : "text-slate-400")} aria-hidden="true" />
                    <span className={cn("text-sm text-slate-900", depth === 0 && "font-semibold")}>{name(u)}</span>
                    <span className="font-mono text-xs text-slate-500">{u.code}</span>
                    <Badge tone={levelTone[u.level]}>{tLevel(u.level)}</Badge>
                    {u.region && <span className="text-xs text-slate-500">{u.region}</span>}
                    <span className="ml-auto flex items-center gap-3">
                      <span className="text-xs text-slate-500 tabular-nums">
                        {t("col.users")} {u.userCount}
                      </span>
                      {canManage && (
                        <>
                          <span className="flex justify-end sm:w-36">
                            {u.level !== "SUB_BRANCH" && (
                              <Button variant="ghost" size="sm" onClick={() => setEditing({ mode: "create", parent: u })} icon={<Plus className="size-4" aria-hidden="true" />} aria-label={t("addChildOf", { parent: name(u) })}>
                                <span className="hidden sm:inline">{t("addChild")}</span>
                              </Button>
                            )}
                          </span>
                          <Button variant="ghost" size="sm" onClick={() => setEditing({ mode: "edit", unit: u })} icon={<Pencil className="size-4" aria-hidden="true" />} aria-label={t("editTitle", { name: name(u) })}>
                            <span className="hidden sm:inline">{t("edit")}</span>
                          </Button>
                        </>
                      )}
                    </span>
                  </li>
                );
              })}
            </ul>
            {editing && <OrgUnitDialog editing={editing} onClose={() => setEditing(null)} />}
          </Card>
        );
      }}
    </QueryState>
  );
}
