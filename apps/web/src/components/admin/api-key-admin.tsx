"use client";

import { Badge, Button, Card, DataTable, EmptyState } from "@mkt/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Ban, KeyRound, Plus } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { useFormat, useLocalizedName } from "@/lib/use-localized";
import { ApiKeyCreateDialog } from "./api-key-create-dialog";
import { QueryState } from "@/components/query-state";

type ApiKey = RouterOutputs["apiKey"]["list"][number];

function keyStatus(k: ApiKey, now = new Date()): "active" | "revoked" | "expired" {
  if (k.revokedAt) return "revoked";
  if (k.expiresAt && k.expiresAt <= now) return "expired";
  return "active";
}

export function ApiKeyAdmin() {
  const t = useTranslations("adminApiKeys");
  const tCommon = useTranslations("common");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const orgName = useLocalizedName();
  const fmt = useFormat();
  const list = useQuery(trpc.apiKey.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const revoke = useMutation(
    trpc.apiKey.revoke.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.apiKey.list.queryKey() });
        setRevoking(null);
      },
    }),
  );

  return (
    <div className="space-y-4">
      <div className="flex justify-end">
        <Button onClick={() => setCreating(true)} icon={<Plus className="size-4" aria-hidden="true" />}>
          {t("create")}
        </Button>
      </div>
      <Card aria-busy={list.isFetching}>
        <QueryState
          query={list}
          skeletonRows={4}
          isEmpty={(data) => data.length === 0}
          empty={<EmptyState icon={<KeyRound />} title={t("empty")} />}
        >
          {(data) => (
            <DataTable<ApiKey>
              caption={t("caption")}
              rows={data}
              rowKey={(k) => k.id}
              rowClassName={(k) => (keyStatus(k) === "active" ? undefined : "text-slate-400")}
              testId="api-key-table"
              columns={[
                { key: "name", header: t("col.name"), primary: true, cell: (k) => <span className="font-medium">{k.name}</span> },
                { key: "prefix", header: t("col.prefix"), primary: true, cell: (k) => <span className="font-mono text-xs text-slate-500">{k.prefix}…</span> },
                {
                  key: "scopes",
                  header: t("col.scopes"),
                  wrap: true,
                  cell: (k) => (
                    <span className="flex flex-wrap gap-1">
                      {k.scopes.map((s) => (
                        <Badge key={s} tone="info">
                          {t.has(`scope.${s}`) ? t(`scope.${s}`) : s}
                        </Badge>
                      ))}
                    </span>
                  ),
                },
                { key: "org", header: t("col.org"), cell: (k) => orgName(k.orgUnit) },
                { key: "createdAt", header: t("col.createdAt"), hideOnPhone: true, cell: (k) => fmt.date(k.createdAt) },
                { key: "lastUsedAt", header: t("col.lastUsedAt"), cell: (k) => (k.lastUsedAt ? fmt.dateTime(k.lastUsedAt) : t("never")) },
                { key: "expiresAt", header: t("col.expiresAt"), hideOnPhone: true, cell: (k) => (k.expiresAt ? fmt.date(k.expiresAt) : t("noExpiry")) },
                {
                  key: "status",
                  header: t("col.status"),
                  cell: (k) => {
                    const s = keyStatus(k);
                    return <Badge tone={s === "active" ? "success" : s === "revoked" ? "danger" : "neutral"}>{t(`status.${s}`)}</Badge>;
                  },
                },
                {
                  key: "actions",
                  header: tCommon("actions"),
                  align: "right",
                  cell: (k) =>
                    !k.revokedAt && (
                      <Button variant="ghost" size="sm" onClick={() => setRevoking(k)} icon={<Ban className="size-4" aria-hidden="true" />}>
                        {t("revoke")}
                      </Button>
                    ),
                },
              ]}
            />
          )}
        </QueryState>
      </Card>
      {creating && <ApiKeyCreateDialog onClose={() => setCreating(false)} />}
      <ConfirmDialog
        open={revoking !== null}
        title={t("revoke")}
        description={revoking ? t("revokeConfirm", { name: revoking.name }) : undefined}
        confirmLabel={t("revoke")}
        danger
        busy={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate({ apiKeyId: revoking.id })}
        onClose={() => setRevoking(null)}
      />
    </div>
  );
}
