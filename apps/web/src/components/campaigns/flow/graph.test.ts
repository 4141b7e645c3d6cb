import { seedExampleFlow } from "@mkt/core/campaigns/flow.fixtures";
import { validateFlow } from "@mkt/core/campaigns/flow";
import { describe, expect, it } from "vitest";
import { attachErrors, defaultFields, kindOf, newNodeId, outputsOf, toCanvas, toFlow, type FlowJson } from "./graph";

const example = () => seedExampleFlow({ sms: "t-sms", call: "t-call" }) as unknown as FlowJson;

describe("flow designer ↔ flow JSON", () => {
  it("round-trips seed 001's flow exactly (fields, labels, branch handles), positions added", () => {
    const { nodes, edges } = toCanvas(example());
    const back = toFlow(nodes, edges);
    const strip = (f: FlowJson) => ({ ...f, nodes: f.nodes.map(({ position: _p, ...n }) => n) });
    expect(strip(back)).toEqual(example());
    expect(back.nodes.every((n) => typeof (n.position as { x: number }).x === "number")).toBe(true);
    expect(validateFlow(back).ok).toBe(true);
  });

  it("a send node is drawn from its channel's palette item; a branch has yes/no outputs, a split its keys", () => {
    const { nodes } = toCanvas(example());
    expect(nodes.find((n) => n.id === "call")!.data.paletteKey).toBe("CALL");
    expect(outputsOf(nodes.find((n) => n.id === "sms-responded")!.data).map((o) => o.handle)).toEqual(["yes", "no"]);
    expect(outputsOf({ kind: "split", fields: { outputs: [{ key: "A", weight: 70 }, { key: "B", weight: 30 }] } }).map((o) => o.label)).toEqual(["A · 70%", "B · 30%"]);
    expect(outputsOf({ kind: "exit", fields: {} })).toEqual([]);
  });

  it("new nodes: send fields take the first template of the channel; ids never collide", () => {
    expect(kindOf("WECHAT")).toBe("send");
    expect(defaultFields("SMS", [{ id: "e1", channel: "EMAIL" }, { id: "s1", channel: "SMS" }])).toEqual({ channel: "SMS", templateId: "s1" });
    expect(defaultFields("lead", [])).toEqual({ priority: "HIGH", dueInDays: 3 });
    expect(newNodeId("wait", ["wait-1", "wait-2", "send-1"])).toBe("wait-3");
  });

  it("a drawn node without its template fails the server check on that node", () => {
    const { nodes, edges } = toCanvas(example());
    const broken = nodes.map((n) => (n.id === "sms" ? { ...n, data: { ...n.data, fields: { ...n.data.fields, templateId: "" } } } : n));
    const check = validateFlow(toFlow(broken, edges));
    expect(check.ok).toBe(false);
    if (check.ok) return;
    const placed = attachErrors(nodes, [...check.errors, { message: "a flow-wide problem" }]);
    expect(placed.nodes.find((n) => n.id === "sms")!.data.errors.length).toBeGreaterThan(0);
    expect(placed.nodes.find((n) => n.id === "call")!.data.errors).toEqual([]);
    expect(placed.general).toEqual(["a flow-wide problem"]);
  });
});
