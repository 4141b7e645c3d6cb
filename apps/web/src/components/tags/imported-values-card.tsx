"use client";

import { Card, CardBody, CardHeader, DataTable } from "@mkt/ui";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { FileUp } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { problemsOf } from "./problems";

type Result = RouterOutputs["tag"]["importValues"];
type Problem = Extract<Result, { applied: false }>["problems"][number];
const MAX_BYTES = 8 * 1024 * 1024;

async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Upload of an IMPORTED tag's values (CSV customer_no,value): all applied, or every bad line listed. */
export function ImportedValuesCard({ code }: { code: string }) {
  const t = useTranslations("tags.importValues");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const upload = useMutation(
    trpc.tag.importValues.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.tag.get.queryKey({ code }) }),
      onError: (e) => setError(problemsOf(e).form),
    }),
  );
  const choose = async (file: File | undefined) => {
    setError(null);
    upload.reset();
    if (!file) return;
    if (file.size > MAX_BYTES) return setError(t("tooLarge"));
    upload.mutate({ code, fileName: file.name, contentBase64: await base64Of(file) });
  };
  const result = upload.data;
  return (
    <Card>
      <CardHeader title={t("title")} description={t("description")} icon={<FileUp className="size-4" aria-hidden="true" />} />
      <CardBody className="space-y-3">
        <label className="block text-sm text-slate-700">
          <span className="mb-1.5 block font-medium">{t("file")}</span>
          <input
            type="file"
            accept=".csv,text/csv"
            disabled={upload.isPending}
            onChange={(e) => void choose(e.target.files?.[0])}
            className="block text-sm file:mr-3 file:rounded-md file:border-0 file:bg-brand-50 file:px-3 file:py-1.5 file:text-brand-700"
          />
        </label>
        {upload.isPending && <p className="text-sm text-slate-500">{t("uploading")}</p>}
        {error && (
          <p role="alert" className="text-sm text-red-600">
            {error}
          </p>
        )}
        {result?.applied && (
          <p role="status" className="text-sm text-emerald-700" data-testid="import-values-applied">
            {t("applied", { rows: result.rows })}
          </p>
        )}
      </CardBody>
      {result && !result.applied && (
        <>
          <p role="alert" className="px-4 pb-2 text-sm text-red-700 sm:px-5">
            {t("refused", { count: result.problemCount })}
          </p>
          <DataTable<Problem>
            caption={t("problems")}
            rows={result.problems}
            rowKey={(p) => `${p.line}:${p.field ?? ""}`}
            testId="import-values-problems"
            columns={[
              { key: "line", header: t("line"), primary: true, cell: (p) => <span className="font-mono tabular-nums">{p.line}</span> },
              { key: "field", header: t("field"), primary: true, cell: (p) => p.field ?? "—" },
              { key: "message", header: t("message"), wrap: true, cell: (p) => <span className="text-red-700">{p.message}</span> },
            ]}
          />
        </>
      )}
    </Card>
  );
}
