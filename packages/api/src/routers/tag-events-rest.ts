/**
 * POST /api/v1/events — real-time events from the channel systems (transport-agnostic: Request in,
 * Response out; the Next.js route file is one line).
 *
 *   body     { events: [{ eventId, customerId, type, occurredAt, amount?, channel?, attributes? }] }
 *            1–500 events, ≤ 1 MB; API key with scope event:write; customers inside the key's org subtree
 *   200      { accepted, duplicates, tagChanges } — a resent event (same eventId) is not applied again
 *   400      malformed JSON, unknown fields, bad values (each issue names its path)
 *   422      customers unknown to the key's org subtree (nothing applied)
 *   503      events stored but the "tag changed" signals could not be published: resend the batch
 *            (idempotent; the resend publishes them)
 *
 * Requests arriving together are committed together (core tags/group-commit.ts: one statement
 * for the group, one XADD pipeline for its signals); each is answered after its group committed
 * and published, exactly as if it had been applied alone.
 */
import { TagEventCommitter } from "@mkt/core/tags/group-commit";
import { tagEventBatchSchema, UnknownCustomersError } from "@mkt/core/tags/realtime";
import type { Db } from "@mkt/db";
import { publishTagChanges, type JobsClient } from "@mkt/jobs";
import { authenticateApiKey } from "../http/api-key";
import { errorResponse, HttpError, jsonError } from "../http/errors";

export const EVENTS_BODY_LIMIT = 1024 * 1024;

export interface TagEventRouteDeps {
  db: Db;
  /** Producer-side Redis (fail-fast) and the deployment's key prefix. */
  jobs: JobsClient;
}

async function readJson(request: Request): Promise<unknown> {
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
    throw new HttpError(415, "content type must be application/json");
  }
  if (Number(request.headers.get("content-length") ?? 0) > EVENTS_BODY_LIMIT) throw new HttpError(413, `request body larger than ${EVENTS_BODY_LIMIT} bytes`);
  const body = await request.arrayBuffer();
  if (body.byteLength > EVENTS_BODY_LIMIT) throw new HttpError(413, `request body larger than ${EVENTS_BODY_LIMIT} bytes`);
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch (e) {
    throw new HttpError(400, `malformed JSON: ${e instanceof Error ? e.message : "parse error"}`);
  }
}

/** One committer per database client and Redis producer (the process-wide ones in the server). */
const committers = new WeakMap<Db, WeakMap<JobsClient, TagEventCommitter>>();

export function tagEventCommitter(deps: TagEventRouteDeps): TagEventCommitter {
  let byJobs = committers.get(deps.db);
  if (!byJobs) committers.set(deps.db, (byJobs = new WeakMap()));
  let c = byJobs.get(deps.jobs);
  if (!c) {
    const { jobs } = deps;
    c = new TagEventCommitter(deps.db, {
      publish: async (changes) => {
        await jobs.ready();
        await publishTagChanges(
          jobs.redis,
          jobs.prefix,
          changes.map((c) => ({ tag: c.tagCode, customerId: c.customerId, value: c.value, eventId: c.eventId, expiresAt: c.expiresAt })),
        );
      },
    });
    byJobs.set(deps.jobs, c);
  }
  return c;
}

export async function postTagEvents(request: Request, deps: TagEventRouteDeps): Promise<Response> {
  try {
    const { apiKey, orgUnit } = await authenticateApiKey(deps.db, request, "event:write");
    const { events } = tagEventBatchSchema.parse(await readJson(request));
    const result = await tagEventCommitter(deps).submit({ events, orgPath: orgUnit.path, apiKeyId: apiKey.id });
    if (!result.ok) throw result.error;
    if (!result.published) {
      return jsonError(503, { error: "events stored, but tag-change signals could not be published: resend the batch" }, { "Retry-After": "5" });
    }
    const applied = result.applied;
    return Response.json({ accepted: applied.accepted, duplicates: applied.duplicates, tagChanges: applied.changes.length });
  } catch (error) {
    if (error instanceof UnknownCustomersError) {
      return jsonError(422, { error: "unknown customers (nothing applied)", issues: error.customerIds.slice(0, 100).map((id) => ({ path: "events.customerId", message: `unknown customer ${id}` })) });
    }
    return errorResponse(error);
  }
}
