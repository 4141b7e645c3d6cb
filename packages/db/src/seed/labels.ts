/** Enum labels and fixed strings as UTF-8 bytes, encoded once (binary COPY sends enums as their label). */
import { utf8 } from "./copy/binary-writer";

const bytesOf = <K extends string>(labels: readonly K[]): Record<K, Uint8Array> =>
  Object.fromEntries(labels.map((l) => [l, utf8(l)])) as Record<K, Uint8Array>;

export const L = bytesOf([
  "RETAIL", "M", "F", "ID_CARD", "ACTIVE", "DORMANT", "MATURED", "REDEEMED", "Asia/Shanghai",
  "MOBILE", "EMAIL", "WECHAT_OPENID", "CORE", "CRM", "CARD", "WEALTH", "LOAN", "CNY",
  "C1", "C2", "C3", "C4", "C5", "BRANCH", "ONLINE", "ATM", "POS",
  "MARKETING", "SERVICE", "SMS", "CALL", "APP_PUSH", "WECHAT",
  "DO_NOT_DISTURB", "COMPLAINT", "APP", "CALL_CENTER",
  "DEMAND_DEPOSIT", "TIME_DEPOSIT", "CREDIT_CARD",
  "DEPOSIT", "WITHDRAWAL", "TRANSFER_IN", "TRANSFER_OUT", "PAYROLL", "CARD_SPEND", "PURCHASE", "REDEMPTION",
  "LOAN_REPAYMENT", "ETC_TOLL", "INTEREST", "FEE",
  "LOGIN", "VIEW_PRODUCT", "SEARCH", "PURCHASE_INTENT", "CLICK_BANNER",
  "NEW", "SOURCE_KEY", "CERT_NO", "PHONE",
]);

export const RISK_LEVELS = [L.C1, L.C2, L.C3, L.C4, L.C5] as const;

/** Key prefixes: every generated key is a prefix plus zero-padded digits, so keys sort in id order. */
export const P = bytesOf(["C", "doc", "cp", "ra", "cs", "cr", "H", "TX", "sr", "im", "CRM", "CRD", "WM", "622208", "o"]);

export const RESTRICTION_REASONS = {
  dnd: utf8("客户要求免打扰"),
  complaint: utf8("客户投诉营销电话"),
} as const;
