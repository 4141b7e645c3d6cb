/**
 * AUM bands (客户层级) as Chinese retail banks usually draw them: 大众 mass (< 50k CNY),
 * 金卡 gold (50k – 500k), 白金 platinum (500k – 6M), 私行 private banking (≥ 6M).
 */
export const AUM_BANDS = ["MASS", "GOLD", "PLATINUM", "PRIVATE"] as const;
export type AumBand = (typeof AUM_BANDS)[number];

export function aumBand(aum: number): AumBand {
  if (aum >= 6_000_000) return "PRIVATE";
  if (aum >= 500_000) return "PLATINUM";
  if (aum >= 50_000) return "GOLD";
  return "MASS";
}
