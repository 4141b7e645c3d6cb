"use client";

import { Badge, Button, Dialog, Field, ProgressBar, Select, Textarea, buttonClasses, cn, type BadgeTone } from "@mkt/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { Download, FileDown, ShieldAlert } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { useFormat } from "@/lib/use-localized";

export type ExportItem = RouterOutputs["segmentExport"]["get"];
type Status = ExportItem["status"];

/** Rows an XLSX sheet takes besides its header (Excel's limit). */
const XLSX_MAX_DATA_ROWS = 1_048_575;
const RUNNING: Status[] = ["QUEUED", "RUNNING"];

const TONE: Record<Status, BadgeTone> = {
  PENDING_APPROVAL: "warning",
  QUEUED: "info",
  RUNNING: "brand",
  SUCCEEDED: "success",
  FAILED: "danger",
  REJECTED: "danger",
  EXPIRED: "neutral",
};

export function ExportStatusBadge({ status }: { status: Status }) {
  const t = useTranslations("exports.status");
  return <Badge tone={TONE[status]}>{t(status)}</Badge>;
}

/** Status, progress while it runs, and the download link with its expiry once it is done. */
export function ExportProgress({ item }: { item: ExportItem }) {
  const t = useTranslations("exports");
  const fmt = useFormat();
  const format = useFormatter();
  return (
    <div className="space-y-2" data-testid="export-progress" data-status={item.status}>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <ExportStatusBadge status={item.status} />
        <span className="text-slate-600">{t("rowsOf", { rows: format.number(item.rowsWritten ?? item.rowCount) })}</span>
        <Badge tone={item.masked ? "neutral" : "warning"}>{item.masked ? t("masked") : t("unmasked")}</Badge>
      </div>
      {RUNNING.includes(item.status) && (
        <ProgressBar value={item.progress} label={t("progressLabel")} valueText={`${item.progress}%`} />
      )}
      {item.status === "PENDING_APPROVAL" && <p className="text-sm text-amber-800">{t("waitingApproval")}</p>}
      {item.status === "REJECTED" && <p className="text-sm text-red-700">{t("rejected", { note: item.reviewNote ?? "—" })}</p>}
      {item.status === "FAILED" && <p className="text-sm text-red-700">{t("failed")}</p>}
      {item.status === "SUCCEEDED" && item.downloadUrl && (
        <div className="flex flex-wrap items-center gap-3">
          <a href={item.downloadUrl} className={buttonClasses("primary", "sm")} data-testid="export-download" download>
            <Download className="size-4" aria-hidden="true" /> {t("download", { format: item.format })}
          </a>
          <span className="text-xs text-slate-500">{t("expiresAt", { at: fmt.dateTime(item.expiresAt) })}</span>
        </div>
      )}
    </div>
  );
}

export interface ExportDialogProps {
  segmentId: string;
}

/**
 * The "export" action of a segment (mount it as the detail page's `exportAction` for holders of
 * export:write): choose columns, format and masking, then follow the job to its download link.
 */
export function ExportDialog({ segmentId }: ExportDialogProps) {
  const t = useTranslations("exports");
  const tCommon = useTranslations("common");
  const trpc = useTRPC();
  // The detail page has this query already: the size of the newest snapshot, from the cache.
  const count = useQuery(trpc.segment.get.queryOptions({ segmentId })).data?.count ?? null;
  const [open, setOpen] = useState(false);
  const [exportId, setExportId] = useState<string | null>(null);
  const close = () => {
    setOpen(false);
    setExportId(null);
  };
  return (
    <>
      <Button variant="secondary" size="sm" onClick={() => setOpen(true)} icon={<FileDown className="size-4" aria-hidden="true" />} data-testid="export-open" disabled={!count}>
        {t("open")}
      </Button>
      <Dialog open={open} onClose={close} title={t("title")} description={t("description")} closeLabel={tCommon("close")} className="max-w-2xl">
        {exportId ? <ExportJob exportId={exportId} /> : <ExportForm segmentId={segmentId} count={count ?? 0} onRequested={setExportId} onCancel={close} />}
      </Dialog>
    </>
  );
}

function ExportJob({ exportId }: { exportId: string }) {
  const t = useTranslations("exports");
  const trpc = useTRPC();
  const item = useQuery({
    ...trpc.segmentExport.get.queryOptions({ exportId }),
    refetchInterval: (q) => (q.state.data && RUNNING.includes(q.state.data.status) ? 1_000 : false),
  });
  if (item.isError) return <p role="alert" className="text-sm text-red-700">{t("loadFailed")}</p>;
  if (!item.data) return <ProgressBar value={0} label={t("progressLabel")} valueText="0%" />;
  return (
    <div className="space-y-4">
      <ExportProgress item={item.data} />
      <p className="text-xs text-slate-500">
        {t("auditNote")}{" "}
        <Link href="/segments/exports" className="text-brand-700 underline">
          {t("allExports")}
        </Link>
      </p>
    </div>
  );
}

function ExportForm({ segmentId, count, onRequested, onCancel }: { segmentId: string; count: number; onRequested: (id: string) => void; onCancel: () => void }) {
  const t = useTranslations("exports");
  const tCommon = useTranslations("common");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const options = useQuery(trpc.segmentExport.columns.queryOptions());
  const [chosen, setChosen] = useState<string[] | null>(null);
  const [fileFormat, setFileFormat] = useState<"CSV" | "XLSX">("XLSX");
  const [masked, setMasked] = useState(true);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const request = useMutation(
    trpc.segmentExport.request.mutationOptions({
      onSuccess: (e) => {
        void queryClient.invalidateQueries({ queryKey: trpc.segmentExport.pathKey() });
        onRequested(e.id);
      },
      onError: (e) => setError(e instanceof TRPCClientError ? e.message : t("requestFailed")),
    }),
  );

  if (options.isError) return <p role="alert" className="text-sm text-red-700">{t("loadFailed")}</p>;
  if (!options.data) return <p className="text-sm text-slate-500">{tCommon("loading")}</p>;
  const o = options.data;
  const columns = chosen ?? o.standard.filter((c) => c.default).map((c) => c.key);
  const toggle = (key: string) => setChosen(columns.includes(key) ? columns.filter((k) => k !== key) : [...columns, key]);
  const tagColumns = columns.filter((k) => k.startsWith("tag:"));
  const tooManyForXlsx = count > XLSX_MAX_DATA_ROWS;
  const needsApproval = !masked && count > o.approvalThreshold;
  const reasonMissing = !masked && reason.trim().length < 4;
  const submit = () => {
    setError(null);
    request.mutate({ segmentId, columns, format: tooManyForXlsx ? "CSV" : fileFormat, masked, ...(masked ? {} : { reason: reason.trim() }) });
  };

  return (
    <form
      className="space-y-5"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <p className="text-sm text-slate-600">{t("members", { count: format.number(count) })}</p>
      <fieldset>
        <legend className="mb-2 text-sm font-medium text-slate-800">{t("columns")}</legend>
        <div className="grid grid-cols-2 gap-x-4 gap-y-2 sm:grid-cols-3">
          {o.standard.map((c) => (
            <label key={c.key} className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={columns.includes(c.key)} onChange={() => toggle(c.key)} data-testid={`export-col-${c.key}`} />
              <span>{c.label}</span>
              {c.personal && <span className="text-[10px] text-amber-700">{t("personal")}</span>}
            </label>
          ))}
        </div>
        <div className="mt-3 flex flex-wrap items-end gap-2">
          <Field label={t("addTag")} className="min-w-56 flex-1">
            {({ id }) => (
              <Select id={id} value="" onChange={(e) => e.target.value && setChosen([...columns, e.target.value])} data-testid="export-add-tag">
                <option value="">{t("chooseTag")}</option>
                {o.tags
                  .filter((tag) => !columns.includes(tag.key))
                  .map((tag) => (
                    <option key={tag.key} value={tag.key}>
                      {tag.category} · {tag.label}
                    </option>
                  ))}
              </Select>
            )}
          </Field>
          {tagColumns.map((k) => (
            <button key={k} type="button" onClick={() => toggle(k)} className="rounded-full bg-slate-100 px-2 py-1 text-xs text-slate-700 hover:bg-slate-200" aria-label={t("removeTag", { tag: o.tags.find((x) => x.key === k)?.label ?? k })}>
              {o.tags.find((x) => x.key === k)?.label ?? k} ×
            </button>
          ))}
        </div>
      </fieldset>

      <fieldset>
        <legend className="mb-2 text-sm font-medium text-slate-800">{t("format")}</legend>
        <div className="flex gap-4 text-sm">
          {(["XLSX", "CSV"] as const).map((f) => (
            <label key={f} className={cn("flex items-center gap-2", f === "XLSX" && tooManyForXlsx && "text-slate-400")}>
              <input type="radio" name="export-format" checked={(tooManyForXlsx ? "CSV" : fileFormat) === f} disabled={f === "XLSX" && tooManyForXlsx} onChange={() => setFileFormat(f)} data-testid={`export-format-${f}`} />
              {t(`formatName.${f}`)}
            </label>
          ))}
        </div>
        {tooManyForXlsx && <p className="mt-1 text-xs text-slate-500">{t("xlsxLimit")}</p>}
      </fieldset>

      <fieldset>
        <legend className="mb-2 text-sm font-medium text-slate-800">{t("masking")}</legend>
        <div className="flex flex-col gap-2 text-sm">
          <label className="flex items-center gap-2">
            <input type="radio" name="export-masking" checked={masked} onChange={() => setMasked(true)} data-testid="export-masked" />
            {t("maskedOption")}
          </label>
          <label className={cn("flex items-center gap-2", !o.canUnmask && "text-slate-400")}>
            <input type="radio" name="export-masking" checked={!masked} disabled={!o.canUnmask} onChange={() => setMasked(false)} data-testid="export-unmasked" />
            {t("unmaskedOption")}
            {!o.canUnmask && <span className="text-xs">({t("noUnmaskPermission")})</span>}
          </label>
        </div>
        {!masked && (
          <div className="mt-3 space-y-2">
            <Field label={t("reason")} hint={t("reasonHint")} error={reasonMissing && reason.length > 0 ? t("reasonTooShort") : undefined}>
              {({ id, describedBy, invalid }) => (
                <Textarea id={id} aria-describedby={describedBy} aria-invalid={invalid} rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="export-reason" />
              )}
            </Field>
            {needsApproval && (
              <p className="flex items-center gap-2 rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-800">
                <ShieldAlert className="size-4 shrink-0" aria-hidden="true" />
                {t("approvalNeeded", { threshold: format.number(o.approvalThreshold) })}
              </p>
            )}
          </div>
        )}
      </fieldset>

      {error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <div className="flex justify-end gap-2 border-t border-slate-100 pt-4">
        <Button type="button" variant="secondary" onClick={onCancel}>
          {tCommon("cancel")}
        </Button>
        <Button type="submit" loading={request.isPending} disabled={columns.length === 0 || reasonMissing} data-testid="export-submit">
          {needsApproval ? t("submitForApproval") : t("submit")}
        </Button>
      </div>
    </form>
  );
}
