"use client";

import { Button, Dialog, Field, Select } from "@mkt/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc";
import { problemsOf } from "./problems";

interface Owners {
  businessOwner: { id: string } | null;
  technicalOwner: { id: string } | null;
}

/** Reassigns a tag's business and technical owner (staff within the caller's org subtree; audited). */
export function OwnersDialog({ code, owners, onClose }: { code: string; owners: Owners; onClose: () => void }) {
  const t = useTranslations("tags.owners");
  const tRole = useTranslations("tags.owners.role");
  const tCommon = useTranslations("common");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const candidates = useQuery(trpc.tag.ownerCandidates.queryOptions());
  const [business, setBusiness] = useState(owners.businessOwner?.id ?? "");
  const [technical, setTechnical] = useState(owners.technicalOwner?.id ?? "");
  const [error, setError] = useState<string | null>(null);
  const save = useMutation(
    trpc.tag.setOwners.mutationOptions({
      onSuccess: () => (void queryClient.invalidateQueries({ queryKey: trpc.tag.pathKey() }), onClose()),
      onError: (e) => setError(problemsOf(e).form),
    }),
  );
  const select = (label: string, value: string, onChange: (v: string) => void) => (
    <Field label={label}>
      {({ id }) => (
        <Select id={id} value={value} onChange={(e) => onChange(e.target.value)} disabled={!candidates.data}>
          <option value="">—</option>
          {candidates.data?.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} · {tRole.has(c.role) ? tRole(c.role) : c.role}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
  return (
    <Dialog
      open
      onClose={onClose}
      title={t("title", { code })}
      description={t("description")}
      closeLabel={tCommon("close")}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {tCommon("cancel")}
          </Button>
          <Button
            onClick={() => save.mutate({ code, businessOwnerId: business || undefined, technicalOwnerId: technical || undefined })}
            loading={save.isPending}
            disabled={!business && !technical}
          >
            {tCommon("save")}
          </Button>
        </>
      }
    >
      <div className="space-y-4">
        {select(t("business"), business, setBusiness)}
        {select(t("technical"), technical, setTechnical)}
        {error && <p className="text-sm text-red-600">{error}</p>}
      </div>
    </Dialog>
  );
}
