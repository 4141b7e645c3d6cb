/**
 * What the approver sees before launch: the audience, the control group held back, and how many
 * the guardrails would suppress right now, by reason — the same SQL the send path evaluates, for
 * the first send step of the flow. Deferred (quiet hours, deferring campaign) still count as
 * eligible.
 */
import type { Db } from "@mkt/db";
import { DomainError } from "../../domain-error";
import { FlowGraph, parseFlow } from "../flow";
import { inControlGroup } from "../guardrails/control-group";
import type { SuppressionReason } from "../guardrails/reasons";
import { loadAudience } from "./audience";
import { loadPolicy } from "./context";
import { reasonSql } from "./guardrails-sql";

export interface AudienceEstimate {
  /** null for event-triggered campaigns (the audience is whoever triggers). */
  audience: number | null;
  snapshotId: string | null;
  channel: string | null;
  control: number;
  suppressed: { reason: SuppressionReason; count: number }[];
  deferred: number;
  eligible: number;
}

export async function estimateAudience(db: Db, campaignId: string, at = new Date()): Promise<AudienceEstimate> {
  const c = await db.campaign.findUnique({ where: { id: campaignId }, include: { products: { include: { product: { select: { riskLevel: true } } } } } });
  if (!c) throw new DomainError("NOT_FOUND", "campaign not found");
  const flow = parseFlow(c.flow);
  const firstSend = new FlowGraph(flow).sendNodes()[0] ?? null;
  const none: AudienceEstimate = { audience: null, snapshotId: null, channel: firstSend?.channel ?? null, control: 0, suppressed: [], deferred: 0, eligible: 0 };
  if (c.audienceKind !== "SEGMENT") return none;
  const { members, snapshotId } = await loadAudience(db, c);
  const treated: number[] = [];
  let control = 0;
  for (const id of members) {
    if (c.controlShareBp > 0 && inControlGroup(c.id, id, c.controlShareBp)) control++;
    else treated.push(id);
  }
  if (!firstSend) return { ...none, audience: members.size, snapshotId, control, eligible: treated.length };
  const productRisk = c.products.length ? Math.max(...c.products.map((p) => p.product.riskLevel)) : null;
  const policy = await loadPolicy(db, firstSend.channel);
  const reason = reasonSql({ channel: firstSend.channel, productRisk, policy, quietHoursPolicy: c.quietHoursPolicy, at });
  const rows = await db.$queryRaw<{ reason: string | null; n: number }[]>`
    SELECT reason, count(*)::int AS n FROM (
      SELECT ${reason} AS reason FROM customer cu WHERE cu.id = ANY(${treated}::int[])
    ) r GROUP BY reason`;
  const suppressed = rows.filter((r) => r.reason && r.reason !== "DEFER").map((r) => ({ reason: r.reason as SuppressionReason, count: r.n }));
  if (control) suppressed.unshift({ reason: "CONTROL_GROUP", count: control });
  const deferred = rows.find((r) => r.reason === "DEFER")?.n ?? 0;
  const eligible = rows.filter((r) => !r.reason || r.reason === "DEFER").reduce((s, r) => s + r.n, 0);
  return { audience: members.size, snapshotId, channel: firstSend.channel, control, suppressed: suppressed.sort((a, b) => b.count - a.count), deferred, eligible };
}

