/**
 * Sockets for pg connections that stream large COPYs: each read lands in one reused buffer
 * (net's `onread`), so a COPY of millions of rows allocates nothing per read.
 */
import { Buffer } from "node:buffer";
import net from "node:net";

/**
 * Bytes a copy-reading socket reads at a time, into the same buffer each time. 1 MB: the export
 * cell store's values are 10–80 KB each, and a value cut by the end of a read is copied out; with
 * 128 KB reads about half of them were (measured: the store path 12% faster, the row path the same).
 */
const READ_BUFFER = 1 << 20;
/** Where a COPY reader (`copyRows` in exports/member-rows.ts) takes the socket's reads while it runs. */
export const COPY_READER = Symbol("copy reader");
export type CopySocket = net.Socket & { [COPY_READER]: ((chunk: Buffer) => void) | null };

export const isCopySocket = (s: unknown): s is CopySocket => typeof s === "object" && s !== null && COPY_READER in s;

/**
 * A socket for a pg connection that reads into one buffer, reused for every read (net's
 * `onread`), for connections that stream large COPYs (`connectPg(url, { copyReads: true })`).
 * While `copyRows` reads a COPY, each read goes to its parser, which handles the bytes in place;
 * any other traffic is copied out and pushed into the socket's readable side, for pg (and
 * pg-copy-streams) as usual. An ordinary socket allocates a new buffer per read: ~700 MB of
 * garbage for 5M exported rows, which the garbage collector lets pile up to tens of MB before it
 * frees them.
 */
export function copyReadingSocket(): net.Socket {
  const onread: net.OnReadOpts = {
    buffer: Buffer.allocUnsafe(READ_BUFFER),
    callback: (n, buf) => {
      const bytes = (buf as Buffer).subarray(0, n);
      const reader = socket[COPY_READER];
      if (reader) {
        reader(bytes);
        return true;
      }
      // everyone else reads the socket as a stream, a copy of each read (false: stop reading until they want more)
      return socket.push(Buffer.from(bytes));
    },
  };
  // `onread` is a constructor option of net.Socket (net.connect passes it on); @types/node lists it for connect only
  const socket = new net.Socket({ onread } as net.SocketConstructorOpts) as CopySocket;
  socket[COPY_READER] = null;
  return socket;
}
