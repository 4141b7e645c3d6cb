/**
 * Discrete pg connection fields from a URL. The Prisma adapter is given fields rather than a
 * connectionString so that Migrate's shadow database does not connect back to the main one.
 */
export interface PgConfig {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  max?: number;
}

export function pgConfigFromUrl(url: string, max?: number): PgConfig {
  const u = new URL(url);
  const cfg: PgConfig = {
    host: decodeURIComponent(u.hostname) || "127.0.0.1",
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username) || "postgres",
    database: decodeURIComponent(u.pathname.replace(/^\//, "")) || "postgres",
  };
  if (u.password) cfg.password = decodeURIComponent(u.password);
  const host = u.searchParams.get("host");
  if (host) cfg.host = host; // unix socket directory
  if (max) cfg.max = max;
  return cfg;
}

/** The same URL pointed at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
