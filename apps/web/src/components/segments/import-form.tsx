"use client";

import { Badge, Button, Card, CardBody, CardHeader, DataTable, EmptyState, Field, Input, ProgressBar, Select, Spinner, buttonClasses } from "@mkt/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { CheckCircle2, FileUp, ListX } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";

type ImportResult = RouterOutputs["segment"]["import"];
type ReportRow = RouterOutputs["segment"]["importReport"]["items"][number];
const MATCH_KINDS = ["CUSTOMER_NO", "PHONE", "CERT_NO"] as const;
const MAX_BYTES = 30 * 1024 * 1024;
const RUNNING = ["PENDING", "MATCHING"];

function readAsBase64(file: File, onProgress: (fraction: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error ?? new Error("read failed"));
    reader.readAsDataURL(file);
  });
}

/** 导入建群: a list file becomes a static segment; every row that did not match is reported by line. */
export function ImportForm() {
  const t = useTranslations("segments.import");
  const tMatch = useTranslations("segments.import.matchBy");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [matchBy, setMatchBy] = useState<(typeof MATCH_KINDS)[number]>("PHONE");
  const [file, setFile] = useState<File | null>(null);
  const [read, setRead] = useState<number | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<{ name?: string; file?: string }>({});

  const submitImport = useMutation(
    trpc.segment.import.mutationOptions({
      onSuccess: (out) => (setResult(out), queryClient.invalidateQueries({ queryKey: trpc.segment.pathKey() })),
      onError: (err) => setError(err instanceof TRPCClientError ? err.message : t("failed")),
    }),
  );
  const running = result !== null && RUNNING.includes(result.status);
  const polled = useQuery({ ...trpc.segment.importGet.queryOptions({ importId: result?.id ?? "" }), enabled: running, refetchInterval: running ? 1_000 : false });
  const current = polled.data && result && polled.data.id === result.id ? polled.data : result;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems = { name: name.trim() ? undefined : t("nameRequired"), file: !file ? t("noFile") : file.size > MAX_BYTES ? t("tooLarge") : undefined };
    setFieldError(problems);
    if (problems.name || problems.file || !file) return;
    setError(null);
    setResult(null);
    setRead(0);
    try {
      const contentBase64 = await readAsBase64(file, setRead);
      setRead(1);
      submitImport.mutate({ name: name.trim(), matchBy, fileName: file.name, contentBase64 });
    } catch {
      setError(t("failed"));
    }
  };

  return (
    <div className="space-y-5">
      <Card>
        <CardHeader title={t("title")} description={t("description")} icon={<FileUp className="size-4" aria-hidden="true" />} />
        <CardBody>
          <form onSubmit={submit} noValidate className="grid gap-4 md:grid-cols-[minmax(0,1fr)_12rem_minmax(0,1fr)_auto] md:items-start">
            <Field label={t("name")} error={fieldError.name}>
              {({ id, describedBy, invalid }) => <Input id={id} value={name} maxLength={80} onChange={(e) => setName(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} data-testid="import-name" />}
            </Field>
            <Field label={t("matchByLabel")}>
              {({ id }) => (
                <Select id={id} value={matchBy} onChange={(e) => setMatchBy(e.target.value as typeof matchBy)} data-testid="import-match-by">
                  {MATCH_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {tMatch(k)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label={t("file")} hint={t("fileHint")} error={fieldError.file}>
              {({ id, describedBy, invalid }) => (
                <Input
                  id={id}
                  type="file"
                  accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                  className="py-1.5"
                  onChange={(e) => setFile(e.target.files?.[0] ?? null)}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                  data-testid="import-file"
                />
              )}
            </Field>
            <Button type="submit" className="md:mt-6" loading={submitImport.isPending} icon={<FileUp className="size-4" aria-hidden="true" />} data-testid="import-submit">
              {t("submit")}
            </Button>
          </form>
          {read !== null && (
            <div className="mt-4 space-y-3" aria-live="polite">
              <ProgressBar label={t("reading")} value={Math.round(read * 100)} valueText={`${Math.round(read * 100)}%`} />
              {submitImport.isPending && (
                <p className="flex items-center gap-2 text-sm text-slate-600">
                  <Spinner className="size-4" /> {t("matching")}
                </p>
              )}
              {running && current && <ProgressBar label={t("matching")} value={current.progress} valueText={`${current.progress}%`} />}
              {error && (
                <p role="alert" className="text-sm text-red-600">
                  {error}
                </p>
              )}
            </div>
          )}
        </CardBody>
      </Card>
      {current && !running && <ImportOutcome result={current} />}
    </div>
  );
}

function ImportOutcome({ result }: { result: ImportResult }) {
  const t = useTranslations("segments.import");
  const format = useFormatter();
  const applied = result.status === "APPLIED";
  return (
    <Card data-testid="import-result">
      <CardHeader
        title={applied ? t("appliedTitle", { count: format.number(result.matchedRows) }) : t("rejectedTitle")}
        icon={applied ? <CheckCircle2 className="size-4 text-emerald-600" aria-hidden="true" /> : <ListX className="size-4 text-red-600" aria-hidden="true" />}
        actions={
          applied && result.segmentId ? (
            <Link href={`/segments/${result.segmentId}`} className={buttonClasses("primary", "sm")}>
              {t("openSegment")}
            </Link>
          ) : undefined
        }
      />
      <CardBody className="space-y-4">
        {result.error && (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700" data-testid="import-error">
            {t(`error.${result.error.code}` as "error.NO_COLUMN")} — {result.error.message}
          </p>
        )}
        <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-5">
          {(
            [
              ["totalRows", result.totalRows],
              ["matchedRows", result.matchedRows],
              ["unmatchedRows", result.unmatchedRows],
              ["invalidRows", result.invalidRows],
              ["duplicateRows", result.duplicateRows],
            ] as const
          ).map(([k, v]) => (
            <div key={k} className="rounded-md bg-slate-50 px-3 py-2">
              <dt className="text-xs text-slate-500">{t(`stat.${k}`)}</dt>
              <dd className="text-lg font-semibold text-slate-900 tabular-nums" data-testid={`import-${k}`}>
                {format.number(v)}
              </dd>
            </div>
          ))}
        </dl>
        <UnmatchedReport importId={result.id} />
      </CardBody>
    </Card>
  );
}

const CODE_TONES = { INVALID: "danger", DUPLICATE: "neutral", UNMATCHED: "warning", AMBIGUOUS: "info" } as const;

function UnmatchedReport({ importId }: { importId: string }) {
  const t = useTranslations("segments.import");
  const trpc = useTRPC();
  const report = useQuery(trpc.segment.importReport.queryOptions({ importId, pageSize: 500 }));
  if (!report.data) return null;
  if (report.data.total === 0) return <EmptyState icon={<CheckCircle2 />} title={t("allMatched")} />;
  return (
    <div>
      <h3 className="mb-2 text-sm font-semibold text-slate-900">{t("reportTitle", { total: report.data.total })}</h3>
      <DataTable<ReportRow>
        caption={t("reportTitle", { total: report.data.total })}
        rows={report.data.items}
        rowKey={(r) => `${r.line}-${r.code}`}
        testId="import-report"
        columns={[
          { key: "line", header: t("col.line"), primary: true, cell: (r) => <span className="tabular-nums">{r.line}</span> },
          { key: "code", header: t("col.code"), primary: true, cell: (r) => <Badge tone={CODE_TONES[r.code]}>{t(`code.${r.code}`)}</Badge> },
          { key: "value", header: t("col.value"), cell: (r) => <span className="font-mono text-xs">{r.valueMasked ?? "—"}</span> },
        ]}
      />
      {report.data.total > report.data.items.length && <p className="mt-2 text-xs text-slate-500">{t("reportTruncated", { shown: report.data.items.length })}</p>}
    </div>
  );
}
