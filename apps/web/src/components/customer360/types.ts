import type { RouterOutputs } from "@/lib/api-types";

export type Customer360 = RouterOutputs["customer"]["get360"];
export type Revealed = RouterOutputs["customer"]["unmask"];
