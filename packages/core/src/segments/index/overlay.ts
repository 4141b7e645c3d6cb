/**
 * The real-time overlay: values of REALTIME tags set by events after the current run, as in the
 * `customer_tag_value` view — a value newer than the run and not expired replaces the batch value
 * of its tag (a NULL value hides it). Loaded at build from realtime_tag_value and kept current
 * from the "tag changed" stream; an entry disappears when it expires (checked at query time).
 */
import { RoaringBitmap32 } from "../bitmap";

interface Entry {
  value: number | null;
  expiresAt: number;
}

export class TagOverlay {
  private readonly entries = new Map<number, Entry>();
  /** Customers with an entry. */
  private ids = new RoaringBitmap32();
  /** Customers by overlay value. */
  private readonly byValue = new Map<number, RoaringBitmap32>();
  private nextExpiry = Infinity;

  get size(): number {
    return this.entries.size;
  }

  /** Sets a customer's value; a later expiry wins (as the database keeps the greatest). */
  set(customerId: number, value: number | null, expiresAt: number): void {
    const old = this.entries.get(customerId);
    if (old) {
      if (old.value !== null) this.byValue.get(old.value)?.remove(customerId);
      expiresAt = Math.max(old.expiresAt, expiresAt);
    }
    this.entries.set(customerId, { value, expiresAt });
    this.ids.add(customerId);
    if (value !== null) {
      let b = this.byValue.get(value);
      if (!b) this.byValue.set(value, (b = new RoaringBitmap32()));
      b.add(customerId);
    }
    if (expiresAt < this.nextExpiry) this.nextExpiry = expiresAt;
  }

  /** Drops expired entries. */
  expire(now: number): void {
    if (now < this.nextExpiry) return;
    let next = Infinity;
    for (const [id, e] of this.entries) {
      if (e.expiresAt <= now) {
        this.entries.delete(id);
        this.ids.remove(id);
        if (e.value !== null) this.byValue.get(e.value)?.remove(id);
      } else if (e.expiresAt < next) next = e.expiresAt;
    }
    this.nextExpiry = next;
  }

  /**
   * Applies the overlay to a batch result: customers with an entry take the overlay's answer.
   * `accept(value)` says whether an overlay value satisfies the condition.
   */
  apply(batch: RoaringBitmap32, accept: (value: number) => boolean): RoaringBitmap32 {
    if (this.entries.size === 0) return batch;
    const parts = [RoaringBitmap32.andNot(batch, this.ids)];
    for (const [v, b] of this.byValue) if (accept(v)) parts.push(b);
    return RoaringBitmap32.orMany(parts);
  }
}
