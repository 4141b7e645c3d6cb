/**
 * A use case's refusal that the caller can act on (a duplicate code, an invalid move). The API
 * turns it into the tRPC error of the same code; anything else thrown is a bug (500).
 */
export type DomainErrorCode = "BAD_REQUEST" | "NOT_FOUND" | "CONFLICT" | "PRECONDITION_FAILED";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}
