/**
 * Row validation: zod schemas generated from the data dictionary. Each field's schema takes the
 * raw cell (a CSV string or a JSON string/number/null), reports the dictionary's rule as an issue
 * code, and outputs the normalised value (trimmed text, upper-case enum, canonical decimal,
 * normalised certificate and mobile, ISO time with offset). Cross-field rules (resident ID vs
 * birth date, maturity after opening) run on the whole row.
 */
import { z } from "zod";
import {
  isValidMobile,
  normalizeCertNo,
  normalizePhone,
  residentIdBirthDate,
  residentIdGender,
  residentIdProblem,
  toHalfWidth,
} from "../identity/normalize";
import { DICTIONARY, type FieldDef, type ImportKind } from "./dictionary";
import type { IssueCode, IssueParams, RowIssue } from "./issues";
import type { AccountRow, CustomerRow, HoldingRow, TransactionRow } from "./rows";

type Ctx = z.core.$RefinementCtx<unknown>;

function fail(ctx: Ctx, input: unknown, code: IssueCode, params?: IssueParams): typeof z.NEVER {
  ctx.issues.push({ code: "custom", message: code, input, ...(params && { params }) });
  return z.NEVER;
}

const NOT_A_CELL = Symbol("not a cell");

/** A cell as trimmed text, null when empty; NOT_A_CELL for JSON objects, arrays and booleans. */
function cellText(value: unknown): string | null | typeof NOT_A_CELL {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : NOT_A_CELL;
  if (typeof value !== "string") return NOT_A_CELL;
  const s = value.trim();
  return s === "" ? null : s;
}

const KEY_PATTERN = /^[A-Za-z0-9_.:/-]+$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_PATTERN = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DECIMAL_PATTERN = /^([+-]?)(\d{1,16})(?:\.(\d{1,2}))?$/;
const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@.]+(?:\.[^\s@.]+)+$/;
const CERT_PATTERN = /^[0-9A-Z-]{1,32}$/;

function isRealDate(iso: string): boolean {
  const m = DATE_PATTERN.exec(iso);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Today in Beijing time (the bank's business day), YYYY-MM-DD. */
export function businessToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Normalises a checked, non-empty cell according to the field's type; pushes an issue on failure. */
function normalizeValue(field: FieldDef, s: string, ctx: Ctx): string {
  const t = field.type;
  switch (t.kind) {
    case "key":
      if (s.length > t.maxLength) return fail(ctx, s, "TOO_LONG", { max: t.maxLength });
      return KEY_PATTERN.test(s) ? s : fail(ctx, s, "INVALID_KEY");
    case "text":
      return Array.from(s).length > t.maxLength ? fail(ctx, s, "TOO_LONG", { max: t.maxLength }) : s;
    case "enum": {
      const v = s.toUpperCase();
      return t.values.includes(v) ? v : fail(ctx, s, "INVALID_ENUM", { values: t.values.join("/") });
    }
    case "date": {
      const v = toHalfWidth(s);
      if (!isRealDate(v)) return fail(ctx, s, "INVALID_DATE");
      return t.notFuture && v > businessToday() ? fail(ctx, s, "DATE_IN_FUTURE") : v;
    }
    case "datetime": {
      const m = DATETIME_PATTERN.exec(s);
      if (!m || !isRealDate(m[1]!) || Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59) {
        return fail(ctx, s, "INVALID_DATETIME");
      }
      const offset = m[6] ? (m[6] === "Z" ? "Z" : m[6].replace(/^([+-]\d{2}):?(\d{2})$/, "$1:$2")) : "+08:00";
      return `${m[1]}T${m[2]}:${m[3]}:${m[4] ?? "00"}${m[5] ?? ""}${offset}`;
    }
    case "decimal": {
      const m = DECIMAL_PATTERN.exec(s);
      if (!m) return fail(ctx, s, "INVALID_DECIMAL");
      const negative = m[1] === "-" && /[1-9]/.test(`${m[2]}${m[3] ?? ""}`);
      if (negative && t.nonNegative) return fail(ctx, s, "NEGATIVE_AMOUNT");
      const int = m[2]!.replace(/^0+(?=\d)/, "");
      return `${negative ? "-" : ""}${int}.${(m[3] ?? "").padEnd(2, "0")}`;
    }
    case "certNo": {
      const v = normalizeCertNo(s);
      return CERT_PATTERN.test(v) ? v : fail(ctx, s, "INVALID_CERT_NO");
    }
    case "mobile": {
      const v = normalizePhone(s);
      return isValidMobile(v) ? v : fail(ctx, s, "INVALID_MOBILE");
    }
    case "email":
      return s.length <= 254 && EMAIL_PATTERN.test(s) ? s : fail(ctx, s, "INVALID_EMAIL");
    case "currency":
      return /^[A-Z]{3}$/.test(s.toUpperCase()) ? s.toUpperCase() : fail(ctx, s, "INVALID_CURRENCY");
    case "mcc":
      return /^\d{4}$/.test(s) ? s : fail(ctx, s, "INVALID_MCC");
    case "ref": {
      if (s.length > 64) return fail(ctx, s, "TOO_LONG", { max: 64 });
      if (!KEY_PATTERN.test(s)) return fail(ctx, s, "INVALID_KEY");
      return t.target === "orgUnit" ? s.toUpperCase() : s;
    }
  }
}

/** The zod schema of one field: raw cell in, normalised value (or null) out. */
export function fieldSchema(field: FieldDef) {
  return z.unknown().transform((raw, ctx): string | null => {
    const s = cellText(raw);
    if (s === NOT_A_CELL) return fail(ctx, raw, "NOT_TEXT");
    if (s === null) {
      if (field.default !== undefined) return field.default;
      return field.required ? fail(ctx, raw, "REQUIRED") : null;
    }
    return normalizeValue(field, s, ctx);
  });
}

/**
 * The row object of a kind. Absent keys are read as empty cells (a CSV without an optional
 * column, a JSON row without an optional property), so each field's own rule decides.
 */
function rowObject(kind: ImportKind) {
  const fields = DICTIONARY[kind].fields;
  const object = z.object(Object.fromEntries(fields.map((f) => [f.key, fieldSchema(f)])));
  return z.preprocess((raw) => {
    if (typeof raw !== "object" || raw === null) return raw;
    const cells = raw as Record<string, unknown>;
    return Object.fromEntries(fields.map((f) => [f.key, cells[f.key] ?? null]));
  }, object);
}

type Out = Record<string, string | null>;

function issue(ctx: Ctx, field: string, code: IssueCode): void {
  ctx.addIssue({ code: "custom", message: code, path: [field] });
}

function maturityAfterOpening(row: Out, ctx: Ctx): void {
  if (row.maturity_date && row.opened_at && row.maturity_date < row.opened_at) issue(ctx, "maturity_date", "MATURITY_BEFORE_OPEN");
}

const customerSchema = rowObject("CUSTOMERS")
  .superRefine((row: Out, ctx) => {
    if (row.cert_type !== "ID_CARD" || !row.cert_no) return;
    const problem = residentIdProblem(row.cert_no);
    if (problem) {
      const code = ({ format: "INVALID_RESIDENT_ID_FORMAT", birth: "INVALID_RESIDENT_ID_BIRTH", checksum: "INVALID_RESIDENT_ID_CHECKSUM" } as const)[problem];
      return issue(ctx, "cert_no", code);
    }
    if (row.birth_date && row.birth_date !== residentIdBirthDate(row.cert_no)) issue(ctx, "birth_date", "BIRTH_DATE_MISMATCH");
    if (row.gender && row.gender !== "U" && row.gender !== residentIdGender(row.cert_no)) issue(ctx, "gender", "GENDER_MISMATCH");
  })
  .transform((row: Out): Out => {
    // A valid resident ID states birth date and sex: fill them when the source left them empty.
    if (row.cert_type !== "ID_CARD" || !row.cert_no) return row;
    return {
      ...row,
      birth_date: row.birth_date ?? residentIdBirthDate(row.cert_no),
      gender: row.gender && row.gender !== "U" ? row.gender : residentIdGender(row.cert_no),
    };
  });

export const ROW_SCHEMAS = {
  CUSTOMERS: customerSchema,
  ACCOUNTS: rowObject("ACCOUNTS").superRefine(maturityAfterOpening),
  HOLDINGS: rowObject("HOLDINGS").superRefine(maturityAfterOpening),
  TRANSACTIONS: rowObject("TRANSACTIONS"),
} as const;

export interface RowByKind {
  CUSTOMERS: CustomerRow;
  ACCOUNTS: AccountRow;
  HOLDINGS: HoldingRow;
  TRANSACTIONS: TransactionRow;
}

export type ValidatedRow<K extends ImportKind> = { ok: true; row: RowByKind[K] } | { ok: false; issues: RowIssue[] };

/** Validates one raw row (CSV cells by field key, or a JSON row) at `line`. */
export function validateRow<K extends ImportKind>(kind: K, raw: Record<string, unknown>, line: number): ValidatedRow<K> {
  const result = ROW_SCHEMAS[kind].safeParse(raw);
  if (result.success) return { ok: true, row: result.data as unknown as RowByKind[K] };
  return {
    ok: false,
    issues: result.error.issues.map((i) => ({
      line,
      field: i.path.length ? String(i.path[0]) : null,
      code: i.message as IssueCode,
      ...("params" in i && i.params ? { params: i.params as IssueParams } : {}),
    })),
  };
}
