/**
 * The estimated cost an approver weighs against the budget: every eligible (treated) customer
 * following the most expensive path of the flow — an upper bound, since branches and splits send
 * most customers down cheaper paths and not everyone responds.
 */
import type { Flow } from "../flow";

export type CostPerMessage = Partial<Record<string, number>>;

/** The highest sum of per-message costs along any path from the entry. */
export function maxPathCostPerCustomer(flow: Flow, costPerMessage: CostPerMessage): number {
  const out = new Map<string, string[]>();
  for (const e of flow.edges) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  const byId = new Map(flow.nodes.map((n) => [n.id, n]));
  const memo = new Map<string, number>();
  const cost = (id: string): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const own = node?.type === "send" ? (costPerMessage[node.channel] ?? 0) : 0;
    const rest = Math.max(0, ...(out.get(id) ?? []).map(cost));
    memo.set(id, own + rest);
    return own + rest;
  };
  const entry = flow.nodes.find((n) => n.type === "entry");
  return entry ? cost(entry.id) : 0;
}

export interface CostEstimate {
  perCustomer: number;
  total: number;
  budget: number | null;
  overBudget: boolean;
}

export function estimateCost(flow: Flow, costPerMessage: CostPerMessage, eligible: number, budget: number | null): CostEstimate {
  const perCustomer = maxPathCostPerCustomer(flow, costPerMessage);
  const total = Math.round(perCustomer * eligible * 100) / 100;
  return { perCustomer, total, budget, overBudget: budget !== null && total > budget };
}
