/**
 * The columns an export may carry: a fixed set of customer columns and any published tag
 * (`tag:<CODE>`). AUM and risk level are the current tag run's AUM_LATEST and RISK_LEVEL — the
 * same values segments are built on. Name, mobile, ID number and card number are personal data:
 * masked unless the export is approved unmasked.
 */
import { z } from "zod";
import type { Db } from "@mkt/db";
import type { CustomerField } from "@mkt/db/exports/member-rows";
import type { PiiKind } from "../auth/masking";
import { DomainError } from "../domain-error";

export const STANDARD_COLUMNS = [
  "customerNo",
  "name",
  "gender",
  "phone",
  "certNo",
  "cardNo",
  "branch",
  "rm",
  "city",
  "openedAt",
  "aum",
  "riskLevel",
] as const;
export type StandardColumn = (typeof STANDARD_COLUMNS)[number];

/** The default choice of the export dialog (and the benchmark's 10 columns). */
export const DEFAULT_COLUMNS: StandardColumn[] = ["customerNo", "name", "phone", "certNo", "cardNo", "branch", "rm", "openedAt", "aum", "riskLevel"];

const TAG_COLUMN = /^tag:[A-Z][A-Z0-9_]{0,63}$/;
export const exportColumnSchema = z.union([z.enum(STANDARD_COLUMNS), z.string().regex(TAG_COLUMN, "a tag column is tag:<TAG_CODE>")]);
export const exportColumnsSchema = z
  .array(exportColumnSchema)
  .min(1, "choose at least one column")
  .max(40, "at most 40 columns")
  .refine((cols) => new Set(cols).size === cols.length, "a column is chosen twice");
export type ExportColumn = z.infer<typeof exportColumnSchema>;

type Source =
  | { kind: "field"; field: CustomerField; pii?: PiiKind }
  | { kind: "branch" }
  | { kind: "rm" }
  | { kind: "tag"; code: string };

const STANDARD: Record<StandardColumn, { source: Source; zh: string; en: string }> = {
  customerNo: { source: { kind: "field", field: "customerNo" }, zh: "客户号", en: "Customer no." },
  name: { source: { kind: "field", field: "name", pii: "name" }, zh: "姓名", en: "Name" },
  gender: { source: { kind: "field", field: "gender" }, zh: "性别", en: "Gender" },
  phone: { source: { kind: "field", field: "phone", pii: "phone" }, zh: "手机号", en: "Mobile" },
  certNo: { source: { kind: "field", field: "certNo", pii: "certNo" }, zh: "证件号码", en: "ID number" },
  cardNo: { source: { kind: "field", field: "cardNo", pii: "cardNo" }, zh: "借记卡号", en: "Debit card no." },
  branch: { source: { kind: "branch" }, zh: "所属机构", en: "Branch" },
  rm: { source: { kind: "rm" }, zh: "客户经理", en: "RM" },
  city: { source: { kind: "field", field: "city" }, zh: "城市", en: "City" },
  openedAt: { source: { kind: "field", field: "openedAt" }, zh: "开户日期", en: "Customer since" },
  aum: { source: { kind: "tag", code: "AUM_LATEST" }, zh: "月末AUM", en: "AUM (month-end)" },
  riskLevel: { source: { kind: "tag", code: "RISK_LEVEL" }, zh: "风险等级", en: "Risk level" },
};

/** The kind of personal data each customer field holds (name, mobile, ID and card numbers). */
export const FIELD_PII: Partial<Record<CustomerField, PiiKind>> = Object.fromEntries(
  Object.values(STANDARD).flatMap(({ source: s }) => (s.kind === "field" && s.pii ? [[s.field, s.pii]] : [])),
);

/** Columns holding personal data (masked for an export that is not approved unmasked). */
export const PII_COLUMNS = STANDARD_COLUMNS.filter((c) => {
  const s = STANDARD[c].source;
  return s.kind === "field" && s.pii !== undefined;
});

export interface TagRef {
  id: number;
  code: string;
  name: string;
  nameEn: string;
  valueType: "BOOLEAN" | "ENUM" | "NUMBER" | "DATE" | "TEXT";
}

export interface PlannedColumn {
  key: ExportColumn;
  header: string;
  source: Source;
}

/** What an export reads: customer fields (in SQL order), tags, and the columns in output order. */
export interface ExportPlan {
  fields: CustomerField[];
  tags: TagRef[];
  columns: PlannedColumn[];
}

const tagCodeOf = (c: ExportColumn): string => (c.startsWith("tag:") ? c.slice(4) : (STANDARD[c as StandardColumn].source as { code: string }).code);

/** Resolves chosen columns against the published tag catalogue; an unknown tag is a 400. */
export async function planExport(db: Db, columns: readonly ExportColumn[], locale: "zh-CN" | "en"): Promise<ExportPlan> {
  const parsed = exportColumnsSchema.parse(columns);
  const tagCodes = [...new Set(parsed.filter((c) => c.startsWith("tag:") || STANDARD[c as StandardColumn]?.source.kind === "tag").map(tagCodeOf))];
  const found = tagCodes.length
    ? await db.tag.findMany({ where: { code: { in: tagCodes }, status: "PUBLISHED" }, select: { id: true, code: true, name: true, nameEn: true, valueType: true } })
    : [];
  const byCode = new Map(found.map((t) => [t.code, t as TagRef]));
  const missing = tagCodes.filter((c) => !byCode.has(c));
  if (missing.length) throw new DomainError("BAD_REQUEST", `unknown or unpublished tag: ${missing.join(", ")}`);
  const fields: CustomerField[] = [];
  const planned = parsed.map((key): PlannedColumn => {
    if (key.startsWith("tag:")) {
      const t = byCode.get(key.slice(4))!;
      return { key, header: locale === "en" ? t.nameEn : t.name, source: { kind: "tag", code: t.code } };
    }
    const spec = STANDARD[key as StandardColumn];
    const s = spec.source;
    const field = s.kind === "field" ? s.field : s.kind === "branch" ? "orgUnitId" : s.kind === "rm" ? "rmId" : null;
    if (field && !fields.includes(field)) fields.push(field);
    return { key, header: locale === "en" ? spec.en : spec.zh, source: s };
  });
  return { fields, tags: tagCodes.map((c) => byCode.get(c)!), columns: planned };
}

/** The column labels for the dialog (standard ones; tags are named by the catalogue). */
export function standardColumnLabel(c: StandardColumn, locale: "zh-CN" | "en"): string {
  return locale === "en" ? STANDARD[c].en : STANDARD[c].zh;
}
