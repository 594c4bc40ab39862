/**
 * Glow's SQL `logistic_regression_gwas` (LRT and Firth) and the approx-Firth fitter against R.
 *
 * Inputs: `glow/r/binarywithoffset.txt` (UCLA admissions, 50 rows, made-up offset) and
 * `glow/r/sex2withoffset.txt` (logistf's `sex2` data plus an offset). Phenotype = first column,
 * genotype = next-to-last column, offset = last column, covariates = intercept + the others.
 *
 * Expected values: R outputs, which the input files do not hold and the reference doc does not
 * list; they are the golden numbers of Glow's `LogisticRegressionSuite` ("Our test against R") and
 * `test_approx_firth.py`, produced by (R, as recorded there):
 *   fullFit <- glm(admit ~ gre + gpa + rank, family = binomial, head(df, 50) [, offset = offset])
 *   nullFit <- glm(admit ~ gre + gpa, family = binomial, ... [, offset = offset])
 *   exp(coef(fullFit)); exp(confint.default(fullFit)); anova(nullFit, fullFit, test = "LRT")
 *   logistf(case ~ age + oc + vic + vicl + vis + dia [+ offset(offset)], data = sex2, pl = TRUE)
 *   (Wald intervals with pl = FALSE)
 * R prints 4–9 significant digits, so each value is compared within max(1e-6 relative, half a unit
 * of its last printed digit), with two stated exceptions:
 * - the 6-sample glm fits: R's IRLS stops at |Δdeviance| < 1e-8, which leaves ~1e-6 relative in
 *   its printed Wald bounds (the exact MLE differs from R's by 1.05e-6 on the first one): 2e-6;
 *   with two covariates the likelihood is so flat (se(β) ≈ 2.9) that R's early stop moves both
 *   bounds by 1.7e-4 (Newton iterated to convergence gives [0.0076217919, 75500.118], as we do):
 *   2e-4 on those two bounds;
 * - the admissions fit with offset: the golden Wald bounds are centred (geometric mean 0.553531) on
 *   a β 4.2e-5 away from the golden's own odds ratio 0.5535084 (exp of its β), so both bounds are
 *   compared at 1e-4 (the odds ratio, β and p at the default tolerance);
 * - logistf (Firth): logistf stops at its default xconv = 1e-4 / gconv = 1e-5 and Glow's Hail-style
 *   Firth at max|Δβ| < 1e-6 (without applying that last step), so both sit ~1e-6–1e-5 from the exact
 *   penalized optimum (logistf's β for the 6-sample v1 design is 8e-6 from it): 2e-5.
 * The reported "worst" deviation covers the values printed with at least 7 significant digits.
 */
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { DATA, HAVE_DATA, readText } from "./helpers.js";
import { logisticRegressionGwas, makeLogisticRegressionGwas, fitFirth } from "../../dist/gwas/index.js";

interface Case { y: number[]; covariates: number[][]; genotypes: number[]; offset: number[] }

/** Glow's `readTestData`: phenotype first, genotype next-to-last, offset last, intercept added. */
function readCase(file: string): Case {
  const rows = readText(file).trim().split("\n").slice(1).map((l) => l.trim().split(/\s+/).map(Number));
  return {
    y: rows.map((r) => r[0]!),
    covariates: rows.map((r) => [1, ...r.slice(1, r.length - 2)]),
    genotypes: rows.map((r) => r[r.length - 2]!),
    offset: rows.map((r) => r[r.length - 1]!),
  };
}

/** A printed R number and its tolerance. */
function printed(s: string): { value: number; tol: number } {
  const value = Number(s);
  const m = /^-?\d*\.?(\d*)(?:e([+-]?\d+))?$/i.exec(s)!;
  const decimals = m[1]!.length;
  const exp = m[2] ? Number(m[2]) : 0;
  const halfUnit = 0.5 * 10 ** (exp - decimals);
  return { value, tol: Math.max(1e-6 * Math.abs(value), halfUnit * 1.0000001) };
}

/** Checks one value; returns its relative deviation when printed precisely enough to matter, else 0. */
function expectR(actual: number, expected: string, what: string, minRelTol = 0): number {
  const p = printed(expected);
  const value = p.value;
  const tol = Math.max(p.tol, minRelTol * Math.abs(value));
  const err = Math.abs(actual - value);
  expect(err, `${what}: ${actual} vs R ${expected}`).toBeLessThanOrEqual(tol);
  return p.tol <= 1.0000001e-6 * Math.abs(value) ? err / Math.abs(value) : 0;
}

/** [beta, oddsRatio, ciLow, ciHigh, pValue] as printed by R. */
type Golden = [string, string, string, string, string];

function check(r: ReturnType<typeof logisticRegressionGwas>, g: Golden, what: string, ciRelTol = 0): number {
  return Math.max(
    expectR(r.beta, g[0], `${what} beta`),
    expectR(r.oddsRatio, g[1], `${what} oddsRatio`),
    expectR(r.waldConfidenceInterval[0], g[2], `${what} CI low`, ciRelTol),
    expectR(r.waldConfidenceInterval[1], g[3], `${what} CI high`, ciRelTol),
    expectR(r.pValue, g[4], `${what} pValue`),
  );
}

const FIRTH_TOL = 2e-5;

/** Firth results against logistf's printed β, Wald bounds on the log scale, and p. */
function checkFirth(r: ReturnType<typeof logisticRegressionGwas>, beta: string, ciLow: string, ciHigh: string, p: string, what: string): number {
  return Math.max(
    expectR(r.beta, beta, `${what} beta`, FIRTH_TOL),
    expectR(Math.log(r.oddsRatio), beta, `${what} log oddsRatio`, FIRTH_TOL),
    expectR(Math.log(r.waldConfidenceInterval[0]), ciLow, `${what} log CI low`, FIRTH_TOL),
    expectR(Math.log(r.waldConfidenceInterval[1]), ciHigh, `${what} log CI high`, FIRTH_TOL),
    expectR(r.pValue, p, `${what} pValue`, FIRTH_TOL),
  );
}

describe.skipIf(!HAVE_DATA)("logisticRegressionGwas vs R glm/logistf (../shared/data/glow/r)", () => {
  const R = path.join(DATA, "glow/r");
  const admit = HAVE_DATA ? readCase(path.join(R, "binarywithoffset.txt")) : null!;
  const sex2 = HAVE_DATA ? readCase(path.join(R, "sex2withoffset.txt")) : null!;
  let worst = 0;

  test("LRT, admissions data: no offset, zero offset, offset (R glm + anova LRT + confint.default)", () => {
    const noOffset: Golden = ["-0.611263", "0.54266503", "2.901759e-01", "1.014851", "0.04693173"];
    const withOffset: Golden = ["-0.591478", "0.5535084", "0.2957338280", "1.035971", "0.05590138"];
    worst = Math.max(worst, check(logisticRegressionGwas(admit.genotypes, admit.y, admit.covariates, "LRT"), noOffset, "no offset"));
    worst = Math.max(worst, check(logisticRegressionGwas(admit.genotypes, admit.y, admit.covariates, "lrt", admit.y.map(() => 0)), noOffset, "zero offset"));
    check(logisticRegressionGwas(admit.genotypes, admit.y, admit.covariates, "LRT", admit.offset), withOffset, "offset", 1e-4);
  });

  test("Firth, sex2 data: no offset, zero offset, offset (R logistf, profile-likelihood p)", () => {
    const f = (o?: number[]) => logisticRegressionGwas(sex2.genotypes, sex2.y, sex2.covariates, "Firth", o);
    worst = Math.max(worst, checkFirth(f(), "3.09601263", "-0.1869446", "6.37896984", "4.951873e-03", "no offset"));
    worst = Math.max(worst, checkFirth(f(sex2.y.map(() => 0)), "3.09601263", "-0.1869446", "6.37896984", "4.951873e-03", "zero offset"));
    worst = Math.max(worst, checkFirth(f(sex2.offset), "2.7397118", "-0.6063838", "6.0858075", "0.01916332", "offset"));
  });

  test("small designs (intercept only, intercept + offset, two covariates): LRT and Firth", () => {
    const g = [0, 1, 2, 0, 0, 1];
    const ones = g.map(() => [1]);
    const v1 = [0, 0, 1, 1, 1, 1];
    const v2 = [0, 0, 1, 0, 1, 1];
    const v3 = [1, 0, 1, 0, 1, 1];
    const off = [0, 0, 1, 0, 1, 0];
    check(logisticRegressionGwas(g, v1, ones, "lrt"), ["0.4768", "1.610951", "0.1403952", "18.48469", "0.6935"], "intercept v1", 2e-6);
    check(logisticRegressionGwas(g, v2, ones, "lrt"), ["1.4094", "4.0936366", "0.26608762", "62.978730", "0.2549"], "intercept v2", 2e-6);
    check(logisticRegressionGwas(g, v3, ones, "lrt", off), ["0.341551", "1.40712879", "0.097423", "20.323856", "0.797255"], "intercept + offset", 2e-6);
    checkFirth(logisticRegressionGwas(g, v1, ones, "firth"), "0.2434646", "-2.020431", "2.507360", "0.796830", "firth intercept v1");
    checkFirth(logisticRegressionGwas(g, v2, ones, "firth"), "0.8731197", "-1.495994", "3.242234", "0.3609153", "firth intercept v2");
    checkFirth(logisticRegressionGwas(g, v3, ones, "firth", off), "0.0206165", "-2.377305", "2.418538", "0.9843376", "firth intercept + offset");
    const cov = [[1, 0, -1], [1, 2, 3], [1, 1, 5], [1, -2, 0], [1, -2, -4], [1, 4, 3]];
    check(logisticRegressionGwas(g, v1, cov, "lrt"), ["3.1776", "23.9884595", "0.007623126", "75486.900886", "0.35"], "two covariates", 2e-4);
  });

  test("approx-Firth fitter (_fit_firth) reproduces logistf's full-model coefficients on sex2 (rtol 1e-5, atol 1e-8 as np.allclose)", () => {
    // logistf(case ~ age+oc+vic+vicl+vis+dia [+offset(offset)] [-1], data = sex2); intercept last
    const goldens: { offset: boolean; intercept: boolean; beta: number[] }[] = [
      { offset: true, intercept: true, beta: [-1.1715911, 0.1568537, 2.4752617, -2.2125007, -0.8604622, 2.739714, -0.5679234] },
      { offset: false, intercept: true, beta: [-1.1059813, -0.06881673, 2.26887464, -2.11140816, -0.78831694, 3.09601263, 0.12025404] },
      { offset: true, intercept: false, beta: [-1.2513849, -0.3141151, 2.2066573, -2.2988439, -0.9922712, 2.7046574] },
    ];
    const rows = readText(path.join(R, "sex2withoffset.txt")).trim().split("\n").slice(1).map((l) => l.trim().split(/\s+/).map(Number));
    const n = rows.length;
    for (const gld of goldens) {
      const k = gld.beta.length;
      const x = new Float64Array(n * k);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < 6; j++) x[j * n + i] = rows[i]![1 + j]!;
        if (gld.intercept) x[6 * n + i] = 1;
      }
      const y = Float64Array.from(rows.map((r) => r[0]!));
      const off = Float64Array.from(rows.map((r) => (gld.offset ? r[7]! : 0)));
      const fit = fitFirth(new Float64Array(k), x, n, k, y, off);
      expect(fit).not.toBeNull();
      gld.beta.forEach((b, j) => expect(Math.abs(fit!.beta[j]! - b)).toBeLessThanOrEqual(1e-8 + 1e-5 * Math.abs(b)));
    }
  });

  test("prepared form reuses the null fit; complete separation and collinear covariates give NaN rows", () => {
    const lrt = makeLogisticRegressionGwas(admit.y, admit.covariates, "lrt");
    expect(lrt(admit.genotypes).pValue).toBe(logisticRegressionGwas(admit.genotypes, admit.y, admit.covariates, "lrt").pValue);
    const g = [0, 1, 2, 0, 0, 1];
    const y = [0, 0, 1, 1, 1, 1];
    const separated = logisticRegressionGwas(g, y, [[0], [0], [1], [1], [1], [1]], "lrt");
    expect(separated.beta).toBeNaN();
    expect(separated.pValue).toBeNaN();
    const collinear = logisticRegressionGwas(g, y, [[0, 0], [1, 2], [1, 2], [1, 2], [1, 2], [1, 2]], "lrt");
    expect(collinear.waldConfidenceInterval.every(Number.isNaN)).toBe(true);
    expect(() => logisticRegressionGwas(g, y, [[1], [1], [1], [1], [1], [1]], "faketest")).toThrow(/Supported tests are currently/);
    expect(() => logisticRegressionGwas(g.slice(1), y, [[1], [1], [1], [1], [1], [1]], "lrt")).toThrow(/differs between genotype and phenotype/);
    expect(() => logisticRegressionGwas(g, y, [[1], [1], [1]], "firth")).toThrow(/do not match between phenotype vector and covariate matrix/);
  });

  afterAll(() => {
    console.log(`logisticRegressionGwas vs R: worst relative deviation ${worst.toExponential(2)} on the admissions (LRT) and sex2 (Firth) data, values printed with ≥ 7 digits, offset-fit CI excluded`);
  });
});
