"use client";

import { Button, Card, CardBody, CardHeader, EmptyState, Field, Input, Select, Textarea } from "@mkt/ui";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { FileText, Plus, Save, Trash2 } from "lucide-react";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import type { RouterInputs, RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { TemplateWarnings } from "./template-warnings";

type Template = RouterInputs["campaign"]["saveTemplates"]["templates"][number];
type Detail = RouterOutputs["campaign"]["get"];
const CHANNELS = ["SMS", "EMAIL", "APP_PUSH", "WECHAT", "CALL"] as const;
const VARIABLES = ["name", "salutation", "product", "link"] as const;

/** Waits until the value has stopped changing for `ms` (the preview follows typing, not every key). */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

function fromDetail(c: Detail): Template[] {
  return c.templates.map((t) => ({
    id: t.id,
    channel: t.channel as Template["channel"],
    name: t.name,
    subject: t.subject ?? undefined,
    body: t.body,
    optOutText: t.optOutText ?? undefined,
    linkUrl: t.linkUrl ?? undefined,
  }));
}

/** The campaign's templates per channel: variables, the opt-out line of marketing SMS, a live preview. */
export function TemplateEditor({ campaign, readOnly }: { campaign: Detail; readOnly: boolean }) {
  const t = useTranslations("campaigns.templates");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [templates, setTemplates] = useState<Template[]>(() => fromDetail(campaign));
  const [selected, setSelected] = useState(0);
  const [dirty, setDirty] = useState(false);
  const current = templates[selected];

  const save = useMutation(
    trpc.campaign.saveTemplates.mutationOptions({
      onSuccess: (out) => {
        setTemplates((ts) => ts.map((x, i) => ({ ...x, id: out.ids[i] })));
        setDirty(false);
        void queryClient.invalidateQueries({ queryKey: trpc.campaign.get.queryKey({ campaignId: campaign.id }) });
      },
    }),
  );

  const patch = (p: Partial<Template>) => {
    setTemplates((ts) => ts.map((x, i) => (i === selected ? { ...x, ...p } : x)));
    setDirty(true);
  };
  const add = (channel: Template["channel"]) => {
    setTemplates((ts) => [
      ...ts,
      {
        channel,
        name: t("newName", { channel: t(`channel.${channel}`) }),
        body: t.raw(`starter.${channel}`) as string,
        subject: channel === "EMAIL" ? t("starterSubject") : undefined,
        optOutText: channel === "SMS" ? t("defaultOptOut") : undefined,
      },
    ]);
    setSelected(templates.length);
    setDirty(true);
  };

  return (
    <div className="grid gap-4 lg:grid-cols-[15rem_minmax(0,1fr)]">
      <Card>
        <CardHeader title={t("title")} />
        <ul className="divide-y divide-slate-100" data-testid="template-list">
          {templates.map((x, i) => (
            <li key={x.id ?? `new-${i}`}>
              <button
                type="button"
                onClick={() => setSelected(i)}
                aria-current={i === selected || undefined}
                className="block w-full px-4 py-2 text-left text-sm hover:bg-slate-50 aria-[current]:bg-brand-50"
              >
                <span className="block truncate font-medium text-slate-800">{x.name}</span>
                <span className="text-xs text-slate-500">{t(`channel.${x.channel}`)}</span>
              </button>
            </li>
          ))}
        </ul>
        {!readOnly && (
          <CardBody className="border-t border-slate-100">
            <Field label={t("add")}>
              {({ id }) => (
                <Select id={id} value="" onChange={(e) => e.target.value && add(e.target.value as Template["channel"])} data-testid="template-add">
                  <option value="">{t("addChoose")}</option>
                  {CHANNELS.map((c) => (
                    <option key={c} value={c}>
                      {t(`channel.${c}`)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </CardBody>
        )}
      </Card>

      {current ? (
        <div className="grid gap-4 xl:grid-cols-2">
          <Card>
            <CardHeader
              title={t("edit", { channel: t(`channel.${current.channel}`) })}
              actions={
                !readOnly && (
                  <>
                    <Button
                      variant="ghost"
                      size="sm"
                      icon={<Trash2 className="size-4" />}
                      onClick={() => {
                        setTemplates((ts) => ts.filter((_, i) => i !== selected));
                        setSelected(0);
                        setDirty(true);
                      }}
                    >
                      {t("remove")}
                    </Button>
                    <Button size="sm" icon={<Save className="size-4" />} loading={save.isPending} disabled={!dirty} onClick={() => save.mutate({ campaignId: campaign.id, templates })} data-testid="templates-save">
                      {t("save")}
                    </Button>
                  </>
                )
              }
            />
            <CardBody>
              <fieldset disabled={readOnly} className="space-y-3">
                <Field label={t("name")}>{({ id }) => <Input id={id} value={current.name} maxLength={100} onChange={(e) => patch({ name: e.target.value })} />}</Field>
                {current.channel === "EMAIL" && (
                  <Field label={t("subject")}>{({ id }) => <Input id={id} value={current.subject ?? ""} maxLength={200} onChange={(e) => patch({ subject: e.target.value })} />}</Field>
                )}
                <Field label={t("body")} hint={t.raw("variablesHint") as string}>
                  {({ id, describedBy }) => (
                    <Textarea id={id} aria-describedby={describedBy} rows={6} value={current.body} maxLength={2000} onChange={(e) => patch({ body: e.target.value })} data-testid="template-body" />
                  )}
                </Field>
                <div className="flex flex-wrap gap-1.5">
                  {VARIABLES.map((v) => (
                    <Button key={v} variant="secondary" size="sm" onClick={() => patch({ body: `${current.body}{{${v}}}` })}>
                      {`{{${v}}}`} · {t(`variables.${v}`)}
                    </Button>
                  ))}
                </div>
                {current.channel === "SMS" && (
                  <Field label={t("optOut")} hint={t("optOutHint")}>
                    {({ id, describedBy }) => <Input id={id} aria-describedby={describedBy} value={current.optOutText ?? ""} maxLength={100} onChange={(e) => patch({ optOutText: e.target.value })} />}
                  </Field>
                )}
                <Field label={t("linkUrl")} hint={t.raw("linkUrlHint") as string}>
                  {({ id, describedBy }) => <Input id={id} aria-describedby={describedBy} type="url" value={current.linkUrl ?? ""} onChange={(e) => patch({ linkUrl: e.target.value || undefined })} />}
                </Field>
                {save.isError && (
                  <p role="alert" className="text-sm text-red-700">
                    {save.error.message}
                  </p>
                )}
                {dirty && !readOnly && <p className="text-xs text-amber-700">{t("unsaved")}</p>}
              </fieldset>
            </CardBody>
          </Card>
          <TemplatePreview campaignId={campaign.id} template={current} />
        </div>
      ) : (
        <Card>
          <EmptyState icon={<FileText />} title={t("empty")} description={t("emptyHint")} />
        </Card>
      )}
      {!readOnly && templates.length === 0 && (
        <div className="lg:col-start-2">
          <Button variant="secondary" icon={<Plus className="size-4" />} onClick={() => add("SMS")}>
            {t("addSms")}
          </Button>
        </div>
      )}
    </div>
  );
}

/** The message as a sample customer of the audience would get it (name masked as the channel requires). */
function TemplatePreview({ campaignId, template }: { campaignId: string; template: Template }) {
  const t = useTranslations("campaigns.templates");
  const trpc = useTRPC();
  const debounced = useDebounced(template, 400);
  const preview = useQuery({
    ...trpc.campaign.previewTemplate.queryOptions({
      campaignId,
      template: { channel: debounced.channel, subject: debounced.subject, body: debounced.body || " ", optOutText: debounced.optOutText, linkUrl: debounced.linkUrl },
    }),
    placeholderData: keepPreviousData,
  });
  return (
    <Card aria-busy={preview.isFetching}>
      <CardHeader title={t("preview")} description={preview.data ? t("previewFor", { customer: preview.data.customerLabel }) : undefined} />
      <CardBody>
        {preview.isError ? (
          <p className="text-sm text-red-700">{preview.error.message}</p>
        ) : preview.data ? (
          <div className="mx-auto max-w-sm rounded-2xl bg-slate-100 p-4" data-testid="template-preview">
            {preview.data.subject && <p className="mb-2 text-sm font-semibold text-slate-900">{preview.data.subject}</p>}
            <p className="text-sm whitespace-pre-wrap text-slate-800" data-testid="template-preview-body">
              {preview.data.body}
            </p>
            <p className="mt-3 text-xs text-slate-500">
              {t("length", { chars: preview.data.length, segments: preview.data.segments })}
            </p>
            <TemplateWarnings warnings={preview.data.warnings} sendable={preview.data.sendable} />
          </div>
        ) : (
          <p className="text-sm text-slate-500">{t("previewLoading")}</p>
        )}
      </CardBody>
    </Card>
  );
}
