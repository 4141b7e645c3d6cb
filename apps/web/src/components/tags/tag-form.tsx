"use client";

import { Button, Card, CardBody, CardHeader, Field, Input, Select, Textarea, combineQueries } from "@mkt/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Eye } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { QueryState } from "@/components/query-state";
import { apiErrorCode } from "@/lib/api-error";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { useLocalizedName } from "@/lib/use-localized";
import { CodeSelect } from "./code-select";
import { EnumValuesEditor, type EnumValueRow } from "./enum-values-editor";
import { problemsOf, type Problems } from "./problems";
import { RULE_TEMPLATES, templateText } from "./rule-templates";
import { RulePreview } from "./rule-preview";
import { TagNotFound } from "./tag-detail";
import { COMPUTED_KINDS, FREQUENCIES, SOURCE_KINDS, VALUE_TYPES, type SourceKind, type ValueType } from "./tag-codes";

type TagPage = RouterOutputs["tag"]["get"];
type Category = RouterOutputs["tag"]["categories"][number];
type Frequency = (typeof FREQUENCIES)[number];

interface Draft {
  code: string;
  name: string;
  nameEn: string;
  categoryId: string;
  valueType: ValueType;
  sourceKind: SourceKind;
  updateFrequency: Frequency;
  coverageDriftPct: string;
  psiMax: string;
  unit: string;
  enumValues: EnumValueRow[];
  definition: string;
  definitionEn: string;
  changeNote: string;
  ruleText: string;
}

const NEW_TAG: Draft = {
  code: "",
  name: "",
  nameEn: "",
  categoryId: "",
  valueType: "BOOLEAN",
  sourceKind: "RULE",
  updateFrequency: "DAILY",
  coverageDriftPct: "5",
  psiMax: "0.2",
  unit: "",
  enumValues: [],
  definition: "",
  definitionEn: "",
  changeNote: "",
  ruleText: templateText("BOOLEAN"),
};

function draftOf(tag: TagPage): Draft {
  const latest = tag.versions[0];
  const open = latest && latest.status === "DRAFT";
  return {
    ...NEW_TAG,
    code: tag.code,
    valueType: tag.valueType,
    sourceKind: tag.sourceKind,
    unit: tag.unit ?? "",
    enumValues: (tag.enumValues as EnumValueRow[] | null) ?? [],
    definition: latest?.definition ?? tag.definition,
    definitionEn: latest?.definitionEn ?? tag.definitionEn,
    changeNote: open ? latest.changeNote : "",
    ruleText: latest?.rule != null ? JSON.stringify(latest.rule, null, 2) : "",
  };
}

/** Create a tag (`code` absent) or a new version of one: definition, values, rule, live preview. */
export function TagForm({ code }: { code?: string }) {
  const trpc = useTRPC();
  const categories = useQuery(trpc.tag.categories.queryOptions());
  const tag = useQuery({ ...trpc.tag.get.queryOptions({ code: code ?? "", runs: 1 }), enabled: !!code });
  if (!code) {
    return (
      <QueryState query={categories} skeletonRows={8}>
        {(c) => <TagFormBody categories={c} />}
      </QueryState>
    );
  }
  return (
    <QueryState
      query={combineQueries(categories, tag)}
      skeletonRows={8}
      notFound={<TagNotFound />}
    >
      {([c, existing]) => <TagFormBody categories={c} existing={existing} />}
    </QueryState>
  );
}

function TagFormBody({ categories, existing }: { categories: Category[]; existing?: TagPage }) {
  const t = useTranslations("tags.form");
  const tType = useTranslations("tags.valueType");
  const tSource = useTranslations("tags.sourceKind");
  const tFreq = useTranslations("tags.frequency");
  const name = useLocalizedName();
  const router = useRouter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [d, setD] = useState<Draft>(() => (existing ? draftOf(existing) : { ...NEW_TAG, categoryId: String(categories.find((c) => c.parentId !== null)?.id ?? "") }));
  const [problems, setProblems] = useState<Problems>({ form: null, fields: {} });
  const [ruleError, setRuleError] = useState<string | null>(null);
  const set = (patch: Partial<Draft>) => setD((x) => ({ ...x, ...patch }));
  const computed = COMPUTED_KINDS.includes(d.sourceKind);
  const fieldError = (k: string) => problems.fields[k]?.join("; ");

  const preview = useMutation(trpc.tag.preview.mutationOptions({ onError: (e) => setRuleError(problemsOf(e).form) }));
  const create = useMutation(trpc.tag.create.mutationOptions());
  const save = useMutation(trpc.tag.saveVersion.mutationOptions());
  const submit = useMutation(trpc.tag.submit.mutationOptions());
  const busy = create.isPending || save.isPending || submit.isPending;

  /** The rule as JSON, or undefined with the editor's error set. */
  const parsedRule = (): { ok: true; rule: unknown } | { ok: false } => {
    if (!computed) return { ok: true, rule: undefined };
    if (!d.ruleText.trim()) return setRuleError(t("ruleRequired")), { ok: false };
    try {
      return { ok: true, rule: JSON.parse(d.ruleText) };
    } catch (e) {
      setRuleError(t("ruleJson", { message: e instanceof Error ? e.message : String(e) }));
      return { ok: false };
    }
  };

  const runPreview = () => {
    setRuleError(null);
    const r = parsedRule();
    if (!r.ok) return;
    if (d.valueType === "TEXT") return setRuleError(t("noPreviewText"));
    preview.mutate({ rule: r.rule, valueType: d.valueType, enumValues: d.valueType === "ENUM" ? d.enumValues.map((v) => v.value) : undefined });
  };

  const persist = async (andSubmit: boolean) => {
    setProblems({ form: null, fields: {} });
    setRuleError(null);
    const r = parsedRule();
    if (!r.ok) return;
    const version = {
      rule: r.rule,
      enumValues: d.valueType === "ENUM" ? d.enumValues : undefined,
      unit: d.valueType === "NUMBER" && d.unit.trim() ? d.unit.trim() : undefined,
      definition: d.definition,
      definitionEn: d.definitionEn,
      changeNote: d.changeNote,
    };
    try {
      const saved = existing
        ? await save.mutateAsync({ code: existing.code, ...version })
        : await create.mutateAsync({
            ...version,
            code: d.code.trim(),
            name: d.name,
            nameEn: d.nameEn,
            categoryId: Number(d.categoryId),
            valueType: d.valueType,
            sourceKind: d.sourceKind,
            updateFrequency: d.updateFrequency,
            coverageDriftMax: d.coverageDriftPct.trim() ? Number(d.coverageDriftPct) / 100 : undefined,
            psiMax: d.psiMax.trim() ? Number(d.psiMax) : undefined,
          });
      const tagCode = existing?.code ?? d.code.trim();
      if (andSubmit) await submit.mutateAsync({ code: tagCode, version: saved.version });
      await queryClient.invalidateQueries({ queryKey: trpc.tag.pathKey() });
      router.push(`/tags/${tagCode}`);
    } catch (e) {
      const p = problemsOf(e);
      // A refused rule (types, references, cycles — with the JSON path) belongs under the rule editor.
      if (computed && apiErrorCode(e) === "BAD_REQUEST" && p.form && !Object.keys(p.fields).length && !/\bENUM\b/.test(p.form)) setRuleError(p.form);
      else setProblems(p);
    }
  };

  const themes = categories.filter((c) => c.parentId === null);
  const enumLabels = d.enumValues.map((v) => ({ value: v.value, label: v.label || v.value, labelEn: v.labelEn || v.value }));
  return (
    <form
      className="grid gap-5 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]"
      onSubmit={(e) => (e.preventDefault(), void persist(false))}
      noValidate
      data-testid="tag-form"
    >
      <div className="space-y-5">
        {!existing && (
          <Card>
            <CardHeader title={t("basicsTitle")} />
            <CardBody className="grid gap-4 sm:grid-cols-2">
              <Field label={t("code")} hint={t("codeHint")} error={fieldError("code")}>
                {({ id, describedBy, invalid }) => (
                  <Input id={id} value={d.code} className="font-mono uppercase" onChange={(e) => set({ code: e.target.value.toUpperCase() })} aria-describedby={describedBy} aria-invalid={invalid || undefined} />
                )}
              </Field>
              <Field label={t("category")} error={fieldError("categoryId")}>
                {({ id }) => (
                  <Select id={id} value={d.categoryId} onChange={(e) => set({ categoryId: e.target.value })}>
                    {themes.map((theme) => (
                      <optgroup key={theme.id} label={name(theme)}>
                        <option value={theme.id}>{name(theme)}</option>
                        {categories
                          .filter((c) => c.parentId === theme.id)
                          .map((c) => (
                            <option key={c.id} value={c.id}>
                              {name(theme)} / {name(c)}
                            </option>
                          ))}
                      </optgroup>
                    ))}
                  </Select>
                )}
              </Field>
              <Field label={t("name")} error={fieldError("name")}>
                {({ id, describedBy, invalid }) => <Input id={id} value={d.name} onChange={(e) => set({ name: e.target.value })} aria-describedby={describedBy} aria-invalid={invalid || undefined} />}
              </Field>
              <Field label={t("nameEn")} error={fieldError("nameEn")}>
                {({ id, describedBy, invalid }) => <Input id={id} value={d.nameEn} onChange={(e) => set({ nameEn: e.target.value })} aria-describedby={describedBy} aria-invalid={invalid || undefined} />}
              </Field>
              <CodeSelect
                label={t("valueType")}
                value={d.valueType}
                codes={VALUE_TYPES}
                labelOf={(v) => tType(v)}
                onChange={(v) => {
                  const valueType = v || "BOOLEAN";
                  set({ valueType, ruleText: templateText(valueType), enumValues: valueType === "TEXT" ? [] : (RULE_TEMPLATES[valueType].enumValues ?? []) });
                  preview.reset();
                }}
              />
              <CodeSelect label={t("sourceKind")} hint={t("sourceKindHint")} value={d.sourceKind} codes={SOURCE_KINDS} labelOf={(v) => tSource(v)} onChange={(v) => set({ sourceKind: v || "RULE" })} />
              <CodeSelect label={t("frequency")} value={d.updateFrequency} codes={FREQUENCIES} labelOf={(v) => tFreq(v)} onChange={(v) => set({ updateFrequency: v || "DAILY" })} />
              <div className="grid grid-cols-2 gap-3">
                <Field label={t("coverageDrift")} hint={t("coverageDriftHint")} error={fieldError("coverageDriftMax")}>
                  {({ id, describedBy }) => <Input id={id} inputMode="decimal" value={d.coverageDriftPct} onChange={(e) => set({ coverageDriftPct: e.target.value })} aria-describedby={describedBy} />}
                </Field>
                <Field label={t("psiMax")} hint={t("psiMaxHint")} error={fieldError("psiMax")}>
                  {({ id, describedBy }) => <Input id={id} inputMode="decimal" value={d.psiMax} onChange={(e) => set({ psiMax: e.target.value })} aria-describedby={describedBy} />}
                </Field>
              </div>
            </CardBody>
          </Card>
        )}

        <Card>
          <CardHeader title={t("definitionTitle")} description={existing ? t("newVersionOf", { code: existing.code, type: tType(d.valueType), source: tSource(d.sourceKind) }) : undefined} />
          <CardBody className="space-y-4">
            <Field label={t("definition")} hint={t("definitionHint")} error={fieldError("definition")}>
              {({ id, describedBy, invalid }) => <Textarea id={id} value={d.definition} onChange={(e) => set({ definition: e.target.value })} aria-describedby={describedBy} aria-invalid={invalid || undefined} />}
            </Field>
            <Field label={t("definitionEn")} error={fieldError("definitionEn")}>
              {({ id, describedBy, invalid }) => <Textarea id={id} value={d.definitionEn} onChange={(e) => set({ definitionEn: e.target.value })} aria-describedby={describedBy} aria-invalid={invalid || undefined} />}
            </Field>
            {d.valueType === "NUMBER" && (
              <Field label={t("unit")} hint={t("unitHint")} className="sm:w-48">
                {({ id, describedBy }) => <Input id={id} value={d.unit} onChange={(e) => set({ unit: e.target.value })} aria-describedby={describedBy} />}
              </Field>
            )}
            {d.valueType === "ENUM" && <EnumValuesEditor rows={d.enumValues} onChange={(enumValues) => set({ enumValues })} error={fieldError("enumValues")} />}
            {computed && (
              <Field label={t("rule")} hint={t("ruleHint")} error={ruleError ?? undefined}>
                {({ id, describedBy, invalid }) => (
                  <Textarea
                    id={id}
                    value={d.ruleText}
                    spellCheck={false}
                    rows={14}
                    className="font-mono text-xs leading-5"
                    onChange={(e) => (set({ ruleText: e.target.value }), setRuleError(null))}
                    aria-describedby={describedBy}
                    aria-invalid={invalid || undefined}
                  />
                )}
              </Field>
            )}
            <Field label={t("changeNote")} error={fieldError("changeNote")}>
              {({ id, describedBy, invalid }) => <Input id={id} value={d.changeNote} onChange={(e) => set({ changeNote: e.target.value })} aria-describedby={describedBy} aria-invalid={invalid || undefined} />}
            </Field>
          </CardBody>
        </Card>
        {problems.form && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200 ring-inset">
            {problems.form}
          </p>
        )}
        {Object.keys(problems.fields).length > 0 && !problems.form && (
          <p role="alert" className="text-sm text-red-600">
            {t("fixFields")}
          </p>
        )}
        <div className="flex flex-wrap gap-2">
          <Button type="submit" variant="secondary" loading={busy && !submit.isPending}>
            {t("saveDraft")}
          </Button>
          <Button onClick={() => void persist(true)} loading={submit.isPending}>
            {t("saveAndSubmit")}
          </Button>
        </div>
      </div>

      {computed && (
        <Card className="self-start xl:sticky xl:top-4">
          <CardHeader
            title={t("previewTitle")}
            description={t("previewDescription")}
            actions={
              <Button variant="secondary" size="sm" onClick={runPreview} loading={preview.isPending}>
                <Eye className="size-4" aria-hidden="true" />
                {t("preview")}
              </Button>
            }
          />
          <CardBody>{preview.data ? <RulePreview preview={preview.data} enumValues={enumLabels} /> : <p className="py-6 text-center text-sm text-slate-500">{t("previewEmpty")}</p>}</CardBody>
        </Card>
      )}
    </form>
  );
}
