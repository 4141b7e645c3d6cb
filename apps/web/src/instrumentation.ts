/**
 * Next.js start-up hook (runs once per server process before requests are served). On the
 * Node.js runtime it starts building the resident segment index in the background, so the first
 * count does not wait for it (at 1M customers the build takes tens of seconds); GET /api/health
 * shows when it is ready (`segments.state`). The server starts serving at once: a count that
 * arrives during the build waits for it.
 */
export async function register(): Promise<void> {
  // The documented shape: the import stays inside the runtime check, so the edge build leaves
  // the Node.js-only modules (pg, ioredis, roaring) out.
  // eslint-disable-next-line no-restricted-properties -- NEXT_RUNTIME is set and inlined by Next.js itself, not configuration
  if (process.env.NEXT_RUNTIME === "nodejs") {
    try {
      const { warmSegmentEngine } = await import("@mkt/api/server");
      warmSegmentEngine();
    } catch (err) {
      // Missing configuration: the first request reports it; serving must not fail at boot.
      console.error(`segment index warm-up not started: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
