/**
 * The REST side of imports (/api/v1/imports/*), transport-agnostic (Request in, Response out) so
 * the Next.js route files stay one line and tests call these directly.
 *
 *   POST /api/v1/imports/{kind}         JSON batch { sourceSystem, batchKey?, rows: [...] };
 *                                       API key with scope import:write; ≤ 10 MB; applied at once
 *   POST /api/v1/imports/{kind}/file    a CSV file as the raw body (?sourceSystem=…&fileName=…);
 *                                       API key (import:write) or a console session (import:write);
 *                                       ≤ 50 MB; small files applied at once, large ones queued (202)
 *   GET  /api/v1/imports/batches/{id}   a batch's status, progress and first issues;
 *                                       API key (import:read) or a session (import:read)
 *
 * Answers: 200 applied or duplicate, 202 queued, 422 rejected (issues by line, nothing applied),
 * 400 malformed (JSON syntax, unknown fields, bad values in the envelope — each issue names its
 * path), 401/403 authentication, 404 unknown kind or batch (or one outside the caller's subtree),
 * 413 too large, 415 wrong content type.
 */
import { z } from "zod";
import { canSeeOrgUnit, hasPermission, type Permission } from "@mkt/core";
import type { BatchPrincipal } from "@mkt/core/import/batch";
import { DICTIONARY, IMPORT_KINDS, type ImportKind } from "@mkt/core/import/dictionary";
import { batchIssues, batchOrgPath } from "@mkt/core/import/queries";
import type { BatchOutcome } from "@mkt/core/import/run";
import { submitFileBatch, submitJsonBatch } from "@mkt/core/import/submit";
import type { Db } from "@mkt/db";
import type { SessionUser } from "../context";
import { authenticateApiKey } from "../http/api-key";
import { errorResponse, HttpError } from "../http/errors";

export const JSON_BODY_LIMIT = 10 * 1024 * 1024;
export const FILE_BODY_LIMIT = 50 * 1024 * 1024;
/** Rows of one JSON batch; larger deliveries are split by the caller or sent as a file. */
export const JSON_MAX_ROWS = 50_000;
/** Issues returned with a rejected batch; the rest are on GET …/batches/{id} and in the console. */
const RESPONSE_ISSUES = 1_000;

export interface ImportRouteDeps {
  db: Db;
  /** Hands a large file's batch to the import worker. */
  enqueue(batchId: string): Promise<void>;
  /** The console session's user, if any (API-key calls do not need one). */
  sessionUser(request: Request): Promise<SessionUser | null>;
}

const SOURCE_SYSTEM = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{1,31}$/, "source system: 2–32 capital letters, digits or _, starting with a letter");

function parseKind(param: string): ImportKind {
  const kind = param.toUpperCase();
  if (!(IMPORT_KINDS as readonly string[]).includes(kind)) {
    throw new HttpError(404, `unknown import kind "${param}" (one of ${IMPORT_KINDS.map((k) => k.toLowerCase()).join(", ")})`);
  }
  return kind as ImportKind;
}

/** The JSON body of a kind: only the dictionary's fields, each a string, number or null. */
function jsonBody(kind: ImportKind) {
  const cell = z.union([z.string(), z.number(), z.null()]).optional();
  const row = z.strictObject(Object.fromEntries(DICTIONARY[kind].fields.map((f) => [f.key, cell])));
  return z.strictObject({
    sourceSystem: SOURCE_SYSTEM,
    batchKey: z.string().regex(/^[\w.:-]{1,100}$/, "batchKey: 1–100 letters, digits or _ . : -").optional(),
    rows: z.array(row).min(1).max(JSON_MAX_ROWS),
  });
}

async function readBody(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > limit) throw new HttpError(413, `request body larger than ${limit} bytes`);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new HttpError(413, `request body larger than ${limit} bytes`);
    }
    parts.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    body.set(p, at);
    at += p.byteLength;
  }
  return body;
}

function requireContentType(request: Request, ...accepted: string[]): void {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!accepted.includes(type)) throw new HttpError(415, `content type must be ${accepted.join(" or ")}`);
}

interface Caller {
  principal: BatchPrincipal;
  /** Materialised path of the caller's org unit: what it may see. */
  orgPath: string;
}

/** An API key when the request presents one, else the console session (with the permission). */
async function authenticate(request: Request, deps: ImportRouteDeps, permission: Permission): Promise<Caller> {
  if (request.headers.has("authorization") || request.headers.has("x-api-key")) {
    const { apiKey, orgUnit } = await authenticateApiKey(deps.db, request, permission);
    return { principal: { orgUnitId: orgUnit.id, apiKeyId: apiKey.id }, orgPath: orgUnit.path };
  }
  const user = await deps.sessionUser(request);
  if (!user) throw new HttpError(401, "sign-in or an API key required", undefined, { "WWW-Authenticate": 'Bearer realm="api"' });
  if (!hasPermission(user.role, permission)) throw new HttpError(403, `missing permission ${permission}`);
  return { principal: { orgUnitId: user.orgUnitId, userId: user.id }, orgPath: user.orgPath };
}

async function issuesOf(db: Db, batchId: string, viaJson: boolean) {
  const { items } = await batchIssues(db, batchId, 1, RESPONSE_ISSUES);
  return items.map((i) => ({
    line: i.line,
    field: i.field,
    // In a JSON batch, line n is rows[n - 1].
    path: viaJson && i.line >= 1 ? ["rows", i.line - 1, ...(i.field ? [i.field] : [])].join(".") : i.field ?? "",
    code: i.code,
    message: i.message.en,
    messageZh: i.message.zh,
  }));
}

async function outcomeResponse(db: Db, outcome: BatchOutcome, viaJson: boolean): Promise<Response> {
  const body = {
    batchId: outcome.id,
    kind: outcome.kind,
    sourceSystem: outcome.sourceSystem,
    status: outcome.status,
    totalRows: outcome.totalRows,
    appliedRows: outcome.appliedRows,
    errorRows: outcome.errorRows,
    stats: outcome.stats,
    duplicateOf: outcome.duplicateOfId,
  };
  if (outcome.status === "REJECTED") {
    return Response.json(
      { error: `batch rejected: ${outcome.errorRows} rows with errors; nothing was applied`, ...body, issues: await issuesOf(db, outcome.id, viaJson) },
      { status: 422 },
    );
  }
  return Response.json(body, { status: outcome.status === "PENDING" ? 202 : 200 });
}

export async function postJsonImport(request: Request, kindParam: string, deps: ImportRouteDeps): Promise<Response> {
  try {
    const kind = parseKind(kindParam);
    const { apiKey, orgUnit } = await authenticateApiKey(deps.db, request, "import:write");
    requireContentType(request, "application/json");
    const raw = new TextDecoder().decode(await readBody(request, JSON_BODY_LIMIT));
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      throw new HttpError(400, `malformed JSON: ${e instanceof Error ? e.message : "parse error"}`);
    }
    const body = jsonBody(kind).parse(json);
    const outcome = await submitJsonBatch(deps.db, { orgUnitId: orgUnit.id, apiKeyId: apiKey.id }, { kind, ...body });
    return await outcomeResponse(deps.db, outcome, true);
  } catch (error) {
    return errorResponse(error);
  }
}

const fileQuery = z.strictObject({
  sourceSystem: SOURCE_SYSTEM,
  fileName: z.string().trim().min(1).max(255).optional(),
});

export async function postFileImport(request: Request, kindParam: string, deps: ImportRouteDeps): Promise<Response> {
  try {
    const kind = parseKind(kindParam);
    const { principal } = await authenticate(request, deps, "import:write");
    requireContentType(request, "text/csv", "application/octet-stream", "text/plain");
    const query = fileQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
    const content = await readBody(request, FILE_BODY_LIMIT);
    const outcome = await submitFileBatch(
      deps.db,
      principal,
      { kind, sourceSystem: query.sourceSystem, fileName: query.fileName ?? null, content },
      deps.enqueue,
    );
    return await outcomeResponse(deps.db, outcome, false);
  } catch (error) {
    return errorResponse(error);
  }
}

export async function getImportBatch(request: Request, batchId: string, deps: ImportRouteDeps): Promise<Response> {
  try {
    const { orgPath } = await authenticate(request, deps, "import:read");
    const batch = await batchOrgPath(deps.db, batchId);
    if (!batch || !canSeeOrgUnit({ kind: "subtree", orgPath }, batch.orgPath)) throw new HttpError(404, "import batch not found");
    const row = await deps.db.importBatch.findUniqueOrThrow({ where: { id: batchId } });
    // A JSON batch has no file: its lines are rows[line - 1].
    const viaJson = row.fileSize === null;
    return Response.json({
      batchId: row.id,
      kind: row.kind,
      sourceSystem: row.sourceSystem,
      status: row.status,
      progress: row.progress,
      totalRows: row.totalRows,
      appliedRows: row.appliedRows,
      errorRows: row.errorRows,
      stats: row.stats,
      duplicateOf: row.duplicateOfId,
      createdAt: row.createdAt,
      finishedAt: row.finishedAt,
      issues: row.status === "REJECTED" ? await issuesOf(deps.db, row.id, viaJson) : [],
    });
  } catch (error) {
    return errorResponse(error);
  }
}
