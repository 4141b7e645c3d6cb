/**
 * Seeded pseudo-random numbers for the synthetic bank. sfc32 (small fast counter, 128-bit state)
 * passes PractRand and is a handful of 32-bit operations per draw. Every customer gets its own
 * stream, derived from (seed, customer id), so a customer's data does not depend on how many
 * customers were generated before it or on how generation is split into chunks.
 */
// Inverse normal CDF sampled at 4,097 points: a draw is one table lookup with linear
// interpolation instead of Box–Muller's log, sqrt and cos (it caps at about ±3.8σ, plenty here).
const NORMAL_STEPS = 4096;
const NORMAL_TABLE = new Float64Array(NORMAL_STEPS + 1);
for (let i = 0; i <= NORMAL_STEPS; i++) NORMAL_TABLE[i] = inverseNormal(Math.min(Math.max(i / NORMAL_STEPS, 0.5 / 65536), 1 - 0.5 / 65536));

/** Acklam's rational approximation of the inverse standard normal CDF (relative error < 1.2e-9). */
function inverseNormal(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -inverseNormal(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(seed: number, stream = 0) {
    this.reseed(seed, stream);
  }

  /** Restarts the generator on stream `stream` of `seed` (no allocation: one Rng serves all customers). */
  reseed(seed: number, stream: number): this {
    const s = splitmix32(seed ^ 0x5eed);
    this.a = splitmix32(s ^ stream);
    this.b = splitmix32(this.a ^ Math.imul(stream, 0x27d4eb2d));
    this.c = splitmix32(this.b + 0x165667b1);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.u32();
    return this;
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)]!;
  }

  /** Standard normal, by table lookup (one draw per value). */
  normal(): number {
    const u = this.u32();
    const i = u >>> 20;
    const f = (u & 0xfffff) / 0x100000;
    const lo = NORMAL_TABLE[i]!;
    return lo + (NORMAL_TABLE[i + 1]! - lo) * f;
  }

  /** exp(N(mu, sigma²)): the long-tailed amounts (AUM, salaries, card spend). */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /** Poisson by inversion; fine for the small means used here (< 30). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }
}

/** A categorical distribution over indices 0..n-1, built once from weights. */
export class Weighted {
  private readonly cum: Float64Array;

  constructor(weights: readonly number[]) {
    this.cum = new Float64Array(weights.length);
    let total = 0;
    weights.forEach((w, i) => {
      total += w;
      this.cum[i] = total;
    });
    for (let i = 0; i < this.cum.length; i++) this.cum[i] = this.cum[i]! / total;
  }

  pick(rng: Rng): number {
    const r = rng.float();
    const cum = this.cum;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
