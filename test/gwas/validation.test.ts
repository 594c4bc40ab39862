/**
 * Input validation (reference §1f) and option semantics of linearRegression / logisticRegression on
 * small synthetic data: every error is a GlowtsError with a clear message; options are checked by
 * equivalences (intercept column vs addIntercept, intersectSamples vs pre-subset data, verbose
 * columns vs their definitions, float32 vs float64).
 */
import { describe, expect, test } from "vitest";
import { linearRegression, logisticRegression, prepareLinearRegression, prepareLogisticRegression } from "../../dist/gwas/index.js";
import { GlowtsError } from "../../dist/core/errors.js";

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

const N = 60;
const M = 8;
const r = rng(42);
const ids = Array.from({ length: N }, (_, i) => `s${i}`);
const geno = new Float64Array(M * N).map(() => Math.floor(r() * 3));
const contigs = Array.from({ length: M }, (_, i) => (i < 5 ? "1" : "2"));
const cov = { index: ids, columns: ["a", "b"], values: ids.map(() => [r(), r() * 2]) };
const quant = { index: ids, columns: ["q1", "q2"], values: ids.map((_, i) => [geno[i]! * 0.3 + r(), r()]) };
const binary = { index: ids, columns: ["b1"], values: ids.map(() => [r() < 0.4 ? 1 : 0]) };

function frame(values = geno, sampleIds: string[] | null = ids, rows = M, width = N) {
  return {
    sampleIds: () => sampleIds,
    async *partitions() {
      yield {
        numRows: rows,
        columns: {
          contigName: { type: "string", values: contigs.slice(0, rows) },
          start: { type: "long", values: Float64Array.from({ length: rows }, (_, i) => i * 10) },
          names: { type: "list", child: { type: "string", values: Array.from({ length: rows }, (_, i) => `v${i}`) }, offsets: Int32Array.from({ length: rows + 1 }, (_, i) => i) },
          values: { type: "list", child: { type: "double", values }, width },
        },
      } as never;
    },
  };
}

/** The error of a promise, a function, or (GWAS results are lazy) a frame's `collect()`. */
async function code(p: Promise<unknown> | (() => unknown) | { collect(): Promise<unknown> }): Promise<string> {
  try {
    await (typeof p === "function" ? p() : "collect" in p ? p.collect() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(GlowtsError);
    return `${(e as GlowtsError).code}: ${(e as Error).message}`;
  }
  throw new Error("expected a GlowtsError");
}

describe("validation errors", () => {
  test("covariates with missing values", async () => {
    const bad = { ...cov, values: cov.values.map((v, i) => (i === 7 ? [NaN, v[1]] : v)) };
    expect(await code(linearRegression(frame(), quant, { covariateDf: bad }))).toMatch(/MISSING_COVARIATE.*sample s7.*covariateDf's a column/);
  });

  test("phenotype and covariate row counts differ (without intersectSamples)", async () => {
    const short = { ...cov, index: ids.slice(0, 50), values: cov.values.slice(0, 50) };
    expect(await code(linearRegression(frame(), quant, { covariateDf: short }))).toMatch(/SAMPLE_MISMATCH.*same number of rows \(60 != 50\)/);
  });

  test("genotype sample ids that do not line up with the phenotypes", async () => {
    const other = ids.map((s, i) => (i === 3 ? "zz" : s));
    expect(await code(linearRegression(frame(geno, other), quant))).toMatch(/SAMPLE_MISMATCH.*genotype sample 'zz' is not in phenotypeDf/);
  });

  test("a singular covariate matrix", async () => {
    const collinear = { index: ids, columns: ["a", "twice"], values: cov.values.map((v) => [v[0]!, 2 * v[0]!]) };
    expect(await code(linearRegression(frame(), quant, { covariateDf: collinear }))).toMatch(/SINGULAR.*linearly dependent/);
    const constant = { index: ids, columns: ["one"], values: ids.map(() => [1]) };
    expect(await code(logisticRegression(frame(), binary, { covariateDf: constant }))).toMatch(/SINGULAR/);
  });

  test("a binary trait with one class", async () => {
    const allZero = { index: ids, columns: ["b1"], values: ids.map(() => [0]) };
    expect(await code(logisticRegression(frame(), allZero))).toMatch(/ONE_CLASS.*'b1' has only one class/);
  });

  test("bad values name the column and sample: an infinite phenotype, a constant trait, a binary trait not 0/1, an infinite covariate, more covariates than samples", async () => {
    const inf = { ...quant, values: quant.values.map((v, i) => (i === 3 ? [Infinity, v[1]] : v)) };
    expect(await code(linearRegression(frame(), inf))).toMatch(/BAD_PHENOTYPE.*sample s3.*column 'q1' has the value Infinity/);
    expect(await code(logisticRegression(frame(), { ...binary, values: binary.values.map((v, i) => (i === 5 ? [-Infinity] : v)) }))).toMatch(/BAD_PHENOTYPE.*sample s5/);
    const constant = { index: ids, columns: ["q"], values: ids.map((_, i) => [i === 4 ? NaN : 2.5]) };
    expect(await code(linearRegression(frame(), constant))).toMatch(/CONSTANT_TRAIT.*'q' \(2.5 for all 59 non-missing samples\) is constant/);
    const twelve = { ...binary, values: binary.values.map((v) => [v[0]! + 1]) };
    expect(await code(logisticRegression(frame(), twelve))).toMatch(/NOT_BINARY.*'b1' is not coded 0\/1: sample 's0' has [12]/);
    const badCov = { ...cov, values: cov.values.map((v, i) => (i === 9 ? [v[0], Infinity] : v)) };
    expect(await code(linearRegression(frame(), quant, { covariateDf: badCov }))).toMatch(/BAD_COVARIATE.*sample s9.*'b' has the value Infinity/);
    const wide = { index: ids, columns: Array.from({ length: N }, (_, j) => `c${j}`), values: ids.map(() => Array.from({ length: N }, () => r())) };
    expect(await code(linearRegression(frame(), quant, { covariateDf: wide }))).toMatch(/TOO_FEW_SAMPLES.*phenotype 'q1' has 60 non-missing samples, 60 covariates/);
  });

  test("a string covariate is one-hot encoded, REGENIE's reference level (the first level seen)", async () => {
    const levels = ["urban", "rural", "other"];
    const withCat = { index: ids, columns: ["a", "b", "area"], values: cov.values.map((v, i) => [v[0], v[1], levels[(i * 7) % 3]]) };
    const dummies = { index: ids, columns: ["a", "b", "area_rural", "area_other"], values: cov.values.map((v, i) => [v[0], v[1], levels[(i * 7) % 3] === "rural" ? 1 : 0, levels[(i * 7) % 3] === "other" ? 1 : 0]) };
    const a = await linearRegression(frame(), quant, { covariateDf: withCat }).collect();
    const b = await linearRegression(frame(), quant, { covariateDf: dummies }).collect();
    expect(a).toEqual(b);
    const one = { index: ids, columns: ["a", "site"], values: cov.values.map((v) => [v[0], "A"]) };
    const c = await linearRegression(frame(), quant, { covariateDf: one }).collect();
    const d = await linearRegression(frame(), quant, { covariateDf: { index: ids, columns: ["a"], values: cov.values.map((v) => [v[0]]) } }).collect();
    expect(c).toEqual(d); // a single level is dropped (REGENIE ignores it with a warning)
    const missing = { ...withCat, values: withCat.values.map((v, i) => (i === 11 ? [v[0], v[1], "NA"] : v)) };
    expect(await code(linearRegression(frame(), quant, { covariateDf: missing }))).toMatch(/MISSING_COVARIATE.*sample s11/);
  });

  test("not more non-missing samples than covariates", async () => {
    const sparse = { index: ids, columns: ["q"], values: ids.map((_, i) => [i < 2 ? 1 : NaN]) };
    expect(await code(linearRegression(frame(), sparse, { covariateDf: cov }))).toMatch(/TOO_FEW_SAMPLES.*more non-missing samples than covariates/);
  });

  test("offsets: different columns, and LOCO offsets lacking a variant's contig (raised when the partition runs)", async () => {
    const wrongCols = { index: ids, columns: ["q1", "other"], values: ids.map(() => [0, 0]) };
    expect(await code(linearRegression(frame(), quant, { offsetDf: wrongCols }))).toMatch(/same column names/);
    const loco = { index: ids, columns: ["contigName", "q1", "q2"], values: ids.map(() => ["1", 0.1, 0.2]) };
    const res = await linearRegression(frame(), quant, { offsetDf: loco });
    expect(await code(res.collect())).toMatch(/MISSING_CONTIG.*no contig '2'/);
    expect(await code(linearRegression(frame(), quant, { offsetDf: loco, contigs: ["3"] }))).toMatch(/MISSING_CONTIG.*no contig '3'/);
  });

  test("options: unknown names, bad choices, values column", async () => {
    expect(await code(linearRegression(frame(), quant, { pvalueThreshold: 0.1 } as never))).toMatch(/OPTION.*'pvalueThreshold' is not an option of linearRegression/);
    expect(await code(logisticRegression(frame(), binary, { correction: "firth" as never }))).toMatch(/OPTION.*correction.*'approx-firth', 'none'/);
    expect(await code(linearRegression(frame(), quant, { valuesColumn: "genotypes" }))).toMatch(/should not be called "genotypes"/);
    expect(await code(linearRegression(frame(), quant, { dt: "float16" as never }))).toMatch(/'float64', 'float32'/);
    expect(await code(linearRegression(frame(geno, null), quant, { intersectSamples: true }))).toMatch(/genotypeSampleIds.*required/);
    expect(await code((await linearRegression(frame(), quant, { valuesColumn: "nope" })).collect())).toMatch(/VALUES.*no column 'nope'/);
    const wide = await linearRegression(frame(new Float64Array(M * (N + 1)), null, M, N + 1), quant);
    expect(await code(wide.collect())).toMatch(/VALUES.*61 values but there are 60 samples/);
  });
});

describe("option semantics", () => {
  const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

  test("addIntercept: false with an explicit intercept column equals the default (≤1e-12)", async () => {
    const withOne = { index: ids, columns: ["intercept", "a", "b"], values: cov.values.map((v) => [1, ...v]) };
    const a = await (linearRegression(frame(), quant, { covariateDf: cov })).collect();
    const b = await (linearRegression(frame(), quant, { covariateDf: withOne, addIntercept: false })).collect();
    a.forEach((row, i) => {
      for (const c of ["effect", "stderror", "pvalue"]) expect(rel(b[i]![c] as number, row[c] as number)).toBeLessThan(1e-12);
    });
    // Score test only: with approx-Firth, addIntercept also sets the null Firth fit's start value
    // (Glow's includes_intercept), which moves the converged fits by ~1e-9.
    const la = await (logisticRegression(frame(), binary, { covariateDf: cov, correction: "none" })).collect();
    const lb = await (logisticRegression(frame(), binary, { covariateDf: withOne, addIntercept: false, correction: "none" })).collect();
    la.forEach((row, i) => expect(rel(lb[i]!["pvalue"] as number, row["pvalue"] as number)).toBeLessThan(1e-12));
  });

  test("intersectSamples drops genotype samples absent from the phenotypes: same as analysing the subset (≤1e-12)", async () => {
    const keep = ids.filter((_, i) => i % 3 !== 0);
    const sub = (t: { index: string[]; columns: string[]; values: number[][] }) => ({ ...t, index: keep, values: keep.map((id) => t.values[ids.indexOf(id)]!) });
    const subGeno = new Float64Array(M * keep.length);
    for (let v = 0; v < M; v++) keep.forEach((id, s) => { subGeno[v * keep.length + s] = geno[v * N + ids.indexOf(id)]!; });
    const a = await (linearRegression(frame(subGeno, keep, M, keep.length), sub(quant), { covariateDf: sub(cov) })).collect();
    const b = await (linearRegression(frame(), sub(quant), { covariateDf: cov, intersectSamples: true })).collect();
    expect(b).toHaveLength(a.length);
    a.forEach((row, i) => expect(rel(b[i]!["tvalue"] as number, row["tvalue"] as number)).toBeLessThan(1e-12));
  });

  test("phenotype tables are aligned by sample id, not position (shuffled rows give the same result, ≤1e-12)", async () => {
    const order = ids.map((_, i) => (i * 7) % N);
    const shuffled = { ...quant, index: order.map((i) => ids[i]!), values: order.map((i) => quant.values[i]!) };
    const a = await (linearRegression(frame(), quant, { covariateDf: cov })).collect();
    const b = await (linearRegression(frame(), shuffled, { covariateDf: cov })).collect();
    a.forEach((row, i) => expect(rel(b[i]!["effect"] as number, row["effect"] as number)).toBeLessThan(1e-12));
  });

  test("verboseOutput: n, sum_x, y_transpose_x are the count of non-missing phenotypes, Σx and Σy·x over them", async () => {
    const withNa = { ...quant, values: quant.values.map((v, i) => (i % 10 === 0 ? [NaN, v[1]!] : v)) };
    const rows = await (linearRegression(frame(), withNa, { covariateDf: cov, verboseOutput: true })).collect();
    expect(Object.keys(rows[0]!).slice(-4)).toEqual(["n", "sum_x", "y_transpose_x", "negLog10pValue"]);
    for (const row of rows) {
      const v = Number((row["names"] as string[])[0]!.slice(1));
      const j = withNa.columns.indexOf(row["phenotype"] as string);
      let n = 0, sx = 0, sxy = 0;
      for (let s = 0; s < N; s++) {
        const y = withNa.values[s]![j]!;
        if (Number.isNaN(y)) continue;
        n++; sx += geno[v * N + s]!; sxy += y * geno[v * N + s]!;
      }
      expect(row["n"]).toBe(n);
      expect(Math.abs((row["sum_x"] as number) - sx)).toBeLessThan(1e-9);
      expect(Math.abs((row["y_transpose_x"] as number) - sxy)).toBeLessThan(1e-9);
    }
  });

  test("dt float32: outputs are float32 numbers within 1e-5 of float64", async () => {
    const a = await (linearRegression(frame(), quant, { covariateDf: cov })).collect();
    const b = await (linearRegression(frame(), quant, { covariateDf: cov, dt: "float32" })).collect();
    a.forEach((row, i) => {
      const x = b[i]!["effect"] as number;
      expect(Math.fround(x)).toBe(x);
      expect(Math.abs(x - (row["effect"] as number))).toBeLessThan(1e-5 * Math.max(1, Math.abs(row["effect"] as number)) + 1e-6);
    });
  });

  test("states are plain structured-clonable data (they are posted to the workers)", () => {
    const lin = prepareLinearRegression(quant, { covariateDf: cov }, ids);
    const log = prepareLogisticRegression(binary, { covariateDf: cov }, ids);
    expect(structuredClone(lin)).toEqual(lin);
    expect(structuredClone(log)).toEqual(log);
  });

  test("correction 'none': Glow's chisq, pvalue, phenotype (+ negLog10pValue), and by default REGENIE's score-test effect = U/V, stderror = 1/√V", async () => {
    const rows = await (logisticRegression(frame(), binary, { correction: "none", scoreEffects: false })).collect();
    expect(Object.keys(rows[0]!)).toEqual(["contigName", "start", "names", "chisq", "pvalue", "phenotype", "negLog10pValue"]);
    const withEffects = await (logisticRegression(frame(), binary, { correction: "none" })).collect();
    expect(Object.keys(withEffects[0]!)).toEqual(["contigName", "start", "names", "effect", "stderror", "chisq", "pvalue", "phenotype", "negLog10pValue"]);
    // (effect/stderror)² is the score statistic χ² = U²/V
    for (const r of withEffects) {
      const z = (r["effect"] as number) / (r["stderror"] as number);
      expect(Math.abs(z * z - (r["chisq"] as number))).toBeLessThanOrEqual(1e-9 * Math.max(1, r["chisq"] as number));
    }
  });
});
