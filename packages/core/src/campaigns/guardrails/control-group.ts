/**
 * Stable assignment of customers: the control group (a share of the audience that gets nothing,
 * for comparison) and random A/B splits. A customer's draw is a hash of (campaign, customer, salt),
 * so it is the same on every run, retry and machine — and independent between campaigns.
 */

/** A uniform number in [0, 1) for (key, customer): FNV-1a over the key, mixed with the id. */
export function stableDraw(key: string, customerId: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= customerId;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x100000000;
}

/** `shareBp`: basis points (0..10000) of the audience held back. */
export function inControlGroup(campaignId: string, customerId: number, shareBp: number): boolean {
  return shareBp > 0 && stableDraw(`control:${campaignId}`, customerId) * 10_000 < shareBp;
}

/** The output of a weighted random split a customer takes (stable per campaign, node and customer). */
export function splitOutput(campaignId: string, nodeId: string, customerId: number, outputs: readonly { key: string; weight: number }[]): string {
  const total = outputs.reduce((s, o) => s + o.weight, 0);
  let x = stableDraw(`split:${campaignId}:${nodeId}`, customerId) * total;
  for (const o of outputs) {
    if (x < o.weight) return o.key;
    x -= o.weight;
  }
  return outputs[outputs.length - 1]!.key;
}
