import { dropDatabase } from "../../packages/db/src/testing/databases";

/** Drops the run's throw-away database (the web server's connections are closed by FORCE). */
export default async function globalTeardown() {
  const name = process.env.E2E_DATABASE_NAME;
  if (name?.startsWith("mkt_e2e_")) await dropDatabase(name);
}
