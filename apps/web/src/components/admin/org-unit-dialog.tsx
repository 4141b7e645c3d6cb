"use client";

import { Button, Dialog, Field, Input } from "@mkt/ui";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { apiErrorCode } from "@/lib/api-error";
import { useTRPC } from "@/lib/trpc";
import { useLocalizedName } from "@/lib/use-localized";
import type { OrgUnit } from "./org-tree";

type Editing = { mode: "create"; parent: OrgUnit } | { mode: "edit"; unit: OrgUnit };

/** Create a child unit (code fixed for ever) or rename a unit. Both are audited by the API. */
export function OrgUnitDialog({ editing, onClose }: { editing: Editing; onClose: () => void }) {
  const t = useTranslations("adminOrg");
  const tCommon = useTranslations("common");
  const name = useLocalizedName();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const unit = editing.mode === "edit" ? editing.unit : null;
  const [form, setForm] = useState({ code: "", name: unit?.name ?? "", nameEn: unit?.nameEn ?? "", region: unit?.region ?? "" });
  const [error, setError] = useState<string | null>(null);

  const done = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.org.tree.queryKey() });
    onClose();
  };
  const fail = (e: unknown) => {
    const code = apiErrorCode(e);
    setError(code === "CONFLICT" ? t("conflict") : code === "BAD_REQUEST" ? t("invalid") : t("failed"));
  };
  const create = useMutation(trpc.org.create.mutationOptions({ onSuccess: done, onError: fail }));
  const update = useMutation(trpc.org.update.mutationOptions({ onSuccess: done, onError: fail }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const region = form.region.trim() || null;
    if (editing.mode === "create") {
      create.mutate({ parentId: editing.parent.id, code: form.code.trim().toUpperCase(), name: form.name, nameEn: form.nameEn, region });
    } else {
      update.mutate({ orgUnitId: editing.unit.id, name: form.name, nameEn: form.nameEn, region });
    }
  };
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });

  return (
    <Dialog
      open
      onClose={onClose}
      title={editing.mode === "create" ? t("addChildOf", { parent: name(editing.parent) }) : t("editTitle", { name: name(editing.unit) })}
      closeLabel={tCommon("close")}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {tCommon("cancel")}
          </Button>
          <Button type="submit" form="org-unit-form" loading={create.isPending || update.isPending}>
            {tCommon("save")}
          </Button>
        </>
      }
    >
      <form id="org-unit-form" onSubmit={submit} className="space-y-4">
        {error && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {error}
          </p>
        )}
        {editing.mode === "create" && (
          <Field label={t("field.code")} hint={t("field.codeHint")}>
            {({ id, describedBy }) => (
              <Input id={id} value={form.code} onChange={set("code")} aria-describedby={describedBy} required pattern="[A-Za-z0-9]{2,16}" maxLength={16} className="font-mono uppercase" autoFocus />
            )}
          </Field>
        )}
        <Field label={t("field.name")}>{({ id }) => <Input id={id} value={form.name} onChange={set("name")} required maxLength={60} />}</Field>
        <Field label={t("field.nameEn")}>{({ id }) => <Input id={id} value={form.nameEn} onChange={set("nameEn")} required maxLength={100} />}</Field>
        <Field label={t("field.region")}>{({ id }) => <Input id={id} value={form.region} onChange={set("region")} maxLength={40} />}</Field>
      </form>
    </Dialog>
  );
}
