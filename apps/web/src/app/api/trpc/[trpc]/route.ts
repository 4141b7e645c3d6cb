import { appRouter } from "@mkt/api";
import { createRequestContext } from "@mkt/api/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: ({ req, resHeaders }) => createRequestContext(req, resHeaders),
    onError({ error, path }) {
      // Only unexpected failures are logged, by path and message: inputs may hold personal data.
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`trpc ${path ?? "?"}: ${error.message}`, error.cause);
    },
  });
}

export { handler as GET, handler as POST };
