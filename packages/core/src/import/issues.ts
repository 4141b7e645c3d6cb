/**
 * Why a row (or the whole file) was refused. Each issue has a stable code, the line it is on, the
 * field (null for a whole-row or whole-file problem) and parameters; the text is produced in
 * either language from the code, so the same error reads in Chinese in the console and in
 * English in an integrating system's log. Issues never carry the offending value: it may be
 * personal data.
 */
import type { Text } from "./dictionary";

export const ISSUE_MESSAGES = {
  REQUIRED: { zh: "必填字段为空", en: "required field is empty" },
  NOT_TEXT: { zh: "值须为文本或数字", en: "value must be a string or a number" },
  TOO_LONG: { zh: "超过最大长度 {max}", en: "longer than {max} characters" },
  INVALID_KEY: { zh: "只能包含字母、数字和 - _ . : /", en: "may contain only letters, digits and - _ . : /" },
  INVALID_ENUM: { zh: "取值须为 {values} 之一", en: "must be one of {values}" },
  INVALID_DATE: { zh: "日期须为 YYYY-MM-DD 格式的有效日期", en: "must be a real date in the form YYYY-MM-DD" },
  DATE_IN_FUTURE: { zh: "日期不能晚于今天", en: "date is in the future" },
  INVALID_DATETIME: {
    zh: "时间须为 YYYY-MM-DD HH:mm:ss 或带时区的 ISO 8601",
    en: "must be YYYY-MM-DD HH:mm:ss or ISO 8601 with an offset",
  },
  INVALID_DECIMAL: { zh: "须为最多两位小数的数字", en: "must be a number with at most 2 decimals" },
  NEGATIVE_AMOUNT: { zh: "金额不能为负", en: "amount must not be negative" },
  INVALID_RESIDENT_ID_FORMAT: {
    zh: "身份证号须为 18 位：17 位数字加校验位（0–9 或 X）",
    en: "resident ID must be 18 characters: 17 digits and a check character (0–9 or X)",
  },
  INVALID_RESIDENT_ID_BIRTH: { zh: "身份证号中的出生日期无效", en: "birth date inside the resident ID is not a real past date" },
  INVALID_RESIDENT_ID_CHECKSUM: { zh: "身份证号校验位错误（GB 11643）", en: "resident ID check character is wrong (GB 11643)" },
  INVALID_CERT_NO: {
    zh: "证件号只能包含字母、数字和短横线，最多 32 位",
    en: "certificate number may contain only letters, digits and dashes, at most 32",
  },
  BIRTH_DATE_MISMATCH: { zh: "出生日期与身份证号不一致", en: "birth date disagrees with the resident ID" },
  GENDER_MISMATCH: { zh: "性别与身份证号不一致", en: "gender disagrees with the resident ID" },
  INVALID_MOBILE: {
    zh: "手机号须为 1[3-9] 开头的 11 位号码",
    en: "mobile must be 11 digits starting with 1[3-9]",
  },
  INVALID_EMAIL: { zh: "电子邮箱格式错误", en: "not an e-mail address" },
  INVALID_CURRENCY: { zh: "币种须为三位大写字母", en: "currency must be three capital letters" },
  INVALID_MCC: { zh: "商户类别码须为 4 位数字", en: "merchant category code must be 4 digits" },
  MATURITY_BEFORE_OPEN: { zh: "到期日早于开立日期", en: "maturity date is before the opening date" },
  DUPLICATE_KEY: { zh: "与第 {firstLine} 行的键重复", en: "same key as line {firstLine}" },
  UNKNOWN_ORG_UNIT: { zh: "机构代码不存在或不在您的管辖范围", en: "org unit code unknown or outside your org subtree" },
  RECORD_OUTSIDE_SCOPE: {
    zh: "该源系统编号已登记在您管辖范围之外的机构",
    en: "this source key is filed under an org unit outside your org subtree",
  },
  UNKNOWN_CUSTOMER: {
    zh: "未找到该源系统客户编号，或客户不在您的管辖范围",
    en: "no customer with this source key in this source system, or outside your org subtree",
  },
  UNKNOWN_PRODUCT: { zh: "产品代码不存在", en: "unknown product code" },
  UNKNOWN_ACCOUNT: { zh: "账号不存在或不属于该客户", en: "account does not exist or belongs to another customer" },
  KEY_OF_OTHER_CUSTOMER: { zh: "该编号已属于其他客户", en: "this number already belongs to another customer" },
  CSV_WRONG_COLUMN_COUNT: { zh: "列数错误：应为 {expected} 列，实际 {got} 列", en: "wrong number of columns: expected {expected}, got {got}" },
  CSV_BAD_QUOTES: { zh: "引号不匹配", en: "unbalanced or misplaced quotes" },
  CSV_MALFORMED: { zh: "CSV 格式错误", en: "malformed CSV" },
  UNKNOWN_COLUMN: { zh: "未知列 {column}", en: "unknown column {column}" },
  MISSING_COLUMN: { zh: "缺少必填列 {column}", en: "required column {column} is missing" },
  DUPLICATE_COLUMN: { zh: "列 {column} 出现多次", en: "column {column} appears more than once" },
  EMPTY_FILE: { zh: "文件没有数据行", en: "the file has no data rows" },
} as const satisfies Record<string, Text>;

export type IssueCode = keyof typeof ISSUE_MESSAGES;

export type IssueParams = Record<string, string | number>;

export interface RowIssue {
  /** 1-based; the CSV header is line 1 (a JSON batch's rows[i] is line i + 1). */
  line: number;
  field: string | null;
  code: IssueCode;
  params?: IssueParams;
}

export function isIssueCode(code: string): code is IssueCode {
  return Object.hasOwn(ISSUE_MESSAGES, code);
}

/** The issue's text in a locale ("zh-CN" or anything else for English). */
export function issueMessage(code: IssueCode, params: IssueParams | undefined, locale: string): string {
  const template = ISSUE_MESSAGES[code][locale.startsWith("zh") ? "zh" : "en"];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params?.[name] ?? `{${name}}`));
}

/** Both languages at once (REST responses). */
export function issueText(code: IssueCode, params?: IssueParams): Text {
  return { zh: issueMessage(code, params, "zh"), en: issueMessage(code, params, "en") };
}
