/**
 * The campaign flow: what the console's designer draws and what a run follows. Stored as JSON on
 * `Campaign.flow` (a run keeps its own copy); always checked here on the server.
 *
 * Nodes: entry → send {channel, templateId} → wait {duration | until} → branch {outcome of an
 * earlier send | tag condition} (outputs "yes"/"no") → split {random, weighted outputs} → lead
 * {priority, due in days} → exit. Edges join an output (`handle`, for branch and split) of one
 * node to another node. Checks: known node types, unique ids, exactly one entry, no cycles, every
 * node reachable from the entry (no orphans), every output connected exactly once, a branch on an
 * outcome names a send step that comes before it, size limits.
 */
import { z } from "zod";
import { CHANNELS } from "./channels/provider";

export const FLOW_LIMITS = { nodes: 60, edges: 120, splitOutputs: 5, label: 80 } as const;

const nodeId = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9_-]+$/, "node ids use letters, digits, '-' and '_'");

const base = {
  id: nodeId,
  label: z.string().max(FLOW_LIMITS.label).optional(),
  /** Where the designer drew it; ignored by the dispatcher. */
  position: z.strictObject({ x: z.number().finite(), y: z.number().finite() }).optional(),
};

export const BRANCH_OUTCOMES = ["DELIVERED", "CLICKED", "RESPONDED", "CONVERTED"] as const;
export type BranchOutcome = (typeof BRANCH_OUTCOMES)[number];

export const TAG_OPS = ["eq", "neq", "gt", "gte", "lt", "lte"] as const;

export const waitSchema = z.union([
  z.strictObject({ kind: z.literal("duration"), amount: z.number().int().min(1).max(10_000), unit: z.enum(["minutes", "hours", "days"]) }),
  z.strictObject({ kind: z.literal("until"), at: z.iso.datetime({ offset: true }) }),
]);

export const branchConditionSchema = z.discriminatedUnion("kind", [
  /** "yes" when the customer's contact at `stepId` reached the outcome; "no" (no response) otherwise. */
  z.strictObject({ kind: z.literal("outcome"), stepId: nodeId, outcome: z.enum(BRANCH_OUTCOMES) }),
  /** "yes" when the customer's current value of `tag` satisfies `op value`. */
  z.strictObject({ kind: z.literal("tag"), tag: z.string().min(1).max(80), op: z.enum(TAG_OPS), value: z.union([z.number(), z.string().max(200), z.boolean()]) }),
]);

export const flowNodeSchema = z.discriminatedUnion("type", [
  z.strictObject({ ...base, type: z.literal("entry") }),
  z.strictObject({ ...base, type: z.literal("send"), channel: z.enum(CHANNELS).exclude(["RM_TASK"]), templateId: z.string().min(1).max(64) }),
  z.strictObject({ ...base, type: z.literal("wait"), wait: waitSchema }),
  z.strictObject({ ...base, type: z.literal("branch"), condition: branchConditionSchema }),
  z.strictObject({
    ...base,
    type: z.literal("split"),
    outputs: z
      .array(z.strictObject({ key: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, "split output keys are short letters/digits"), weight: z.number().int().min(1).max(100) }))
      .min(2)
      .max(FLOW_LIMITS.splitOutputs),
  }),
  z.strictObject({ ...base, type: z.literal("lead"), priority: z.enum(["HIGH", "MEDIUM", "LOW"]), dueInDays: z.number().int().min(1).max(90) }),
  z.strictObject({ ...base, type: z.literal("exit") }),
]);

export const flowEdgeSchema = z.strictObject({
  id: z.string().max(80).optional(),
  source: nodeId,
  target: nodeId,
  /** The output of a branch ("yes" | "no") or split (its output key); absent for single-output nodes. */
  handle: z.string().max(20).optional(),
});

export const flowSchema = z.strictObject({
  version: z.literal(1),
  nodes: z.array(flowNodeSchema).min(2).max(FLOW_LIMITS.nodes, `a flow has at most ${FLOW_LIMITS.nodes} nodes`),
  edges: z.array(flowEdgeSchema).max(FLOW_LIMITS.edges, `a flow has at most ${FLOW_LIMITS.edges} edges`),
});

export type Flow = z.infer<typeof flowSchema>;
export type FlowNode = z.infer<typeof flowNodeSchema>;
export type FlowEdge = z.infer<typeof flowEdgeSchema>;
export type FlowNodeType = FlowNode["type"];
export type SendNode = Extract<FlowNode, { type: "send" }>;
export type WaitSpec = z.infer<typeof waitSchema>;
export type BranchCondition = z.infer<typeof branchConditionSchema>;

export interface FlowError {
  /** The node the problem is on, when there is one (the designer highlights it). */
  nodeId?: string;
  message: string;
}

export type FlowCheck = { ok: true; flow: Flow } | { ok: false; errors: FlowError[] };

/** The outputs a node must connect, each exactly once. */
export function nodeOutputs(node: FlowNode): (string | undefined)[] {
  switch (node.type) {
    case "exit":
      return [];
    case "branch":
      return ["yes", "no"];
    case "split":
      return node.outputs.map((o) => o.key);
    default:
      return [undefined];
  }
}

/** Validates a flow from the outside (designer, API, stored JSON). */
export function validateFlow(input: unknown): FlowCheck {
  const parsed = flowSchema.safeParse(input);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue): FlowError => {
      const [first, index] = issue.path;
      const raw = first === "nodes" && typeof index === "number" ? (input as { nodes?: { id?: unknown }[] }).nodes?.[index]?.id : undefined;
      const where = issue.path.join(".");
      return { ...(typeof raw === "string" && { nodeId: raw }), message: where ? `${where}: ${issue.message}` : issue.message };
    });
    return { ok: false, errors };
  }
  const errors = checkGraph(parsed.data);
  return errors.length ? { ok: false, errors } : { ok: true, flow: parsed.data };
}

/** Parses a flow that must be valid (a run's stored copy); throws naming the first problems. */
export function parseFlow(input: unknown): Flow {
  const check = validateFlow(input);
  if (!check.ok) throw new Error(`invalid flow: ${check.errors.slice(0, 3).map((e) => e.message).join("; ")}`);
  return check.flow;
}

function checkGraph(flow: Flow): FlowError[] {
  const errors: FlowError[] = [];
  const byId = new Map<string, FlowNode>();
  for (const node of flow.nodes) {
    if (byId.has(node.id)) errors.push({ nodeId: node.id, message: `duplicate node id "${node.id}"` });
    byId.set(node.id, node);
    if (node.type === "split") {
      const keys = node.outputs.map((o) => o.key);
      if (new Set(keys).size !== keys.length) errors.push({ nodeId: node.id, message: "split output keys must be unique" });
    }
  }
  const entries = flow.nodes.filter((n) => n.type === "entry");
  if (entries.length !== 1) errors.push({ message: `a flow needs exactly one entry node (found ${entries.length})` });
  if (!flow.nodes.some((n) => n.type === "exit")) errors.push({ message: "a flow needs at least one exit node" });

  const out = new Map<string, FlowEdge[]>();
  const incoming = new Map<string, number>();
  for (const edge of flow.edges) {
    const source = byId.get(edge.source);
    if (!source) errors.push({ message: `edge from unknown node "${edge.source}"` });
    if (!byId.has(edge.target)) errors.push({ nodeId: edge.source, message: `edge to unknown node "${edge.target}"` });
    if (!source || !byId.has(edge.target)) continue;
    if (edge.source === edge.target) errors.push({ nodeId: edge.source, message: "a node cannot connect to itself" });
    out.set(edge.source, [...(out.get(edge.source) ?? []), edge]);
    incoming.set(edge.target, (incoming.get(edge.target) ?? 0) + 1);
  }
  if (errors.length) return errors;

  for (const node of flow.nodes) {
    const edges = out.get(node.id) ?? [];
    const outputs = nodeOutputs(node);
    if (node.type === "entry" && incoming.get(node.id)) errors.push({ nodeId: node.id, message: "the entry node cannot have incoming edges" });
    for (const output of outputs) {
      const n = edges.filter((e) => (e.handle ?? undefined) === output).length;
      const name = output === undefined ? "its output" : `output "${output}"`;
      if (n === 0) errors.push({ nodeId: node.id, message: `${node.type} node "${node.id}": ${name} is not connected` });
      if (n > 1) errors.push({ nodeId: node.id, message: `${node.type} node "${node.id}": ${name} is connected ${n} times` });
    }
    for (const edge of edges) {
      if (!outputs.includes(edge.handle ?? undefined)) {
        errors.push({ nodeId: node.id, message: `${node.type} node "${node.id}" has no output "${edge.handle ?? "(default)"}"` });
      }
    }
  }
  if (errors.length || entries.length !== 1) return errors;

  const cycle = findCycle(flow, out);
  if (cycle) return [{ nodeId: cycle[0], message: `the flow has a cycle: ${cycle.join(" → ")}` }];

  const reachable = descendants(entries[0]!.id, out);
  for (const node of flow.nodes) {
    if (!reachable.has(node.id)) errors.push({ nodeId: node.id, message: `node "${node.id}" cannot be reached from the entry` });
  }
  for (const node of flow.nodes) {
    if (node.type !== "branch" || node.condition.kind !== "outcome") continue;
    const step = byId.get(node.condition.stepId);
    if (step?.type !== "send") {
      errors.push({ nodeId: node.id, message: `branch "${node.id}" must name a send step (got "${node.condition.stepId}")` });
    } else if (!descendants(step.id, out).has(node.id)) {
      errors.push({ nodeId: node.id, message: `branch "${node.id}" must come after the send step "${step.id}" it looks at` });
    }
  }
  return errors;
}

function descendants(from: string, out: Map<string, FlowEdge[]>): Set<string> {
  const seen = new Set<string>([from]);
  const stack = [from];
  while (stack.length) {
    for (const e of out.get(stack.pop()!) ?? []) {
      if (!seen.has(e.target)) {
        seen.add(e.target);
        stack.push(e.target);
      }
    }
  }
  return seen;
}

function findCycle(flow: Flow, out: Map<string, FlowEdge[]>): string[] | null {
  const state = new Map<string, 1 | 2>();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    state.set(id, 1);
    path.push(id);
    for (const e of out.get(id) ?? []) {
      const s = state.get(e.target);
      if (s === 1) return [...path.slice(path.indexOf(e.target)), e.target];
      if (s === undefined) {
        const c = visit(e.target);
        if (c) return c;
      }
    }
    path.pop();
    state.set(id, 2);
    return null;
  };
  for (const n of flow.nodes) {
    if (!state.has(n.id)) {
      const c = visit(n.id);
      if (c) return c;
    }
  }
  return null;
}

/** Checks a valid flow's send nodes against the campaign's templates (exists, same channel). */
export function checkFlowTemplates(flow: Flow, templates: { id: string; channel: string }[]): FlowError[] {
  const byId = new Map(templates.map((t) => [t.id, t]));
  return flow.nodes.flatMap((n): FlowError[] => {
    if (n.type !== "send") return [];
    const t = byId.get(n.templateId);
    if (!t) return [{ nodeId: n.id, message: `send "${n.id}": template "${n.templateId}" does not exist on this campaign` }];
    if (t.channel !== n.channel) return [{ nodeId: n.id, message: `send "${n.id}": template "${n.templateId}" is for ${t.channel}, not ${n.channel}` }];
    return [];
  });
}

/** Navigation over a valid flow, for the dispatcher. */
export class FlowGraph {
  private readonly byId: Map<string, FlowNode>;
  private readonly out: Map<string, FlowEdge[]>;

  constructor(readonly flow: Flow) {
    this.byId = new Map(flow.nodes.map((n) => [n.id, n]));
    this.out = new Map();
    for (const e of flow.edges) this.out.set(e.source, [...(this.out.get(e.source) ?? []), e]);
  }

  node(id: string): FlowNode {
    const n = this.byId.get(id);
    if (!n) throw new Error(`flow has no node "${id}"`);
    return n;
  }

  entry(): FlowNode {
    return this.flow.nodes.find((n) => n.type === "entry")!;
  }

  /** The node behind an output (`handle` for branch and split). */
  next(id: string, handle?: string): FlowNode {
    const e = (this.out.get(id) ?? []).find((x) => (x.handle ?? undefined) === handle);
    if (!e) throw new Error(`node "${id}" has no output "${handle ?? "(default)"}"`);
    return this.node(e.target);
  }

  /** Send nodes in flow order from the entry (the first one carries the control group). */
  sendNodes(): SendNode[] {
    const order: SendNode[] = [];
    const seen = new Set<string>();
    const queue = [this.entry().id];
    while (queue.length) {
      const id = queue.shift()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const n = this.node(id);
      if (n.type === "send") order.push(n);
      for (const e of this.out.get(id) ?? []) queue.push(e.target);
    }
    return order;
  }
}

/** Milliseconds a wait node holds a wave that arrives at `now`. */
export function waitDelayMs(wait: WaitSpec, now: Date): number {
  if (wait.kind === "until") return Math.max(0, Date.parse(wait.at) - now.getTime());
  const unit = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 }[wait.unit];
  return wait.amount * unit;
}
