"use client";

import { Button, Card, CardBody, Field, Input, Select, Textarea, cn } from "@mkt/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Check } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { RouterInputs, RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { useFormat, useLocalizedName } from "@/lib/use-localized";

type Draft = RouterInputs["campaign"]["create"];
type TriggerOp = "eq" | "neq" | "gt" | "gte" | "lt" | "lte";
type Detail = RouterOutputs["campaign"]["get"];
const CHANNELS = ["SMS", "EMAIL", "APP_PUSH", "WECHAT", "CALL", "RM_TASK"] as const;
const STEPS = ["basics", "audience", "schedule"] as const;
const DEFAULT_COST: Record<string, number> = { SMS: 0.05, EMAIL: 0.01, APP_PUSH: 0, WECHAT: 0.02, CALL: 1.5, RM_TASK: 0 };

interface FormState {
  name: string;
  goal: string;
  productIds: number[];
  audienceKind: "SEGMENT" | "EVENT_TRIGGER";
  segmentId: string;
  trigger: { tag: string; op: TriggerOp; value: string };
  scheduleKind: "NOW" | "AT" | "RECURRING" | "ON_TRIGGER";
  startAt: string;
  cron: string;
  triggerDelayMinutes: number;
  budget: string;
  controlSharePct: number;
  quietHoursPolicy: "DEFER" | "DROP";
  attributionDays: number;
  /** The monitoring page's delivery alert fires below this delivery rate (percent; 0: never). */
  deliveryAlertPct: number;
  costPerMessage: Record<string, number>;
}

function initialState(c?: Detail): FormState {
  const trigger = (c?.audience.kind === "EVENT_TRIGGER" ? c.audience.trigger : null) as { tag?: string; op?: string; value?: unknown } | null;
  return {
    name: c?.name ?? "",
    goal: c?.goal ?? "",
    productIds: c?.products.map((p) => p.id) ?? [],
    audienceKind: c?.audience.kind ?? "SEGMENT",
    segmentId: c?.audience.kind === "SEGMENT" ? c.audience.segmentId : "",
    trigger: { tag: trigger?.tag ?? "", op: (trigger?.op as TriggerOp | undefined) ?? "gte", value: trigger?.value === undefined ? "" : String(trigger.value) },
    scheduleKind: c?.schedule.kind ?? "NOW",
    startAt: c?.schedule.startAt ? new Date(c.schedule.startAt).toISOString().slice(0, 16) : "",
    cron: c?.schedule.cron ?? "",
    triggerDelayMinutes: c?.schedule.triggerDelayMinutes ?? 0,
    budget: c?.budget === null || c?.budget === undefined ? "" : String(c.budget),
    controlSharePct: c?.controlSharePct ?? 10,
    quietHoursPolicy: c?.quietHoursPolicy ?? "DEFER",
    attributionDays: c?.attributionDays ?? 14,
    deliveryAlertPct: c?.deliveryAlertPct ?? 80,
    costPerMessage: { ...DEFAULT_COST, ...(c?.costPerMessage ?? {}) },
  };
}

function toDraft(s: FormState): Draft {
  return {
    name: s.name,
    goal: s.goal.trim() || undefined,
    productIds: s.productIds,
    audience:
      s.audienceKind === "SEGMENT"
        ? { kind: "SEGMENT", segmentId: s.segmentId }
        : { kind: "EVENT_TRIGGER", trigger: { tag: s.trigger.tag, op: s.trigger.op, value: Number(s.trigger.value) } },
    schedule: {
      kind: s.audienceKind === "EVENT_TRIGGER" ? "ON_TRIGGER" : s.scheduleKind === "ON_TRIGGER" ? "NOW" : s.scheduleKind,
      startAt: s.scheduleKind === "AT" && s.startAt ? new Date(s.startAt) : undefined,
      cron: s.scheduleKind === "RECURRING" ? s.cron : undefined,
      triggerDelayMinutes: s.triggerDelayMinutes,
    },
    budget: s.budget.trim() === "" ? undefined : Number(s.budget),
    costPerMessage: s.costPerMessage,
    controlSharePct: s.controlSharePct,
    quietHoursPolicy: s.quietHoursPolicy,
    attributionDays: s.attributionDays,
    deliveryAlertPct: s.deliveryAlertPct,
  };
}

/** The create/edit wizard of a campaign's settings: basics → audience → schedule and budget. */
export function CampaignForm({ campaign }: { campaign?: Detail }) {
  const t = useTranslations("campaigns.form");
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const fmt = useFormat();
  const localized = useLocalizedName();
  const options = useQuery(trpc.campaign.options.queryOptions());
  const [s, setS] = useState<FormState>(() => initialState(campaign));
  const [step, setStep] = useState(0);
  const set = (patch: Partial<FormState>) => setS((x) => ({ ...x, ...patch }));

  const create = useMutation(trpc.campaign.create.mutationOptions({ onSuccess: (out) => router.push(`/campaigns/${out.id}/edit?tab=templates`) }));
  const update = useMutation(
    trpc.campaign.update.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.campaign.get.queryKey({ campaignId: campaign!.id }) });
      },
    }),
  );
  const saving = create.isPending || update.isPending;
  const error = create.error ?? update.error;

  const stepValid = [s.name.trim().length > 0, s.audienceKind === "SEGMENT" ? s.segmentId !== "" : s.trigger.tag.trim() !== "" && s.trigger.value.trim() !== "" && Number.isFinite(Number(s.trigger.value)), s.deliveryAlertPct >= 0 && s.deliveryAlertPct <= 100];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (step < STEPS.length - 1) return setStep(step + 1);
    const draft = toDraft(s);
    if (campaign) update.mutate({ campaignId: campaign.id, draft });
    else create.mutate(draft);
  };

  return (
    <Card>
      <ol className="flex flex-wrap gap-2 border-b border-slate-100 px-4 py-3 sm:px-5" aria-label={t("steps")}>
        {STEPS.map((key, i) => (
          <li key={key}>
            <button
              type="button"
              onClick={() => setStep(i)}
              aria-current={i === step ? "step" : undefined}
              className={cn(
                "flex items-center gap-2 rounded-full px-3 py-1 text-sm",
                i === step ? "bg-brand-600 text-white" : i < step ? "bg-brand-50 text-brand-800" : "bg-slate-100 text-slate-600",
              )}
            >
              <span className="grid size-5 place-items-center rounded-full bg-white/20 text-xs">{i < step ? <Check className="size-3" /> : i + 1}</span>
              {t(`step.${key}`)}
            </button>
          </li>
        ))}
      </ol>
      <form onSubmit={submit}>
        <CardBody className="grid max-w-3xl gap-4">
          {step === 0 && (
            <>
              <Field label={t("name")}>{({ id }) => <Input id={id} value={s.name} maxLength={100} required onChange={(e) => set({ name: e.target.value })} data-testid="campaign-name" />}</Field>
              <Field label={t("goal")} hint={t("goalHint")}>
                {({ id, describedBy }) => <Textarea id={id} aria-describedby={describedBy} value={s.goal} maxLength={500} onChange={(e) => set({ goal: e.target.value })} />}
              </Field>
              <fieldset>
                <legend className="mb-1.5 text-sm font-medium text-slate-700">{t("products")}</legend>
                <div className="grid max-h-56 gap-1 overflow-y-auto rounded-md border border-slate-200 p-2 sm:grid-cols-2">
                  {options.data?.products.map((p) => (
                    <label key={p.id} className="flex items-center gap-2 text-sm">
                      <input
                        type="checkbox"
                        checked={s.productIds.includes(p.id)}
                        onChange={(e) => set({ productIds: e.target.checked ? [...s.productIds, p.id] : s.productIds.filter((x) => x !== p.id) })}
                      />
                      <span className="truncate">{localized(p)}</span>
                      <span className="text-xs text-slate-500">{t("risk", { level: p.riskLevel })}</span>
                    </label>
                  ))}
                </div>
                <p className="mt-1 text-xs text-slate-500">{t("productsHint")}</p>
              </fieldset>
            </>
          )}
          {step === 1 && (
            <>
              <Field label={t("audienceKind")}>
                {({ id }) => (
                  <Select id={id} value={s.audienceKind} onChange={(e) => set({ audienceKind: e.target.value as FormState["audienceKind"] })}>
                    <option value="SEGMENT">{t("audience.SEGMENT")}</option>
                    <option value="EVENT_TRIGGER">{t("audience.EVENT_TRIGGER")}</option>
                  </Select>
                )}
              </Field>
              {s.audienceKind === "SEGMENT" ? (
                <Field label={t("segment")} hint={options.data?.segments.length === 0 ? t("noSegments") : t("segmentHint")}>
                  {({ id, describedBy }) => (
                    <Select id={id} aria-describedby={describedBy} value={s.segmentId} onChange={(e) => set({ segmentId: e.target.value })} data-testid="campaign-segment">
                      <option value="">{t("choose")}</option>
                      {options.data?.segments.map((g) => (
                        <option key={g.id} value={g.id}>
                          {g.snapshot ? t("segmentOption", { name: g.name, count: g.snapshot.count, date: fmt.date(g.snapshot.takenAt) }) : g.name}
                        </option>
                      ))}
                    </Select>
                  )}
                </Field>
              ) : (
                <div className="grid gap-3 sm:grid-cols-3">
                  <Field label={t("triggerTag")} hint={t("triggerHint")}>
                    {({ id, describedBy }) => <Input id={id} aria-describedby={describedBy} value={s.trigger.tag} onChange={(e) => set({ trigger: { ...s.trigger, tag: e.target.value } })} />}
                  </Field>
                  <Field label={t("triggerOp")}>
                    {({ id }) => (
                      <Select id={id} value={s.trigger.op} onChange={(e) => set({ trigger: { ...s.trigger, op: e.target.value as TriggerOp } })}>
                        {["eq", "neq", "gt", "gte", "lt", "lte"].map((o) => (
                          <option key={o} value={o}>
                            {t(`ops.${o}`)}
                          </option>
                        ))}
                      </Select>
                    )}
                  </Field>
                  <Field label={t("triggerValue")}>{({ id }) => <Input id={id} type="number" value={s.trigger.value} onChange={(e) => set({ trigger: { ...s.trigger, value: e.target.value } })} />}</Field>
                  <Field label={t("triggerDelay")}>
                    {({ id }) => <Input id={id} type="number" min={0} value={s.triggerDelayMinutes} onChange={(e) => set({ triggerDelayMinutes: Number(e.target.value) })} />}
                  </Field>
                </div>
              )}
              <Field label={t("controlShare")} hint={t("controlShareHint")}>
                {({ id, describedBy }) => (
                  <div className="flex items-center gap-3">
                    <input id={id} aria-describedby={describedBy} type="range" min={0} max={50} step={1} value={s.controlSharePct} onChange={(e) => set({ controlSharePct: Number(e.target.value) })} className="w-64" />
                    <span className="text-sm tabular-nums">{s.controlSharePct}%</span>
                  </div>
                )}
              </Field>
            </>
          )}
          {step === 2 && (
            <>
              {s.audienceKind === "SEGMENT" && (
                <div className="grid gap-3 sm:grid-cols-2">
                  <Field label={t("scheduleKind")}>
                    {({ id }) => (
                      <Select id={id} value={s.scheduleKind} onChange={(e) => set({ scheduleKind: e.target.value as FormState["scheduleKind"] })}>
                        {(["NOW", "AT", "RECURRING"] as const).map((k) => (
                          <option key={k} value={k}>
                            {t(`schedule.${k}`)}
                          </option>
                        ))}
                      </Select>
                    )}
                  </Field>
                  {s.scheduleKind === "AT" && (
                    <Field label={t("startAt")}>{({ id }) => <Input id={id} type="datetime-local" value={s.startAt} required onChange={(e) => set({ startAt: e.target.value })} />}</Field>
                  )}
                  {s.scheduleKind === "RECURRING" && (
                    <Field label={t("cron")} hint={t("cronHint")}>
                      {({ id, describedBy }) => <Input id={id} aria-describedby={describedBy} value={s.cron} required placeholder="0 10 * * 1" onChange={(e) => set({ cron: e.target.value })} />}
                    </Field>
                  )}
                </div>
              )}
              <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-4">
                <Field label={t("budget")} hint={t("budgetHint")}>
                  {({ id, describedBy }) => <Input id={id} aria-describedby={describedBy} type="number" min={0} step="0.01" value={s.budget} onChange={(e) => set({ budget: e.target.value })} data-testid="campaign-budget" />}
                </Field>
                <Field label={t("quietHours")}>
                  {({ id }) => (
                    <Select id={id} value={s.quietHoursPolicy} onChange={(e) => set({ quietHoursPolicy: e.target.value as "DEFER" | "DROP" })}>
                      <option value="DEFER">{t("quiet.DEFER")}</option>
                      <option value="DROP">{t("quiet.DROP")}</option>
                    </Select>
                  )}
                </Field>
                <Field label={t("attributionDays")}>
                  {({ id }) => <Input id={id} type="number" min={1} max={90} value={s.attributionDays} onChange={(e) => set({ attributionDays: Number(e.target.value) })} />}
                </Field>
                <Field label={t("deliveryAlert")} hint={t("deliveryAlertHint")}>
                  {({ id, describedBy }) => (
                    <Input
                      id={id}
                      aria-describedby={describedBy}
                      type="number"
                      min={0}
                      max={100}
                      step="0.1"
                      value={s.deliveryAlertPct}
                      onChange={(e) => set({ deliveryAlertPct: Number(e.target.value) })}
                      data-testid="campaign-delivery-alert"
                    />
                  )}
                </Field>
              </div>
              <fieldset>
                <legend className="mb-1.5 text-sm font-medium text-slate-700">{t("costPerMessage")}</legend>
                <div className="grid gap-2 sm:grid-cols-3">
                  {CHANNELS.map((ch) => (
                    <label key={ch} className="flex items-center gap-2 text-sm">
                      <span className="w-24 text-slate-600">{t(`channel.${ch}`)}</span>
                      <Input
                        type="number"
                        min={0}
                        step="0.01"
                        className="w-24"
                        value={s.costPerMessage[ch] ?? 0}
                        onChange={(e) => set({ costPerMessage: { ...s.costPerMessage, [ch]: Number(e.target.value) } })}
                      />
                    </label>
                  ))}
                </div>
              </fieldset>
            </>
          )}
          {error && (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
              {error.message}
            </p>
          )}
          {update.isSuccess && !saving && <p className="text-sm text-emerald-700">{t("saved")}</p>}
          <div className="flex flex-wrap gap-2">
            {step > 0 && (
              <Button variant="secondary" onClick={() => setStep(step - 1)}>
                {t("back")}
              </Button>
            )}
            <Button type="submit" loading={saving} disabled={!stepValid[step]} data-testid="campaign-form-next">
              {step < STEPS.length - 1 ? t("next") : campaign ? t("save") : t("create")}
            </Button>
          </div>
        </CardBody>
      </form>
    </Card>
  );
}
