/**
 * The e2e run's private settings, decided once in the runner process and inherited by the web
 * server and the test workers through the environment (the config file is evaluated in each).
 */
import { randomBytes } from "node:crypto";
import net from "node:net";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface E2eEnv {
  databaseUrl: string;
  databaseName: string;
  port: number;
  baseURL: string;
}

export async function e2eEnv(): Promise<E2eEnv> {
  if (!process.env.E2E_DATABASE_NAME) {
    process.env.E2E_DATABASE_NAME = `mkt_e2e_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  }
  if (!process.env.E2E_PORT) process.env.E2E_PORT = String(await freePort());
  const databaseName = process.env.E2E_DATABASE_NAME;
  const server = new URL(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
  server.pathname = `/${databaseName}`;
  const port = Number(process.env.E2E_PORT);
  return { databaseUrl: server.toString(), databaseName, port, baseURL: `http://127.0.0.1:${port}` };
}
