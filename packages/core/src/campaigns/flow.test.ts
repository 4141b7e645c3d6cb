import { describe, expect, it } from "vitest";
import { checkFlowTemplates, FLOW_LIMITS, FlowGraph, validateFlow, waitDelayMs, type Flow } from "./flow";
import { seedExampleFlow } from "./flow.fixtures";

const clone = (f: Flow): Flow => structuredClone(f);
const messages = (input: unknown) => {
  const r = validateFlow(input);
  return r.ok ? [] : r.errors.map((e) => `${e.nodeId ?? "-"}|${e.message}`);
};

describe("campaign flow", () => {
  it("accepts seed 001's example: SMS → wait → no response → call → interested → RM lead", () => {
    const r = validateFlow(seedExampleFlow());
    expect(r.ok).toBe(true);
    const g = new FlowGraph(seedExampleFlow());
    expect(g.next("sms-responded", "no").id).toBe("call");
    expect(g.next("call-interested", "yes").id).toBe("rm-lead");
    expect(g.sendNodes().map((n) => n.id)).toEqual(["sms", "call"]);
  });

  it("rejects unknown node types and unknown fields, naming the node", () => {
    const f = clone(seedExampleFlow()) as unknown as { nodes: Record<string, unknown>[] };
    f.nodes[1] = { id: "sms", type: "fax", channel: "SMS", templateId: "t" };
    expect(messages(f).some((m) => m.startsWith("sms|nodes.1.type"))).toBe(true);
    const g = clone(seedExampleFlow()) as unknown as { nodes: Record<string, unknown>[] };
    g.nodes[0] = { id: "entry", type: "entry", colour: "red" };
    expect(messages(g).join()).toMatch(/entry\|.*colour/);
  });

  it("needs exactly one entry and an exit", () => {
    const f = clone(seedExampleFlow());
    f.nodes.push({ id: "entry2", type: "entry" });
    f.edges.push({ source: "entry2", target: "sms" });
    expect(messages(f)).toContain("-|a flow needs exactly one entry node (found 2)");
    const g: Flow = { version: 1, nodes: [{ id: "e", type: "entry" }, { id: "s", type: "send", channel: "SMS", templateId: "t" }], edges: [{ source: "e", target: "s" }] };
    expect(messages(g).join()).toMatch(/at least one exit/);
  });

  it("rejects cycles", () => {
    const f = clone(seedExampleFlow());
    f.edges = f.edges.map((e) => (e.source === "call-interested" && e.handle === "no" ? { ...e, target: "sms" } : e));
    expect(messages(f).join()).toMatch(/cycle: sms → wait-sms → sms-responded → call → wait-call → call-interested → sms/);
  });

  it("rejects orphan nodes and unconnected or doubly connected outputs", () => {
    const f = clone(seedExampleFlow());
    f.nodes.push({ id: "lonely", type: "wait", wait: { kind: "duration", amount: 1, unit: "hours" } });
    f.edges.push({ source: "lonely", target: "done" });
    expect(messages(f)).toContain('lonely|node "lonely" cannot be reached from the entry');
    const g = clone(seedExampleFlow());
    g.edges = g.edges.filter((e) => !(e.source === "sms-responded" && e.handle === "no"));
    expect(messages(g)).toContain('sms-responded|branch node "sms-responded": output "no" is not connected');
    const h = clone(seedExampleFlow());
    h.edges.push({ source: "sms", target: "done" });
    expect(messages(h)).toContain('sms|send node "sms": its output is connected 2 times');
    const k = clone(seedExampleFlow());
    k.edges.push({ source: "done", target: "sms" });
    expect(messages(k).join()).toMatch(/exit node "done" has no output/);
  });

  it("rejects edges to unknown nodes and duplicate ids", () => {
    const f = clone(seedExampleFlow());
    f.edges.push({ source: "sms", target: "nowhere" });
    expect(messages(f)).toContain('sms|edge to unknown node "nowhere"');
    const g = clone(seedExampleFlow());
    g.nodes.push({ id: "sms", type: "exit" });
    expect(messages(g)).toContain('sms|duplicate node id "sms"');
  });

  it("a branch on an outcome must look at an earlier send step", () => {
    const f = clone(seedExampleFlow());
    const b = f.nodes.find((n) => n.id === "sms-responded")!;
    if (b.type === "branch") b.condition = { kind: "outcome", stepId: "call", outcome: "RESPONDED" };
    expect(messages(f)).toContain('sms-responded|branch "sms-responded" must come after the send step "call" it looks at');
    if (b.type === "branch") b.condition = { kind: "outcome", stepId: "wait-sms", outcome: "CLICKED" };
    expect(messages(f).join()).toMatch(/must name a send step/);
  });

  it("random split outputs are each connected, keys unique", () => {
    const f: Flow = {
      version: 1,
      nodes: [
        { id: "e", type: "entry" },
        { id: "ab", type: "split", outputs: [{ key: "A", weight: 50 }, { key: "B", weight: 50 }] },
        { id: "a", type: "send", channel: "SMS", templateId: "t1" },
        { id: "b", type: "send", channel: "EMAIL", templateId: "t2" },
        { id: "x", type: "exit" },
      ],
      edges: [
        { source: "e", target: "ab" },
        { source: "ab", target: "a", handle: "A" },
        { source: "ab", target: "b", handle: "B" },
        { source: "a", target: "x" },
        { source: "b", target: "x" },
      ],
    };
    expect(validateFlow(f).ok).toBe(true);
    f.edges.pop();
    f.edges[2] = { source: "ab", target: "b", handle: "C" };
    const m = messages(f);
    expect(m).toContain('ab|split node "ab": output "B" is not connected');
    expect(m).toContain('ab|split node "ab" has no output "C"');
  });

  it("enforces size limits with a clear message", () => {
    const nodes = Array.from({ length: FLOW_LIMITS.nodes + 1 }, (_, i) => ({ id: `n${i}`, type: "exit" as const }));
    expect(messages({ version: 1, nodes, edges: [] }).join()).toMatch(/at most 60 nodes/);
    expect(messages({ version: 2, nodes: [], edges: [] }).length).toBeGreaterThan(0);
  });

  it("checks templates exist for the send channel", () => {
    const f = seedExampleFlow({ sms: "a", call: "b" });
    expect(checkFlowTemplates(f, [{ id: "a", channel: "SMS" }, { id: "b", channel: "CALL" }])).toEqual([]);
    expect(checkFlowTemplates(f, [{ id: "a", channel: "EMAIL" }])).toEqual([
      { nodeId: "sms", message: 'send "sms": template "a" is for EMAIL, not SMS' },
      { nodeId: "call", message: 'send "call": template "b" does not exist on this campaign' },
    ]);
  });

  it("computes wait delays", () => {
    const now = new Date("2026-12-01T00:00:00Z");
    expect(waitDelayMs({ kind: "duration", amount: 2, unit: "days" }, now)).toBe(172_800_000);
    expect(waitDelayMs({ kind: "until", at: "2026-12-01T01:00:00Z" }, now)).toBe(3_600_000);
    expect(waitDelayMs({ kind: "until", at: "2026-11-01T01:00:00Z" }, now)).toBe(0);
  });
});
