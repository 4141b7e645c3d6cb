"use client";

import { Button, Input } from "@mkt/ui";
import { Plus, X } from "lucide-react";
import { useTranslations } from "next-intl";

export interface EnumValueRow {
  value: string;
  label: string;
  labelEn: string;
}

/** The labelled values of an ENUM tag: code (what rules and segments use), Chinese and English label. */
export function EnumValuesEditor({ rows, onChange, error }: { rows: EnumValueRow[]; onChange: (rows: EnumValueRow[]) => void; error?: string }) {
  const t = useTranslations("tags.form");
  const set = (i: number, patch: Partial<EnumValueRow>) => onChange(rows.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="space-y-2" data-testid="enum-values">
      <legend className="text-sm font-medium text-slate-700">{t("enumValues")}</legend>
      <p className="text-xs text-slate-500">{t("enumValuesHint")}</p>
      {rows.map((r, i) => (
        <div key={i} className="grid grid-cols-[1fr_1fr_1fr_auto] gap-2">
          <Input aria-label={t("enumValue", { n: i + 1 })} value={r.value} placeholder="VALUE" className="font-mono" onChange={(e) => set(i, { value: e.target.value })} />
          <Input aria-label={t("enumLabel", { n: i + 1 })} value={r.label} placeholder={t("enumLabelPlaceholder")} onChange={(e) => set(i, { label: e.target.value })} />
          <Input aria-label={t("enumLabelEn", { n: i + 1 })} value={r.labelEn} placeholder="Label" onChange={(e) => set(i, { labelEn: e.target.value })} />
          <Button variant="ghost" size="sm" aria-label={t("removeValue", { n: i + 1 })} onClick={() => onChange(rows.filter((_, k) => k !== i))}>
            <X className="size-4" aria-hidden="true" />
          </Button>
        </div>
      ))}
      <Button variant="secondary" size="sm" onClick={() => onChange([...rows, { value: "", label: "", labelEn: "" }])}>
        <Plus className="size-4" aria-hidden="true" />
        {t("addValue")}
      </Button>
      {error && <p className="text-xs text-red-600">{error}</p>}
    </fieldset>
  );
}
