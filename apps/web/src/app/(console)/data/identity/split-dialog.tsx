"use client";

import { Button, Dialog, Field, Textarea } from "@mkt/ui";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { apiErrorCode } from "@/lib/api-error";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";

type Merge = RouterOutputs["identity"]["merges"]["items"][number];
type SplitResult = RouterOutputs["identity"]["split"];

/** Asks for the reason (it goes to the audit log) and reverses the merge. */
export function SplitDialog({ merge, onClose, onDone }: { merge: Merge; onClose: () => void; onDone: (result: SplitResult) => void }) {
  const t = useTranslations("data.identity");
  const tCommon = useTranslations("common");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const split = useMutation(
    trpc.identity.split.mutationOptions({
      onSuccess: (result) => {
        void queryClient.invalidateQueries({ queryKey: trpc.identity.merges.queryKey() });
        onDone(result);
      },
      onError: (e) => setError(apiErrorCode(e) === "CONFLICT" ? t("error.conflict") : t("error.failed")),
    }),
  );
  const submit = () => {
    if (reason.trim().length < 2) return setError(t("error.reason"));
    setError(null);
    split.mutate({ mergeId: merge.id, reason: reason.trim() });
  };
  return (
    <Dialog
      open
      onClose={onClose}
      title={t("splitTitle")}
      description={t("splitDescription", { source: `${merge.sourceSystem}:${merge.sourceKey}`, customerNo: merge.customer.customerNo })}
      closeLabel={tCommon("close")}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {tCommon("cancel")}
          </Button>
          <Button variant="danger" onClick={submit} loading={split.isPending}>
            {t("split")}
          </Button>
        </>
      }
    >
      <Field label={t("reason")} hint={t("reasonHint")} error={error ?? undefined}>
        {({ id, describedBy, invalid }) => (
          <Textarea id={id} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} />
        )}
      </Field>
    </Dialog>
  );
}
