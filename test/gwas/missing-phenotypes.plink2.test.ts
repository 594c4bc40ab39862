/**
 * Exact missing phenotypes (`missingPhenotypes: 'exact'`, the default) against `plink2 --glm`,
 * which analyses each trait on its own observed samples (covariates fitted on them, dof =
 * n_trait − k − 1).
 *
 * - REGENIE's example (500 samples, 1,000 variants, covariates V1–V3): Y1 with the 50 missing
 *   values of `phenotype_bin_wNA.txt`'s Y1, Y2 with Glow's 6 missing samples (two missingness
 *   patterns). Linear: BETA, SE, P within 2e-4 relative (plink2 prints 6 significant digits).
 * - A simulated cohort (glow.simulate.cohort, 2,000 samples × 1,000 variants, 2 quantitative and
 *   1 binary trait, 10 % missing phenotypes, written to a temp dir): linear as above; logistic
 *   (score test, `correction: 'none'`) against plink2's logistic Wald test (`no-firth`; plink2 has
 *   no score test): the two tests differ by the score/Wald difference, so the tolerances are
 *   statistical — |Δ −log10 p| < 0.15 below −log10 p = 4, the score test's one-step BETA = U/V
 *   within 0.1·max(|BETA|, SE) of plink2's MLE where |z| < 3, and z correlation > 0.999. The
 *   per-variant `logisticRegressionGwas` leaves NaN samples out: 'lrt' BETA/SE = plink2's logistic
 *   MLE within 2e-4 relative, 'firth' BETA = plink2 --glm firth within 2e-4·max(|BETA|, SE).
 * - Known truth: λGC of null variants (> 10 variants from any causal variant) with 10 %
 *   missing phenotypes on a simulated cohort of 4,000 samples × 20,000 variants (2 populations,
 *   Fst 0.05, PCs as covariates, 3 quantitative traits) within [0.98, 1.05]; Glow's shortcut on the
 *   same files is printed for comparison.
 *
 * Skipped when plink2 (or, for the REGENIE example, ../shared/data) is absent.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import * as glow from "../../dist/index.js";
import { DATA, HAVE_DATA, parseFidIidTable, readBed, readText, toFrame } from "./helpers.js";

type Row = Record<string, unknown>;

function havePlink2(): boolean {
  try { execFileSync("plink2", ["--version"], { stdio: "ignore" }); return true; } catch { return false; }
}
const PLINK2 = havePlink2();
if (!PLINK2) console.warn("missing-phenotypes.plink2 tests skipped: plink2 is not on PATH");

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), "glowts-missing-"));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  await glow.shutdown();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface PlinkRow { id: string; alt: string; beta: number; se: number; z: number; p: number; obs: number }

/** A plink2 `.glm.linear` / `.glm.logistic` file by variant id (ADD rows). */
function readGlm(file: string): Map<string, PlinkRow> {
  const lines = readFileSync(file, "utf8").split("\n").filter((l) => l.length > 0);
  const h = lines[0]!.replace(/^#/, "").split("\t");
  const at = (name: string): number => h.indexOf(name);
  const out = new Map<string, PlinkRow>();
  for (const l of lines.slice(1)) {
    const f = l.split("\t");
    if (f[at("TEST")] !== "ADD") continue;
    const num = (c: string): number => (at(c) >= 0 && f[at(c)] !== "NA" ? Number(f[at(c)]) : NaN);
    out.set(f[at("ID")]!, { id: f[at("ID")]!, alt: f[at("A1")]!, beta: num("BETA"), se: num(at("SE") >= 0 ? "SE" : "LOG(OR)_SE"), z: num(at("T_STAT") >= 0 ? "T_STAT" : "Z_STAT"), p: num("P"), obs: num("OBS_CT") });
  }
  return out;
}

function plink2(args: string[]): void {
  execFileSync("plink2", ["--threads", "1", "--memory", "1024", ...args], { stdio: "ignore" });
}

/** Score test vs Wald test (plink2 has no score test): statistical, not numerical, tolerances. */
const TOL_LOG10P = 0.15;
const TOL_BETA = 0.1;

function correlation(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { sab += (a[i]! - ma) * (b[i]! - mb); saa += (a[i]! - ma) ** 2; sbb += (b[i]! - mb) ** 2; }
  return sab / Math.sqrt(saa * sbb);
}

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

/** Max relative errors of BETA, SE, P of one trait's rows against plink2's. */
function compareLinear(rows: Row[], trait: string, ref: Map<string, PlinkRow>, idOf: (r: Row) => string): { beta: number; se: number; p: number; n: number } {
  const worst = { beta: 0, se: 0, p: 0, n: 0 };
  for (const r of rows) {
    if (r["phenotype"] !== trait) continue;
    const g = ref.get(idOf(r));
    expect(g, `plink2 row for ${idOf(r)}`).toBeDefined();
    expect((r["alternateAlleles"] as string[])[0]).toBe(g!.alt);
    worst.beta = Math.max(worst.beta, rel(r["effect"] as number, g!.beta));
    worst.se = Math.max(worst.se, rel(r["stderror"] as number, g!.se));
    worst.p = Math.max(worst.p, rel(r["pvalue"] as number, g!.p));
    worst.n++;
  }
  return worst;
}

const fmt = (w: { beta: number; se: number; p: number; n: number }): string =>
  `${w.n} variants, max relative error BETA ${w.beta.toExponential(2)}, SE ${w.se.toExponential(2)}, P ${w.p.toExponential(2)}`;

describe.skipIf(!PLINK2 || !HAVE_DATA)("linear GWAS with missing phenotypes = plink2 --glm on REGENIE's example", () => {
  test("two missingness patterns (50 and 6 missing): BETA, SE, P within 2e-4 relative; Glow's shortcut differs", async () => {
    const R = path.join(DATA, "regenie");
    const dir = tempDir();
    const missingY1 = new Set(readText(path.join(R, "phenotype_bin_wNA.txt")).split("\n").slice(1).filter((l) => l.trim()).map((l) => l.trim().split(/\s+/)).filter((f) => f[2] === "NA").map((f) => `${f[0]}_${f[1]}`));
    const glowMissingY2 = new Set(["35_35", "136_136", "77_77", "100_100", "204_204", "474_474"]);
    const lines = readText(path.join(R, "phenotype.txt")).split("\n").filter((l) => l.trim());
    const out = [lines[0]!.trim()];
    for (const l of lines.slice(1)) {
      const [fid, iid, y1, y2] = l.trim().split(/\s+/);
      const id = `${fid}_${iid}`;
      out.push([fid, iid, missingY1.has(id) ? "NA" : y1, glowMissingY2.has(id) ? "NA" : y2].join(" "));
    }
    const phenoFile = path.join(dir, "pheno.txt");
    writeFileSync(phenoFile, out.join("\n") + "\n");
    expect(missingY1.size).toBe(50);

    plink2(["--bfile", path.join(R, "example"), "--pheno", phenoFile, "--pheno-name", "Y1,Y2", "--covar", path.join(R, "covariates.txt"), "--glm", "hide-covar", "omit-ref", "--out", path.join(dir, "lin")]);
    const phenotypes = parseFidIidTable(readText(phenoFile));
    const covariates = parseFidIidTable(readText(path.join(R, "covariates.txt")));
    const v = readBed(path.join(R, "example"));
    const rows = await linearRows(toFrame(v, 300), phenotypes, { covariateDf: covariates });
    expect(rows).toHaveLength(2000);
    for (const trait of ["Y1", "Y2"]) {
      const ref = readGlm(path.join(dir, `lin.${trait}.glm.linear`));
      expect([...ref.values()][0]!.obs).toBe(trait === "Y1" ? 450 : 494);
      const w = compareLinear(rows, trait, ref, (r) => (r["names"] as string[])[0]!);
      console.log(`REGENIE example ${trait} vs plink2 --glm (exact missing): ${fmt(w)}`);
      expect(w.n).toBe(1000);
      expect(Math.max(w.beta, w.se, w.p)).toBeLessThan(2e-4);
    }
    // BGEN expected dosages (glow.functions.expectedDosage, REGENIE's default for BGEN) against
    // plink2 --bgen ref-first, which also tests dosages (stored at 1/16384 precision: 1e-3 relative).
    plink2(["--bgen", path.join(R, "example.bgen"), "ref-first", "--sample", path.join(R, "example_3chr.sample"), "--pheno", phenoFile, "--pheno-name", "Y1,Y2", "--covar", path.join(R, "covariates.txt"), "--glm", "hide-covar", "omit-ref", "--out", path.join(dir, "bgen")]);
    const { meanSubstitute, expectedDosage } = glow.functions;
    const pheno2 = await glow.readSampleTable(phenoFile);
    const cov2 = await glow.readSampleTable(path.join(R, "covariates.txt"));
    const dosageRows = await glow.gwas.linearRegression(glow.read("bgen", path.join(R, "example.bgen")), pheno2, { covariateDf: cov2, valuesColumn: meanSubstitute(expectedDosage("genotypes")) }).collect();
    for (const trait of ["Y1", "Y2"]) {
      const w = compareLinear(dosageRows, trait, readGlm(path.join(dir, `bgen.${trait}.glm.linear`)), (r) => (r["names"] as string[]).at(-1)!);
      console.log(`REGENIE example.bgen dosages ${trait} vs plink2 --bgen --glm (exact missing): ${fmt(w)}`);
      expect(w.n).toBe(1000);
      expect(Math.max(w.beta, w.se, w.p)).toBeLessThan(1e-3);
    }

    const shortcut = await linearRows(toFrame(v, 300), phenotypes, { covariateDf: covariates, missingPhenotypes: "glow" });
    const w = compareLinear(shortcut, "Y1", readGlm(path.join(dir, "lin.Y1.glm.linear")), (r) => (r["names"] as string[])[0]!);
    console.log(`REGENIE example Y1 vs plink2 with missingPhenotypes 'glow' (Glow's shortcut): ${fmt(w)}`);
    expect(w.beta).toBeGreaterThan(1e-2);
  });
});

describe.skipIf(!PLINK2 || !HAVE_DATA)("a categorical covariate (REGENIE's covariates_wBin.txt V5) = plink2 --glm's categorical covariate", () => {
  test("BETA, SE, P within 2e-4 relative (the genotype's test does not depend on the reference level)", async () => {
    const R = path.join(DATA, "regenie");
    const dir = tempDir();
    plink2(["--bfile", path.join(R, "example"), "--pheno", path.join(R, "phenotype.txt"), "--pheno-name", "Y1,Y2", "--covar", path.join(R, "covariates_wBin.txt"), "--glm", "hide-covar", "omit-ref", "--out", path.join(dir, "cat")]);
    const lines = readText(path.join(R, "covariates_wBin.txt")).split("\n").filter((l) => l.trim()).map((l) => l.trim().split(/\s+/));
    const covariates = { index: lines.slice(1).map((f) => `${f[0]}_${f[1]}`), columns: lines[0]!.slice(2), values: lines.slice(1).map((f) => f.slice(2).map((x) => (/^[-0-9.eE+]+$/.test(x) ? Number(x) : x))) };
    expect(covariates.values.some((v) => typeof v[4] === "string")).toBe(true);
    const phenotypes = parseFidIidTable(readText(path.join(R, "phenotype.txt")));
    const rows = await linearRows(toFrame(readBed(path.join(R, "example")), 500), phenotypes, { covariateDf: covariates });
    for (const trait of ["Y1", "Y2"]) {
      const w = compareLinear(rows, trait, readGlm(path.join(dir, `cat.${trait}.glm.linear`)), (r) => (r["names"] as string[])[0]!);
      console.log(`REGENIE example ${trait}, covariates V1–V4 + categorical V5, vs plink2 --glm: ${fmt(w)}`);
      expect(w.n).toBe(1000);
      expect(Math.max(w.beta, w.se, w.p)).toBeLessThan(2e-4);
    }
  });
});

async function linearRows(frame: unknown, phenotypes: unknown, options: Record<string, unknown>): Promise<Row[]> {
  return glow.gwas.linearRegression(frame as never, phenotypes, options).collect();
}

describe.skipIf(!PLINK2)("GWAS with 10 % missing phenotypes = plink2 --glm on a simulated cohort (2,000 × 1,000)", () => {
  test("linear (2 traits, 2 patterns) within 2e-4; logistic score test vs plink2's logistic Wald test", async () => {
    const dir = tempDir();
    const c = await glow.simulate.cohort({ samples: 2000, variants: 1000, chromosomes: 2, quantitativeTraits: 2, binaryTraits: 1, causal: 10, missingness: 0.1, out: dir, formats: ["plink"], seed: 7 });
    const f = c.files;
    const table = (names: string[], values: Record<string, Float64Array>) => ({ index: c.sampleIds, columns: names, data: Object.fromEntries(names.map((n) => [n, values[n]!])) });
    const quant = c.traits.filter((t) => !c.options.binaryTraits || t.startsWith("Q"));
    const bin = c.traits.filter((t) => t.startsWith("B"));
    expect(quant).toHaveLength(2);
    expect(bin).toHaveLength(1);
    const cov = table(c.covariateNames, c.covariates);
    plink2(["--bfile", f.plinkPrefix!, "--pheno", f.phenotypes!, "--1", "--covar", f.covariates!, "--covar-variance-standardize", "--glm", "hide-covar", "omit-ref", "no-firth", "cols=+beta", "--out", path.join(dir, "p2")]);
    const frame = glow.read("plink", f.bed!).withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")));
    const rows = await glow.gwas.linearRegression(frame, table(quant, c.phenotypes), { covariateDf: cov }).collect();
    for (const trait of quant) {
      const missing = Array.from(c.phenotypes[trait]!).filter((x) => Number.isNaN(x)).length;
      expect(missing / 2000).toBeGreaterThan(0.07);
      const w = compareLinear(rows, trait, readGlm(path.join(dir, `p2.${trait}.glm.linear`)), (r) => (r["names"] as string[])[0]!);
      console.log(`simulated ${trait} (${missing} missing) vs plink2 --glm: ${fmt(w)}`);
      expect(w.n).toBe(1000);
      expect(Math.max(w.beta, w.se, w.p)).toBeLessThan(2e-4);
    }

    const log = await glow.gwas.logisticRegression(frame, table(bin, c.phenotypes), { covariateDf: cov, correction: "none" }).collect();
    const ref = readGlm(path.join(dir, `p2.${bin[0]}.glm.logistic`));
    let worstLogP = 0;
    let worstBeta = 0;
    let compared = 0;
    const zs: number[] = [];
    const zw: number[] = [];
    for (const r of log) {
      const g = ref.get((r["names"] as string[])[0]!)!;
      expect(g).toBeDefined();
      zs.push((r["effect"] as number) / (r["stderror"] as number));
      zw.push(g.z);
      const mlp = -Math.log10(g.p);
      if (mlp < 4) worstLogP = Math.max(worstLogP, Math.abs((r["negLog10pValue"] as number) - mlp));
      if (Math.abs(g.z) < 3) worstBeta = Math.max(worstBeta, Math.abs((r["effect"] as number) - g.beta) / Math.max(Math.abs(g.beta), g.se));
      compared++;
    }
    const corr = correlation(zs, zw);
    console.log(`simulated ${bin[0]} logistic score test vs plink2 Wald (no-firth): ${compared} variants, max |Δ −log10 p| ${worstLogP.toFixed(4)} (−log10 p < 4), max |ΔBETA|/max(|BETA|, SE) ${worstBeta.toExponential(2)} (|z| < 3), correlation of z ${corr.toFixed(6)}`);
    expect(compared).toBe(1000);
    expect(worstLogP).toBeLessThan(TOL_LOG10P);
    expect(worstBeta).toBeLessThan(TOL_BETA);
    expect(corr).toBeGreaterThan(0.999);

    // The per-variant SQL-style functions leave the NaN samples out: logisticRegressionGwas 'lrt'
    // fits the MLE that plink2's logistic regression reports (BETA, SE within 2e-4 relative), and
    // 'firth' the penalized MLE of plink2's --glm firth (|ΔBETA| within 2e-4 of max(|BETA|, SE):
    // plink2's Firth iterations stop at its own tolerance, so near-zero effects differ in relative terms).
    plink2(["--bfile", f.plinkPrefix!, "--pheno", f.phenotypes!, "--pheno-name", bin[0]!, "--1", "--covar", f.covariates!, "--covar-variance-standardize", "--glm", "hide-covar", "omit-ref", "firth", "cols=+beta", "--out", path.join(dir, "firth")]);
    const firthRef = readGlm(path.join(dir, `firth.${bin[0]}.glm.firth`));
    const values = await frame.select("names", "values").limit(100).collect();
    const y = c.phenotypes[bin[0]!]!;
    // plink2 standardizes the covariates (--covar-variance-standardize): the genotype's test is the same
    const covRows = c.sampleIds.map((_, i) => [1, ...c.covariateNames.map((n) => c.covariates[n]![i]!)]);
    let worstLrt = 0;
    let worstFirth = 0;
    for (const r of values) {
      const id = (r["names"] as string[])[0]!;
      const g = r["values"] as number[];
      const lrt = glow.gwas.logisticRegressionGwas(g, y, covRows, "lrt");
      const ref1 = ref.get(id)!;
      worstLrt = Math.max(worstLrt, rel(lrt.beta, ref1.beta), rel(Math.log(lrt.waldConfidenceInterval[1]! / lrt.waldConfidenceInterval[0]!) / (2 * 1.959963984540054), ref1.se));
      const firth = glow.gwas.logisticRegressionGwas(g, y, covRows, "firth");
      const fr = firthRef.get(id)!;
      worstFirth = Math.max(worstFirth, Math.abs(firth.beta - fr.beta) / Math.max(Math.abs(fr.beta), fr.se));
    }
    console.log(`simulated ${bin[0]} logisticRegressionGwas (NaN samples left out), 100 variants: 'lrt' vs plink2 logistic max relative error BETA/SE ${worstLrt.toExponential(2)}; 'firth' vs plink2 --glm firth |ΔBETA|/max(|BETA|, SE) ${worstFirth.toExponential(2)}`);
    expect(worstLrt).toBeLessThan(2e-4);
    expect(worstFirth).toBeLessThan(2e-4);
  });
});

describe("λGC of null variants with 10 % missing phenotypes (4,000 × 20,000, known truth)", () => {
  test("within [0.98, 1.05] per trait with the exact analysis (Glow's shortcut printed)", async () => {
    const dir = tempDir();
    const c = await glow.simulate.cohort({
      samples: 4000, variants: 20000, chromosomes: 4, populations: 2, fst: 0.05, quantitativeTraits: 3, causal: 20,
      heritability: 0.3, missingness: 0.1, seed: 11, out: dir, formats: ["plink"],
    });
    const table = (names: string[], values: Record<string, Float64Array>) => ({ index: c.sampleIds, columns: names, data: Object.fromEntries(names.map((n) => [n, values[n]!])) });
    const frame = glow.read("plink", c.files.bed!).withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")));
    const pheno = table(c.traits, c.phenotypes);
    const cov = table(c.covariateNames, c.covariates);
    const indexOf = new Map(c.variantIds.map((id, i) => [id, i]));
    const lambdas = async (missingPhenotypes: "exact" | "glow"): Promise<number[]> => {
      const b = await glow.gwas.linearRegression(frame, pheno, { covariateDf: cov, missingPhenotypes }).select("names", "phenotype", "pvalue").collect({ onProgress: false });
      return c.traits.map((t) => {
        const causal = c.truth.causal.filter((x) => x.trait === t).map((x) => x.variantIndex);
        const p: number[] = [];
        for (const r of b) {
          if (r["phenotype"] !== t) continue;
          const i = indexOf.get((r["names"] as string[])[0]!)!;
          if (causal.every((j) => Math.abs(i - j) > 10)) p.push(r["pvalue"] as number);
        }
        expect(p.length).toBeGreaterThan(19000);
        return glow.plot.lambdaGc(p);
      });
    };
    const exact = await lambdas("exact");
    const shortcut = await lambdas("glow");
    console.log(`λGC of null variants, 10 % missing, 4,000 × 20,000: exact ${exact.map((x) => x.toFixed(4)).join(", ")}; Glow's shortcut ${shortcut.map((x) => x.toFixed(4)).join(", ")}`);
    for (const l of exact) {
      expect(l).toBeGreaterThanOrEqual(0.98);
      expect(l).toBeLessThanOrEqual(1.05);
    }
  }, 300_000);
});
