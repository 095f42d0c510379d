/**
 * An exact sum of doubles (Shewchuk's adaptive expansion, the algorithm behind Python's
 * `math.fsum`): the running total is kept as non-overlapping partials whose sum is exactly the
 * sum of everything added, and `value()` rounds that once, to the nearest double. So the value
 * does not depend on the order of the additions, nor on how they were split between shards
 * whose sums are then merged: what makes per-shard aggregates give the same result for any
 * number of workers.
 *
 * @example
 * const s = new ExactSum(); s.add(1e16); s.add(1); s.add(-1e16); s.value() // 1 (a plain sum gives 0)
 */
export class ExactSum {
  // The partials, smallest magnitude first: p[0..n).
  private p = new Float64Array(4);
  private n = 0;
  // Terms not yet in the partials: digits[d] counts units of 2^(32 d − DIGIT_BIAS), an integer
  // below 2^53 in magnitude (at most FLUSH_EVERY terms of three pieces under 2^33 each).
  private readonly digits = new Float64Array(DIGITS);
  private low = DIGITS;
  private high = -1;
  private pending = 0;

  /** The partials as plain data (they may be posted between threads and merged elsewhere). */
  get partials(): number[] {
    this.flush();
    return Array.from(this.p.subarray(0, this.n));
  }

  /**
   * Adds `x` (finite) to the sum. A nonzero finite term is split, exactly, into three integer
   * pieces added to the 32-bit digits its bits fall in; the digits go into the partials when
   * they are read (or every FLUSH_EVERY terms), so the partials hold the same exact sum.
   */
  add(x: number): void {
    BITS[0] = x;
    const top = WORDS[HIGH]!;
    const biased = (top >>> 20) & 0x7ff;
    if (x === 0 || biased === 0x7ff) {
      // Zeros (whose sign can show in a zero sum) and what is not finite: as the partials take them.
      this.addToPartials(x);
      return;
    }
    const bottom = WORDS[LOW]!;
    // |x| = (mantissa high bits · 2^32 + bottom) · 2^(exponent − 1075); subnormals have exponent 1.
    const mantissa = biased === 0 ? top & 0xfffff : (top & 0xfffff) | 0x100000;
    const position = (biased === 0 ? 1 : biased) - 1075 + DIGIT_BIAS;
    const d = position >>> 5;
    const r = position & 31;
    const piece0 = (bottom << r) >>> 0;
    const piece1 = (r === 0 ? 0 : bottom >>> (32 - r)) + ((mantissa << r) >>> 0);
    const piece2 = r === 0 ? 0 : mantissa >>> (32 - r);
    const digits = this.digits;
    if (top >>> 31 === 0) {
      digits[d]! += piece0;
      digits[d + 1]! += piece1;
      digits[d + 2]! += piece2;
    } else {
      digits[d]! -= piece0;
      digits[d + 1]! -= piece1;
      digits[d + 2]! -= piece2;
    }
    if (d < this.low) this.low = d;
    if (d + 2 > this.high) this.high = d + 2;
    if (++this.pending === FLUSH_EVERY) this.flush();
  }

  /** Moves the digits into the partials (each digit's value is a double, exactly). */
  private flush(): void {
    if (this.pending === 0) return;
    const digits = this.digits;
    for (let d = this.low; d <= this.high; d++) {
      const v = digits[d]!;
      if (v !== 0) {
        this.addToPartials(v * SCALE_LOW[d]! * SCALE_HIGH[d]!);
        digits[d] = 0;
      }
    }
    // Nonzero terms that cancelled add +0, as a plain sum of them gives (an empty or −0 sum becomes +0).
    if (this.n === 0 || (this.n === 1 && this.p[0] === 0)) this.addToPartials(0);
    this.low = DIGITS;
    this.high = -1;
    this.pending = 0;
  }

  /** Shewchuk's grow-expansion: adds `x` to the partials. */
  private addToPartials(x: number): void {
    const p = this.p;
    let n = 0;
    for (let j = 0; j < this.n; j++) {
      let y = p[j]!;
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[n++] = lo;
      x = hi;
    }
    if (n === p.length) {
      const grown = new Float64Array(2 * p.length);
      grown.set(p);
      this.p = grown;
    }
    this.p[n++] = x;
    this.n = n;
  }

  /** Adds another exact sum's partials (from another shard): exact, as if its terms were added here. */
  merge(partials: readonly number[]): void {
    for (const x of partials) this.add(x);
  }

  /** The exact sum rounded to the nearest double (ties to even). */
  value(): number {
    this.flush();
    const p = this.p;
    let n = this.n;
    if (n === 0) return 0;
    let hi = p[--n]!;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n]!;
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // Round half to even across the partials below: when the rest pushes lo past half an ulp.
    if (n > 0 && ((lo < 0 && p[n - 1]! < 0) || (lo > 0 && p[n - 1]! > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }
}

// The digits of ExactSum: a double's lowest bit is at 2^-1074 at the least and its highest at
// 2^1023, so its bits lie at positions 14 to 2,111 above 2^-DIGIT_BIAS, in digits 0 to 65
// (three digits from the one of its lowest bit).
const DIGIT_BIAS = 1088;
const DIGITS = 68;
/** Terms between two flushes: each adds under 2^33 to a digit, which stays under 2^53. */
const FLUSH_EVERY = 1 << 19;
/** 2^(32 d − DIGIT_BIAS) as two factors, each a double (the product alone is not, at both ends). */
const SCALE_LOW = Float64Array.from({ length: DIGITS }, (_, d) => 2 ** Math.floor((32 * d - DIGIT_BIAS) / 2));
const SCALE_HIGH = Float64Array.from({ length: DIGITS }, (_, d) => 2 ** (32 * d - DIGIT_BIAS - Math.floor((32 * d - DIGIT_BIAS) / 2)));
/** A double's two 32-bit words, in the platform's byte order. */
const BITS = new Float64Array(1);
const WORDS = new Uint32Array(BITS.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LOW = LITTLE_ENDIAN ? 0 : 1;
const HIGH = LITTLE_ENDIAN ? 1 : 0;
