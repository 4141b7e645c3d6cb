/**
 * Validated, normalised rows per import kind (the output of row-schema.ts). Keys are the
 * dictionary's field keys; dates are YYYY-MM-DD, times ISO 8601 with offset, amounts canonical
 * decimal strings, certificate and mobile numbers normalised.
 */
export interface CustomerRow {
  source_key: string;
  name: string;
  cert_type: string;
  cert_no: string | null;
  phone: string | null;
  email: string | null;
  gender: string | null;
  birth_date: string | null;
  org_unit_code: string;
  customer_type: string;
  opened_at: string | null;
  province: string | null;
  city: string | null;
  occupation: string | null;
}

export interface AccountRow {
  account_no: string;
  customer_source_key: string;
  product_code: string | null;
  kind: string;
  currency: string;
  balance: string;
  opened_at: string;
  maturity_date: string | null;
  status: string;
}

export interface HoldingRow {
  holding_no: string;
  customer_source_key: string;
  product_code: string;
  amount: string;
  opened_at: string;
  maturity_date: string | null;
  status: string;
}

export interface TransactionRow {
  txn_no: string;
  customer_source_key: string;
  account_no: string | null;
  product_code: string | null;
  txn_time: string;
  type: string;
  channel: string;
  amount: string;
  mcc: string | null;
}
