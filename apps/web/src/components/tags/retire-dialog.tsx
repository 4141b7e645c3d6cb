"use client";

import { Button, Dialog } from "@mkt/ui";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { problemsOf } from "./problems";

type Users = Extract<RouterOutputs["tag"]["retire"], { retired: false }>["usedBy"];

/** Retires a tag after confirmation; when segments, campaigns, models or tags use it, lists them instead. */
export function RetireDialog({ code, onClose }: { code: string; onClose: () => void }) {
  const t = useTranslations("tags.retire");
  const tUsed = useTranslations("tags.usedBy");
  const tCommon = useTranslations("common");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [refused, setRefused] = useState<Users | null>(null);
  const [error, setError] = useState<string | null>(null);
  const retire = useMutation(
    trpc.tag.retire.mutationOptions({
      onSuccess: (r) => {
        if (!r.retired) return setRefused(r.usedBy);
        void queryClient.invalidateQueries({ queryKey: trpc.tag.pathKey() });
        onClose();
      },
      onError: (e) => setError(problemsOf(e).form),
    }),
  );
  return (
    <Dialog
      open
      onClose={onClose}
      title={t("title", { code })}
      description={refused ? t("refused", { count: refused.length }) : t("description")}
      closeLabel={tCommon("close")}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {refused ? tCommon("close") : tCommon("cancel")}
          </Button>
          {!refused && (
            <Button variant="danger" onClick={() => retire.mutate({ code })} loading={retire.isPending}>
              {t("confirm")}
            </Button>
          )}
        </>
      }
    >
      {error && <p className="text-sm text-red-600">{error}</p>}
      {refused && (
        <ul className="divide-y divide-slate-100 text-sm" data-testid="retire-users">
          {refused.map((u) => (
            <li key={`${u.kind}:${u.refId}`} className="flex justify-between gap-3 py-1.5">
              <span className="text-slate-500">{tUsed(u.kind)}</span>
              <span className="font-medium text-slate-800">{u.name ?? u.refId}</span>
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}
