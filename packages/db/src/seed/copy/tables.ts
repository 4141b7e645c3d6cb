/**
 * The tables the generator streams, in load order, with the columns it writes (in row order) and
 * their wire types. The COPY statement and the baseline's INSERT are both derived from this list,
 * so the two loaders cannot drift apart.
 */
export type WireType = "int4" | "int8" | "bool" | "text" | "date" | "timestamptz" | "numeric" | "jsonb";

export interface TableSpec {
  table: string;
  columns: readonly (readonly [name: string, type: WireType])[];
}

const t = <N extends string>(table: N, columns: TableSpec["columns"]) => ({ table, columns });

export const STREAMED_TABLES = [
  t("customer", [
    ["id", "int4"], ["customer_no", "text"], ["type", "text"], ["name", "text"], ["gender", "text"],
    ["birth_date", "date"], ["cert_type", "text"], ["cert_no", "text"], ["phone", "text"], ["email", "text"],
    ["province", "text"], ["city", "text"], ["occupation", "text"], ["org_unit_id", "text"], ["org_path", "text"],
    ["rm_id", "text"], ["status", "text"], ["opened_at", "date"], ["created_at", "timestamptz"], ["updated_at", "timestamptz"],
  ]),
  t("identity_document", [
    ["id", "text"], ["customer_id", "int4"], ["doc_type", "text"], ["doc_no", "text"], ["issued_at", "date"],
    ["expires_at", "date"], ["primary", "bool"],
  ]),
  t("contact_point", [
    ["id", "text"], ["customer_id", "int4"], ["kind", "text"], ["value", "text"], ["verified", "bool"],
    ["primary", "bool"], ["source", "text"],
  ]),
  t("risk_assessment", [
    ["id", "text"], ["customer_id", "int4"], ["level", "text"], ["assessed_at", "timestamptz"],
    ["expires_at", "timestamptz"], ["channel", "text"],
  ]),
  t("consent", [
    ["id", "text"], ["customer_id", "int4"], ["purpose", "text"], ["channel", "text"], ["granted", "bool"],
    ["source", "text"], ["updated_at", "timestamptz"],
  ]),
  t("contact_restriction", [
    ["id", "text"], ["customer_id", "int4"], ["kind", "text"], ["channel", "text"], ["reason", "text"],
    ["valid_from", "timestamptz"], ["valid_to", "timestamptz"],
  ]),
  t("account", [
    ["id", "int8"], ["account_no", "text"], ["customer_id", "int4"], ["product_id", "int4"], ["kind", "text"],
    ["currency", "text"], ["balance", "numeric"], ["opened_at", "date"], ["maturity_date", "date"], ["status", "text"],
    ["source_system", "text"],
  ]),
  t("holding", [
    ["id", "int8"], ["holding_no", "text"], ["customer_id", "int4"], ["product_id", "int4"], ["amount", "numeric"],
    ["opened_at", "date"], ["maturity_date", "date"], ["status", "text"], ["source_system", "text"],
  ]),
  t("monthly_balance", [
    ["customer_id", "int4"], ["month", "date"], ["aum", "numeric"], ["deposit", "numeric"], ["wealth", "numeric"],
    ["loan", "numeric"],
  ]),
  t("transaction", [
    ["id", "int8"], ["txn_no", "text"], ["customer_id", "int4"], ["account_no", "text"], ["product_id", "int4"],
    ["txn_time", "timestamptz"], ["type", "text"], ["channel", "text"], ["amount", "numeric"], ["mcc", "text"],
  ]),
  t("app_event", [
    ["id", "int8"], ["customer_id", "int4"], ["event_time", "timestamptz"], ["event_type", "text"],
    ["product_id", "int4"], ["attributes", "jsonb"],
  ]),
  t("source_record", [
    ["id", "text"], ["source_system", "text"], ["source_key", "text"], ["customer_id", "int4"], ["match_rule", "text"],
    ["name", "text"], ["cert_no", "text"], ["cert_no_norm", "text"], ["phone", "text"], ["phone_norm", "text"],
    ["email", "text"], ["birth_date", "text"], ["gender", "text"], ["loaded_at", "timestamptz"],
  ]),
  t("identity_merge", [
    ["id", "text"], ["source_record_id", "text"], ["customer_id", "int4"], ["rule", "text"], ["matched_value", "text"],
    ["created_at", "timestamptz"],
  ]),
] as const satisfies readonly TableSpec[];

export type StreamedTable = (typeof STREAMED_TABLES)[number]["table"];

/** Index of each streamed table in STREAMED_TABLES (the generator's writer slots). */
export const T = Object.fromEntries(STREAMED_TABLES.map((s, i) => [s.table, i])) as { [K in StreamedTable]: number };

/** Tables with a serial/identity id the generator fills explicitly: their sequences are advanced after loading. */
export const SEQUENCED_TABLES = ["customer", "account", "holding", "transaction", "app_event", "product"] as const;

/** Everything the seed owns, children first (the order TRUNCATE and row counts use). */
export const SEEDED_TABLES = [
  ...STREAMED_TABLES.map((s) => s.table).reverse(),
  "auth_account",
  "staff_user",
  "product",
  "org_unit",
] as const;

export function copyStatement(spec: TableSpec, freeze: boolean): string {
  const cols = spec.columns.map(([c]) => `"${c}"`).join(", ");
  return `COPY "${spec.table}" (${cols}) FROM STDIN WITH (FORMAT binary${freeze ? ", FREEZE" : ""})`;
}
