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

  /** The partials as plain data (they may be posted between threads and merged elsewhere). */
  get partials(): number[] {
    return Array.from(this.p.subarray(0, this.n));
  }

  /** Adds `x` (finite) to the sum. */
  add(x: number): void {
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
