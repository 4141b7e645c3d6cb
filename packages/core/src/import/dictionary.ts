/**
 * The data dictionary (数据字典) of source-data imports: for each import kind, the fields a CSV
 * header or a JSON row may carry, with labels, types, whether they are required and the rule a
 * value must satisfy. It is the single description both validation (row-schema.ts, generated
 * from it) and the console's dictionary page read, so the two cannot drift apart.
 */
import {
  AccountStatus,
  CustomerType,
  Gender,
  HoldingStatus,
  ProductCategory,
  TxnChannel,
  TxnType,
} from "@mkt/db/generated/prisma/enums";

export const IMPORT_KINDS = ["CUSTOMERS", "ACCOUNTS", "HOLDINGS", "TRANSACTIONS"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface Text {
  zh: string;
  en: string;
}

/** Certificate types a customer record may carry. Only ID_CARD numbers have a checksum. */
export const CERT_TYPES = ["ID_CARD", "PASSPORT", "HK_MACAO_PERMIT", "TAIWAN_PERMIT", "FOREIGN_RESIDENT", "OTHER"] as const;

/**
 * A field's type. Each kind has a fixed rule (see `FIELD_TYPE_RULES`); references are checked
 * against the database when the batch is applied, inside the importer's org subtree.
 */
export type FieldType =
  | { kind: "key"; maxLength: number }
  | { kind: "text"; maxLength: number }
  | { kind: "enum"; values: readonly string[] }
  | { kind: "date"; notFuture?: boolean }
  | { kind: "datetime" }
  | { kind: "decimal"; nonNegative?: boolean }
  | { kind: "certNo" }
  | { kind: "mobile" }
  | { kind: "email" }
  | { kind: "currency" }
  | { kind: "mcc" }
  | { kind: "ref"; target: "orgUnit" | "customer" | "product" | "account" };

export interface FieldDef {
  /** Column name in a CSV header and property name in a JSON row. */
  key: string;
  label: Text;
  type: FieldType;
  required: boolean;
  /** Used when the value is empty (the field is then effectively optional). */
  default?: string;
  /** What this field means and any rule beyond its type. */
  note?: Text;
  example: string;
}

export interface KindDef {
  kind: ImportKind;
  label: Text;
  description: Text;
  /** The natural key: re-importing a row with the same key updates or skips it, never duplicates it. */
  naturalKey: Text;
  fields: FieldDef[];
}

const KEY_MAX = 64;
const values = (o: Record<string, string>) => Object.values(o);

const customerRef: FieldDef = {
  key: "customer_source_key",
  label: { zh: "客户源系统编号", en: "Customer source key" },
  type: { kind: "ref", target: "customer" },
  required: true,
  note: {
    zh: "该客户在本批次源系统中的编号，须已通过客户导入登记，且客户属于您的管辖机构",
    en: "The customer's key in this batch's source system; the customer must already be imported and belong to your org subtree",
  },
  example: "C000123",
};

const productRef = (required: boolean): FieldDef => ({
  key: "product_code",
  label: { zh: "产品代码", en: "Product code" },
  type: { kind: "ref", target: "product" },
  required,
  note: { zh: "产品目录中已有的产品代码", en: "An existing code of the product catalogue" },
  example: "TD-1Y",
});

export const DICTIONARY: Record<ImportKind, KindDef> = {
  CUSTOMERS: {
    kind: "CUSTOMERS",
    label: { zh: "客户", en: "Customers" },
    description: {
      zh: "源系统中的客户记录。每条记录经统一编码归并到一个客户：源系统编号 → 证件号 → 手机号+姓名 → 新建客户",
      en: "Customer records of a source system. Each is resolved to one golden customer: source key → certificate number → mobile + name → new customer",
    },
    naturalKey: { zh: "源系统 + 源系统客户编号", en: "source system + source key" },
    fields: [
      {
        key: "source_key",
        label: { zh: "源系统客户编号", en: "Source key" },
        type: { kind: "key", maxLength: KEY_MAX },
        required: true,
        note: { zh: "客户在源系统中的唯一编号", en: "The customer's unique key in the source system" },
        example: "C000123",
      },
      { key: "name", label: { zh: "姓名", en: "Name" }, type: { kind: "text", maxLength: 100 }, required: true, example: "张三" },
      {
        key: "cert_type",
        label: { zh: "证件类型", en: "Certificate type" },
        type: { kind: "enum", values: CERT_TYPES },
        required: false,
        default: "ID_CARD",
        example: "ID_CARD",
      },
      {
        key: "cert_no",
        label: { zh: "证件号码", en: "Certificate number" },
        type: { kind: "certNo" },
        required: false,
        note: {
          zh: "居民身份证须为 18 位并通过 GB 11643 校验；出生日期须与证件一致",
          en: "A resident ID must have 18 characters and pass the GB 11643 checksum; birth date must agree with it",
        },
        example: "11010519491231002X",
      },
      { key: "phone", label: { zh: "手机号", en: "Mobile" }, type: { kind: "mobile" }, required: false, example: "+86 138-0013-8000" },
      { key: "email", label: { zh: "电子邮箱", en: "E-mail" }, type: { kind: "email" }, required: false, example: "zhang.san@example.com" },
      {
        key: "gender",
        label: { zh: "性别", en: "Gender" },
        type: { kind: "enum", values: values(Gender) },
        required: false,
        note: { zh: "M 男，F 女，U 未知；为空时由身份证号推断", en: "M, F or U; derived from the resident ID when empty" },
        example: "F",
      },
      {
        key: "birth_date",
        label: { zh: "出生日期", en: "Birth date" },
        type: { kind: "date", notFuture: true },
        required: false,
        note: { zh: "为空时由身份证号推断", en: "Derived from the resident ID when empty" },
        example: "1949-12-31",
      },
      {
        key: "org_unit_code",
        label: { zh: "归属机构代码", en: "Org unit code" },
        type: { kind: "ref", target: "orgUnit" },
        required: true,
        note: { zh: "须为您的管辖机构（本机构或下级机构）", en: "Must be your org unit or one below it" },
        example: "BR01S01",
      },
      {
        key: "customer_type",
        label: { zh: "客户类型", en: "Customer type" },
        type: { kind: "enum", values: values(CustomerType) },
        required: false,
        default: "RETAIL",
        example: "RETAIL",
      },
      {
        key: "opened_at",
        label: { zh: "开户日期", en: "Customer since" },
        type: { kind: "date", notFuture: true },
        required: false,
        note: { zh: "为空时取导入日期", en: "The import date when empty" },
        example: "2015-06-01",
      },
      { key: "province", label: { zh: "省份", en: "Province" }, type: { kind: "text", maxLength: 50 }, required: false, example: "北京" },
      { key: "city", label: { zh: "城市", en: "City" }, type: { kind: "text", maxLength: 50 }, required: false, example: "北京" },
      { key: "occupation", label: { zh: "职业", en: "Occupation" }, type: { kind: "text", maxLength: 100 }, required: false, example: "教师" },
    ],
  },
  ACCOUNTS: {
    kind: "ACCOUNTS",
    label: { zh: "账户", en: "Accounts" },
    description: {
      zh: "存款、贷款与信用卡账户及余额。已存在的账号更新余额与状态",
      en: "Deposit, loan and card accounts with their balances. An existing account number updates balance and status",
    },
    naturalKey: { zh: "账号", en: "account number" },
    fields: [
      {
        key: "account_no",
        label: { zh: "账号", en: "Account number" },
        type: { kind: "key", maxLength: 40 },
        required: true,
        note: { zh: "已存在的账号须属于同一客户", en: "An existing account number must belong to the same customer" },
        example: "6222020200112233445",
      },
      customerRef,
      productRef(false),
      {
        key: "kind",
        label: { zh: "账户类别", en: "Account kind" },
        type: { kind: "enum", values: values(ProductCategory) },
        required: true,
        example: "DEMAND_DEPOSIT",
      },
      { key: "currency", label: { zh: "币种", en: "Currency" }, type: { kind: "currency" }, required: false, default: "CNY", example: "CNY" },
      { key: "balance", label: { zh: "余额", en: "Balance" }, type: { kind: "decimal" }, required: true, example: "52300.18" },
      { key: "opened_at", label: { zh: "开户日期", en: "Opened on" }, type: { kind: "date", notFuture: true }, required: true, example: "2020-03-15" },
      {
        key: "maturity_date",
        label: { zh: "到期日", en: "Maturity date" },
        type: { kind: "date" },
        required: false,
        note: { zh: "不得早于开户日期", en: "Not before the opening date" },
        example: "2026-03-15",
      },
      {
        key: "status",
        label: { zh: "账户状态", en: "Status" },
        type: { kind: "enum", values: values(AccountStatus) },
        required: false,
        default: "ACTIVE",
        example: "ACTIVE",
      },
    ],
  },
  HOLDINGS: {
    kind: "HOLDINGS",
    label: { zh: "持仓", en: "Holdings" },
    description: {
      zh: "理财、基金、保险、贵金属等产品持仓。已存在的持仓编号更新金额与状态",
      en: "Holdings of wealth, fund, insurance and precious-metal products. An existing holding number updates amount and status",
    },
    naturalKey: { zh: "持仓编号", en: "holding number" },
    fields: [
      {
        key: "holding_no",
        label: { zh: "持仓编号", en: "Holding number" },
        type: { kind: "key", maxLength: KEY_MAX },
        required: true,
        note: { zh: "已存在的持仓编号须属于同一客户", en: "An existing holding number must belong to the same customer" },
        example: "H2024000123",
      },
      customerRef,
      productRef(true),
      { key: "amount", label: { zh: "持有金额", en: "Amount" }, type: { kind: "decimal", nonNegative: true }, required: true, example: "100000.00" },
      { key: "opened_at", label: { zh: "购买日期", en: "Bought on" }, type: { kind: "date", notFuture: true }, required: true, example: "2024-05-20" },
      {
        key: "maturity_date",
        label: { zh: "到期日", en: "Maturity date" },
        type: { kind: "date" },
        required: false,
        note: { zh: "不得早于购买日期", en: "Not before the purchase date" },
        example: "2025-05-20",
      },
      {
        key: "status",
        label: { zh: "持仓状态", en: "Status" },
        type: { kind: "enum", values: values(HoldingStatus) },
        required: false,
        default: "ACTIVE",
        example: "ACTIVE",
      },
    ],
  },
  TRANSACTIONS: {
    kind: "TRANSACTIONS",
    label: { zh: "交易流水", en: "Transactions" },
    description: {
      zh: "交易流水只增不改：已存在的交易流水号被跳过",
      en: "Transactions are append-only: an existing transaction number is skipped",
    },
    naturalKey: { zh: "交易流水号", en: "transaction number" },
    fields: [
      {
        key: "txn_no",
        label: { zh: "交易流水号", en: "Transaction number" },
        type: { kind: "key", maxLength: KEY_MAX },
        required: true,
        example: "T20250101000001",
      },
      customerRef,
      {
        key: "account_no",
        label: { zh: "账号", en: "Account number" },
        type: { kind: "ref", target: "account" },
        required: false,
        note: { zh: "填写时须为该客户已有的账号", en: "When given, an existing account of the same customer" },
        example: "6222020200112233445",
      },
      productRef(false),
      {
        key: "txn_time",
        label: { zh: "交易时间", en: "Transaction time" },
        type: { kind: "datetime" },
        required: true,
        example: "2025-01-01 09:30:00",
      },
      { key: "type", label: { zh: "交易类型", en: "Type" }, type: { kind: "enum", values: values(TxnType) }, required: true, example: "PAYROLL" },
      { key: "channel", label: { zh: "交易渠道", en: "Channel" }, type: { kind: "enum", values: values(TxnChannel) }, required: true, example: "MOBILE" },
      {
        key: "amount",
        label: { zh: "交易金额", en: "Amount" },
        type: { kind: "decimal", nonNegative: true },
        required: true,
        note: { zh: "非负；资金方向由交易类型表示", en: "Non-negative; the direction is given by the type" },
        example: "8500.00",
      },
      { key: "mcc", label: { zh: "商户类别码", en: "Merchant category code" }, type: { kind: "mcc" }, required: false, example: "5411" },
    ],
  },
};

/** The rule every value of a field type must satisfy, as the dictionary page shows it. */
export function describeFieldType(type: FieldType): Text {
  switch (type.kind) {
    case "key":
      return {
        zh: `1–${type.maxLength} 位字母、数字或 - _ . : /`,
        en: `1–${type.maxLength} letters, digits or - _ . : /`,
      };
    case "text":
      return { zh: `文本，最多 ${type.maxLength} 个字符`, en: `Text, at most ${type.maxLength} characters` };
    case "enum":
      return { zh: `取值之一：${type.values.join(" / ")}`, en: `One of: ${type.values.join(" / ")}` };
    case "date":
      return type.notFuture
        ? { zh: "日期 YYYY-MM-DD，不晚于今天", en: "Date YYYY-MM-DD, not in the future" }
        : { zh: "日期 YYYY-MM-DD", en: "Date YYYY-MM-DD" };
    case "datetime":
      return {
        zh: "时间 YYYY-MM-DD HH:mm:ss（北京时间）或带时区的 ISO 8601",
        en: "Time YYYY-MM-DD HH:mm:ss (Beijing time) or ISO 8601 with an offset",
      };
    case "decimal":
      return type.nonNegative
        ? { zh: "非负金额，最多两位小数", en: "Non-negative amount, at most 2 decimals" }
        : { zh: "金额，可为负，最多两位小数", en: "Amount, may be negative, at most 2 decimals" };
    case "certNo":
      return {
        zh: "证件号；全角字符转半角、去空格、x 转大写后校验",
        en: "Certificate number; checked after full-width → half-width, spaces removed, x upper-cased",
      };
    case "mobile":
      return {
        zh: "11 位手机号 1[3-9]xxxxxxxxx；可带 +86/0086、空格或短横线",
        en: "11-digit mobile 1[3-9]xxxxxxxxx; +86/0086, spaces and dashes are removed",
      };
    case "email":
      return { zh: "电子邮箱地址", en: "E-mail address" };
    case "currency":
      return { zh: "三位大写币种代码（ISO 4217）", en: "Three-letter currency code (ISO 4217)" };
    case "mcc":
      return { zh: "4 位数字", en: "4 digits" };
    case "ref": {
      const what: Record<typeof type.target, Text> = {
        orgUnit: { zh: "已有机构代码", en: "An existing org unit code" },
        customer: { zh: "已导入客户的源系统编号", en: "The source key of an imported customer" },
        product: { zh: "已有产品代码", en: "An existing product code" },
        account: { zh: "该客户已有的账号", en: "An existing account of the customer" },
      };
      return what[type.target];
    }
  }
}

export function kindDef(kind: ImportKind): KindDef {
  return DICTIONARY[kind];
}

/**
 * Maps a CSV header cell to a field key: the key itself (any case) or the Chinese or English
 * label, so files exported with a Chinese header load too.
 */
export function headerIndex(kind: ImportKind): Map<string, string> {
  const index = new Map<string, string>();
  for (const f of DICTIONARY[kind].fields) {
    index.set(f.key.toLowerCase(), f.key);
    index.set(f.label.zh.toLowerCase(), f.key);
    index.set(f.label.en.toLowerCase(), f.key);
  }
  return index;
}
