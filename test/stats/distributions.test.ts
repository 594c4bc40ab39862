/**
 * Tail probabilities against closed forms (and against stdlib's incomplete beta/gamma, an
 * independent implementation), including the log10 forms where p underflows.
 */
import { describe, expect, test } from "vitest";
import betainc from "@stdlib/math-base-special-betainc";
import gammainc from "@stdlib/math-base-special-gammainc";
import gammaln from "@stdlib/math-base-special-gammaln";
import {
  chiSquared1PValue, chiSquaredLog10PValue, chiSquaredPValue, logGammaHalfRatio,
  tTwoSidedLog10PValue, tTwoSidedPValue, Z_975,
} from "../../dist/stats/distributions.js";

const rel = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.abs(b));

describe("Student t two-sided p-value", () => {
  test("dof 1 is the Cauchy distribution: p = (2/π)·atan(1/|t|) (rel 1e-13)", () => {
    for (const t of [1e-8, 0.01, 0.3, 1, 2.5, 10, 1e3, 1e8, -4]) {
      expect(rel(tTwoSidedPValue(t, 1), (2 / Math.PI) * Math.atan(1 / Math.abs(t)))).toBeLessThan(1e-13);
    }
  });

  test("dof 2: p = 1 − |t|/√(t²+2) = 2/(√(t²+2)(√(t²+2)+|t|)) (rel 1e-13)", () => {
    for (const t of [0, 1e-6, 0.5, 1, 3, 30, 1e5, 1e12]) {
      const s = Math.sqrt(t * t + 2);
      expect(rel(tTwoSidedPValue(t, 2), 2 / (s * (s + t)))).toBeLessThan(1e-13);
    }
  });

  test("dof 4: p = 1 − (|t|/s)(1 + 2/u) = 8(2s + |t|)/(s·u·(s + |t|)²), u = t²+4, s = √u (rel 1e-13)", () => {
    for (const t of [0.1, 0.7, 1.5, 2.2, 4, 9, 40, 1e4]) {
      const u = t * t + 4;
      const s = Math.sqrt(u);
      expect(rel(tTwoSidedPValue(t, 4), (8 * (2 * s + t)) / (s * u * (s + t) * (s + t)))).toBeLessThan(1e-13);
    }
  });

  test("agrees with stdlib betainc (upper/lower tail as appropriate) over dof 3..1e6 (rel 1e-10)", () => {
    let worst = 0;
    for (const dof of [3, 10, 100, 495, 2496, 1e4, 1e5, 1e6]) {
      for (let t = 0.01; t < 60; t *= 1.21) {
        const t2 = t * t;
        const ref = t2 > dof ? betainc(dof / (dof + t2), dof / 2, 0.5, true, false) : betainc(t2 / (dof + t2), 0.5, dof / 2, true, true);
        if (ref < 1e-300) continue;
        worst = Math.max(worst, rel(tTwoSidedPValue(t, dof), ref));
      }
    }
    expect(worst).toBeLessThan(1e-10);
  });

  test("p near 1 keeps its digits (no 1 − cdf): t = 1e-9, dof 10 → p = 1 − 2·f(0)·t", () => {
    // f(0) for dof ν is Γ((ν+1)/2)/(√(νπ) Γ(ν/2)); 1 − p = 2 f(0) t + O(t³)
    const nu = 10;
    const f0 = Math.exp(gammaln((nu + 1) / 2) - gammaln(nu / 2)) / Math.sqrt(nu * Math.PI);
    const t = 1e-9;
    expect(rel(1 - tTwoSidedPValue(t, nu), 2 * f0 * t)).toBeLessThan(1e-6);
  });

  test("log10 p where p underflows: power series of I_x(ν/2, ½) for tiny x (rel 1e-12)", () => {
    // x = ν/(ν+t²) → 0: I_x(a, b) = x^a (1−x)^b / (a B(a, b)) · (1 + (a+b)/(a+1)·x + (a+b)(a+b+1)/((a+1)(a+2))·x² + …)
    for (const [t, dof] of [[1e10, 100], [1e40, 20], [1e6, 400], [1e5, 1000]] as const) {
      const a = dof / 2;
      const b = 0.5;
      const lx = -Math.log1p((t * t) / dof);
      const ly = Math.log((t * t) / dof) + lx;
      const x = Math.exp(lx);
      const series = 1 + ((a + b) / (a + 1)) * x + (((a + b) * (a + b + 1)) / ((a + 1) * (a + 2))) * x * x;
      const lnB = gammaln(a) + gammaln(b) - gammaln(a + b);
      const expected = (a * lx + b * ly - Math.log(a) - lnB + Math.log(series)) / Math.LN10;
      expect(tTwoSidedPValue(t, dof)).toBe(0);
      expect(rel(tTwoSidedLog10PValue(t, dof), expected)).toBeLessThan(1e-12);
    }
  });

  test("log10 p matches log10 of p where p is representable (rel 1e-12)", () => {
    for (const [t, dof] of [[3, 50], [40, 495], [20, 495], [1, 1]] as const) {
      expect(rel(tTwoSidedLog10PValue(t, dof), Math.log10(tTwoSidedPValue(t, dof)))).toBeLessThan(1e-12);
    }
  });

  test("NaN and degenerate inputs", () => {
    expect(tTwoSidedPValue(NaN, 5)).toBeNaN();
    expect(tTwoSidedPValue(1, 0)).toBeNaN();
    expect(tTwoSidedPValue(0, 5)).toBe(1);
    expect(tTwoSidedPValue(Infinity, 5)).toBe(0);
    expect(tTwoSidedLog10PValue(Infinity, 5)).toBe(-Infinity);
  });

  test("lnΓ(a+½) − lnΓ(a) for large a: Stirling difference vs stdlib gammaln (abs 1e-13 at a ≤ 1e4)", () => {
    for (const a of [20, 21.5, 100, 1234.5, 1e4]) {
      expect(Math.abs(logGammaHalfRatio(a) - (gammaln(a + 0.5) - gammaln(a)))).toBeLessThan(1e-13 * Math.max(1, gammaln(a)));
    }
    // and the known asymptote ½ln a − 1/(8a) + 1/(192a³) at a = 1e8 (abs 1e-15)
    const a = 1e8;
    expect(Math.abs(logGammaHalfRatio(a) - (0.5 * Math.log(a) - 1 / (8 * a)))).toBeLessThan(1e-15);
  });
});

describe("chi-squared upper tail", () => {
  test("df 1 equals the regularized upper incomplete gamma Q(½, x/2) (stdlib gammainc upper, rel 1e-13)", () => {
    for (const x of [1e-10, 0.01, 0.5, 1, 3.84, 10, 50, 200, 700]) {
      expect(rel(chiSquared1PValue(x), gammainc(x / 2, 0.5, true, true))).toBeLessThan(1e-13);
    }
  });

  test("df 1 at the 5% critical value 3.841458820694124 gives 0.05 (rel 1e-12)", () => {
    // 3.841458820694124 = Φ⁻¹(0.975)², so p = 2(1 − Φ(z)) = 0.05
    expect(rel(chiSquared1PValue(Z_975 * Z_975), 0.05)).toBeLessThan(1e-12);
  });

  test("df 2 is exponential: p = exp(−x/2), log10 p = −x/(2 ln 10) also where p underflows (rel 1e-13)", () => {
    for (const x of [0.1, 2, 30, 600, 1400, 3000, 1e5]) {
      const lp = -x / 2 / Math.LN10;
      if (x < 1400) expect(rel(chiSquaredPValue(x, 2), Math.exp(-x / 2))).toBeLessThan(1e-13);
      expect(rel(chiSquaredLog10PValue(x, 2), lp)).toBeLessThan(1e-13);
    }
  });

  test("df 1 log10 where p underflows: erfc asymptotic series (rel 1e-13)", () => {
    // p = erfc(y), y = √(x/2): erfc(y) = e^{−y²}/(y√π) · (1 − 1/(2y²) + 3/(4y⁴) − 15/(8y⁶) + 105/(16y⁸))
    for (const x of [1500, 5000, 1e5, 1e7]) {
      const y = Math.sqrt(x / 2);
      const y2 = 1 / (y * y);
      const series = 1 - y2 / 2 + (3 / 4) * y2 * y2 - (15 / 8) * y2 ** 3 + (105 / 16) * y2 ** 4;
      const lp = (-y * y - Math.log(y * Math.sqrt(Math.PI)) + Math.log(series)) / Math.LN10;
      expect(chiSquared1PValue(x)).toBe(0);
      expect(rel(chiSquaredLog10PValue(x, 1), lp)).toBeLessThan(1e-13);
    }
  });

  test("non-positive and NaN statistics", () => {
    expect(chiSquared1PValue(0)).toBe(1);
    expect(chiSquared1PValue(-2)).toBe(1);
    expect(chiSquared1PValue(NaN)).toBeNaN();
    expect(chiSquaredPValue(Infinity, 3)).toBe(0);
  });
});
