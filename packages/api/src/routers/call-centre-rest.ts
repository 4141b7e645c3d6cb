/**
 * The call centre's system-to-system API (API keys, org-scoped: tasks of customers inside the
 * key's org subtree).
 *
 *   GET  /api/v1/call-tasks?status=PENDING|FETCHED|DONE&limit=1..1000&format=json|csv   (scope call:read)
 *        200 { tasks: [...] } or a UTF-8 CSV download. Fetching PENDING tasks marks them FETCHED
 *        (ask for FETCHED to download them again). Audited as an EXPORT (ids and counts only).
 *   POST /api/v1/call-results   (scope call:write)
 *        body { results: [{ taskId, result, calledAt, note? }] }, 1–1000
 *        200 { recorded, repeated } — a task keeps its first result; a resend changes nothing
 *        400 malformed JSON / fields (each issue names its path); 422 unknown or out-of-scope
 *        tasks (nothing recorded)
 */
import { callResultBatchSchema, callTasksCsv, listCallTasks, recordCallResults } from "@mkt/core/campaigns/channels/call-centre";
import { DomainError } from "@mkt/core/domain-error";
import { writeAudit, type Db } from "@mkt/db";
import { z } from "zod";
import { authenticateApiKey } from "../http/api-key";
import { clientIp } from "../http/client-ip";
import { errorResponse, HttpError, jsonError } from "../http/errors";

export const CALL_RESULTS_BODY_LIMIT = 1024 * 1024;

const taskQuerySchema = z.strictObject({
  status: z.enum(["PENDING", "FETCHED", "DONE"]).default("PENDING"),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  format: z.enum(["json", "csv"]).default("json"),
});

export async function getCallTasks(request: Request, deps: { db: Db }): Promise<Response> {
  try {
    const { apiKey, orgUnit } = await authenticateApiKey(deps.db, request, "call:read");
    const query = taskQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    const tasks = await listCallTasks(deps.db, { orgPath: orgUnit.path, status: query.status, limit: query.limit });
    await writeAudit(deps.db, {
      action: "EXPORT",
      targetType: "call_tasks",
      targetId: apiKey.id,
      ip: clientIp(request.headers),
      details: { apiKeyId: apiKey.id, status: query.status, format: query.format, count: tasks.length },
    });
    if (query.format === "json") return Response.json({ tasks });
    return new Response(callTasksCsv(tasks), {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="call-tasks-${new Date().toISOString().slice(0, 10)}.csv"`, "cache-control": "no-store" },
    });
  } catch (error) {
    return errorResponse(error);
  }
}

export async function postCallResults(request: Request, deps: { db: Db }): Promise<Response> {
  try {
    const { orgUnit } = await authenticateApiKey(deps.db, request, "call:write");
    if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) throw new HttpError(415, "content type must be application/json");
    const raw = await request.text();
    if (Buffer.byteLength(raw) > CALL_RESULTS_BODY_LIMIT) throw new HttpError(413, `request body larger than ${CALL_RESULTS_BODY_LIMIT} bytes`);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      throw new HttpError(400, `malformed JSON: ${e instanceof Error ? e.message : "parse error"}`);
    }
    const batch = callResultBatchSchema.parse(json);
    return Response.json(await recordCallResults(deps.db, batch, { orgPath: orgUnit.path }));
  } catch (error) {
    if (error instanceof DomainError && error.code === "NOT_FOUND") return jsonError(422, { error: `${error.message} (nothing recorded)` });
    return errorResponse(error);
  }
}
