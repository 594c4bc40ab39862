// `glowts step1` → `glowts step2` end to end against `plink2 --glm` and simulated truth.
//
// - A simulated cohort (glow.simulate, 2,000 samples × 10,000 variants, 4 chromosomes, h² 0.45, 50
//   causal variants per trait, one population (no confounding), covariates age, sex, 2 PCs; known causal variants): 6
//   traits with all phenotypes (Q1–Q6), the same traits with 10 % of the phenotypes missing
//   (Q1miss–Q6miss, independent patterns), and Q1miss × 10 (Q1miss10, to check the scale on which
//   the LOCO offsets are subtracted).
//   * λGC of null variants (> 10 variants from any causal variant of the trait) through step1 → step2,
//     pooled over the 6 traits, within [0.98, 1.05] with and without missing phenotypes.
//   * step 2 without --pred on Q1miss = plink2 --glm (its observed samples, covariates fitted on them):
//     BETA, SE, P within 2e-4 relative (plink2 prints 6 significant digits).
//   * step 2 with --pred on Q1miss10 = plink2 --glm on the phenotype minus the offset on the
//     phenotype's scale (y − s·loco_c, s = the trait's residual sd after the covariates over its
//     observed samples, dof n − k; computed here by least squares), chromosome by chromosome: BETA, SE,
//     P within 2e-4 relative. `.loco` rows are NA exactly where the phenotype is missing (as REGENIE).
// - BGEN input (Glow's example.16bits.bgen, 500 samples, 199 variants with imputed probabilities, some
//   missing): step 2 tests expected dosages, = plink2 --bgen ref-first --glm (which tests dosages,
//   stored at 1/16384 precision: 1e-3 relative; BETA relative to max(|BETA|, SE), as some BETA are
//   ~1e-6); INFO = 1 − Σ(E[g²] − E[g]²)/(2nθ(1−θ)) (REGENIE's
//   IMPUTE info for BGEN) computed here from the GP fields of the file's VCF twin (printed at 6
//   significant digits: 2e-4 absolute), A1FREQ likewise.
// - --catCovarList: REGENIE's covariates_wBin.txt with V5 categorical = plink2 --glm with V5 as a
//   categorical covariate (plink2 one-hot encodes it): BETA, SE, P within 2e-4 relative; an unknown
//   column is a one-line error.
//
// Skipped when plink2 (or, for the example files, ../shared/data) is absent.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as glow from "../../dist/index.js";

const DATA = path.resolve(process.cwd(), "../shared/data");
const CLI = path.resolve("dist/cli/main.js");
const PLINK2 = (() => { try { execFileSync("plink2", ["--version"], { stdio: "ignore" }); return true; } catch { return false; } })();
if (!PLINK2) console.warn("regenie-e2e.plink2 tests skipped: plink2 is not on PATH");
const HAVE_BGEN = existsSync(path.join(DATA, "glow/bgen/example.16bits.bgen"));
const HAVE_REGENIE = existsSync(path.join(DATA, "regenie/covariates_wBin.txt"));
if (!HAVE_BGEN || !HAVE_REGENIE) console.warn(`regenie-e2e.plink2: example files under ${DATA} absent, their tests are skipped`);

const dirs: string[] = [];
const tempDir = (): string => { const d = mkdtempSync(path.join(tmpdir(), "glowts-e2e-")); dirs.push(d); return d; };
afterAll(async () => { await glow.shutdown(); for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, GLOWTS_DEBUG: "" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function plink2(args: string[]): void {
  execFileSync("plink2", ["--threads", "1", "--memory", "1024", ...args], { stdio: "ignore" });
}

type Rec = Record<string, string>;
function readRegenie(file: string): Rec[] {
  const [head, ...lines] = readFileSync(file, "utf8").trim().split("\n");
  const cols = head!.trim().split(/\s+/);
  return lines.map((l) => Object.fromEntries(l.trim().split(/\s+/).map((v, i) => [cols[i]!, v])));
}
interface GlmRow { alt: string; beta: number; se: number; p: number }
function readGlm(file: string): Map<string, GlmRow> {
  const lines = readFileSync(file, "utf8").trim().split("\n");
  const h = lines[0]!.replace(/^#/, "").split("\t");
  const at = (c: string): number => h.indexOf(c);
  const out = new Map<string, GlmRow>();
  for (const l of lines.slice(1)) {
    const f = l.split("\t");
    if (f[at("TEST")] !== "ADD") continue;
    out.set(f[at("ID")]!, { alt: f[at("A1")]!, beta: Number(f[at("BETA")]), se: Number(f[at("SE")]), p: Number(f[at("P")]) });
  }
  return out;
}
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

/** Max relative errors of BETA, SE, P of a `.regenie` file against plink2's rows (ids in `only` when given). */
function compare(rows: Rec[], ref: Map<string, GlmRow>, only?: (r: Rec) => boolean, betaScale: "beta" | "max(beta,se)" = "beta"): { beta: number; se: number; p: number; n: number } {
  const w = { beta: 0, se: 0, p: 0, n: 0 };
  for (const r of rows) {
    if (only && !only(r)) continue;
    const g = ref.get(r["ID"]!);
    expect(g, `plink2 row for ${r["ID"]}`).toBeDefined();
    expect(r["ALLELE1"]).toBe(g!.alt);
    w.beta = Math.max(w.beta, betaScale === "beta" ? rel(Number(r["BETA"]), g!.beta) : Math.abs(Number(r["BETA"]) - g!.beta) / Math.max(Math.abs(g!.beta), g!.se));
    w.se = Math.max(w.se, rel(Number(r["SE"]), g!.se));
    w.p = Math.max(w.p, rel(10 ** -Number(r["LOG10P"]), g!.p));
    w.n++;
  }
  return w;
}
const show = (w: { beta: number; se: number; p: number; n: number }): string =>
  `${w.n} variants, max relative error BETA ${w.beta.toExponential(2)}, SE ${w.se.toExponential(2)}, P ${w.p.toExponential(2)}`;

/** Residual sd of y (NaN = missing) on [1, X] over the observed samples, dof n_obs − k (normal equations). */
function residualSd(y: number[], X: number[][]): number {
  const obs = y.map((v, i) => i).filter((i) => !Number.isNaN(y[i]!));
  const rows = obs.map((i) => [1, ...X[i]!]);
  const k = rows[0]!.length;
  const A = Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, b) => rows.reduce((s, r) => s + r[a]! * r[b]!, 0)));
  const b = Array.from({ length: k }, (_, a) => rows.reduce((s, r, t) => s + r[a]! * y[obs[t]!]!, 0));
  for (let p = 0; p < k; p++) for (let r = p + 1; r < k; r++) { const f = A[r]![p]! / A[p]![p]!; for (let c = p; c < k; c++) A[r]![c]! -= f * A[p]![c]!; b[r]! -= f * b[p]!; }
  const beta = new Array<number>(k).fill(0);
  for (let p = k - 1; p >= 0; p--) { let t = b[p]!; for (let c = p + 1; c < k; c++) t -= A[p]![c]! * beta[c]!; beta[p] = t / A[p]![p]!; }
  const ss = rows.reduce((s, r, t) => s + (y[obs[t]!]! - r.reduce((u, x, a) => u + x * beta[a]!, 0)) ** 2, 0);
  return Math.sqrt(ss / (obs.length - k));
}

describe.skipIf(!PLINK2)("step1 → step2 on a simulated cohort with 10 % missing phenotypes (known truth)", () => {
  it("null λGC in [0.98, 1.05] with and without missing phenotypes; step 2 = plink2 --glm with and without the offsets", async () => {
    const dir = tempDir();
    const T = 6;
    const c = await glow.simulate.cohort({ samples: 2000, variants: 10000, chromosomes: 4, heritability: 0.45, causal: 50, ld: 0.2, quantitativeTraits: T, out: dir, prefix: "cohort", formats: ["plink"], seed: 21 });
    const pheno = readFileSync(c.files.phenotypes!, "utf8").trim().split("\n").map((l) => l.trim().split(/\s+/));
    const traits = Array.from({ length: T }, (_, t) => `Q${t + 1}`);
    const rnd = new glow.simulate.Random(5);
    const rows = pheno.slice(1).map((r) => {
      const y = traits.map((t) => Number(r[pheno[0]!.indexOf(t)]));
      return { fid: r[0]!, iid: r[1]!, y, ym: y.map((v) => (rnd.uniform() < 0.1 ? NaN : v)) };
    });
    const na = (v: number): string => (Number.isNaN(v) ? "NA" : String(v));
    const phenoFile = path.join(dir, "q.txt");
    const names = [...traits, ...traits.map((t) => `${t}miss`), "Q1miss10"];
    writeFileSync(phenoFile, ["FID IID " + names.join(" "), ...rows.map((r) => `${r.fid} ${r.iid} ${r.y.join(" ")} ${r.ym.map(na).join(" ")} ${na(r.ym[0]! * 10)}`)].join("\n") + "\n");
    const nMissing = rows.filter((r) => Number.isNaN(r.ym[0]!)).length;
    expect(nMissing).toBeGreaterThan(150);
    const common = ["--bed", c.files.plinkPrefix!, "--covarFile", c.files.covariates!, "--phenoFile", phenoFile, "--bsize", "1000"];
    const s1 = cli(["step1", ...common, "--out", path.join(dir, "s1")]);
    expect(s1.status, s1.stderr).toBe(0);
    const s2 = cli(["step2", ...common, "--pred", path.join(dir, "s1_pred.list"), "--out", path.join(dir, "s2")]);
    expect(s2.status, s2.stderr).toBe(0);

    // λGC of null variants (> 10 variants from any causal variant of the trait). One trait's median
    // χ² over ~9,000 null variants has a sd of ~0.03 (measured over seeds: 0.97–1.04 for one trait at
    // this size), so the assertion is on the λGC pooled over the 6 traits (sd ~0.013); each is printed.
    const bim = readFileSync(`${c.files.plinkPrefix}.bim`, "utf8").trim().split("\n").map((l) => l.split(/\s+/));
    const index = new Map(bim.map((f, i) => [f[1]!, i]));
    const nullPs = (t: string, file: string, col: "LOG10P" | "P"): number[] => {
      const causal = c.truth.causal.filter((x: { trait: string }) => x.trait === t).map((x: { variantIndex: number }) => x.variantIndex);
      const isNull = (i: number): boolean => causal.every((j: number) => bim[j]![0] !== bim[i]![0] || Math.abs(j - i) > 10);
      if (col === "P") return [...readGlm(file).entries()].filter(([id]) => isNull(index.get(id)!)).map(([, g]) => g.p);
      return readRegenie(file).filter((r) => isNull(index.get(r["ID"]!)!)).map((r) => 10 ** -Number(r["LOG10P"]));
    };
    for (const suffix of ["", "miss"]) {
      const pooled: number[] = [];
      const each: string[] = [];
      for (const t of traits) {
        const ps = nullPs(t, path.join(dir, `s2_${t}${suffix}.regenie`), "LOG10P");
        pooled.push(...ps);
        each.push(glow.plot.lambdaGc(ps).toFixed(3));
      }
      const n = new Set(readRegenie(path.join(dir, `s2_Q1${suffix}.regenie`)).map((r) => r["N"]));
      expect(n).toEqual(new Set([String(suffix ? 2000 - nMissing : 2000)]));
      const lambda = glow.plot.lambdaGc(pooled);
      console.log(`${suffix ? "10 % missing" : "all observed"}: null λGC pooled over ${T} traits ${lambda.toFixed(4)} (${pooled.length} tests; per trait ${each.join(" ")})`);
      expect(lambda).toBeGreaterThanOrEqual(0.98);
      expect(lambda).toBeLessThanOrEqual(1.05);
    }
    plink2(["--bfile", c.files.plinkPrefix!, "--pheno", phenoFile, "--pheno-name", "Q1,Q1miss", "--covar", c.files.covariates!, "--covar-variance-standardize", "--glm", "hide-covar", "omit-ref", "--out", path.join(dir, "p0")]);
    for (const t of ["Q1", "Q1miss"]) console.log(`${t}: plink2 --glm (no LOCO) null λGC ${glow.plot.lambdaGc(nullPs("Q1", path.join(dir, `p0.${t}.glm.linear`), "P")).toFixed(4)}`);

    // .loco: NA exactly where the phenotype is missing
    const loco = readFileSync(path.join(dir, `s1_${T + 1}.loco`), "utf8").trim().split("\n").map((l) => l.trim().split(/\s+/));
    const ids = loco[0]!.slice(1);
    const ymOf = new Map(rows.map((r) => [`${r.fid}_${r.iid}`, r.ym[0]!]));
    for (const row of loco.slice(1, 5)) row.slice(1).forEach((v, i) => expect(v === "NA", `${ids[i]} chromosome ${row[0]}`).toBe(Number.isNaN(ymOf.get(ids[i]!)!)));

    // step 2 without offsets = plink2 --glm (observed samples only)
    const s2b = cli(["step2", ...common, "--phenoColList", "Q1miss", "--out", path.join(dir, "s2nopred")]);
    expect(s2b.status, s2b.stderr).toBe(0);
    const w0 = compare(readRegenie(path.join(dir, "s2nopred_Q1miss.regenie")), readGlm(path.join(dir, "p0.Q1miss.glm.linear")));
    console.log(`Q1miss step 2 without offsets vs plink2 --glm: ${show(w0)}`);
    expect(w0.n).toBe(10000);
    expect(Math.max(w0.beta, w0.se, w0.p)).toBeLessThan(2e-4);

    // step 2 with offsets = plink2 --glm on y − s·loco (phenotype scale), per chromosome
    const cov = readFileSync(c.files.covariates!, "utf8").trim().split("\n").map((l) => l.trim().split(/\s+/));
    const covOf = new Map(cov.slice(1).map((f) => [`${f[0]}_${f[1]}`, f.slice(2).map(Number)]));
    const y10 = rows.map((r) => r.ym[0]! * 10);
    const s = residualSd(y10, rows.map((r) => covOf.get(`${r.fid}_${r.iid}`)!));
    const loco10 = readFileSync(path.join(dir, `s1_${2 * T + 1}.loco`), "utf8").trim().split("\n").map((l) => l.trim().split(/\s+/));
    const pos = new Map(loco10[0]!.slice(1).map((x, i) => [x, i]));
    const res10 = readRegenie(path.join(dir, "s2_Q1miss10.regenie"));
    const worst = { beta: 0, se: 0, p: 0, n: 0 };
    for (const chr of ["1", "2", "3", "4"]) {
      const row = loco10.find((r) => r[0] === chr)!.slice(1);
      const f = path.join(dir, `adj${chr}.txt`);
      writeFileSync(f, ["FID IID Z", ...rows.map((r, i) => `${r.fid} ${r.iid} ${na(y10[i]! - s * Number(row[pos.get(`${r.fid}_${r.iid}`)!]))}`)].join("\n") + "\n");
      plink2(["--bfile", c.files.plinkPrefix!, "--chr", chr, "--pheno", f, "--covar", c.files.covariates!, "--covar-variance-standardize", "--glm", "hide-covar", "omit-ref", "--out", path.join(dir, `p${chr}`)]);
      const w = compare(res10, readGlm(path.join(dir, `p${chr}.Z.glm.linear`)), (r) => r["CHROM"] === chr);
      for (const k of ["beta", "se", "p"] as const) worst[k] = Math.max(worst[k], w[k]);
      worst.n += w.n;
    }
    console.log(`Q1miss10 step 2 with LOCO offsets vs plink2 --glm on y − s·loco: ${show(worst)} (s = ${s.toFixed(4)})`);
    expect(worst.n).toBe(10000);
    expect(Math.max(worst.beta, worst.se, worst.p)).toBeLessThan(2e-4);
  }, 600_000);
});

describe.skipIf(!PLINK2 || !HAVE_BGEN)("step 2 on BGEN: expected dosages and REGENIE's INFO", () => {
  it("BETA, SE, P = plink2 --bgen ref-first --glm (1e-3); INFO and A1FREQ = the formula on the VCF twin's GP (2e-4)", () => {
    const B = path.join(DATA, "glow/bgen");
    const dir = tempDir();
    const sample = readFileSync(path.join(B, "example.16bits.oxford.sample"), "utf8").trim().split("\n").slice(2).map((l) => l.trim().split(/\s+/));
    const rnd = new glow.simulate.Random(9);
    const phenoFile = path.join(dir, "p.txt");
    writeFileSync(phenoFile, ["FID IID Y", ...sample.map((f, i) => `${f[0]} ${f[1]} ${i % 17 === 3 ? "NA" : rnd.normal().toFixed(6)}`)].join("\n") + "\n");
    const covFile = path.join(dir, "c.txt");
    writeFileSync(covFile, ["FID IID A B", ...sample.map((f) => `${f[0]} ${f[1]} ${rnd.normal().toFixed(6)} ${rnd.uniform() < 0.5 ? 1 : 0}`)].join("\n") + "\n");
    // sample_001 has no probabilities at 2 variants: REGENIE mean-imputes, plink2 drops the sample, so it is removed for both
    const removeFile = path.join(dir, "remove.txt");
    writeFileSync(removeFile, "sample_001 sample_001\n");
    const r = cli(["step2", "--bgen", path.join(B, "example.16bits.bgen"), "--sample", path.join(B, "example.16bits.oxford.sample"), "--phenoFile", phenoFile, "--covarFile", covFile, "--remove", removeFile, "--minMAC", "0", "--ref-first", "--out", path.join(dir, "b")]);
    expect(r.status, r.stderr).toBe(0);
    const got = readRegenie(path.join(dir, "b_Y.regenie"));
    plink2(["--bgen", path.join(B, "example.16bits.bgen"), "ref-first", "--sample", path.join(B, "example.16bits.oxford.sample"), "--remove", removeFile, "--pheno", phenoFile, "--covar", covFile, "--glm", "hide-covar", "omit-ref", "--out", path.join(dir, "pb")]);
    const ref = readGlm(path.join(dir, "pb.Y.glm.linear"));
    // plink2 names variants by the BGEN's rsid; the .regenie ID is the last of glowts' names
    const w = compare(got.filter((x) => ref.has(x["ID"]!)), ref, undefined, "max(beta,se)");
    console.log(`BGEN dosages vs plink2 --bgen --glm: ${show(w)} (BETA error relative to max(|BETA|, SE): some BETA are ~1e-6)`);
    expect(w.n).toBeGreaterThan(150);
    expect(Math.max(w.beta, w.se, w.p)).toBeLessThan(1e-3);

    // INFO and A1FREQ from the VCF twin's GP, over the samples with Y observed
    const observed = new Set(sample.filter((f, i) => i % 17 !== 3 && f[0] !== "sample_001").map((f) => f[0]!));
    const vcf = readFileSync(path.join(B, "example.16bits.vcf"), "utf8").split("\n").filter((l) => l && !l.startsWith("##"));
    const head = vcf[0]!.split("\t");
    let checked = 0, infoBelow = 0, worstInfo = 0, worstFreq = 0;
    const byId = new Map(got.map((x) => [x["ID"]!, x]));
    for (const line of vcf.slice(1)) {
      const f = line.split("\t");
      const g = f[2]!.split(",").map((id) => byId.get(id)).find((x) => x !== undefined);
      if (!g || f[4]!.includes(",")) continue;
      expect([g["ALLELE0"], g["ALLELE1"]]).toEqual([f[3], f[4]]);
      let se = 0, sv = 0, n = 0;
      for (let j = 9; j < f.length; j++) {
        if (!observed.has(head[j]!) || f[j]!.startsWith(".")) continue;
        const [p0, p1, p2] = f[j]!.split(",").map(Number) as [number, number, number];
        const tot = p0 + p1 + p2;
        const e = (p1 + 2 * p2) / tot;
        sv += (p1 + 4 * p2) / tot - e * e;
        se += e;
        n++;
      }
      const theta = se / (2 * n);
      const info = theta === 0 || theta === 1 ? 1 : 1 - sv / (2 * n * theta * (1 - theta));
      worstInfo = Math.max(worstInfo, Math.abs(Number(g["INFO"]) - info));
      worstFreq = Math.max(worstFreq, Math.abs(Number(g["A1FREQ"]) - theta));
      expect(Number(g["N"])).toBe(n);
      if (info < 0.99) infoBelow++;
      checked++;
    }
    console.log(`INFO / A1FREQ vs the formula on the VCF's GP: ${checked} variants (${infoBelow} with INFO < 0.99), max |Δ INFO| ${worstInfo.toExponential(2)}, max |Δ A1FREQ| ${worstFreq.toExponential(2)}`);
    expect(checked).toBeGreaterThan(150);
    expect(infoBelow).toBeGreaterThan(50);
    expect(worstInfo).toBeLessThan(2e-4);
    expect(worstFreq).toBeLessThan(2e-4);
  }, 300_000);
});

describe.skipIf(!PLINK2 || !HAVE_REGENIE)("--catCovarList (REGENIE's covariates_wBin.txt, V5 categorical)", () => {
  it("= plink2 --glm with V5 one-hot encoded (2e-4 relative); an unknown column is an error", () => {
    const R = path.join(DATA, "regenie");
    const dir = tempDir();
    const r = cli(["step2", "--bed", path.join(R, "example"), "--phenoFile", path.join(R, "phenotype.txt"), "--covarFile", path.join(R, "covariates_wBin.txt"), "--catCovarList", "V5", "--minMAC", "0", "--out", path.join(dir, "cat")]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, "cat.log"), "utf8")).toMatch(/categorical covariate V5: \d+ levels/);
    plink2(["--bfile", path.join(R, "example"), "--pheno", path.join(R, "phenotype.txt"), "--pheno-name", "Y1,Y2", "--covar", path.join(R, "covariates_wBin.txt"), "--glm", "hide-covar", "omit-ref", "--out", path.join(dir, "p")]);
    for (const t of ["Y1", "Y2"]) {
      const w = compare(readRegenie(path.join(dir, `cat_${t}.regenie`)), readGlm(path.join(dir, `p.${t}.glm.linear`)));
      console.log(`--catCovarList V5, ${t} vs plink2 --glm: ${show(w)}`);
      expect(w.n).toBe(1000);
      expect(Math.max(w.beta, w.se, w.p)).toBeLessThan(2e-4);
    }
    const bad = cli(["step2", "--bed", path.join(R, "example"), "--phenoFile", path.join(R, "phenotype.txt"), "--covarFile", path.join(R, "covariates_wBin.txt"), "--catCovarList", "V9", "--out", path.join(dir, "bad")]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toMatch(/--catCovarList: no column 'V9'/);
  }, 300_000);
});
