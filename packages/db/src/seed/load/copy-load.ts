/**
 * Streams the generator's output into PostgreSQL: one connection and one binary COPY per table,
 * all open at once, fed chunk by chunk. Each table is loaded in its own transaction that first
 * truncates it, which lets COPY write frozen, all-visible rows (`FREEZE`: no hint-bit rewrite and
 * no vacuum pass later). While the server parses chunk k the generator already builds chunk k+1.
 */
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Writable } from "node:stream";
import { pgConfigFromUrl } from "../../pg-config";
import { copyHeader, copyTrailer } from "../copy/binary-writer";
import { STREAMED_TABLES, copyStatement } from "../copy/tables";
import type { BankGenerator } from "../generator";
import { backendPid, backendsCpuMs } from "./backend-cpu";

/** Session settings for loading: a lost commit only means re-running the seed. */
export const LOAD_SESSION_SQL = "SET synchronous_commit = off";

export interface CopyLoadResult {
  rows: Record<string, number>;
  bytes: number;
  /** CPU the loading backends used (null when the server is not on this machine). */
  serverCpuMs: number | null;
}

export interface CopyLoadOptions {
  chunkCustomers?: number;
  /** Tables a foreign key points at: loaded without TRUNCATE and FREEZE. */
  referenced?: ReadonlySet<string>;
  /** Foreign keys are still in place: switch their triggers off for the loading sessions. */
  skipTriggers?: boolean;
  onProgress?: (done: number) => void;
}

export async function copyLoad(url: string, generator: BankGenerator, opts: CopyLoadOptions = {}): Promise<CopyLoadResult> {
  const total = generator.options.customers;
  const chunk = opts.chunkCustomers ?? 2000;
  const clients = STREAMED_TABLES.map(() => new pg.Client(pgConfigFromUrl(url)));
  const streams: Writable[] = [];
  const finished: Promise<void>[] = [];
  const rows: Record<string, number> = Object.fromEntries(STREAMED_TABLES.map((s) => [s.table, 0]));
  let bytes = 0;
  try {
    await Promise.all(clients.map((c) => c.connect()));
    const pids = await Promise.all(clients.map(backendPid));
    for (const [i, spec] of STREAMED_TABLES.entries()) {
      const client = clients[i]!;
      await client.query(LOAD_SESSION_SQL);
      if (opts.skipTriggers) await client.query("SET session_replication_role = replica");
      await client.query("BEGIN");
      const freeze = !opts.referenced?.has(spec.table);
      if (freeze) await client.query(`TRUNCATE "${spec.table}"`);
      const stream = client.query(copyFrom(copyStatement(spec, freeze)));
      finished.push(new Promise<void>((resolve, reject) => {
        stream.on("finish", resolve);
        stream.on("error", reject);
      }));
      stream.write(copyHeader());
      streams.push(stream);
    }
    // A server-side error (a bad row, a lost connection) ends the load at the next chunk.
    let failure: unknown = null;
    for (const f of finished) f.catch((err: unknown) => (failure ??= err));
    let waits: Promise<void>[] = [];
    for (let from = 1; from <= total; from += chunk) {
      const to = Math.min(total + 1, from + chunk);
      // Generate this chunk while the previous one drains; wait only before writing again.
      generator.generate(from, to);
      const out = generator.take();
      await Promise.all(waits);
      if (failure) throw failure;
      waits = [];
      out.chunks.forEach((buf, i) => {
        rows[STREAMED_TABLES[i]!.table]! += out.rows[i]!;
        bytes += buf.length;
        const stream = streams[i]!;
        if (buf.length && !stream.write(buf)) waits.push(drained(stream));
      });
      opts.onProgress?.(to - 1);
    }
    await Promise.all(waits);
    for (const s of streams) s.end(copyTrailer());
    await Promise.all(finished);
    await Promise.all(clients.map((c) => c.query("COMMIT")));
    return { rows, bytes, serverCpuMs: await backendsCpuMs(pids) };
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
  }
}

/** Resolves when the stream can take more, or has failed (the caller then sees `failure`). */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("error", done);
      stream.off("close", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("error", done);
    stream.on("close", done);
  });
}
