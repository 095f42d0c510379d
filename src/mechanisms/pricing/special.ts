/**
 * Special functions the traffic model needs in closed form: the standard normal CDF (for the
 * lognormal flow-duration and flow-rate laws) and ln Γ (for the Poisson sampler's acceptance
 * test). Written here so the numbers do not depend on a statistics package's table lookups.
 */

/**
 * Complementary error function erfc(x) = 1 − erf(x).
 *
 * Chebyshev-fitted exponential form (Numerical Recipes' `erfcc`, 2nd ed., §6.2): fractional
 * error below 1.2e-7 for every real x, which is ample for shares and means quoted to 1e-4.
 * Returns 0 at +∞ and 2 at −∞.
 *
 * @example erfc(0) // 1
 */
export function erfc(x: number): number {
  if (x === Infinity) return 0;
  if (x === -Infinity) return 2;
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t * (1.00002368 +
    t * (0.37409196 +
    t * (0.09678418 +
    t * (-0.18628806 +
    t * (0.27886807 +
    t * (-1.13520398 +
    t * (1.48851587 +
    t * (-0.82215223 +
    t * 0.17087277))))))));
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}

/**
 * Standard normal cumulative distribution Φ(x) = P(Z ≤ x), Z ~ N(0, 1), computed as
 * erfc(−x/√2)/2 so both tails keep their relative precision (use Φ(−x) for 1 − Φ(x)).
 *
 * @example normalCdf(0) // 0.5
 */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

// Coefficients B_{2j} / (2j (2j − 1)) of Stirling's series for ln Γ, j = 1..8.
const STIRLING = [
  1 / 12,
  -1 / 360,
  1 / 1260,
  -1 / 1680,
  1 / 1188,
  -691 / 360360,
  1 / 156,
  -3617 / 122400,
];
const HALF_LN_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Natural log of the gamma function, ln Γ(x), for x > 0; ln Γ(n + 1) = ln n!.
 *
 * Stirling's asymptotic series with eight correction terms, evaluated at x shifted up to at
 * least 8 and brought back with ln Γ(x) = ln Γ(x + n) − ln(x (x + 1) … (x + n − 1)); absolute
 * error about 1e-15 near the shift point and smaller beyond it.
 *
 * @example lnGamma(5) // ln 24 ≈ 3.1780538303479458
 */
export function lnGamma(x: number): number {
  if (!(x > 0)) return NaN;
  if (x === 1 || x === 2) return 0;
  let shift = 0;
  let product = 1;
  let y = x;
  while (y < 8) {
    product *= y;
    y += 1;
    shift += 1;
  }
  const inv2 = 1 / (y * y);
  let series = 0;
  for (let j = STIRLING.length - 1; j >= 0; j--) series = series * inv2 + STIRLING[j]!;
  const value = (y - 0.5) * Math.log(y) - y + HALF_LN_TWO_PI + series / y;
  return shift === 0 ? value : value - Math.log(product);
}
