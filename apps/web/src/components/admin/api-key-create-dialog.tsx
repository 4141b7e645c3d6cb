"use client";

import { Button, Dialog, Field, Input, Select } from "@mkt/ui";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Check, Copy, TriangleAlert } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/lib/trpc";
import { useOrgOptions } from "./use-org-options";
import { API_KEY_SCOPES, type ApiKeyScope } from "@mkt/core/auth/api-key-scopes";


/** Issue a key; the clear key is shown here once and never again (only its hash is stored). */
export function ApiKeyCreateDialog({ onClose }: { onClose: () => void }) {
  const t = useTranslations("adminApiKeys");
  const tCommon = useTranslations("common");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const orgs = useOrgOptions();
  const [name, setName] = useState("");
  const [orgUnitId, setOrgUnitId] = useState("");
  const [scopes, setScopes] = useState<ApiKeyScope[]>(["import:write", "import:read"]);
  const [days, setDays] = useState("");
  const [copied, setCopied] = useState(false);
  // gcTime 0: the clear key does not outlive this dialog in the mutation cache.
  const create = useMutation({
    ...trpc.apiKey.create.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.apiKey.list.queryKey() }) }),
    gcTime: 0,
  });
  const key = create.data?.key;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name, orgUnitId: orgUnitId || orgs[0]?.id || "", scopes, expiresInDays: days ? Number(days) : undefined });
  };
  const copy = async () => {
    if (!key) return;
    await navigator.clipboard.writeText(key);
    setCopied(true);
  };

  if (key) {
    return (
      <Dialog open onClose={onClose} title={t("createdTitle")} closeLabel={tCommon("close")} footer={<Button onClick={onClose}>{t("done")}</Button>}>
        <p role="alert" className="mb-3 flex gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
          {t("createdWarning")}
        </p>
        <div className="flex items-stretch gap-2">
          <code data-testid="new-api-key" className="min-w-0 flex-1 rounded-md border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-xs break-all text-slate-900">
            {key}
          </code>
          <Button variant="secondary" onClick={copy} icon={copied ? <Check className="size-4" aria-hidden="true" /> : <Copy className="size-4" aria-hidden="true" />}>
            {copied ? t("copied") : t("copy")}
          </Button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog
      open
      onClose={onClose}
      title={t("createTitle")}
      closeLabel={tCommon("close")}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {tCommon("cancel")}
          </Button>
          <Button type="submit" form="api-key-form" loading={create.isPending} disabled={scopes.length === 0 || orgs.length === 0}>
            {t("create")}
          </Button>
        </>
      }
    >
      <form id="api-key-form" onSubmit={submit} className="space-y-4">
        {create.isError && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {t("failed")}
          </p>
        )}
        <Field label={t("field.name")} hint={t("field.nameHint")}>
          {({ id, describedBy }) => <Input id={id} value={name} onChange={(e) => setName(e.target.value)} aria-describedby={describedBy} required maxLength={80} autoFocus />}
        </Field>
        <Field label={t("field.org")} hint={t("field.orgHint")}>
          {({ id, describedBy }) => (
            <Select id={id} value={orgUnitId || orgs[0]?.id || ""} onChange={(e) => setOrgUnitId(e.target.value)} aria-describedby={describedBy}>
              {orgs.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <fieldset>
          <legend className="mb-2 text-sm font-medium text-slate-700">{t("field.scopes")}</legend>
          <div className="flex flex-wrap gap-2">
            {API_KEY_SCOPES.map((s) => (
              <label key={s} className="flex items-center gap-2 rounded-md border border-slate-200 px-3 py-2 text-sm has-checked:border-brand-400 has-checked:bg-brand-50">
                <input
                  type="checkbox"
                  className="size-4 accent-brand-600"
                  checked={scopes.includes(s)}
                  onChange={() => setScopes(scopes.includes(s) ? scopes.filter((x) => x !== s) : [...scopes, s])}
                />
                {t(`scope.${s}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <Field label={t("field.expires")} hint={t("field.expiresHint")}>
          {({ id, describedBy }) => (
            <Input id={id} type="number" inputMode="numeric" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)} aria-describedby={describedBy} className="w-40" />
          )}
        </Field>
      </form>
    </Dialog>
  );
}
