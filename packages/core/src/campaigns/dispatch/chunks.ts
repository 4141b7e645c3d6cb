/**
 * The chunks of a send wave. A wave's recipients (its `members` bitmap, ascending customer ids) are
 * cut into chunks by position; contact ids are reserved for the whole wave as one block at
 * materialisation (`campaign_wave.id_base`), so the recipient at position p has contact id
 * `id_base + p` on every attempt — the provider's idempotency key is known before any row exists.
 *
 * Chunk boundaries follow lock blocks (`LOCK_BLOCK_BITS`: 128 consecutive customer ids) where
 * they can: the chunks of one wave then never wait for each other's cap lock, only for other
 * campaigns' chunks over the same customers. A throttled channel's chunk is about half a second of
 * its rate (the rate limiter takes tokens per chunk); an unthrottled one's is `UNTHROTTLED_CHUNK`.
 */
import { bitmapFromBytes } from "../../segments/bitmap";
import type { Db } from "@mkt/db";
import type { Channel } from "../channels/provider";
import type { ChunkRef, RateLimiter } from "./types";

/**
 * Caps and dedupe locks are taken per channel and block of 2^7 = 128 customer ids. Every dispatch
 * worker must use the same value (the lock keys derive from it): stop the old workers before
 * starting ones built with another.
 */
export const LOCK_BLOCK_BITS = 7;
/**
 * Contacts per chunk on a channel without a rate limit (the sandbox, task lists), extended to the
 * end of a lock block: ~600 on a dense audience. Small enough that a chunk takes ~20 ms (the
 * locks it holds, the reaction to a pause), large enough to pay its fixed cost (~8 statements).
 */
export const UNTHROTTLED_CHUNK = 512;

/** The chunk size of a new send wave on `channel`. */
export function chunkTarget(rateLimiter: RateLimiter | undefined, channel: Channel): number {
  return Math.min(rateLimiter?.sliceSize(channel) ?? UNTHROTTLED_CHUNK, UNTHROTTLED_CHUNK);
}

/**
 * Start positions of the chunks over ascending `ids`: about `target` each, extended (up to `max`)
 * to the end of the lock block the cut falls in, or cut back to that block's start.
 */
export function chunkStarts(ids: ArrayLike<number>, target: number, max = target, bits = LOCK_BLOCK_BITS): number[] {
  const n = ids.length;
  const starts: number[] = [];
  for (let s = 0; s < n; ) {
    starts.push(s);
    let e = Math.min(s + target, n);
    if (e < n && max > target) {
      const block = ids[e - 1]! >>> bits;
      let f = e;
      while (f < n && f - s < max && ids[f]! >>> bits === block) f++;
      if (f < n && ids[f]! >>> bits === block) {
        // The block runs past `max`: end before it instead, when that leaves a fair chunk.
        let g = e;
        while (g > s && ids[g - 1]! >>> bits === block) g--;
        f = g - s >= target / 2 ? g : e;
      }
      e = f;
    }
    s = e;
  }
  return starts;
}

export interface WaveLayout {
  /** Recipients in position order. */
  ids: Uint32Array;
  starts: number[];
  idBase: bigint;
}

/** The customers and first contact id of one chunk. */
export function chunkOf(layout: WaveLayout, chunk: number): { customerIds: number[]; firstPosition: number; firstId: bigint } | null {
  const start = layout.starts[chunk];
  if (start === undefined) return null;
  const end = layout.starts[chunk + 1] ?? layout.ids.length;
  return { customerIds: Array.from(layout.ids.subarray(start, end)), firstPosition: start, firstId: layout.idBase + BigInt(start) };
}

const layouts = new Map<string, WaveLayout | null>();

/** A send wave's layout (cached per process: it never changes once set), or null for a wave of materialised rows. */
export async function loadLayout(db: Db, ref: ChunkRef): Promise<WaveLayout | null> {
  const key = `${ref.runId}\u0000${ref.stepId}\u0000${ref.wave}`;
  const hit = layouts.get(key);
  if (hit) return hit;
  const rows = await db.$queryRaw<{ members: Uint8Array; id_base: bigint | null; chunk_size: number | null; chunks: number | null; chunk_max: number | null; block_bits: number | null }[]>`
    SELECT members, id_base, chunk_size, chunks, chunk_max, block_bits FROM campaign_wave WHERE run_id = ${ref.runId} AND wave = ${ref.wave} AND node_id = ${ref.stepId}`;
  const row = rows[0];
  if (!row || row.id_base === null || row.chunk_size === null) return null;
  const ids = bitmapFromBytes(row.members).toUint32Array();
  const cut = row.block_bits === null || row.chunk_max === null ? legacyCut(row.chunk_size) : { max: row.chunk_max, bits: row.block_bits };
  const layout: WaveLayout = { ids, starts: chunkStarts(ids, row.chunk_size, cut.max, cut.bits), idBase: BigInt(row.id_base) };
  if (row.chunks !== null && layout.starts.length !== row.chunks) throw new Error(`wave ${ref.wave} of ${ref.runId}: ${layout.starts.length} chunks, ${row.chunks} recorded`);
  if (layouts.size >= 16) layouts.delete(layouts.keys().next().value!);
  layouts.set(key, layout);
  return layout;
}

/**
 * How a new wave is cut: the chunk size is the target; a throttled channel's chunks are never
 * extended (their size is what the rate limiter grants), which `UNTHROTTLED_CHUNK`-sized targets
 * mark. The wave records `max` and `bits`: its layout never changes once cut, whatever a later
 * release's constants.
 */
export function layoutCut(chunkSize: number): { max: number; bits: number } {
  return { max: chunkSize >= UNTHROTTLED_CHUNK ? chunkSize * 2 : chunkSize, bits: LOCK_BLOCK_BITS };
}

/** How a wave was cut before `chunk_max` and `block_bits` were recorded (targets of 2,048, 1,024-id blocks). */
function legacyCut(chunkSize: number): { max: number; bits: number } {
  return { max: chunkSize >= 2_048 ? chunkSize * 2 : chunkSize, bits: 10 };
}

export function layoutStarts(ids: ArrayLike<number>, chunkSize: number): number[] {
  const { max, bits } = layoutCut(chunkSize);
  return chunkStarts(ids, chunkSize, max, bits);
}
