"use client";

import { ROLES, type Role } from "@mkt/core/auth/permissions";
import { Badge, Button, Card, DataTable, EmptyState, Input, Select, cn, useCursorPages } from "@mkt/ui";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Pencil, Plus, Power, Search, UsersRound } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { useTRPC } from "@/lib/trpc";
import { useFormat, useLocalizedName } from "@/lib/use-localized";
import { useOrgOptions } from "./use-org-options";
import { UserDialog, type UserRow } from "./user-dialog";
import { CursorPagination } from "@/components/cursor-pagination";
import { QueryState } from "@/components/query-state";

interface Filters {
  q?: string;
  role?: Role;
  orgUnitId?: string;
  active?: boolean;
}

/** Users in the caller's scope with filters; admins create, edit, and (de)activate them. */
export function UserAdmin({ canManage }: { canManage: boolean }) {
  const t = useTranslations("adminUsers");
  const tCommon = useTranslations("common");
  const tRole = useTranslations("enums.role");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const orgName = useLocalizedName();
  const fmt = useFormat();
  const orgs = useOrgOptions();
  const me = useQuery(trpc.me.get.queryOptions());

  const [text, setText] = useState("");
  const [filters, setFilters] = useState<Filters>({});
  const pages = useCursorPages<string>();
  const [editing, setEditing] = useState<UserRow | "new" | null>(null);
  const [toggling, setToggling] = useState<UserRow | null>(null);

  const list = useQuery({
    ...trpc.user.list.queryOptions({ ...filters, cursor: pages.cursor, limit: 25 }),
    placeholderData: keepPreviousData,
  });
  const setActive = useMutation(
    trpc.user.setActive.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.user.list.pathKey() });
        setToggling(null);
      },
    }),
  );

  const applyFilters = (next: Filters) => {
    setFilters(next);
    pages.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    applyFilters({ ...filters, q: text.trim() || undefined });
  };

  const items = list.data?.items ?? [];
  const nextCursor = list.data?.nextCursor ?? null;

  return (
    <div className="space-y-4">
      <form role="search" onSubmit={submit} className="grid gap-2 sm:grid-cols-2 lg:grid-cols-[minmax(0,2fr)_repeat(3,minmax(0,1fr))_auto]">
        <div className="relative sm:col-span-2 lg:col-span-1">
          <label htmlFor="user-q" className="sr-only">
            {t("search")}
          </label>
          <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400" aria-hidden="true" />
          <Input id="user-q" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder={t("searchPlaceholder")} className="pl-9" maxLength={50} />
        </div>
        <Select aria-label={t("filterRole")} value={filters.role ?? ""} onChange={(e) => applyFilters({ ...filters, role: (e.target.value || undefined) as Role | undefined })}>
          <option value="">
            {t("filterRole")}: {t("all")}
          </option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {tRole(r)}
            </option>
          ))}
        </Select>
        <Select aria-label={t("filterOrg")} value={filters.orgUnitId ?? ""} onChange={(e) => applyFilters({ ...filters, orgUnitId: e.target.value || undefined })}>
          <option value="">
            {t("filterOrg")}: {t("all")}
          </option>
          {orgs.map((o) => (
            <option key={o.id} value={o.id}>
              {o.label}
            </option>
          ))}
        </Select>
        <Select
          aria-label={t("filterStatus")}
          value={filters.active === undefined ? "" : String(filters.active)}
          onChange={(e) => applyFilters({ ...filters, active: e.target.value === "" ? undefined : e.target.value === "true" })}
        >
          <option value="">
            {t("filterStatus")}: {t("all")}
          </option>
          <option value="true">{t("active")}</option>
          <option value="false">{t("inactive")}</option>
        </Select>
        <div className="flex gap-2">
          <Button type="submit" variant="secondary" className="flex-1">
            {tCommon("search")}
          </Button>
          {canManage && (
            <Button onClick={() => setEditing("new")} icon={<Plus className="size-4" aria-hidden="true" />} className="flex-1">
              {t("create")}
            </Button>
          )}
        </div>
      </form>

      <Card aria-busy={list.isFetching}>
        <QueryState
          query={list}
          skeletonRows={8}
          labels={{ loading: t("loading") }}
          isEmpty={() => items.length === 0}
          empty={<EmptyState icon={<UsersRound />} title={t("empty")} />}
        >
          {() => (
            <div className={cn(list.isPlaceholderData && "opacity-60")}>
              <DataTable<UserRow>
                caption={t("caption")}
                rows={items}
                rowKey={(u) => u.id}
                rowClassName={(u) => (u.active ? undefined : "text-slate-400")}
                testId="user-table"
                columns={[
                  {
                    key: "user",
                    header: t("col.user"),
                    primary: true,
                    cell: (u) => (
                      <span className="inline-flex items-center gap-2">
                        <span className="font-medium">{u.name}</span>
                        {me.data?.id === u.id && <Badge tone="brand">{t("self")}</Badge>}
                      </span>
                    ),
                  },
                  { key: "username", header: t("col.username"), cell: (u) => <span className="font-mono text-xs">{u.username ?? "—"}</span> },
                  { key: "role", header: t("col.role"), cell: (u) => tRole(u.role) },
                  { key: "org", header: t("col.org"), cell: (u) => orgName(u.orgUnit) },
                  { key: "employeeNo", header: t("col.employeeNo"), hideOnPhone: true, cell: (u) => u.employeeNo ?? "—" },
                  { key: "status", header: t("col.status"), cell: (u) => <Badge tone={u.active ? "success" : "neutral"}>{u.active ? t("active") : t("inactive")}</Badge> },
                  { key: "createdAt", header: t("col.createdAt"), hideOnPhone: true, cell: (u) => fmt.date(u.createdAt) },
                  ...(canManage
                    ? [
                        {
                          key: "actions",
                          header: tCommon("actions"),
                          align: "right" as const,
                          cell: (u: UserRow) => (
                            <span className="inline-flex gap-1">
                              <Button variant="ghost" size="sm" onClick={() => setEditing(u)} icon={<Pencil className="size-4" aria-hidden="true" />}>
                                {t("edit")}
                              </Button>
                              {me.data?.id !== u.id && (
                                <Button
                                  variant="ghost"
                                  size="sm"
                                  onClick={() => (u.active ? setToggling(u) : setActive.mutate({ userId: u.id, active: true }))}
                                  icon={<Power className="size-4" aria-hidden="true" />}
                                >
                                  {u.active ? t("deactivate") : t("activate")}
                                </Button>
                              )}
                            </span>
                          ),
                        },
                      ]
                    : []),
                ]}
              />
              <CursorPagination pages={pages} nextCursor={nextCursor} busy={list.isPlaceholderData} />
            </div>
          )}
        </QueryState>
      </Card>

      {editing && <UserDialog user={editing === "new" ? null : editing} onClose={() => setEditing(null)} />}
      <ConfirmDialog
        open={toggling !== null}
        title={t("deactivate")}
        description={toggling ? t("deactivateConfirm", { name: toggling.name }) : undefined}
        confirmLabel={t("deactivate")}
        danger
        busy={setActive.isPending}
        onConfirm={() => toggling && setActive.mutate({ userId: toggling.id, active: false })}
        onClose={() => setToggling(null)}
      />
    </div>
  );
}
