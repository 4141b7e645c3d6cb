import { TRPCClientError } from "@trpc/client";

/** The tRPC error code of a failed call ("CONFLICT", "BAD_REQUEST", …), if it was one. */
export function apiErrorCode(error: unknown): string | undefined {
  return error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined;
}
