"use client";

import { Button, Card, CardBody, Field, Input, Textarea, combineQueries } from "@mkt/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { Save } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { QueryState } from "@/components/query-state";
import { useTRPC } from "@/lib/trpc";
import { DraftPreview, LiveCount, useDraftResults } from "./live-count";
import { RuleBuilder } from "./rule-builder";
import { emptyRule, type SegmentRule } from "./rule-model";

export interface SegmentEditorProps {
  /** Editing a saved segment; absent for a new one. */
  segment?: { id: string; name: string; description: string | null; rule: SegmentRule };
}

/** Name, the visual rule builder, the live count and the masked preview; saves and opens the segment. */
export function SegmentEditor({ segment }: SegmentEditorProps) {
  const t = useTranslations("segments.editor");
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [name, setName] = useState(segment?.name ?? "");
  const [description, setDescription] = useState(segment?.description ?? "");
  const [rule, setRule] = useState<SegmentRule>(segment?.rule ?? emptyRule());
  const [nameError, setNameError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);

  const options = useQuery(trpc.segment.builderOptions.queryOptions());
  const categories = useQuery(trpc.tag.categories.queryOptions());
  const segments = useQuery(trpc.segment.list.queryOptions({ pageSize: 100 }));
  const results = useDraftResults(rule);

  const onSaved = async ({ id }: { id: string }) => {
    await queryClient.invalidateQueries({ queryKey: trpc.segment.pathKey() });
    router.push(`/segments/${id}`);
  };
  const onFailed = (err: unknown) => setSaveError(err instanceof TRPCClientError ? err.message : t("saveFailed"));
  const create = useMutation(trpc.segment.create.mutationOptions({ onSuccess: onSaved, onError: onFailed }));
  const update = useMutation(trpc.segment.update.mutationOptions({ onSuccess: onSaved, onError: onFailed }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaveError(null);
    if (!name.trim()) return setNameError(t("nameRequired"));
    setNameError(null);
    if (!results.checked.ok) return setSaveError(t("incomplete"));
    const body = { name: name.trim(), description: description.trim() || null, rule: results.checked.rule };
    if (segment) update.mutate({ segmentId: segment.id, ...body });
    else create.mutate(body);
  };

  return (
    <QueryState query={combineQueries(options, categories)} skeletonRows={6}>
      {([builder, tagCategories]) => {
        const choices = (segments.data?.items ?? []).filter((s) => s.id !== segment?.id).map((s) => ({ id: s.id, name: s.name }));
        return (
          <form onSubmit={submit} noValidate className="grid gap-5 lg:grid-cols-[minmax(0,1fr)_20rem]">
            <div className="min-w-0 space-y-5">
              <Card>
                <CardBody className="grid gap-4 sm:grid-cols-2">
                  <Field label={t("name")} error={nameError}>
                    {({ id, describedBy, invalid }) => (
                      <Input id={id} value={name} maxLength={80} onChange={(e) => setName(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} data-testid="segment-name" />
                    )}
                  </Field>
                  <Field label={t("description")}>
                    {({ id }) => <Textarea id={id} value={description} maxLength={500} rows={1} onChange={(e) => setDescription(e.target.value)} className="min-h-10" />}
                  </Field>
                </CardBody>
              </Card>
              <section aria-label={t("rule")}>
                <h2 className="mb-2 text-sm font-semibold text-slate-900">{t("rule")}</h2>
                <RuleBuilder rule={rule} onChange={setRule} options={builder} categories={tagCategories} segments={choices} />
              </section>
              <DraftPreview results={results} />
            </div>
            {/* On a phone the count sits above the builder and stays in view while scrolling. */}
            <aside className="order-first space-y-4 lg:order-none lg:sticky lg:top-4 lg:self-start">
              <LiveCount results={results} />
              <Button type="submit" className="w-full" loading={create.isPending || update.isPending} icon={<Save className="size-4" aria-hidden="true" />} data-testid="segment-save">
                {segment ? t("saveChanges") : t("save")}
              </Button>
              {saveError && (
                <p role="alert" className="text-sm text-red-600">
                  {saveError}
                </p>
              )}
              <p className="text-xs text-slate-500">{t("saveHint")}</p>
            </aside>
          </form>
        );
      }}
    </QueryState>
  );
}
