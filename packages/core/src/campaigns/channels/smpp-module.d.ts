/** The parts of the npm `smpp` package (node-smpp 0.5) we use; it ships no types. */
declare module "smpp" {
  import type { EventEmitter } from "node:events";
  import type { Server as NetServer, Socket } from "node:net";

  export interface PDU {
    command: string;
    command_id: number;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): PDU;
  }

  type Callback = (pdu: PDU) => void;

  export class Session extends EventEmitter {
    socket: Socket;
    server?: Server;
    send(pdu: PDU, responseCallback?: Callback, sendCallback?: Callback): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
    bind_transceiver(options: Record<string, unknown>, callback?: Callback): boolean;
    submit_sm(options: Record<string, unknown>, callback?: Callback): boolean;
    deliver_sm(options: Record<string, unknown>, callback?: Callback): boolean;
    enquire_link(options?: Record<string, unknown> | Callback, callback?: Callback): boolean;
    unbind(options?: Record<string, unknown> | Callback, callback?: Callback): boolean;
  }

  export class Server extends NetServer {
    sessions: Session[];
  }

  interface Coder {
    match(value: string): boolean;
    encode(value: string): Buffer;
    decode(value: Buffer): string;
  }

  const smpp: {
    connect(options: { host: string; port: number }, listener?: () => void): Session;
    createServer(listener?: (session: Session) => void): Server;
    encodings: { ASCII: Coder; UCS2: Coder };
  };
  export default smpp;
}
