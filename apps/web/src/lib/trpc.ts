"use client";

import type { AppRouter } from "@mkt/api";
import { createTRPCContext } from "@trpc/tanstack-react-query";

/** `useTRPC()` gives typed query/mutation options for every procedure of the API. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();
