"use client";

import { Button, Card, CardBody, CardHeader, Field, Input, ProgressBar, Select, Spinner, buttonClasses } from "@mkt/ui";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Upload } from "lucide-react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useEffect, useState, type FormEvent } from "react";
import { useTRPC } from "@/lib/trpc";
import { IMPORT_KINDS, ImportStatusBadge, RUNNING, type ImportKindCode } from "../import-status";
import { uploadImportFile } from "./upload-request";

const SOURCE_SYSTEM = /^[A-Z][A-Z0-9_]{1,31}$/;

interface Submitted {
  batchId: string;
  status: string;
  errorRows: number;
  stats: { inserted: number; updated: number; unchanged: number } | null;
}

function asSubmitted(body: Record<string, unknown> | null): Submitted | null {
  if (!body || typeof body.batchId !== "string" || typeof body.status !== "string") return null;
  return {
    batchId: body.batchId,
    status: body.status,
    errorRows: Number(body.errorRows ?? 0),
    stats: (body.stats as Submitted["stats"]) ?? null,
  };
}

/**
 * Upload with two progress bars: the transfer (XMLHttpRequest upload events), then — for a file
 * large enough to go to the worker — the batch's own progress, polled until it is final.
 */
export function ImportUpload() {
  const t = useTranslations("data.upload");
  const tKind = useTranslations("data.kind");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<ImportKindCode>("CUSTOMERS");
  const [sourceSystem, setSourceSystem] = useState("CORE");
  const [file, setFile] = useState<File | null>(null);
  const [sent, setSent] = useState<number | null>(null);
  const [submitted, setSubmitted] = useState<Submitted | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<{ file?: string; sourceSystem?: string }>({});

  const running = submitted !== null && RUNNING.includes(submitted.status);
  const batch = useQuery({
    ...trpc.import.get.queryOptions({ batchId: submitted?.batchId ?? "", errorsPageSize: 1 }),
    enabled: running,
    refetchInterval: running ? 1_000 : false,
  });
  useEffect(() => {
    const b = batch.data;
    if (!b || !submitted || b.status === submitted.status) return;
    setSubmitted({ batchId: b.id, status: b.status, errorRows: b.errorRows, stats: b.stats });
    void queryClient.invalidateQueries({ queryKey: trpc.import.list.queryKey() });
  }, [batch.data, submitted, queryClient, trpc]);

  const busy = sent !== null && submitted === null && error === null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const source = sourceSystem.trim().toUpperCase();
    const problems = { file: file ? undefined : t("error.noFile"), sourceSystem: SOURCE_SYSTEM.test(source) ? undefined : t("error.sourceSystem") };
    setFieldError(problems);
    if (!file || problems.sourceSystem) return;
    setSubmitted(null);
    setError(null);
    setSent(0);
    try {
      const res = await uploadImportFile(kind, source, file, setSent);
      const result = asSubmitted(res.body);
      if (result) {
        setSubmitted(result);
        void queryClient.invalidateQueries({ queryKey: trpc.import.list.queryKey() });
      } else if (res.status === 413) setError(t("error.tooLarge"));
      else if (res.status === 401) setError(t("error.unauthorized"));
      else if (res.status === 403) setError(t("error.forbidden"));
      else if (res.status === 400 || res.status === 415) setError(t("error.badRequest", { detail: String(res.body?.error ?? res.status) }));
      else setError(t("error.failed"));
    } catch {
      setError(t("error.failed"));
    }
  };

  const progress = batch.data?.progress ?? 0;
  return (
    <Card>
      <CardHeader title={t("title")} description={t("description")} icon={<Upload className="size-4" aria-hidden="true" />} />
      <CardBody>
        <form onSubmit={submit} className="grid gap-4 md:grid-cols-[repeat(3,minmax(0,1fr))_auto] md:items-start" noValidate>
          <Field label={t("kind")}>
            {({ id }) => (
              <Select id={id} value={kind} onChange={(e) => setKind(e.target.value as ImportKindCode)}>
                {IMPORT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {tKind(k)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label={t("sourceSystem")} hint={t("sourceSystemHint")} error={fieldError.sourceSystem}>
            {({ id, describedBy, invalid }) => (
              <Input
                id={id}
                value={sourceSystem}
                onChange={(e) => setSourceSystem(e.target.value)}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                autoCapitalize="characters"
                maxLength={32}
              />
            )}
          </Field>
          <Field label={t("file")} hint={t("fileHint")} error={fieldError.file}>
            {({ id, describedBy, invalid }) => (
              <Input
                id={id}
                type="file"
                accept=".csv,text/csv"
                className="py-1.5"
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
              />
            )}
          </Field>
          <Button type="submit" loading={busy} className="md:mt-6" icon={<Upload className="size-4" aria-hidden="true" />}>
            {t("submit")}
          </Button>
        </form>

        {sent !== null && (
          <div className="mt-4 space-y-3" aria-live="polite">
            <ProgressBar label={t("uploading")} value={Math.round(sent * 100)} valueText={`${Math.round(sent * 100)}%`} />
            {busy && sent >= 1 && (
              <p className="flex items-center gap-2 text-sm text-slate-600">
                <Spinner className="size-4" /> {t("result.VALIDATING")}
              </p>
            )}
            {running && <ProgressBar label={t("processing")} value={progress} valueText={`${progress}%`} />}
            {submitted && (
              <div className="flex flex-wrap items-center gap-3 text-sm" data-testid="upload-result">
                <ImportStatusBadge status={submitted.status} />
                <span className="text-slate-700">
                  {t(`result.${submitted.status}` as "result.APPLIED", {
                    inserted: submitted.stats?.inserted ?? 0,
                    updated: submitted.stats?.updated ?? 0,
                    unchanged: submitted.stats?.unchanged ?? 0,
                    errors: submitted.errorRows,
                  })}
                </span>
                <Link href={`/data/imports/${submitted.batchId}`} className={buttonClasses("secondary", "sm")}>
                  {t("viewBatch")}
                </Link>
              </div>
            )}
            {error && (
              <p role="alert" className="text-sm text-red-600">
                {error}
              </p>
            )}
          </div>
        )}
      </CardBody>
    </Card>
  );
}
