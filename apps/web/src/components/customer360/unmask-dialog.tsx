"use client";

import { Button, Dialog, Field, Textarea } from "@mkt/ui";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/lib/trpc";
import type { Revealed } from "./types";

const FIELDS = ["name", "phone", "certNo", "email", "accountNo"] as const;
type UnmaskField = (typeof FIELDS)[number];

interface Props {
  customerId: number;
  open: boolean;
  onClose: () => void;
  onRevealed: (values: Revealed) => void;
}

/** Asks which fields and why; the API audits the reason before it returns any clear value. */
export function UnmaskDialog({ customerId, open, onClose, onRevealed }: Props) {
  const t = useTranslations("customer360");
  const tCommon = useTranslations("common");
  const trpc = useTRPC();
  const [fields, setFields] = useState<UnmaskField[]>(["name", "phone"]);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  // gcTime 0: clear personal data is not kept in the mutation cache after the dialog is done.
  const unmask = useMutation({ ...trpc.customer.unmask.mutationOptions(), gcTime: 0 });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (fields.length === 0) return setError(t("unmaskNoFields"));
    if (reason.trim().length < 4) return setError(t("unmaskReasonTooShort"));
    setError(null);
    unmask.mutate(
      { customerId, fields, reason: reason.trim() },
      {
        onSuccess: (values) => {
          onRevealed(values);
          setReason("");
          onClose();
        },
        onError: () => setError(t("unmaskFailed")),
      },
    );
  };

  const toggle = (f: UnmaskField) => setFields((cur) => (cur.includes(f) ? cur.filter((x) => x !== f) : [...cur, f]));

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={t("unmaskTitle")}
      description={t("unmaskDescription")}
      closeLabel={tCommon("close")}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {tCommon("cancel")}
          </Button>
          <Button type="submit" form="unmask-form" loading={unmask.isPending}>
            {t("unmaskSubmit")}
          </Button>
        </>
      }
    >
      <form id="unmask-form" onSubmit={submit} className="space-y-4" noValidate>
        <fieldset>
          <legend className="mb-2 text-sm font-medium text-slate-700">{t("unmaskFields")}</legend>
          <div className="grid grid-cols-2 gap-2">
            {FIELDS.map((f) => (
              <label key={f} className="flex items-center gap-2 rounded-md border border-slate-200 px-3 py-2 text-sm has-checked:border-brand-400 has-checked:bg-brand-50">
                <input type="checkbox" checked={fields.includes(f)} onChange={() => toggle(f)} className="size-4 accent-brand-600" />
                {t(`unmaskField.${f}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <Field label={t("unmaskReason")} hint={t("unmaskReasonHint")} error={error ?? undefined}>
          {({ id, describedBy, invalid }) => (
            <Textarea
              id={id}
              name="reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              maxLength={500}
              required
              autoFocus
            />
          )}
        </Field>
      </form>
    </Dialog>
  );
}
