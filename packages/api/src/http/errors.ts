/**
 * Errors of the REST routes (/api/v1/*): one shape for every 4xx/5xx body,
 *   { error: string, issues?: [{ path, message }] }
 * so an importing system can show the caller which field was wrong.
 */
import { ZodError } from "zod";

export interface ErrorIssue {
  path: string;
  message: string;
}

export interface ErrorBody {
  error: string;
  issues?: ErrorIssue[];
}

/** An error that already knows its HTTP status (thrown by authenticateApiKey, body parsing, …). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues?: ErrorIssue[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** zod issues as `{ path: "rows.3.phone", message }` (path "" for the root). */
export function zodIssues(error: ZodError): ErrorIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

export function jsonError(status: number, body: ErrorBody, headers?: Record<string, string>): Response {
  return Response.json(body, { status, headers });
}

/** A 400 naming each invalid field. */
export function zodErrorResponse(error: ZodError, message = "invalid request"): Response {
  return jsonError(400, { error: message, issues: zodIssues(error) });
}

/**
 * The catch-all of a route handler: HttpError and ZodError become their 4xx; anything else is a
 * 500 whose body says nothing about the internals (the caller logs the cause).
 */
export function errorResponse(error: unknown): Response {
  if (error instanceof HttpError) {
    return jsonError(error.status, { error: error.message, ...(error.issues ? { issues: error.issues } : {}) }, error.headers);
  }
  if (error instanceof ZodError) return zodErrorResponse(error);
  return jsonError(500, { error: "internal error" });
}
