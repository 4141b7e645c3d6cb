import { getAuth } from "@mkt/api/server";
import { toNextJsHandler } from "better-auth/next-js";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// Built on first request, so `next build` needs no secret.
export const { GET, POST } = toNextJsHandler((req) => getAuth().handler(req));
