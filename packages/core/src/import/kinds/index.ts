import type { ImportKind } from "../dictionary";
import type { RowByKind } from "../row-schema";
import { accountsKind } from "./accounts";
import { customersKind } from "./customers";
import { holdingsKind } from "./holdings";
import type { KindHandler } from "./kind";
import { transactionsKind } from "./transactions";

export const KIND_HANDLERS: { [K in ImportKind]: KindHandler<RowByKind[K]> } = {
  CUSTOMERS: customersKind,
  ACCOUNTS: accountsKind,
  HOLDINGS: holdingsKind,
  TRANSACTIONS: transactionsKind,
};

export type { ApplyStats, BatchContext, KindHandler } from "./kind";
