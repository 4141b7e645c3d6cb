/** The product catalogue (40 products): deposits, wealth management, funds, insurance, precious metals, loans, cards. */
export type ProductCategory = "DEMAND_DEPOSIT" | "TIME_DEPOSIT" | "WEALTH" | "FUND" | "INSURANCE" | "PRECIOUS_METAL" | "LOAN" | "CREDIT_CARD";

export interface ProductDef {
  code: string;
  name: string;
  nameEn: string;
  category: ProductCategory;
  /** R1..R5 as 1..5. */
  riskLevel: number;
  termDays: number | null;
  expectedYield: number | null;
  minAmountCny: number;
  launchedAt: string;
}

const p = (code: string, name: string, nameEn: string, category: ProductCategory, riskLevel: number, termDays: number | null, expectedYield: number | null, minAmountCny: number, launchedAt: string): ProductDef => ({ code, name, nameEn, category, riskLevel, termDays, expectedYield, minAmountCny, launchedAt });

export const PRODUCTS: readonly ProductDef[] = [
  p("D001", "活期储蓄", "Demand Savings", "DEMAND_DEPOSIT", 1, null, 0.0015, 0, "2005-01-01"),
  p("T003", "三个月整存整取", "3-Month Time Deposit", "TIME_DEPOSIT", 1, 90, 0.0105, 50, "2005-01-01"),
  p("T006", "六个月整存整取", "6-Month Time Deposit", "TIME_DEPOSIT", 1, 180, 0.0125, 50, "2005-01-01"),
  p("T012", "一年期整存整取", "1-Year Time Deposit", "TIME_DEPOSIT", 1, 365, 0.0135, 50, "2005-01-01"),
  p("T036", "三年期整存整取", "3-Year Time Deposit", "TIME_DEPOSIT", 1, 1095, 0.0175, 50, "2005-01-01"),
  p("T060", "五年期整存整取", "5-Year Time Deposit", "TIME_DEPOSIT", 1, 1825, 0.018, 50, "2005-01-01"),
  p("T136", "三年期大额存单", "3-Year Large-Denomination CD", "TIME_DEPOSIT", 1, 1095, 0.019, 200000, "2016-06-01"),
  p("W101", "天天盈现金管理", "Daily Cash Management", "WEALTH", 1, null, 0.0185, 1, "2019-03-01"),
  p("W102", "安心90天理财", "Steady 90-Day Wealth Plan", "WEALTH", 2, 90, 0.026, 10000, "2020-05-01"),
  p("W103", "稳健180天理财", "Prudent 180-Day Wealth Plan", "WEALTH", 2, 180, 0.0285, 10000, "2020-05-01"),
  p("W104", "睿享一年期理财", "Smart 1-Year Wealth Plan", "WEALTH", 3, 365, 0.034, 10000, "2021-01-01"),
  p("W105", "固收增强理财", "Enhanced Fixed Income Plan", "WEALTH", 3, 270, 0.037, 10000, "2022-03-01"),
  p("W106", "权益精选理财", "Equity Select Wealth Plan", "WEALTH", 4, 365, 0.05, 50000, "2022-09-01"),
  p("W107", "安养五年养老理财", "5-Year Pension Wealth Plan", "WEALTH", 2, 1825, 0.039, 1, "2022-11-01"),
  p("F201", "安盈纯债基金", "Anying Pure Bond Fund", "FUND", 2, null, 0.032, 10, "2018-04-01"),
  p("F202", "短债优选基金", "Short-Term Bond Select Fund", "FUND", 2, null, 0.028, 10, "2019-08-01"),
  p("F203", "稳健偏债混合基金", "Balanced Bond-Tilted Fund", "FUND", 3, null, 0.045, 10, "2017-06-01"),
  p("F204", "沪深300指数基金", "CSI 300 Index Fund", "FUND", 4, null, 0.06, 10, "2012-05-01"),
  p("F205", "科技成长股票基金", "Tech Growth Equity Fund", "FUND", 5, null, 0.08, 10, "2020-02-01"),
  p("F206", "全球精选QDII基金", "Global Select QDII Fund", "FUND", 5, null, 0.07, 100, "2018-11-01"),
  p("F207", "黄金ETF联接基金", "Gold ETF Feeder Fund", "FUND", 4, null, 0.05, 10, "2016-08-01"),
  p("F208", "医疗健康混合基金", "Healthcare Mixed Fund", "FUND", 5, null, 0.075, 10, "2019-01-01"),
  p("I301", "金如意增额终身寿险", "Increasing Whole Life Insurance", "INSURANCE", 2, 3650, 0.025, 10000, "2021-06-01"),
  p("I302", "福满年金保险", "Annuity Insurance", "INSURANCE", 2, 1825, 0.03, 10000, "2020-01-01"),
  p("I303", "安康重大疾病保险", "Critical Illness Insurance", "INSURANCE", 1, 7300, null, 3000, "2018-01-01"),
  p("I304", "鑫利分红保险", "Participating Insurance", "INSURANCE", 2, 3650, 0.028, 10000, "2019-09-01"),
  p("I305", "智选万能险", "Universal Life Insurance", "INSURANCE", 3, 3650, 0.03, 5000, "2021-03-01"),
  p("P401", "积存金", "Gold Accumulation Plan", "PRECIOUS_METAL", 3, null, null, 200, "2015-01-01"),
  p("P402", "实物金条", "Physical Gold Bars", "PRECIOUS_METAL", 2, null, null, 2000, "2010-01-01"),
  p("P403", "白银积存", "Silver Accumulation Plan", "PRECIOUS_METAL", 4, null, null, 100, "2017-01-01"),
  p("L501", "个人住房贷款", "Home Mortgage", "LOAN", 1, 9125, 0.036, 100000, "2005-01-01"),
  p("L502", "个人消费贷款", "Consumer Loan", "LOAN", 1, 1095, 0.045, 10000, "2016-01-01"),
  p("L503", "个人经营贷款", "Small Business Loan", "LOAN", 1, 1095, 0.042, 50000, "2017-01-01"),
  p("L504", "个人汽车贷款", "Car Loan", "LOAN", 1, 1095, 0.04, 30000, "2014-01-01"),
  p("C601", "标准信用卡", "Standard Credit Card", "CREDIT_CARD", 1, null, null, 0, "2008-01-01"),
  p("C602", "白金信用卡", "Platinum Credit Card", "CREDIT_CARD", 1, null, null, 0, "2012-01-01"),
  p("C603", "ETC联名信用卡", "ETC Co-Branded Credit Card", "CREDIT_CARD", 1, null, null, 0, "2015-06-01"),
  p("C604", "青春信用卡", "Youth Credit Card", "CREDIT_CARD", 1, null, null, 0, "2018-09-01"),
  p("C605", "商旅信用卡", "Business Travel Credit Card", "CREDIT_CARD", 1, null, null, 0, "2019-04-01"),
  p("T024", "二年期整存整取", "2-Year Time Deposit", "TIME_DEPOSIT", 1, 730, 0.0145, 50, "2005-01-01"),
];

/** Product ids are positions in PRODUCTS plus one (the seed inserts them with explicit ids). */
export const productId = (code: string): number => {
  const i = PRODUCTS.findIndex((x) => x.code === code);
  if (i < 0) throw new Error(`unknown product ${code}`);
  return i + 1;
};
