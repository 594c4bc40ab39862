/** The χ²₁ upper quantile, from the normal quantile: χ² = z², z = Φ⁻¹(p/2). */
import { normalQuantile } from "./random.js";

/** x such that P(χ²₁ > x) = p. */
export function chiSquaredQuantileUpper1(p: number): number {
  if (p <= 0) return Infinity;
  if (p >= 1) return 0;
  const z = normalQuantile(p / 2);
  return z * z;
}
