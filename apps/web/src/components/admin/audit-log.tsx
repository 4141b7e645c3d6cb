"use client";

import { Badge, Button, Card, DataTable, EmptyState, Field, Input, Select, cn, useCursorPages, type BadgeTone } from "@mkt/ui";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ScrollText } from "lucide-react";
import { useMessages, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { useFormat } from "@/lib/use-localized";
import { CursorPagination } from "@/components/cursor-pagination";
import { QueryState } from "@/components/query-state";

type AuditRow = RouterOutputs["audit"]["list"]["items"][number];
interface Filters {
  action?: string;
  actor?: string;
  from?: Date;
  to?: Date;
}

const actionTone: Record<string, BadgeTone> = {
  UNMASK: "warning",
  EXPORT: "warning",
  SIGN_IN_FAILED: "danger",
  PERMISSION_CHANGE: "danger",
  API_KEY_REVOKE: "danger",
};

/** Day boundaries in the bank's time zone (the date inputs are calendar days in Beijing time). */
const dayStart = (day: string) => new Date(`${day}T00:00:00+08:00`);
const nextDayStart = (day: string) => new Date(dayStart(day).getTime() + 86_400_000);

export function AuditLog() {
  const t = useTranslations("adminAudit");
  const tRole = useTranslations("enums.role");
  const messages = useMessages() as { adminAudit: { action: Record<string, string> } };
  const trpc = useTRPC();
  const fmt = useFormat();
  const [form, setForm] = useState({ action: "", actor: "", from: "", to: "" });
  const [filters, setFilters] = useState<Filters>({});
  const pages = useCursorPages<string>();

  const list = useQuery({
    ...trpc.audit.list.queryOptions({ ...filters, cursor: pages.cursor, limit: 50 }),
    placeholderData: keepPreviousData,
  });

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters({
      action: form.action || undefined,
      actor: form.actor.trim() || undefined,
      from: form.from ? dayStart(form.from) : undefined,
      to: form.to ? nextDayStart(form.to) : undefined,
    });
    pages.reset();
  };
  const reset = () => {
    setForm({ action: "", actor: "", from: "", to: "" });
    setFilters({});
    pages.reset();
  };
  const label = (action: string) => (t.has(`action.${action}`) ? t(`action.${action}`) : action);
  const target = (type: string | null) => (type ? (t.has(`target.${type}`) ? t(`target.${type}`) : type) : "");
  const items = list.data?.items ?? [];
  const nextCursor = list.data?.nextCursor ?? null;

  return (
    <div className="space-y-4">
      <Card>
        <form onSubmit={apply} className="grid items-end gap-3 px-4 py-4 sm:grid-cols-2 sm:px-5 lg:grid-cols-[repeat(4,minmax(0,1fr))_auto]">
          <Field label={t("filterAction")}>
            {({ id }) => (
              <Select id={id} value={form.action} onChange={(e) => setForm({ ...form, action: e.target.value })}>
                <option value="">{t("all")}</option>
                {Object.keys(messages.adminAudit.action).map((a) => (
                  <option key={a} value={a}>
                    {label(a)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label={t("filterActor")}>
            {({ id }) => <Input id={id} value={form.actor} onChange={(e) => setForm({ ...form, actor: e.target.value })} placeholder={t("filterActorPlaceholder")} maxLength={60} />}
          </Field>
          <Field label={t("filterFrom")}>{({ id }) => <Input id={id} type="date" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />}</Field>
          <Field label={t("filterTo")}>{({ id }) => <Input id={id} type="date" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />}</Field>
          <div className="flex gap-2">
            <Button type="submit" className="flex-1">
              {t("apply")}
            </Button>
            <Button variant="secondary" onClick={reset} className="flex-1">
              {t("reset")}
            </Button>
          </div>
        </form>
      </Card>

      <Card aria-busy={list.isFetching}>
        <QueryState
          query={list}
          skeletonRows={10}
          labels={{ loading: t("loading") }}
          isEmpty={() => items.length === 0}
          empty={<EmptyState icon={<ScrollText />} title={t("empty")} />}
        >
          {() => (
            <div className={cn(list.isPlaceholderData && "opacity-60")}>
              <DataTable<AuditRow>
                caption={t("caption")}
                rows={items}
                rowKey={(r) => r.id}
                testId="audit-table"
                columns={[
                  { key: "at", header: t("col.at"), primary: true, cell: (r) => <span className="whitespace-nowrap tabular-nums">{fmt.dateTime(r.at)}</span> },
                  { key: "action", header: t("col.action"), primary: true, cell: (r) => <Badge tone={actionTone[r.action] ?? "neutral"}>{label(r.action)}</Badge> },
                  {
                    key: "actor",
                    header: t("col.actor"),
                    cell: (r) => (
                      <span className="flex flex-col">
                        <span>{r.actorName ?? "—"}</span>
                        {r.actorRole && <span className="text-xs text-slate-500">{tRole.has(r.actorRole) ? tRole(r.actorRole) : r.actorRole}</span>}
                      </span>
                    ),
                  },
                  {
                    key: "target",
                    header: t("col.target"),
                    cell: (r) =>
                      r.targetType ? (
                        <span className="flex flex-col">
                          <span>{target(r.targetType)}</span>
                          <span className="font-mono text-xs text-slate-500">{r.targetId}</span>
                        </span>
                      ) : (
                        "—"
                      ),
                  },
                  { key: "reason", header: t("col.reason"), cell: (r) => r.reason ?? "—" },
                  { key: "ip", header: t("col.ip"), hideOnPhone: true, wideOnly: true, cell: (r) => <span className="font-mono text-xs">{r.ip ?? "—"}</span> },
                  {
                    key: "details",
                    header: t("col.details"),
                    hideOnPhone: true,
                    cell: (r) =>
                      r.details == null ? (
                        "—"
                      ) : (
                        <details>
                          <summary className="cursor-pointer text-xs text-brand-700">{t("showDetails")}</summary>
                          <pre className="mt-1 max-w-xs overflow-x-auto rounded bg-slate-50 p-2 text-[11px] text-slate-700">{JSON.stringify(r.details, null, 2)}</pre>
                        </details>
                      ),
                  },
                ]}
              />
              <CursorPagination pages={pages} nextCursor={nextCursor} busy={list.isPlaceholderData} />
            </div>
          )}
        </QueryState>
      </Card>
    </div>
  );
}
