/**
 * The flow JSON of packages/core/src/campaigns/flow.ts ↔ the canvas' nodes and edges. The
 * designer edits exactly that JSON: a node's type-specific fields (channel, templateId, wait,
 * condition, outputs, priority, dueInDays) travel untouched in `fields`, its position and label
 * are kept, and an edge's `handle` is the output it leaves from (none for single-output nodes).
 * Pure functions, unit-tested.
 */
import type { Edge, Node } from "@xyflow/react";

export type FlowNodeKind = "entry" | "send" | "wait" | "branch" | "split" | "lead" | "exit";
export const SEND_CHANNELS = ["SMS", "EMAIL", "APP_PUSH", "WECHAT", "CALL"] as const;

export interface DesignerNodeData extends Record<string, unknown> {
  kind: FlowNodeKind;
  /** The palette item it was made from: the node type, or the channel of a send node. */
  paletteKey: string;
  label: string;
  /** The node's type-specific fields of the flow JSON. */
  fields: Record<string, unknown>;
  /** Problems the server found on this node. */
  errors: string[];
}

export interface FlowJson {
  version: 1;
  nodes: Record<string, unknown>[];
  edges: { id?: string; source: string; target: string; handle?: string }[];
}

/** The handle id of a single-output node (the flow JSON leaves `handle` out for it). */
export const NEXT = "next";

export interface Output {
  handle: string;
  /** A split's own output key is shown as is. */
  label?: string;
}

export function outputsOf(data: Pick<DesignerNodeData, "kind" | "fields">): Output[] {
  switch (data.kind) {
    case "exit":
      return [];
    case "branch":
      return [{ handle: "yes" }, { handle: "no" }];
    case "split": {
      const outputs = (data.fields.outputs as { key: string; weight: number }[] | undefined) ?? [];
      return outputs.map((o) => ({ handle: o.key, label: `${o.key} · ${o.weight}%` }));
    }
    default:
      return [{ handle: NEXT }];
  }
}

export function kindOf(paletteKey: string): FlowNodeKind {
  return (SEND_CHANNELS as readonly string[]).includes(paletteKey) ? "send" : (paletteKey as FlowNodeKind);
}

/** The fields a new node starts with (the marketer completes them in the side panel). */
export function defaultFields(paletteKey: string, templates: { id: string; channel: string }[]): Record<string, unknown> {
  switch (kindOf(paletteKey)) {
    case "send":
      return { channel: paletteKey, templateId: templates.find((t) => t.channel === paletteKey)?.id ?? "" };
    case "wait":
      return { wait: { kind: "duration", amount: 1, unit: "days" } };
    case "branch":
      return { condition: { kind: "outcome", stepId: "", outcome: "RESPONDED" } };
    case "split":
      return { outputs: [{ key: "A", weight: 50 }, { key: "B", weight: 50 }] };
    case "lead":
      return { priority: "HIGH", dueInDays: 3 };
    default:
      return {};
  }
}

/** A node id not yet used: "<type>-<n>". */
export function newNodeId(kind: FlowNodeKind, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let n = 1; ; n += 1) if (!used.has(`${kind}-${n}`)) return `${kind}-${n}`;
}

export function toCanvas(flow: FlowJson): { nodes: Node<DesignerNodeData, "step">[]; edges: Edge[] } {
  const nodes = flow.nodes.map((raw, i) => {
    const { id, type, label, position, ...fields } = raw as { id: string; type: FlowNodeKind; label?: string; position?: { x: number; y: number } } & Record<string, unknown>;
    const paletteKey = type === "send" ? String(fields.channel ?? "SMS") : type;
    return {
      id,
      type: "step" as const,
      position: position ?? { x: 0, y: i * 140 },
      data: { kind: type, paletteKey, label: label ?? "", fields, errors: [] },
    };
  });
  const edges = flow.edges.map((e) => ({
    id: e.id ?? `${e.source}:${e.handle ?? NEXT}`,
    source: e.source,
    target: e.target,
    sourceHandle: e.handle ?? NEXT,
  }));
  return { nodes, edges };
}

export function toFlow(nodes: Node<DesignerNodeData>[], edges: Edge[]): FlowJson {
  return {
    version: 1,
    nodes: nodes.map((n) => ({
      id: n.id,
      type: n.data.kind,
      ...(n.data.label.trim() && { label: n.data.label.trim() }),
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
      ...n.data.fields,
    })),
    edges: edges.map((e) => ({
      source: e.source,
      target: e.target,
      ...(e.sourceHandle && e.sourceHandle !== NEXT && { handle: e.sourceHandle }),
    })),
  };
}

/** Puts the server's errors on their nodes; the rest (about the whole flow) are returned. */
export function attachErrors<N extends Node<DesignerNodeData>>(nodes: N[], errors: { nodeId?: string; message: string }[]): { nodes: N[]; general: string[] } {
  const byNode = new Map<string, string[]>();
  const general: string[] = [];
  const ids = new Set(nodes.map((n) => n.id));
  for (const e of errors) {
    if (e.nodeId && ids.has(e.nodeId)) byNode.set(e.nodeId, [...(byNode.get(e.nodeId) ?? []), e.message]);
    else general.push(e.message);
  }
  return { nodes: nodes.map((n) => ({ ...n, data: { ...n.data, errors: byNode.get(n.id) ?? [] } })), general };
}
