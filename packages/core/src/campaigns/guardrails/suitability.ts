/**
 * Product suitability (适当性): a customer may be offered a product only when their risk-tolerance
 * level C1–C5 is at least the product's risk level R1–R5 and their latest assessment has not
 * expired. A missing assessment counts as expired. A campaign is checked against the riskiest
 * product it promotes; one that promotes none needs no assessment.
 */
export interface AssessmentFact {
  /** "C1".."C5" */
  level: string;
  expiresAt: Date;
}

export function riskRank(level: string): number {
  const m = /^[CR]([1-5])$/.exec(level);
  if (!m) throw new Error(`unknown risk level "${level}"`);
  return Number(m[1]);
}

/** `productRisk` is 1..5 (R1..R5), or null when the campaign promotes no product. */
export function suitability(assessment: AssessmentFact | null, productRisk: number | null, at: Date): "UNSUITABLE" | "ASSESSMENT_EXPIRED" | null {
  if (productRisk === null) return null;
  if (!assessment || assessment.expiresAt.getTime() <= at.getTime()) return "ASSESSMENT_EXPIRED";
  return riskRank(assessment.level) >= productRisk ? null : "UNSUITABLE";
}
