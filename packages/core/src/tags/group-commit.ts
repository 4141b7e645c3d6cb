/**
 * Group commit of real-time events. Concurrent `POST /api/v1/events` requests of one process are
 * collected while the previous group is being written and applied together
 * (`applyTagEventRequests`: one statement, one round trip), then their "tag changed" signals are
 * published in one pipeline; each request is answered only after its group committed and
 * published. Batching is natural: an idle committer writes a request at once (no waiting
 * window), a busy one folds everything that arrived meanwhile into its next group, so groups grow
 * with the load and the cost per event falls as the rate rises.
 */
import type { Db } from "@mkt/db";
import { applyTagEventRequests, type AppliedEvents, type TagChange, type TagEventRequest, type UnknownCustomersError } from "./realtime";

export interface GroupCommitOptions {
  /** Publishes the signals of a committed group (after the commit); a throw fails the publication. */
  publish?: (changes: TagChange[]) => Promise<void>;
  /** Groups written at once (default 2: one can be publishing while the next is written). */
  concurrency?: number;
  /** Events per group at most (default 5,000); a single request is never split. */
  maxEvents?: number;
}

/** What a request gets back: its events stored (or refused), and whether its signals went out. */
export type CommitResult =
  | { ok: true; applied: AppliedEvents; published: true }
  | { ok: true; applied: AppliedEvents; published: false; publishError: unknown }
  | { ok: false; error: UnknownCustomersError };

interface Pending {
  request: TagEventRequest;
  resolve: (r: CommitResult) => void;
  reject: (e: unknown) => void;
}

export class TagEventCommitter {
  private queue: Pending[] = [];
  private running = 0;
  /** Groups written and requests in them (for tests and the benchmark). */
  groups = 0;
  requests = 0;
  /** Milliseconds spent writing (the statement) and publishing, summed over groups. */
  writeMs = 0;
  publishMs = 0;

  constructor(
    private readonly db: Db,
    private readonly opts: GroupCommitOptions = {},
  ) {}

  submit(request: TagEventRequest): Promise<CommitResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length && this.running < (this.opts.concurrency ?? 2)) {
      const max = this.opts.maxEvents ?? 5_000;
      const group: Pending[] = [];
      let events = 0;
      while (this.queue.length && (group.length === 0 || events + this.queue[0]!.request.events.length <= max)) {
        const p = this.queue.shift()!;
        events += p.request.events.length;
        group.push(p);
      }
      this.running++;
      void this.write(group).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async write(group: Pending[]): Promise<void> {
    this.groups++;
    this.requests += group.length;
    let outcomes;
    const t0 = performance.now();
    try {
      outcomes = await applyTagEventRequests(
        this.db,
        group.map((p) => p.request),
      );
    } catch (e) {
      for (const p of group) p.reject(e);
      return;
    }
    const t1 = performance.now();
    this.writeMs += t1 - t0;
    let publishError: unknown = null;
    let failed = false;
    if (this.opts.publish) {
      const changes = outcomes.flatMap((o) => (o.ok ? o.applied.changes : []));
      try {
        if (changes.length) await this.opts.publish(changes);
      } catch (e) {
        failed = true;
        publishError = e;
      }
    }
    this.publishMs += performance.now() - t1;
    outcomes.forEach((o, i) => {
      const p = group[i]!;
      if (!o.ok) p.resolve(o);
      else if (failed) p.resolve({ ok: true, applied: o.applied, published: false, publishError });
      else p.resolve({ ok: true, applied: o.applied, published: true });
    });
  }
}
