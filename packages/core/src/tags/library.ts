/**
 * The starter library: the retail category tree (seven themes, then product lines) and 75 tags
 * computed from the bank's facts. Data, not code paths: `installTagLibrary` writes it into the
 * catalogue as published version 1, and from then on it is governed like any tag.
 */
import type { FeatureSpec } from "@mkt/db/tags/feature-spec";
import type { TagValueType } from "./check";
import type { EnumValue } from "./definitions";
import type { Expr } from "./rule";

export interface LibraryCategory {
  code: string;
  name: string;
  nameEn: string;
  parent?: string;
}

export interface LibraryTag {
  code: string;
  name: string;
  nameEn: string;
  category: string;
  valueType: TagValueType;
  sourceKind: "FACT" | "RULE" | "REALTIME";
  updateFrequency: "DAILY" | "REALTIME" | "MONTHLY";
  unit?: string;
  enumValues?: EnumValue[];
  definition: string;
  definitionEn: string;
  rule: Expr;
  coverageDriftMax?: number;
  psiMax?: number;
}

export const LIBRARY_CATEGORIES: LibraryCategory[] = [
  { code: "ASSET", name: "资产", nameEn: "Assets" },
  { code: "ASSET_AUM", name: "综合资产", nameEn: "AUM", parent: "ASSET" },
  { code: "ASSET_DEPOSIT", name: "存款", nameEn: "Deposits", parent: "ASSET" },
  { code: "ASSET_WEALTH", name: "理财资产", nameEn: "Wealth assets", parent: "ASSET" },
  { code: "LIABILITY", name: "负债", nameEn: "Liabilities" },
  { code: "LIABILITY_LOAN", name: "贷款", nameEn: "Loans", parent: "LIABILITY" },
  { code: "LIABILITY_CARD", name: "信用卡", nameEn: "Credit cards", parent: "LIABILITY" },
  { code: "PRODUCT", name: "产品", nameEn: "Products" },
  { code: "PRODUCT_DEPOSIT", name: "存款产品", nameEn: "Deposit products", parent: "PRODUCT" },
  { code: "PRODUCT_WEALTH", name: "理财产品", nameEn: "Wealth management", parent: "PRODUCT" },
  { code: "PRODUCT_FUND", name: "基金", nameEn: "Funds", parent: "PRODUCT" },
  { code: "PRODUCT_INSURANCE", name: "保险", nameEn: "Insurance", parent: "PRODUCT" },
  { code: "PRODUCT_METAL", name: "贵金属", nameEn: "Precious metals", parent: "PRODUCT" },
  { code: "PRODUCT_OVERVIEW", name: "产品综合", nameEn: "All products", parent: "PRODUCT" },
  { code: "TRANSACTION", name: "交易", nameEn: "Transactions" },
  { code: "TXN_PAYROLL", name: "代发工资", nameEn: "Payroll", parent: "TRANSACTION" },
  { code: "TXN_CARD", name: "信用卡消费", nameEn: "Card spending", parent: "TRANSACTION" },
  { code: "TXN_FLOW", name: "资金流动", nameEn: "Fund flows", parent: "TRANSACTION" },
  { code: "TXN_CHANNEL", name: "渠道行为", nameEn: "Channels", parent: "TRANSACTION" },
  { code: "TXN_AUTO", name: "汽车生活", nameEn: "Car owners", parent: "TRANSACTION" },
  { code: "VALUE", name: "价值", nameEn: "Value" },
  { code: "VALUE_LIFECYCLE", name: "生命周期", nameEn: "Lifecycle", parent: "VALUE" },
  { code: "VALUE_TIER", name: "客户层级", nameEn: "Tiers", parent: "VALUE" },
  { code: "VALUE_OPPORTUNITY", name: "营销机会", nameEn: "Opportunities", parent: "VALUE" },
  { code: "RISK", name: "风险", nameEn: "Risk" },
  { code: "RISK_TOLERANCE", name: "风险承受能力", nameEn: "Risk tolerance", parent: "RISK" },
  { code: "RISK_ALERT", name: "风险预警", nameEn: "Risk alerts", parent: "RISK" },
  { code: "NATURAL", name: "自然属性", nameEn: "Natural attributes" },
  { code: "NATURAL_DEMOGRAPHIC", name: "人口属性", nameEn: "Demographics", parent: "NATURAL" },
  { code: "NATURAL_REGION", name: "地域", nameEn: "Region", parent: "NATURAL" },
  { code: "NATURAL_RELATION", name: "客户关系", nameEn: "Relationship", parent: "NATURAL" },
];

// ── Rule builders: keep the definitions below readable. ──
const f = (feature: FeatureSpec): Expr => ({ feature });
const tag = (code: string): Expr => ({ tag: code });
const k = (v: number | string | boolean): Expr => ({ const: v });
const gt = (l: Expr, r: number): Expr => ({ op: "gt", left: l, right: k(r) });
const gte = (l: Expr, r: number): Expr => ({ op: "gte", left: l, right: k(r) });
const lt = (l: Expr, r: number): Expr => ({ op: "lt", left: l, right: k(r) });
const eq = (l: Expr, r: string | number | boolean): Expr => ({ op: "eq", left: l, right: k(r) });
const and = (...args: Expr[]): Expr => ({ op: "and", args });
const or = (...args: Expr[]): Expr => ({ op: "or", args });
const not = (arg: Expr): Expr => ({ op: "not", arg });
const isNull = (arg: Expr): Expr => ({ op: "isNull", arg });
const div = (left: Expr, right: Expr): Expr => ({ op: "div", left, right });
const sub = (left: Expr, right: Expr): Expr => ({ op: "sub", left, right });
const mul = (left: Expr, right: Expr): Expr => ({ op: "mul", left, right });
const add = (left: Expr, right: Expr): Expr => ({ op: "add", left, right });
const bucket = (arg: Expr, bounds: number[], labels: string[]): Expr => ({ op: "bucket", arg, bounds, labels });
const cases = (when: [Expr, Expr][], otherwise?: Expr): Expr => ({ op: "case", when: when.map(([c, t]) => ({ if: c, then: t })), ...(otherwise ? { else: otherwise } : {}) });

type TxnType = Extract<FeatureSpec, { kind: "txnAgg" }>["types"][number];
type Category = Extract<FeatureSpec, { kind: "holding" }>["categories"][number];
const txn = (agg: "sum" | "count" | "max" | "avg", types: TxnType[], days: number, extra: { minAmount?: number; channels?: ("MOBILE" | "ONLINE")[] } = {}): Expr =>
  f({ kind: "txnAgg", agg, types, days, ...extra });
const holding = (measure: "count" | "amount" | "maturing" | "nextMaturity" | "maxRisk", categories: Category[], days?: number): Expr =>
  f({ kind: "holding", measure, categories, ...(days !== undefined ? { days } : {}) });
const balance = (measure: "aum" | "deposit" | "wealth" | "loan", stat: "latest" | "avg" | "max" | "min", months: number): Expr =>
  f({ kind: "balance", measure, stat, months });
const customer = (field: Extract<FeatureSpec, { kind: "customer" }>["field"]): Expr => f({ kind: "customer", field });
const holds = (...categories: Category[]): Expr => gt(holding("count", categories), 0);
const ALL_TXN: TxnType[] = ["DEPOSIT", "WITHDRAWAL", "TRANSFER_IN", "TRANSFER_OUT", "PAYROLL", "CARD_SPEND", "PURCHASE", "REDEMPTION", "LOAN_REPAYMENT", "ETC_TOLL"];
const WEALTH_LIKE: Category[] = ["WEALTH", "FUND", "INSURANCE", "PRECIOUS_METAL"];

const ev = (value: string, label: string, labelEn: string): EnumValue => ({ value, label, labelEn });
const PROVINCES: [string, string][] = [
  ["北京市", "Beijing"], ["天津市", "Tianjin"], ["河北省", "Hebei"], ["山西省", "Shanxi"], ["内蒙古自治区", "Inner Mongolia"],
  ["辽宁省", "Liaoning"], ["吉林省", "Jilin"], ["黑龙江省", "Heilongjiang"], ["上海市", "Shanghai"], ["江苏省", "Jiangsu"],
  ["浙江省", "Zhejiang"], ["安徽省", "Anhui"], ["福建省", "Fujian"], ["江西省", "Jiangxi"], ["山东省", "Shandong"],
  ["河南省", "Henan"], ["湖北省", "Hubei"], ["湖南省", "Hunan"], ["广东省", "Guangdong"], ["广西壮族自治区", "Guangxi"],
  ["海南省", "Hainan"], ["重庆市", "Chongqing"], ["四川省", "Sichuan"], ["贵州省", "Guizhou"], ["云南省", "Yunnan"],
  ["西藏自治区", "Tibet"], ["陕西省", "Shaanxi"], ["甘肃省", "Gansu"], ["青海省", "Qinghai"], ["宁夏回族自治区", "Ningxia"],
  ["新疆维吾尔自治区", "Xinjiang"],
];
const OCCUPATIONS: [string, string][] = [
  ["学生", "Student"], ["企业职员", "Employee"], ["公务员", "Civil servant"], ["教师", "Teacher"], ["医生", "Doctor"],
  ["工程师", "Engineer"], ["金融从业者", "Finance professional"], ["个体工商户", "Self-employed trader"], ["企业主", "Business owner"],
  ["自由职业", "Freelancer"], ["农民", "Farmer"], ["军人", "Military"], ["退休", "Retired"], ["其他", "Other"],
];
const AUM_BANDS = [ev("MASS", "大众客户(<5万)", "Mass (<50k)"), ev("GOLD", "金卡客户(5万–50万)", "Gold (50k–500k)"), ev("PLATINUM", "白金客户(50万–600万)", "Platinum (500k–6M)"), ev("PRIVATE", "私行客户(≥600万)", "Private banking (≥6M)")];
const YES_NO_DRIFT = { coverageDriftMax: 0.05, psiMax: 0.2 };

export const LIBRARY_TAGS: LibraryTag[] = [
  // ── 资产 Assets ──
  { code: "AUM_LATEST", name: "月末AUM", nameEn: "Month-end AUM", category: "ASSET_AUM", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "MONTHLY", unit: "CNY",
    definition: "最近一个月末的客户资产管理规模(存款+理财等),单位元。", definitionEn: "Assets under management at the latest month end, in CNY.",
    rule: balance("aum", "latest", 1), ...YES_NO_DRIFT },
  { code: "AUM_AVG_3M", name: "近3月日均AUM", nameEn: "AUM, 3-month average", category: "ASSET_AUM", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "MONTHLY", unit: "CNY",
    definition: "近3个月月末AUM的平均值。", definitionEn: "Average of the last 3 month-end AUM balances.", rule: balance("aum", "avg", 3) },
  { code: "AUM_AVG_12M", name: "近12月平均AUM", nameEn: "AUM, 12-month average", category: "ASSET_AUM", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "MONTHLY", unit: "CNY",
    definition: "近12个月月末AUM的平均值。", definitionEn: "Average of the last 12 month-end AUM balances.", rule: balance("aum", "avg", 12) },
  { code: "AUM_MAX_12M", name: "近12月最高AUM", nameEn: "AUM, 12-month high", category: "ASSET_AUM", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "MONTHLY", unit: "CNY",
    definition: "近12个月月末AUM的最高值。", definitionEn: "Highest month-end AUM over the last 12 months.", rule: balance("aum", "max", 12) },
  { code: "AUM_BAND", name: "AUM层级", nameEn: "AUM band", category: "VALUE_TIER", valueType: "ENUM", sourceKind: "RULE", updateFrequency: "MONTHLY", enumValues: AUM_BANDS,
    definition: "按月末AUM划分:<5万大众,5万–50万金卡,50万–600万白金,≥600万私行。", definitionEn: "Month-end AUM: <50k mass, 50k–500k gold, 500k–6M platinum, ≥6M private banking.",
    rule: bucket(tag("AUM_LATEST"), [50_000, 500_000, 6_000_000], ["MASS", "GOLD", "PLATINUM", "PRIVATE"]), ...YES_NO_DRIFT },
  { code: "AUM_TREND", name: "AUM趋势", nameEn: "AUM trend", category: "ASSET_AUM", valueType: "ENUM", sourceKind: "RULE", updateFrequency: "MONTHLY",
    enumValues: [ev("UP", "上升", "Rising"), ev("FLAT", "平稳", "Flat"), ev("DOWN", "下降", "Falling")],
    definition: "月末AUM相对近3月均值:高出10%以上为上升,低于10%以上为下降,否则平稳。", definitionEn: "Month-end AUM versus its 3-month average: >10% above rising, >10% below falling, else flat.",
    rule: cases([[gt(sub(tag("AUM_LATEST"), mul(tag("AUM_AVG_3M"), k(1.1))), 0), k("UP")], [lt(sub(tag("AUM_LATEST"), mul(tag("AUM_AVG_3M"), k(0.9))), 0), k("DOWN")], [{ op: "isNotNull", arg: tag("AUM_LATEST") }, k("FLAT")]]) },
  { code: "DEPOSIT_BALANCE", name: "存款余额", nameEn: "Deposit balance", category: "ASSET_DEPOSIT", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "MONTHLY", unit: "CNY",
    definition: "最近月末活期与定期存款余额合计。", definitionEn: "Demand plus time deposits at the latest month end.", rule: balance("deposit", "latest", 1) },
  { code: "DEPOSIT_AVG_3M", name: "近3月平均存款", nameEn: "Deposits, 3-month average", category: "ASSET_DEPOSIT", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "MONTHLY", unit: "CNY",
    definition: "近3个月月末存款余额的平均值。", definitionEn: "Average of the last 3 month-end deposit balances.", rule: balance("deposit", "avg", 3) },
  { code: "DEPOSIT_BAND", name: "存款层级", nameEn: "Deposit band", category: "ASSET_DEPOSIT", valueType: "ENUM", sourceKind: "RULE", updateFrequency: "MONTHLY",
    enumValues: [ev("LT_10K", "1万以下", "Under 10k"), ev("10K_100K", "1万–10万", "10k–100k"), ev("100K_1M", "10万–100万", "100k–1M"), ev("GE_1M", "100万以上", "1M and above")],
    definition: "按月末存款余额分档。", definitionEn: "Month-end deposits in bands.", rule: bucket(tag("DEPOSIT_BALANCE"), [10_000, 100_000, 1_000_000], ["LT_10K", "10K_100K", "100K_1M", "GE_1M"]) },
  { code: "DEMAND_DEPOSIT_AMOUNT", name: "活期存款余额", nameEn: "Demand deposits", category: "ASSET_DEPOSIT", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "DAILY", unit: "CNY",
    definition: "当前有效活期账户余额合计。", definitionEn: "Balance of open demand deposit accounts now.", rule: holding("amount", ["DEMAND_DEPOSIT"]) },
  { code: "TIME_DEPOSIT_AMOUNT", name: "定期存款余额", nameEn: "Time deposits", category: "ASSET_DEPOSIT", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "DAILY", unit: "CNY",
    definition: "当前有效定期存款(含大额存单)余额合计。", definitionEn: "Balance of open time deposits (incl. large CDs) now.", rule: holding("amount", ["TIME_DEPOSIT"]) },
  { code: "WEALTH_BALANCE", name: "理财类资产", nameEn: "Wealth assets", category: "ASSET_WEALTH", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "MONTHLY", unit: "CNY",
    definition: "最近月末理财、基金、保险、贵金属等资产合计。", definitionEn: "Wealth, fund, insurance and precious-metal assets at the latest month end.", rule: balance("wealth", "latest", 1) },
  { code: "WEALTH_HOLDING_AMOUNT", name: "理财持仓金额", nameEn: "Wealth holdings", category: "ASSET_WEALTH", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "DAILY", unit: "CNY",
    definition: "当前持有的理财、基金、保险、贵金属产品金额合计。", definitionEn: "Amount of wealth, fund, insurance and precious-metal holdings now.", rule: holding("amount", WEALTH_LIKE) },
  { code: "WEALTH_SHARE", name: "理财资产占比", nameEn: "Wealth share of AUM", category: "ASSET_WEALTH", valueType: "NUMBER", sourceKind: "RULE", updateFrequency: "MONTHLY", unit: "ratio",
    definition: "理财类资产 ÷ 月末AUM(AUM为0时无值)。", definitionEn: "Wealth assets ÷ month-end AUM (no value when AUM is 0).", rule: div(tag("WEALTH_BALANCE"), tag("AUM_LATEST")) },

  // ── 负债 Liabilities ──
  { code: "LOAN_BALANCE", name: "贷款余额", nameEn: "Loan balance", category: "LIABILITY_LOAN", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "MONTHLY", unit: "CNY",
    definition: "最近月末贷款余额。", definitionEn: "Loans outstanding at the latest month end.", rule: balance("loan", "latest", 1) },
  { code: "HAS_LOAN", name: "有贷款", nameEn: "Has a loan", category: "LIABILITY_LOAN", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "当前有未结清的贷款账户。", definitionEn: "Has an open loan account now.", rule: holds("LOAN") },
  { code: "LOAN_REPAYMENT_90D", name: "近90天还款额", nameEn: "Loan repayments, 90 days", category: "LIABILITY_LOAN", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "DAILY", unit: "CNY",
    definition: "近90天贷款还款交易金额合计。", definitionEn: "Sum of loan repayments in the last 90 days.", rule: txn("sum", ["LOAN_REPAYMENT"], 90) },
  { code: "LOAN_NO_DEPOSIT", name: "有贷无存客户", nameEn: "Borrower without deposits", category: "LIABILITY_LOAN", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "有贷款,且月末存款余额不足1万元。", definitionEn: "Has a loan and less than 10,000 CNY of deposits at month end.",
    rule: and(tag("HAS_LOAN"), { op: "not", arg: gte(tag("DEPOSIT_BALANCE"), 10_000) }) },
  { code: "DEBT_RATIO", name: "负债资产比", nameEn: "Debt to AUM", category: "LIABILITY_LOAN", valueType: "NUMBER", sourceKind: "RULE", updateFrequency: "MONTHLY", unit: "ratio",
    definition: "贷款余额 ÷ 月末AUM。", definitionEn: "Loan balance ÷ month-end AUM.", rule: div(tag("LOAN_BALANCE"), tag("AUM_LATEST")) },
  { code: "HIGH_LEVERAGE", name: "高负债客户", nameEn: "Highly leveraged", category: "LIABILITY_LOAN", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "MONTHLY",
    definition: "贷款余额超过月末AUM的2倍。", definitionEn: "Loans exceed twice the month-end AUM.", rule: gt(tag("DEBT_RATIO"), 2) },
  { code: "HAS_CREDIT_CARD", name: "持有信用卡", nameEn: "Holds a credit card", category: "LIABILITY_CARD", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "当前有有效信用卡账户。", definitionEn: "Has an open credit card account now.", rule: holds("CREDIT_CARD") },

  // ── 产品 Products ──
  { code: "HOLDS_TIME_DEPOSIT", name: "持有定期", nameEn: "Holds time deposits", category: "PRODUCT_DEPOSIT", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "当前持有定期存款或大额存单。", definitionEn: "Holds a time deposit or large CD now.", rule: holds("TIME_DEPOSIT") },
  { code: "TD_MATURING_30D", name: "定期30天内到期", nameEn: "Time deposit maturing in 30 days", category: "PRODUCT_DEPOSIT", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "有定期存款将在30天内(含今天)到期。", definitionEn: "A time deposit matures within 30 days (today included).", rule: gt(holding("maturing", ["TIME_DEPOSIT"], 30), 0) },
  { code: "HOLDS_WEALTH", name: "持有理财", nameEn: "Holds wealth products", category: "PRODUCT_WEALTH", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "当前持有银行理财产品。", definitionEn: "Holds a wealth management product now.", rule: holds("WEALTH") },
  { code: "WEALTH_MATURING_30D", name: "理财30天内到期", nameEn: "Wealth product maturing in 30 days", category: "PRODUCT_WEALTH", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "有理财或基金产品将在30天内(含今天)到期。", definitionEn: "A wealth or fund product matures within 30 days (today included).", rule: gt(holding("maturing", ["WEALTH", "FUND"], 30), 0) },
  { code: "NEXT_MATURITY_DATE", name: "最近到期日", nameEn: "Next maturity date", category: "PRODUCT_OVERVIEW", valueType: "DATE", sourceKind: "FACT", updateFrequency: "DAILY",
    definition: "持有的定期、理财产品中最早的未来到期日。", definitionEn: "Earliest upcoming maturity among time deposits and wealth products held.", rule: holding("nextMaturity", ["TIME_DEPOSIT", "WEALTH"]) },
  { code: "HOLDS_FUND", name: "持有基金", nameEn: "Holds funds", category: "PRODUCT_FUND", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "当前持有基金产品。", definitionEn: "Holds a fund now.", rule: holds("FUND") },
  { code: "HOLDS_INSURANCE", name: "持有保险", nameEn: "Holds insurance", category: "PRODUCT_INSURANCE", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "当前持有代销保险产品。", definitionEn: "Holds an insurance product now.", rule: holds("INSURANCE") },
  { code: "HOLDS_PRECIOUS_METAL", name: "持有贵金属", nameEn: "Holds precious metals", category: "PRODUCT_METAL", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "当前持有贵金属产品。", definitionEn: "Holds a precious-metal product now.", rule: holds("PRECIOUS_METAL") },
  { code: "PRODUCT_COUNT", name: "持有产品数", nameEn: "Products held", category: "PRODUCT_OVERVIEW", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "DAILY",
    definition: "当前持有的账户与产品数量(存款、理财、基金、保险、贵金属、贷款、信用卡)。", definitionEn: "Open accounts and holdings of every product category.",
    rule: holding("count", ["DEMAND_DEPOSIT", "TIME_DEPOSIT", "WEALTH", "FUND", "INSURANCE", "PRECIOUS_METAL", "LOAN", "CREDIT_CARD"]) },
  { code: "PRODUCT_BREADTH", name: "产品覆盖度", nameEn: "Product breadth", category: "PRODUCT_OVERVIEW", valueType: "ENUM", sourceKind: "RULE", updateFrequency: "DAILY",
    enumValues: [ev("SINGLE", "单一产品", "One product"), ev("FEW", "2–3个产品", "2–3 products"), ev("MANY", "4个及以上", "4 or more")],
    definition: "按持有产品数分档:1个、2–3个、4个及以上(0个无值)。", definitionEn: "Products held: one, two or three, four or more (none: no value).",
    rule: cases([[gt(tag("PRODUCT_COUNT"), 0), bucket(tag("PRODUCT_COUNT"), [2, 4], ["SINGLE", "FEW", "MANY"])]]) },
  { code: "MAX_HELD_RISK", name: "持仓最高风险等级", nameEn: "Highest product risk held", category: "PRODUCT_OVERVIEW", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "DAILY",
    definition: "持有的理财、基金、保险、贵金属产品中最高的产品风险等级(1–5对应R1–R5)。", definitionEn: "Highest product risk level (1–5 = R1–R5) among wealth products held.",
    rule: holding("maxRisk", WEALTH_LIKE) },
  { code: "WEALTH_PURCHASES_180D", name: "近180天申购笔数", nameEn: "Purchases, 180 days", category: "PRODUCT_WEALTH", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "DAILY",
    definition: "近180天理财、基金等申购交易笔数。", definitionEn: "Number of product purchases in the last 180 days.", rule: txn("count", ["PURCHASE"], 180) },
  { code: "RECENT_REDEMPTION_30D", name: "近30天有赎回", nameEn: "Redeemed in 30 days", category: "PRODUCT_WEALTH", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "近30天有产品赎回交易。", definitionEn: "Redeemed a product in the last 30 days.", rule: gt(txn("count", ["REDEMPTION"], 30), 0) },

  // ── 交易 Transactions ──
  { code: "PAYROLL_CUSTOMER", name: "代发工资客户", nameEn: "Payroll customer", category: "TXN_PAYROLL", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "近90天收到2笔及以上代发工资。", definitionEn: "Received two or more payroll credits in the last 90 days.", rule: gte(txn("count", ["PAYROLL"], 90), 2), ...YES_NO_DRIFT },
  { code: "PAYROLL_MONTHLY_AVG", name: "月均代发金额", nameEn: "Monthly payroll", category: "TXN_PAYROLL", valueType: "NUMBER", sourceKind: "RULE", updateFrequency: "DAILY", unit: "CNY",
    definition: "近90天代发工资金额 ÷ 3。", definitionEn: "Payroll credits in the last 90 days ÷ 3.", rule: div(txn("sum", ["PAYROLL"], 90), k(3)) },
  { code: "CARD_SPEND_30D", name: "近30天信用卡消费", nameEn: "Card spending, 30 days", category: "TXN_CARD", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "DAILY", unit: "CNY",
    definition: "近30天信用卡消费金额合计。", definitionEn: "Card spending in the last 30 days.", rule: txn("sum", ["CARD_SPEND"], 30) },
  { code: "CARD_SPEND_90D", name: "近90天信用卡消费", nameEn: "Card spending, 90 days", category: "TXN_CARD", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "DAILY", unit: "CNY",
    definition: "近90天信用卡消费金额合计。", definitionEn: "Card spending in the last 90 days.", rule: txn("sum", ["CARD_SPEND"], 90) },
  { code: "CARD_TXN_COUNT_30D", name: "近30天刷卡笔数", nameEn: "Card transactions, 30 days", category: "TXN_CARD", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "DAILY",
    definition: "近30天信用卡消费笔数。", definitionEn: "Number of card purchases in the last 30 days.", rule: txn("count", ["CARD_SPEND"], 30) },
  { code: "CARD_MAX_SPEND_90D", name: "近90天单笔最高消费", nameEn: "Largest card purchase, 90 days", category: "TXN_CARD", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "DAILY", unit: "CNY",
    definition: "近90天单笔信用卡消费最高金额(无消费无值)。", definitionEn: "Largest single card purchase in the last 90 days (none: no value).", rule: txn("max", ["CARD_SPEND"], 90) },
  { code: "CARD_AVG_TICKET_90D", name: "近90天笔均消费", nameEn: "Average card purchase, 90 days", category: "TXN_CARD", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "DAILY", unit: "CNY",
    definition: "近90天信用卡消费的笔均金额。", definitionEn: "Average card purchase in the last 90 days.", rule: txn("avg", ["CARD_SPEND"], 90) },
  { code: "CARD_HIGH_SPENDER", name: "信用卡高消费客户", nameEn: "High card spender", category: "TXN_CARD", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "近90天信用卡消费5000元及以上。", definitionEn: "Card spending of 5,000 CNY or more in the last 90 days.", rule: gte(tag("CARD_SPEND_90D"), 5_000), ...YES_NO_DRIFT },
  { code: "INFLOW_30D", name: "近30天资金流入", nameEn: "Inflows, 30 days", category: "TXN_FLOW", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "DAILY", unit: "CNY",
    definition: "近30天存入、转入、代发工资金额合计。", definitionEn: "Deposits, incoming transfers and payroll in the last 30 days.", rule: txn("sum", ["DEPOSIT", "TRANSFER_IN", "PAYROLL"], 30) },
  { code: "OUTFLOW_30D", name: "近30天资金流出", nameEn: "Outflows, 30 days", category: "TXN_FLOW", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "DAILY", unit: "CNY",
    definition: "近30天取现、转出金额合计。", definitionEn: "Withdrawals and outgoing transfers in the last 30 days.", rule: txn("sum", ["WITHDRAWAL", "TRANSFER_OUT"], 30) },
  { code: "NET_FLOW_30D", name: "近30天资金净流入", nameEn: "Net inflow, 30 days", category: "TXN_FLOW", valueType: "NUMBER", sourceKind: "RULE", updateFrequency: "DAILY", unit: "CNY",
    definition: "近30天资金流入 − 资金流出。", definitionEn: "Inflows minus outflows over the last 30 days.", rule: sub(tag("INFLOW_30D"), tag("OUTFLOW_30D")) },
  { code: "TXN_COUNT_30D", name: "近30天交易笔数", nameEn: "Transactions, 30 days", category: "TXN_FLOW", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "DAILY",
    definition: "近30天各类交易笔数(不含利息、费用)。", definitionEn: "Transactions of every kind except interest and fees in the last 30 days.", rule: txn("count", ALL_TXN, 30) },
  { code: "TXN_ACTIVITY_LEVEL", name: "交易活跃度", nameEn: "Transaction activity", category: "TXN_FLOW", valueType: "ENUM", sourceKind: "RULE", updateFrequency: "DAILY",
    enumValues: [ev("NONE", "无交易", "None"), ev("LOW", "低(1–2笔)", "Low (1–2)"), ev("MEDIUM", "中(3–7笔)", "Medium (3–7)"), ev("HIGH", "高(8笔及以上)", "High (8+)")],
    definition: "按近30天交易笔数分档。", definitionEn: "Transactions in the last 30 days, in bands.", rule: bucket(tag("TXN_COUNT_30D"), [1, 3, 8], ["NONE", "LOW", "MEDIUM", "HIGH"]) },
  { code: "DAYS_SINCE_LAST_TXN", name: "距最近交易天数", nameEn: "Days since last transaction", category: "TXN_FLOW", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "DAILY", unit: "days",
    definition: "距最近一笔交易(不含利息、费用)的天数,180天内无交易则无值。", definitionEn: "Days since the last transaction (excl. interest, fees); no value when none in 180 days.",
    rule: f({ kind: "txnRecency", types: ALL_TXN, days: 180 }) },
  { code: "MOBILE_TXN_30D", name: "近30天手机银行交易笔数", nameEn: "Mobile transactions, 30 days", category: "TXN_CHANNEL", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "DAILY",
    definition: "近30天通过手机银行发生的交易笔数。", definitionEn: "Transactions made in the mobile app in the last 30 days.", rule: txn("count", ALL_TXN, 30, { channels: ["MOBILE"] }) },
  { code: "LOGINS_30D", name: "近30天登录次数", nameEn: "Logins, 30 days", category: "TXN_CHANNEL", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "DAILY",
    definition: "近30天手机银行登录次数。", definitionEn: "Mobile banking logins in the last 30 days.", rule: f({ kind: "eventCount", types: ["LOGIN"], days: 30 }) },
  { code: "MOBILE_BANKING_ACTIVE", name: "手机银行活跃", nameEn: "Mobile banking active", category: "TXN_CHANNEL", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "近30天登录手机银行3次及以上,或有手机银行交易。", definitionEn: "Three or more logins in the last 30 days, or a mobile transaction.",
    rule: or(gte(tag("LOGINS_30D"), 3), gt(tag("MOBILE_TXN_30D"), 0)), ...YES_NO_DRIFT },
  { code: "DAYS_SINCE_LAST_LOGIN", name: "距最近登录天数", nameEn: "Days since last login", category: "TXN_CHANNEL", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "DAILY", unit: "days",
    definition: "距最近一次手机银行登录的天数,180天内未登录则无值。", definitionEn: "Days since the last mobile login; no value when none in 180 days.", rule: f({ kind: "eventRecency", types: ["LOGIN"], days: 180 }) },
  { code: "PRODUCT_VIEWS_30D", name: "近30天浏览产品次数", nameEn: "Product views, 30 days", category: "TXN_CHANNEL", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "DAILY",
    definition: "近30天在手机银行浏览产品的次数。", definitionEn: "Product page views in the app in the last 30 days.", rule: f({ kind: "eventCount", types: ["VIEW_PRODUCT"], days: 30 }) },
  { code: "PURCHASE_INTENT_30D", name: "近30天有购买意向", nameEn: "Purchase intent, 30 days", category: "TXN_CHANNEL", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "近30天在手机银行有购买意向行为(如加入心愿单、试算)。", definitionEn: "Showed purchase intent in the app in the last 30 days.",
    rule: gt(f({ kind: "eventCount", types: ["PURCHASE_INTENT"], days: 30 }), 0) },
  { code: "CAR_OWNER_ETC", name: "有车客户(ETC)", nameEn: "Car owner (ETC)", category: "TXN_AUTO", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "近90天有ETC通行扣费交易。", definitionEn: "Paid an ETC road toll in the last 90 days.", rule: gt(txn("count", ["ETC_TOLL"], 90), 0), ...YES_NO_DRIFT },
  { code: "ETC_SPEND_90D", name: "近90天ETC扣费", nameEn: "ETC tolls, 90 days", category: "TXN_AUTO", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "DAILY", unit: "CNY",
    definition: "近90天ETC通行扣费金额合计。", definitionEn: "ETC tolls paid in the last 90 days.", rule: txn("sum", ["ETC_TOLL"], 90) },

  // ── 价值 Value ──
  { code: "LIFECYCLE_STAGE", name: "客户生命周期", nameEn: "Lifecycle stage", category: "VALUE_LIFECYCLE", valueType: "ENUM", sourceKind: "RULE", updateFrequency: "DAILY",
    enumValues: [ev("POTENTIAL", "潜在客户", "Potential"), ev("NEW", "新客户", "New"), ev("ACTIVE", "活跃客户", "Active"), ev("HIGH_VALUE", "高价值客户", "High value"), ev("DORMANT", "沉睡客户", "Dormant"), ev("CHURNED", "流失客户", "Churned")],
    definition: "依次判断:近12月AUM曾达5万、现已不足最高值的30%为流失;180天无交易且无登录为沉睡;开户180天内为新客户;月末AUM≥50万为高价值;AUM≥1000元或近30天有交易为活跃;其余为潜在。",
    definitionEn: "In order: AUM once ≥50k in 12 months and now below 30% of that high: churned; no transaction or login in 180 days: dormant; opened within 180 days: new; month-end AUM ≥500k: high value; AUM ≥1,000 or a transaction in 30 days: active; else potential.",
    rule: cases(
      [
        [and(gte(tag("AUM_MAX_12M"), 50_000), or(isNull(tag("AUM_LATEST")), lt(sub(tag("AUM_LATEST"), mul(tag("AUM_MAX_12M"), k(0.3))), 0))), k("CHURNED")],
        [and(isNull(tag("DAYS_SINCE_LAST_TXN")), isNull(tag("DAYS_SINCE_LAST_LOGIN"))), k("DORMANT")],
        [{ op: "lte", left: customer("tenureDays"), right: k(180) }, k("NEW")],
        [gte(tag("AUM_LATEST"), 500_000), k("HIGH_VALUE")],
        [or(gte(tag("AUM_LATEST"), 1_000), gt(tag("TXN_COUNT_30D"), 0)), k("ACTIVE")],
      ],
      k("POTENTIAL"),
    ),
    ...YES_NO_DRIFT },
  { code: "VIP_CUSTOMER", name: "贵宾客户", nameEn: "VIP customer", category: "VALUE_TIER", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "MONTHLY",
    definition: "AUM层级为白金或私行。", definitionEn: "AUM band platinum or private banking.", rule: { op: "in", left: tag("AUM_BAND"), values: ["PLATINUM", "PRIVATE"] } },
  { code: "POTENTIAL_HIGH_VALUE", name: "潜力高价值客户", nameEn: "Potential high value", category: "VALUE_TIER", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "MONTHLY",
    definition: "月末AUM在20万–50万之间,且为代发工资客户或AUM趋势上升。", definitionEn: "Month-end AUM 200k–500k and a payroll customer or AUM rising.",
    rule: and({ op: "between", left: tag("AUM_LATEST"), min: 200_000, max: 499_999.99 }, or(tag("PAYROLL_CUSTOMER"), eq(tag("AUM_TREND"), "UP"))) },
  { code: "CONTRIBUTION_INDEX", name: "综合贡献指数", nameEn: "Contribution index", category: "VALUE_TIER", valueType: "NUMBER", sourceKind: "RULE", updateFrequency: "MONTHLY",
    definition: "近3月平均AUM(万元) + 持有产品数×5 + 近90天信用卡消费(万元)×2。", definitionEn: "3-month average AUM (10k CNY) + 5 × products held + 2 × 90-day card spending (10k CNY).",
    rule: add(add(div(tag("AUM_AVG_3M"), k(10_000)), mul(tag("PRODUCT_COUNT"), k(5))), mul(div(tag("CARD_SPEND_90D"), k(10_000)), k(2))) },
  { code: "WEALTH_PROSPECT", name: "理财潜客", nameEn: "Wealth prospect", category: "VALUE_OPPORTUNITY", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "存款10万元及以上、未持有理财,且风险测评有效。", definitionEn: "Deposits of 100k or more, no wealth product, valid risk assessment.",
    rule: and(gte(tag("DEPOSIT_BALANCE"), 100_000), not(tag("HOLDS_WEALTH")), eq(tag("RISK_ASSESSMENT_EXPIRED"), false)) },
  { code: "DEPOSIT_RETENTION_TARGET", name: "到期挽留客户", nameEn: "Maturity retention target", category: "VALUE_OPPORTUNITY", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "定期30天内到期且定期余额5万元及以上。", definitionEn: "A time deposit matures within 30 days and time deposits total 50k or more.",
    rule: and(tag("TD_MATURING_30D"), gte(tag("TIME_DEPOSIT_AMOUNT"), 50_000)) },
  { code: "CARD_ACTIVATION_TARGET", name: "信用卡促活客户", nameEn: "Card activation target", category: "VALUE_OPPORTUNITY", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "持有信用卡但近30天无刷卡消费。", definitionEn: "Holds a credit card but no card purchase in 30 days.", rule: and(tag("HAS_CREDIT_CARD"), eq(tag("CARD_TXN_COUNT_30D"), 0)) },
  { code: "CROSS_SELL_CARD", name: "信用卡潜客", nameEn: "Credit card prospect", category: "VALUE_OPPORTUNITY", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "代发工资客户、年龄22–60岁、未持有信用卡。", definitionEn: "Payroll customer aged 22–60 without a credit card.",
    rule: and(tag("PAYROLL_CUSTOMER"), { op: "between", left: tag("AGE"), min: 22, max: 60 }, not(tag("HAS_CREDIT_CARD"))) },

  // ── 风险 Risk ──
  { code: "RISK_LEVEL", name: "风险承受能力等级", nameEn: "Risk tolerance level", category: "RISK_TOLERANCE", valueType: "ENUM", sourceKind: "FACT", updateFrequency: "DAILY",
    enumValues: [ev("C1", "C1 保守型", "C1 conservative"), ev("C2", "C2 稳健型", "C2 cautious"), ev("C3", "C3 平衡型", "C3 balanced"), ev("C4", "C4 进取型", "C4 growth"), ev("C5", "C5 激进型", "C5 aggressive")],
    definition: "最近一次风险承受能力评估的等级(含已过期的评估)。", definitionEn: "Level of the latest risk-tolerance assessment (expired ones included).", rule: f({ kind: "risk", field: "level" }) },
  { code: "RISK_ASSESSMENT_EXPIRED", name: "风险测评已过期", nameEn: "Risk assessment expired", category: "RISK_TOLERANCE", valueType: "BOOLEAN", sourceKind: "FACT", updateFrequency: "DAILY",
    definition: "最近一次风险测评已过有效期(未测评无值)。", definitionEn: "The latest risk assessment has expired (never assessed: no value).", rule: f({ kind: "risk", field: "expired" }) },
  { code: "RISK_EXPIRING_30D", name: "风险测评30天内到期", nameEn: "Risk assessment expiring in 30 days", category: "RISK_TOLERANCE", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "有效的风险测评将在30天内到期。", definitionEn: "A valid risk assessment expires within 30 days.", rule: { op: "between", left: f({ kind: "risk", field: "daysToExpiry" }), min: 0, max: 30 } },
  { code: "RISK_MISMATCH", name: "持仓超风险等级", nameEn: "Holdings above risk level", category: "RISK_ALERT", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "持有产品的最高风险等级高于客户风险承受能力等级(或测评已过期)。", definitionEn: "Holds a product riskier than the customer's risk level (or the assessment expired).",
    rule: and(tag("HOLDS_WEALTH_LIKE"), or(gt(sub(tag("MAX_HELD_RISK"), f({ kind: "risk", field: "rank" })), 0), tag("RISK_ASSESSMENT_EXPIRED"), isNull(f({ kind: "risk", field: "rank" })))) },
  { code: "HOLDS_WEALTH_LIKE", name: "持有非存款类产品", nameEn: "Holds non-deposit products", category: "RISK_ALERT", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "当前持有理财、基金、保险或贵金属产品。", definitionEn: "Holds any wealth, fund, insurance or precious-metal product now.", rule: holds(...WEALTH_LIKE) },
  { code: "LARGE_FUND_MOVEMENT_24H", name: "24小时大额资金变动", nameEn: "Large fund movement, 24 h", category: "RISK_ALERT", valueType: "BOOLEAN", sourceKind: "REALTIME", updateFrequency: "REALTIME",
    definition: "24小时内有单笔5万元及以上的转出或取现(实时事件驱动,批量每日校准)。", definitionEn: "A single transfer out or withdrawal of 50,000 CNY or more within 24 hours (event-driven, recalibrated daily).",
    rule: gt(txn("count", ["TRANSFER_OUT", "WITHDRAWAL"], 1, { minAmount: 50_000 }), 0) },
  { code: "LARGE_OUTFLOW_30D", name: "近30天大额转出", nameEn: "Large outflow, 30 days", category: "RISK_ALERT", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "近30天有单笔5万元及以上的转出或取现。", definitionEn: "A single transfer out or withdrawal of 50,000 CNY or more in the last 30 days.",
    rule: gt(txn("count", ["TRANSFER_OUT", "WITHDRAWAL"], 30, { minAmount: 50_000 }), 0) },
  { code: "CHURN_RISK", name: "流失预警", nameEn: "Churn warning", category: "RISK_ALERT", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "月末AUM低于近3月均值的70%,且近30天资金净流出。", definitionEn: "Month-end AUM below 70% of its 3-month average and a net outflow over 30 days.",
    rule: and(lt(sub(tag("AUM_LATEST"), mul(tag("AUM_AVG_3M"), k(0.7))), 0), lt(tag("NET_FLOW_30D"), 0)), ...YES_NO_DRIFT },

  // ── 自然属性 Natural attributes ──
  { code: "GENDER", name: "性别", nameEn: "Gender", category: "NATURAL_DEMOGRAPHIC", valueType: "ENUM", sourceKind: "FACT", updateFrequency: "DAILY",
    enumValues: [ev("M", "男", "Male"), ev("F", "女", "Female"), ev("U", "未知", "Unknown")], definition: "客户登记的性别。", definitionEn: "Gender on record.", rule: customer("gender") },
  { code: "AGE", name: "年龄", nameEn: "Age", category: "NATURAL_DEMOGRAPHIC", valueType: "NUMBER", sourceKind: "FACT", updateFrequency: "DAILY", unit: "years",
    definition: "按出生日期计算的周岁年龄。", definitionEn: "Age in whole years from the date of birth.", rule: customer("age") },
  { code: "AGE_BAND", name: "年龄段", nameEn: "Age band", category: "NATURAL_DEMOGRAPHIC", valueType: "ENUM", sourceKind: "RULE", updateFrequency: "DAILY",
    enumValues: [ev("UNDER_25", "25岁以下", "Under 25"), ev("25_34", "25–34岁", "25–34"), ev("35_44", "35–44岁", "35–44"), ev("45_54", "45–54岁", "45–54"), ev("55_64", "55–64岁", "55–64"), ev("65_PLUS", "65岁及以上", "65 and over")],
    definition: "按周岁年龄分段。", definitionEn: "Age in bands.", rule: bucket(tag("AGE"), [25, 35, 45, 55, 65], ["UNDER_25", "25_34", "35_44", "45_54", "55_64", "65_PLUS"]) },
  { code: "SENIOR_CUSTOMER", name: "老年客户", nameEn: "Senior customer", category: "NATURAL_DEMOGRAPHIC", valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY",
    definition: "年满60周岁。", definitionEn: "Aged 60 or over.", rule: gte(tag("AGE"), 60) },
  { code: "BIRTHDAY_THIS_MONTH", name: "本月生日", nameEn: "Birthday this month", category: "NATURAL_DEMOGRAPHIC", valueType: "BOOLEAN", sourceKind: "FACT", updateFrequency: "DAILY",
    definition: "生日在当月。", definitionEn: "Birthday falls in the current month.", rule: customer("birthdayThisMonth") },
  { code: "OCCUPATION", name: "职业", nameEn: "Occupation", category: "NATURAL_DEMOGRAPHIC", valueType: "ENUM", sourceKind: "FACT", updateFrequency: "DAILY",
    enumValues: OCCUPATIONS.map(([zh, en]) => ev(zh, zh, en)), definition: "客户登记的职业。", definitionEn: "Occupation on record.", rule: customer("occupation") },
  { code: "PROVINCE", name: "所在省份", nameEn: "Province", category: "NATURAL_REGION", valueType: "ENUM", sourceKind: "FACT", updateFrequency: "DAILY",
    enumValues: PROVINCES.map(([zh, en]) => ev(zh, zh, en)), definition: "客户登记地址所在省级行政区。", definitionEn: "Province of the address on record.", rule: customer("province") },
  { code: "TENURE_YEARS", name: "开户年限", nameEn: "Years as customer", category: "NATURAL_RELATION", valueType: "NUMBER", sourceKind: "RULE", updateFrequency: "DAILY", unit: "years",
    definition: "自开户日起的年数(按365天折算)。", definitionEn: "Years since the customer opened their first account (365-day years).", rule: div(customer("tenureDays"), k(365)) },
  { code: "HAS_ASSIGNED_RM", name: "有管户客户经理", nameEn: "Has an assigned RM", category: "NATURAL_RELATION", valueType: "BOOLEAN", sourceKind: "FACT", updateFrequency: "DAILY",
    definition: "已分配管户客户经理。", definitionEn: "An RM is assigned to the customer.", rule: customer("hasRm") },
  { code: "CUSTOMER_STATUS", name: "客户状态", nameEn: "Customer status", category: "NATURAL_RELATION", valueType: "ENUM", sourceKind: "FACT", updateFrequency: "DAILY",
    enumValues: [ev("ACTIVE", "正常", "Active"), ev("DORMANT", "久悬", "Dormant"), ev("CLOSED", "销户", "Closed")], definition: "核心系统中的客户状态。", definitionEn: "Customer status in core banking.",
    rule: customer("status") },
];
