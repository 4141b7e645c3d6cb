/** Is a PostgreSQL / Redis server answering at this URL? (Resolves to an error text, or null when it is.) */
import net from "node:net";
import pg from "pg";
import { pgConfigFromUrl } from "../../packages/db/src/pg-config";

export async function probePostgres(url: string, timeoutMs = 2_000): Promise<string | null> {
  const client = new pg.Client({ ...pgConfigFromUrl(url), connectionTimeoutMillis: timeoutMs });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (err) {
    return err instanceof Error ? err.message || err.constructor.name : String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Speaks just enough RESP for PING (and AUTH when the URL has a password). */
export function probeRedis(url: string, timeoutMs = 2_000): Promise<string | null> {
  const u = new URL(url);
  const port = Number(u.port || 6379);
  const host = u.hostname || "127.0.0.1";
  const password = decodeURIComponent(u.password);
  const user = decodeURIComponent(u.username);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let buffer = "";
    const done = (result: string | null) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer from ${host}:${port} within ${timeoutMs} ms`));
    socket.on("error", (err) => done(err.message));
    socket.on("connect", () => {
      if (password) socket.write(user ? `AUTH ${user} ${password}\r\n` : `AUTH ${password}\r\n`);
      socket.write("PING\r\n");
    });
    socket.on("data", (chunk) => {
      buffer += chunk.toString();
      if (buffer.includes("+PONG")) done(null);
      else if (buffer.startsWith("-")) done(buffer.split("\r\n")[0]!.slice(1));
    });
  });
}

/** True when something accepts TCP connections on the port. */
export function portInUse(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}
