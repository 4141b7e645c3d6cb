/**
 * A draft's flow may be unfinished while it is being drawn (a send step without its template yet,
 * an output not connected): saving keeps it, so no work is lost, as long as it has the flow's outer
 * shape and stays within the size limits. The full check of ../flow.ts runs on every save — its
 * errors go back to the designer, which shows them on the nodes — and submission refuses a flow
 * that has any (see approval.ts), so only valid flows are ever launched.
 */
import { z } from "zod";
import { DomainError } from "../../domain-error";
import { checkFlowTemplates, FLOW_LIMITS, validateFlow, type FlowError } from "../flow";
import { checkTemplate, templateVariables } from "../templates";
import type { Channel } from "../channels/provider";

const draftFlowShape = z.strictObject({
  version: z.literal(1),
  nodes: z.array(z.record(z.string(), z.unknown())).max(FLOW_LIMITS.nodes, `a flow has at most ${FLOW_LIMITS.nodes} nodes`),
  edges: z.array(z.record(z.string(), z.unknown())).max(FLOW_LIMITS.edges, `a flow has at most ${FLOW_LIMITS.edges} edges`),
});
export type DraftFlow = z.infer<typeof draftFlowShape>;

/** The flow a new campaign starts with: entry → exit. */
export const STARTER_FLOW: DraftFlow = {
  version: 1,
  nodes: [
    { id: "entry", type: "entry", position: { x: 0, y: 0 } },
    { id: "exit", type: "exit", position: { x: 0, y: 200 } },
  ],
  edges: [{ source: "entry", target: "exit" }],
};

/** The draft flow as stored, or BAD_REQUEST when it is not a flow at all (or too large). */
export function checkFlow(raw: unknown): DraftFlow {
  const parsed = draftFlowShape.safeParse(raw);
  if (!parsed.success) throw new DomainError("BAD_REQUEST", `flow: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  if (JSON.stringify(parsed.data).length > 200_000) throw new DomainError("BAD_REQUEST", "flow: too large");
  return parsed.data;
}

export interface FlowTemplate {
  id: string;
  channel: string;
  subject?: string | null;
  body?: string;
  optOutText?: string | null;
  linkUrl?: string | null;
}

/**
 * Every problem of a flow for a campaign with these templates: structure first, then templates —
 * a send step's template must exist, be of its channel and (when its text is given) pass the
 * renderer's own rules (../templates.ts `checkTemplate`; a `{{product}}` needs a product), so a
 * campaign is never approved with messages the dispatcher would refuse.
 */
export function flowProblems(raw: unknown, templates: FlowTemplate[], opts: { hasProduct?: boolean } = {}): FlowError[] {
  const check = validateFlow(raw);
  if (!check.ok) return check.errors;
  const wiring = checkFlowTemplates(check.flow, templates);
  if (wiring.length) return wiring;
  const byId = new Map(templates.map((t) => [t.id, t]));
  return check.flow.nodes.flatMap((n): FlowError[] => {
    if (n.type !== "send") return [];
    const t = byId.get(n.templateId);
    if (!t || t.body === undefined) return [];
    const source = { channel: t.channel as Channel, subject: t.subject ?? null, body: t.body, optOutText: t.optOutText ?? null, linkUrl: t.linkUrl ?? null };
    const issues = checkTemplate(source).map((i) => i.message);
    if (opts.hasProduct === false && templateVariables(source).includes("product")) issues.push("{{product}} needs the campaign's product");
    return issues.map((message) => ({ nodeId: n.id, message: `send "${n.id}": template: ${message}` }));
  });
}
