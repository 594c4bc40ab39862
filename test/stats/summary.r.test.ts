// λGC, the χ²₁ quantile, quickselect, the QQ band and binning (src/stats/summary.ts).
// Oracles: R's qchisq (values quoted per test), the definition of λGC on closed-form inputs,
// and the uniform null simulated with glowts' seeded generator (tolerances state the sampling error).
import { describe, expect, it } from "vitest";
import { binCounts, chiSquared1UpperQuantile, lambdaGc, qqBand, selectKth, summaryStats, MEDIAN_CHI2_1 } from "../../dist/stats/summary.js";
import { Random } from "../../dist/sim/random.js";

// Expected values: qchisq(p, 1, lower.tail = FALSE) in R = Φ⁻¹(p/2)², computed with Python 3.11's
// statistics.NormalDist().inv_cdf (python3 -c "from statistics import NormalDist; print(NormalDist().inv_cdf(p/2)**2)").
describe("chiSquared1UpperQuantile (R: qchisq(p, 1, lower.tail = FALSE))", () => {
  it.each([
    [0.5, 0.4549364231195727],
    [0.05, 3.8414588206941245],
    [5e-8, 29.71678548976309],
    [1e-5, 19.511420964657567],
  ])("p = %s → %s (relative tolerance 1e-8)", (p, x) => {
    expect(Math.abs(chiSquared1UpperQuantile(p) - x) / x).toBeLessThan(1e-8);
  });

  it("handles the ends", () => {
    expect(chiSquared1UpperQuantile(1)).toBe(0);
    expect(chiSquared1UpperQuantile(0)).toBe(Infinity);
    expect(chiSquared1UpperQuantile(NaN)).toBeNaN();
  });
});

describe("lambdaGc", () => {
  it("is 1 when the median p-value is 0.5 (definition; tolerance 1e-9)", () => {
    expect(lambdaGc([0.5])).toBeCloseTo(1, 9);
    expect(lambdaGc([0.1, 0.5, 0.9])).toBeCloseTo(1, 9);
    // even count: mean of the two middle χ² values
    const expected = (chiSquared1UpperQuantile(0.4) + chiSquared1UpperQuantile(0.6)) / 2 / MEDIAN_CHI2_1;
    expect(lambdaGc([0.9, 0.4, 0.6, 0.01])).toBeCloseTo(expected, 12);
  });

  it("ignores NaN, null and values outside [0, 1]", () => {
    expect(lambdaGc([NaN, null, 2, -1, 0.5] as number[])).toBeCloseTo(1, 9);
    expect(lambdaGc([])).toBeNaN();
  });

  it("≈ 1 for 100,000 uniform p-values (seed 7; |λ − 1| < 0.03 ≈ 4 × its standard error 0.0074)", () => {
    const rng = new Random(7);
    const p = Float64Array.from({ length: 100_000 }, () => rng.uniform());
    expect(Math.abs(lambdaGc(p) - 1)).toBeLessThan(0.03);
  });

  it("recovers an inflation of the χ² statistics by 1.2 (seed 11; tolerance 0.04)", () => {
    // p-values of χ²₁ statistics scaled by 1.2: λ = 1.2 in expectation
    const rng = new Random(11);
    const p = Float64Array.from({ length: 100_000 }, () => {
      const z = rng.normal();
      const x = 1.2 * z * z;
      return 2 * (1 - phi(Math.sqrt(x)));
    });
    expect(Math.abs(lambdaGc(p) - 1.2)).toBeLessThan(0.04);
  });
});

// standard normal cdf (Abramowitz–Stegun 26.2.17, |error| < 7.5e-8: ample for a 0.04 tolerance)
function phi(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const d = 0.3989422804014327 * Math.exp(-x * x / 2);
  const q = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return x >= 0 ? 1 - q : q;
}

describe("selectKth", () => {
  it("agrees with sorting (seeded random arrays with ties)", () => {
    const rng = new Random(3);
    for (let trial = 0; trial < 20; trial++) {
      const n = 1 + rng.int(500);
      const a = Float64Array.from({ length: n }, () => rng.int(50));
      const sorted = Float64Array.from(a).sort();
      const k = rng.int(n);
      expect(selectKth(Float64Array.from(a), k)).toBe(sorted[k]);
    }
  });
});

describe("qqBand", () => {
  it("brackets the expected −log10 p and widens toward the smallest p-values", () => {
    const band = qqBand(10_000);
    for (const b of band) {
      expect(b.lower).toBeLessThanOrEqual(b.expected + 1e-9);
      expect(b.upper).toBeGreaterThanOrEqual(b.expected - 1e-9);
    }
    const widths = band.map((b) => b.upper - b.lower);
    expect(widths[widths.length - 1]!).toBeGreaterThan(widths[1]!);
  });

  it("matches Beta(1, n) quantiles for the smallest p (closed form: 1 − (1 − q)^(1/n))", () => {
    const n = 1000;
    const band = qqBand(n);
    const top = band[band.length - 1]!; // rank 1
    const q = (level: number): number => 1 - (1 - level) ** (1 / n);
    expect(top.upper).toBeCloseTo(-Math.log10(q(0.025)), 6);
    expect(top.lower).toBeCloseTo(-Math.log10(q(0.975)), 6);
  });
});

describe("summaryStats and binCounts", () => {
  it("summaryStats counts missing values and uses the sample sd", () => {
    const s = summaryStats([1, 2, 3, NaN, 4]);
    expect(s).toEqual({ count: 4, missing: 1, min: 1, max: 4, mean: 2.5, sd: Math.sqrt(5 / 3) });
  });

  it("binCounts puts the maximum in the last bin and counts values outside the domain", () => {
    const { bins, outside } = binCounts([0, 0.5, 1, 1, 2, NaN], 2, [0, 1]);
    expect(bins.map((b) => b.count)).toEqual([1, 3]);
    expect(outside).toBe(1);
    expect(bins[1]!.x1).toBe(1);
  });
});
