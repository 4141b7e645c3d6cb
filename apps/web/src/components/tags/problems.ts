import { TRPCClientError } from "@trpc/client";

export interface Problems {
  /** The server's message for the whole request (a rule that does not check, a conflict, …). */
  form: string | null;
  /** Per input field (zod), e.g. `{ code: ["tag code: A-Z, …"] }`. */
  fields: Record<string, string[]>;
}

/** What the server said was wrong with a request, in its own words (messages name the problem). */
export function problemsOf(error: unknown): Problems {
  if (!(error instanceof TRPCClientError)) return { form: error instanceof Error ? error.message : String(error), fields: {} };
  const zod = (error.data as { zodError?: { formErrors: string[]; fieldErrors: Record<string, string[]> } | null } | undefined)?.zodError;
  if (zod) return { form: zod.formErrors.join("; ") || null, fields: zod.fieldErrors };
  return { form: error.message, fields: {} };
}
