"use client";

import { Badge, Button, Card, CardHeader, DataTable, cn, focusRing } from "@mkt/ui";
import { useQuery } from "@tanstack/react-query";
import { Download } from "lucide-react";
import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { QueryState } from "@/components/query-state";

type Kind = RouterOutputs["import"]["dictionary"][number];
type FieldDef = Kind["fields"][number];

/** A header line and one example row: a file that passes validation as it is. */
function downloadTemplate(kind: Kind) {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const text = `\ufeff${kind.fields.map((f) => f.key).join(",")}\n${kind.fields.map((f) => quote(f.example)).join(",")}\n`;
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = Object.assign(document.createElement("a"), { href: url, download: `${kind.kind.toLowerCase()}-template.csv` });
  a.click();
  URL.revokeObjectURL(url);
}

/** The data dictionary, one kind at a time, straight from the definitions validation uses. */
export function DictionaryView() {
  const t = useTranslations("data.dictionary");
  const tKind = useTranslations("data.kind");
  const zh = useLocale().startsWith("zh");
  const trpc = useTRPC();
  const dictionary = useQuery(trpc.import.dictionary.queryOptions());
  const [selected, setSelected] = useState("CUSTOMERS");
  const pick = (text: { zh: string; en: string } | null) => (text ? (zh ? text.zh : text.en) : "");

  return (
    <QueryState
      query={dictionary}
      skeletonRows={8}
    >
      {(data) => {
      const kind = data.find((k) => k.kind === selected) ?? data[0]!;
      return (
        <div className="space-y-4">
          <div role="tablist" aria-label={t("title")} className="flex flex-wrap gap-1 rounded-lg bg-slate-100 p-1">
            {data.map((k) => (
              <button
                key={k.kind}
                type="button"
                role="tab"
                aria-selected={k.kind === kind.kind}
                onClick={() => setSelected(k.kind)}
                className={cn(
                  "rounded-md px-3 py-1.5 text-sm font-medium",
                  focusRing,
                  k.kind === kind.kind ? "bg-white text-slate-900 shadow-xs" : "text-slate-600 hover:text-slate-900",
                )}
              >
                {tKind(k.kind)}
              </button>
            ))}
          </div>
          <Card role="tabpanel">
            <CardHeader
              title={pick(kind.label)}
              description={`${pick(kind.description)} · ${t("naturalKey", { key: pick(kind.naturalKey) })}`}
              actions={
                <Button variant="secondary" size="sm" onClick={() => downloadTemplate(kind)} icon={<Download className="size-4" aria-hidden="true" />}>
                  {t("template")}
                </Button>
              }
            />
            <DataTable<FieldDef>
              caption={t("caption", { kind: tKind(kind.kind) })}
              rows={kind.fields}
              rowKey={(f) => f.key}
              testId="dictionary-fields"
              columns={[
                { key: "key", header: t("col.key"), primary: true, cell: (f) => <code className="font-mono text-xs">{f.key}</code> },
                { key: "label", header: t("col.label"), primary: true, cell: (f) => pick(f.label) },
                {
                  key: "required",
                  header: t("col.required"),
                  cell: (f) =>
                    f.required && f.default === null ? (
                      <Badge tone="danger">{t("required")}</Badge>
                    ) : (
                      <span className="text-slate-500">{f.default !== null ? t("default", { value: f.default }) : t("optional")}</span>
                    ),
                },
                { key: "rule", header: t("col.rule"), className: "whitespace-normal min-w-48", cell: (f) => pick(f.rule) },
                { key: "note", header: t("col.note"), className: "whitespace-normal min-w-48", cell: (f) => pick(f.note) || "—" },
                { key: "example", header: t("col.example"), wideOnly: true, cell: (f) => <code className="font-mono text-xs text-slate-600">{f.example}</code> },
              ]}
            />
          </Card>
        </div>
      );
      }}
    </QueryState>
  );
}
