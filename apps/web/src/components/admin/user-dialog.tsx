"use client";

import { ROLES, type Role } from "@mkt/core/auth/permissions";
import { Button, Dialog, Field, Input, Select } from "@mkt/ui";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { apiErrorCode } from "@/lib/api-error";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { useOrgOptions } from "./use-org-options";

export type UserRow = RouterOutputs["user"]["list"]["items"][number];

/** New user (with an initial password), or a change of name, e-mail, role, unit or password. */
export function UserDialog({ user, onClose }: { user: UserRow | null; onClose: () => void }) {
  const t = useTranslations("adminUsers");
  const tCommon = useTranslations("common");
  const tRole = useTranslations("enums.role");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const orgs = useOrgOptions();
  const [form, setForm] = useState({
    username: "",
    name: user?.name ?? "",
    email: user?.email ?? "",
    role: (user?.role ?? "RM") as Role,
    orgUnitId: user?.orgUnit.id ?? "",
    employeeNo: user?.employeeNo ?? "",
    password: "",
  });
  const [error, setError] = useState<string | null>(null);

  const done = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.user.list.pathKey() });
    onClose();
  };
  const fail = (e: unknown) => {
    const code = apiErrorCode(e);
    setError(code === "CONFLICT" ? t("conflict") : code === "BAD_REQUEST" ? t("invalid") : t("failed"));
  };
  const create = useMutation(trpc.user.create.mutationOptions({ onSuccess: done, onError: fail }));
  const update = useMutation(trpc.user.update.mutationOptions({ onSuccess: done, onError: fail }));
  const orgUnitId = form.orgUnitId || orgs[0]?.id || "";

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const employeeNo = form.employeeNo.trim() || undefined;
    if (!user) {
      create.mutate({ username: form.username, name: form.name, email: form.email, role: form.role, orgUnitId, employeeNo, password: form.password });
    } else {
      update.mutate({
        userId: user.id,
        name: form.name,
        email: form.email,
        role: form.role,
        orgUnitId,
        employeeNo: employeeNo ?? null,
        password: form.password || undefined,
      });
    }
  };
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });

  return (
    <Dialog
      open
      onClose={onClose}
      title={user ? t("editTitle", { name: user.name }) : t("createTitle")}
      closeLabel={tCommon("close")}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {tCommon("cancel")}
          </Button>
          <Button type="submit" form="user-form" loading={create.isPending || update.isPending} disabled={orgs.length === 0}>
            {tCommon("save")}
          </Button>
        </>
      }
    >
      <form id="user-form" onSubmit={submit} className="grid gap-4 sm:grid-cols-2">
        {error && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 sm:col-span-2">
            {error}
          </p>
        )}
        {!user && (
          <Field label={t("field.username")} hint={t("field.usernameHint")} className="sm:col-span-2">
            {({ id, describedBy }) => (
              <Input id={id} value={form.username} onChange={set("username")} aria-describedby={describedBy} required minLength={3} maxLength={30} autoComplete="off" autoFocus />
            )}
          </Field>
        )}
        <Field label={t("field.name")}>{({ id }) => <Input id={id} value={form.name} onChange={set("name")} required maxLength={60} />}</Field>
        <Field label={t("field.employeeNo")}>{({ id }) => <Input id={id} value={form.employeeNo} onChange={set("employeeNo")} maxLength={30} />}</Field>
        <Field label={t("field.email")} className="sm:col-span-2">
          {({ id }) => <Input id={id} type="email" value={form.email} onChange={set("email")} required maxLength={120} />}
        </Field>
        <Field label={t("field.role")}>
          {({ id }) => (
            <Select id={id} value={form.role} onChange={set("role")}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {tRole(r)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label={t("field.org")}>
          {({ id }) => (
            <Select id={id} value={orgUnitId} onChange={set("orgUnitId")} required>
              {orgs.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label={user ? t("field.newPassword") : t("field.password")} hint={user ? t("field.newPasswordHint") : t("field.passwordHint")} className="sm:col-span-2">
          {({ id, describedBy }) => (
            <Input id={id} type="password" value={form.password} onChange={set("password")} aria-describedby={describedBy} required={!user} minLength={10} maxLength={128} autoComplete="new-password" />
          )}
        </Field>
      </form>
    </Dialog>
  );
}
