"use client";

import { Button, Card, CardBody, CardHeader, Field, ProgressBar, StatCard, Textarea, combineQueries } from "@mkt/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Check, X } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { QueryState } from "@/components/query-state";
import { useTRPC } from "@/lib/trpc";
import { useFormat } from "@/lib/use-localized";
import { SuppressionChart } from "./suppression-chart";
import { TemplateWarnings } from "./template-warnings";

/**
 * The approval page: the audience after the guardrails (by reason), sample messages, the estimated
 * cost against the budget, and — for an approver who is not the author — approve / reject with a note.
 */
export function ApprovalReview({ campaignId, canApprove }: { campaignId: string; canApprove: boolean }) {
  const t = useTranslations("campaigns.review");
  const tCh = useTranslations("campaigns.channel");
  const tStatus = useTranslations("campaigns.status");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const format = useFormatter();
  const fmt = useFormat();
  const campaign = useQuery(trpc.campaign.get.queryOptions({ campaignId }));
  const review = useQuery(trpc.campaign.review.queryOptions({ campaignId }));
  const [note, setNote] = useState("");
  const done = { onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.campaign.pathKey() }) };
  const approve = useMutation(trpc.campaign.approve.mutationOptions(done));
  const reject = useMutation(trpc.campaign.reject.mutationOptions(done));

  return (
    <QueryState query={combineQueries(review, campaign)} skeletonRows={6} describeError={(e) => (e instanceof Error ? e.message : undefined)}>
      {([r, c]) => {
        const a = r.audience;
        const isAuthor = c.byViewer;
        const pending = c.status === "PENDING_APPROVAL";
        const error = approve.error ?? reject.error;

        return (
          <div className="space-y-4" data-testid="approval-review">
            {a.ok ? (
              <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
                <StatCard label={t("audienceTotal")} value={format.number(a.total)} />
                <StatCard label={t("control", { pct: c.controlSharePct })} value={format.number(a.control)} />
                <StatCard label={t("suppressed")} value={format.number(a.suppressed.reduce((s, x) => s + x.count, 0))} />
                <StatCard label={t("eligible")} value={<span data-testid="review-eligible">{format.number(a.eligible)}</span>} />
              </div>
            ) : (
              <p className="rounded-md border border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-800">{t("noAudience", { message: a.message })}</p>
            )}
            <div className="grid gap-4 xl:grid-cols-2">
              <Card>
                <CardHeader title={t("suppressedTitle")} description={t("suppressedHint")} />
                <CardBody>{a.ok ? <SuppressionChart rows={a.suppressed} /> : <p className="text-sm text-slate-500">—</p>}</CardBody>
              </Card>
              <Card>
                <CardHeader title={t("costTitle")} description={t("costHint")} />
                <CardBody className="space-y-3">
                  <dl className="grid grid-cols-2 gap-2 text-sm">
                    <dt className="text-slate-500">{t("costPerCustomer")}</dt>
                    <dd className="text-right tabular-nums">{fmt.money(r.cost.perCustomer)}</dd>
                    <dt className="text-slate-500">{t("costTotal")}</dt>
                    <dd className="text-right font-semibold tabular-nums" data-testid="review-cost">
                      {fmt.money(r.cost.total)}
                    </dd>
                    <dt className="text-slate-500">{t("budget")}</dt>
                    <dd className="text-right tabular-nums">{r.cost.budget === null ? t("noBudget") : fmt.money(r.cost.budget)}</dd>
                  </dl>
                  {r.cost.budget !== null && (
                    <ProgressBar
                      label={t("costTitle")}
                      value={r.cost.total}
                      max={r.cost.budget}
                      tone={r.cost.overBudget ? "danger" : "brand"}
                      valueText={format.number(r.cost.budget > 0 ? r.cost.total / r.cost.budget : 0, { style: "percent" })}
                    />
                  )}
                  {r.cost.overBudget && <p className="text-sm font-medium text-red-700">{t("overBudget")}</p>}
                </CardBody>
              </Card>
            </div>
            <Card>
              <CardHeader title={t("samplesTitle")} description={t("samplesHint")} />
              <CardBody>
                {r.samples.length === 0 ? (
                  <p className="text-sm text-slate-500">{r.flowValid ? t("noSamples") : t("flowInvalid")}</p>
                ) : (
                  <ul className="grid gap-3 md:grid-cols-2 xl:grid-cols-3" data-testid="review-samples">
                    {r.samples.map((s, i) => (
                      <li key={i} className="rounded-lg bg-slate-100 p-3 text-sm">
                        <p className="mb-1 text-xs text-slate-500">
                          {tCh(s.channel)} · {s.stepLabel ?? s.stepId} · {s.customerLabel}
                        </p>
                        {s.subject && <p className="font-semibold">{s.subject}</p>}
                        <p className="whitespace-pre-wrap text-slate-800">{s.body}</p>
                        <TemplateWarnings warnings={s.warnings} sendable={s.sendable} />
                      </li>
                    ))}
                  </ul>
                )}
              </CardBody>
            </Card>
            {canApprove && pending && (
              <Card>
                <CardHeader title={t("decisionTitle")} description={isAuthor ? t("ownCampaign") : t("decisionHint")} />
                <CardBody className="space-y-3">
                  <Field label={t("note")} hint={t("noteHint")}>
                    {({ id, describedBy }) => <Textarea id={id} aria-describedby={describedBy} value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} data-testid="review-note" />}
                  </Field>
                  {error && (
                    <p role="alert" className="text-sm text-red-700">
                      {error.message}
                    </p>
                  )}
                  <div className="flex flex-wrap gap-2">
                    <Button icon={<Check className="size-4" />} loading={approve.isPending} disabled={isAuthor} onClick={() => approve.mutate({ campaignId, note: note.trim() || undefined })} data-testid="review-approve">
                      {t("approve")}
                    </Button>
                    <Button variant="danger" icon={<X className="size-4" />} loading={reject.isPending} disabled={isAuthor || !note.trim()} onClick={() => reject.mutate({ campaignId, note })} data-testid="review-reject">
                      {t("reject")}
                    </Button>
                  </div>
                </CardBody>
              </Card>
            )}
            {!pending && c.decidedAt && (
              <p className="text-sm text-slate-600">{t("decided", { status: tStatus(c.status), by: c.approvedBy?.name ?? "—", at: fmt.dateTime(c.decidedAt), note: c.decisionNote ?? "—" })}</p>
            )}
          </div>
        );
      }}
    </QueryState>
  );
}
