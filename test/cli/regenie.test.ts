// `glowts step1` / `glowts step2` against REGENIE 1.0.6.7's own outputs: step 2 with REGENIE's
// step-1 predictions (--pred) must reproduce test_lin_out_Y{1,2}.regenie within Glow's test
// tolerance (rtol 1e-2, atol 1e-3 on BETA, SE and p); step 1 must write .loco files in REGENIE's
// format; bad command lines give one line on stderr and exit code 2.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const DATA = path.resolve(process.cwd(), "../shared/data");
const R = path.join(DATA, "glow/regenie");
const CLI = path.resolve("dist/cli/main.js");
const hasData = existsSync(path.join(R, "test_lin_out_Y1.regenie"));
if (!hasData) console.warn(`skipping REGENIE CLI comparisons: ${R} is absent`);

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, GLOWTS_DEBUG: "" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function readRegenie(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, "utf8").trim().split("\n");
  const cols = head!.trim().split(/\s+/);
  return lines.map((l) => Object.fromEntries(l.trim().split(/\s+/).map((v, i) => [cols[i]!, v])));
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-3 + 1e-2 * Math.abs(b);

describe.skipIf(!hasData)("glowts step2 vs REGENIE (needs ../shared/data)", () => {
  it("reproduces test_lin_out_Y1/Y2.regenie for every variant", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "glowts-step2-"));
    const r = run(["step2", "--bgen", path.join(R, "example.bgen"), "--phenoFile", path.join(R, "phenotype.txt"), "--covarFile", path.join(R, "covariates.txt"),
      "--pred", path.join(R, "fit_lin_out_pred.list"), "--bsize", "200", "--split", "--ref-first", "--out", path.join(dir, "test_lin_out")]);
    expect(r.status, r.stderr).toBe(0);
    for (const t of ["Y1", "Y2"]) {
      const got = readRegenie(path.join(dir, `test_lin_out_${t}.regenie`));
      const want = readRegenie(path.join(R, `test_lin_out_${t}.regenie`));
      expect(got.length).toBe(want.length);
      const rel: number[] = [];
      got.forEach((g, i) => {
        const w = want[i]!;
        for (const k of ["CHROM", "GENPOS", "ID", "ALLELE0", "ALLELE1", "TEST"]) expect(g[k], `${t} row ${i} ${k}`).toBe(w[k]);
        expect(close(Number(g["A1FREQ"]), Number(w["A1FREQ"]))).toBe(true);
        for (const k of ["BETA", "SE"]) expect(close(Number(g[k]), Number(w[k])), `${t} row ${i} ${k}: ${g[k]} vs ${w[k]}`).toBe(true);
        const pg = 10 ** -Number(g["LOG10P"]), pw = 10 ** -Number(w["LOG10P"]);
        expect(close(pg, pw), `${t} row ${i} p: ${pg} vs ${pw}`).toBe(true);
        rel.push(Math.abs(Number(g["BETA"]) - Number(w["BETA"])) / Math.abs(Number(w["BETA"])));
      });
      rel.sort((a, b) => a - b);
      console.log(`step2 ${t}: median relative BETA error ${rel[rel.length >> 1]!.toExponential(2)}`);
    }
  });
});

describe.skipIf(!hasData)("glowts step1 vs REGENIE's .loco layout (needs ../shared/data)", () => {
  it("writes .loco files as REGENIE 1.0.6.7 does for the same input: FID_IID header, rows 1-23, chromosome 1 left out, absent chromosomes = whole-genome prediction", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "glowts-step1-"));
    const out = path.join(dir, "fit");
    // the options of fit_lin_out.log (REGENIE 1.0.6.7): --bed example --covarFile --phenoFile --bsize 100 (5 CV folds)
    const r = run(["step1", "--bed", path.join(DATA, "regenie/example"), "--phenoFile", path.join(R, "phenotype.txt"), "--covarFile", path.join(R, "covariates.txt"),
      "--bsize", "100", "--out", out]);
    expect(r.status, r.stderr).toBe(0);
    const pred = readFileSync(`${out}_pred.list`, "utf8").trim().split("\n").map((l) => l.trim().split(/\s+/));
    const want = readFileSync(path.join(R, "fit_lin_out_pred.list"), "utf8").trim().split("\n").map((l) => l.trim().split(/\s+/));
    expect(pred.map((p) => p[0])).toEqual(want.map((p) => p[0]));
    expect(pred.map((p) => path.basename(p[1]!))).toEqual(["fit_1.loco", "fit_2.loco"]);
    for (const [i, [, file]] of pred.entries()) {
      const got = readFileSync(file!, "utf8").trim().split("\n").map((l) => l.trim().split(/\s+/));
      const ref = readFileSync(path.join(R, `fit_lin_out_${i + 1}.loco`), "utf8").trim().split("\n").map((l) => l.trim().split(/\s+/));
      expect(got[0]![0]).toBe("FID_IID");
      expect(new Set(got[0]!.slice(1))).toEqual(new Set(ref[0]!.slice(1)));
      expect(got.map((l) => l[0])).toEqual(ref.map((l) => l[0])); // FID_IID, 1..23
      for (const l of got) expect(l.length).toBe(got[0]!.length);
      // chromosome 1 holds every variant: its LOCO prediction is 0, as REGENIE's
      for (const v of got[1]!.slice(1)) expect(Number(v)).toBe(0);
      // chromosomes 2-23 carry the whole-genome prediction, the same row each time (as REGENIE's)
      for (const l of got.slice(2)) expect(l.slice(1)).toEqual(got[2]!.slice(1));
      // on REGENIE's scale (residualized unit-variance trait): same order of magnitude as REGENIE's row
      const sd = (xs: number[]): number => { const m = xs.reduce((a, b) => a + b, 0) / xs.length; return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length); };
      const ratio = sd(got[2]!.slice(1).map(Number)) / sd(ref[2]!.slice(1).map(Number));
      console.log(`step1 Y${i + 1}: sd(glowts whole-genome row) / sd(REGENIE's) = ${ratio.toFixed(3)}`);
      expect(ratio).toBeGreaterThan(0.2);
      expect(ratio).toBeLessThan(5);
      const ids = got[0]!.slice(1);
      const refPos = new Map(ref[0]!.slice(1).map((s, k) => [s, k]));
      const a = got[2]!.slice(1).map(Number);
      const b = ids.map((s) => Number(ref[2]![refPos.get(s)! + 1]));
      const ma = a.reduce((x, y) => x + y, 0) / a.length, mb = b.reduce((x, y) => x + y, 0) / b.length;
      let sab = 0, saa = 0, sbb = 0;
      a.forEach((x, k) => { sab += (x - ma) * (b[k]! - mb); saa += (x - ma) ** 2; sbb += (b[k]! - mb) ** 2; });
      const rho = sab / Math.sqrt(saa * sbb);
      console.log(`step1 Y${i + 1}: correlation with REGENIE's whole-genome row ${rho.toFixed(4)}`);
      expect(rho).toBeGreaterThan(0.9);
    }
    // the log file exists and names the inputs
    expect(readFileSync(`${out}.log`, "utf8")).toMatch(/samples analysed: 500 of 500/);
    // REGENIE's step-2 reader accepts them: glowts step2 --pred reads the list back
    const r2 = run(["step2", "--bed", path.join(DATA, "regenie/example"), "--phenoFile", path.join(R, "phenotype.txt"), "--pred", `${out}_pred.list`, "--out", path.join(dir, "t")]);
    expect(r2.status, r2.stderr).toBe(0);
    const rows = readRegenie(path.join(dir, "t_Y1.regenie"));
    expect(rows.length).toBe(1000);
    expect(Object.keys(rows[0]!)).toEqual("CHROM GENPOS ID ALLELE0 ALLELE1 A1FREQ INFO N TEST BETA SE CHISQ LOG10P EXTRA".split(" "));
  });
});

describe("glowts command line errors", () => {
  const cases: [string, string[], RegExp][] = [
    ["unknown flag", ["step2", "--bogus", "1"], /unknown flag '--bogus'/],
    ["missing value", ["step2", "--out"], /needs a value/],
    ["missing file", ["step2", "--bed", "/no/such/prefix", "--phenoFile", "/no/p.txt", "--out", "/tmp/x"], /file not found/],
    ["no genotypes", ["step1", "--phenoFile", "/no/p.txt", "--out", "/tmp/x"], /exactly one of --bed, --bgen or --pgen/],
    ["pgen missing", ["step1", "--pgen", "/no/such/prefix", "--out", "/tmp/x"], /file not found/],
    ["bad number", ["step1", "--bsize", "ten", "--out", "/tmp/x"], /needs an integer/],
    ["unknown command", ["frobnicate"], /unknown command/],
  ];
  for (const [name, args, re] of cases) {
    it(name, () => {
      const r = run(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stderr.trim().split("\n").length).toBe(1);
    });
  }
});

describe.skipIf(!hasData)("glowts bad input values: one-line error naming file, column and sample, exit 2 (as REGENIE stops)", () => {
  const dir = hasData ? mkdtempSync(path.join(tmpdir(), "glowts-badinput-")) : "";
  const bed = path.join(DATA, "regenie/example");
  const pheno = hasData ? readFileSync(path.join(R, "phenotype.txt"), "utf8").trim().split("\n") : [];
  const cov = hasData ? readFileSync(path.join(R, "covariates.txt"), "utf8").trim().split("\n") : [];
  const write = (name: string, lines: string[]): string => { const f = path.join(dir, name); writeFileSync(f, lines.join("\n") + "\n"); return f; };
  const edit = (lines: string[], row: number, col: number, v: string): string[] => lines.map((l, i) => (i === row ? l.split(/\s+/).map((x, j) => (j === col ? v : x)).join(" ") : l));
  const bin = (code: (i: number) => string): string[] => pheno.map((l, i) => (i === 0 ? "FID IID B" : `${l.split(/\s+/).slice(0, 2).join(" ")} ${code(i)}`));
  const cases: [string, () => string[], RegExp][] = [
    ["phenotype inf", () => ["--phenoFile", write("inf.txt", edit(pheno, 3, 2, "inf"))], /phenoInf|inf\.txt: column 'Y1', sample 3_3: 'inf' is not a finite number/],
    ["constant trait", () => ["--phenoFile", write("const.txt", pheno.map((l, i) => (i === 0 ? "FID IID C" : `${l.split(/\s+/).slice(0, 2).join(" ")} 1.5`)))], /column 'C' is constant/],
    ["--bt not 0/1", () => ["--bt", "--phenoFile", write("bt.txt", bin((i) => String(i % 3)))], /column 'B', sample 2_2: 2 is not a binary value .*use --1/],
    ["--bt --1 not 1/2", () => ["--bt", "--1", "--phenoFile", write("bt12.txt", bin((i) => String(i % 2)))], /column 'B', sample 2_2: 0 is not a binary value \(1 = control, 2 = case with --1/],
    ["covariate missing", () => ["--phenoFile", path.join(R, "phenotype.txt"), "--covarFile", write("covna.txt", edit(cov, 5, 3, "NA"))], /covna\.txt: column 'V2', sample 5_5: missing value/],
    ["more covariates than samples", () => ["--phenoFile", path.join(R, "phenotype.txt"), "--covarFile", path.join(R, "covariates.txt"), "--keep", write("keep3.txt", ["1 1", "2 2", "3 3"])], /4 covariate column\(s\) \(intercept included\) for 3 samples .*more covariates than samples/],
  ];
  for (const [name, args, re] of cases) {
    it(name, () => {
      for (const step of ["step1", "step2"]) {
        const r = run([step, "--bed", bed, ...args(), "--out", path.join(dir, "o")]);
        expect(r.status, `${step}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toMatch(re);
        expect(r.stderr.trim().split("\n").length).toBe(1);
      }
    });
  }
  it("--bt --1 accepts 1/2 coding (as REGENIE) and --keep drops samples (N column, A1FREQ over the kept samples)", () => {
    const f = write("bt12ok.txt", bin((i) => String(1 + (i % 2))));
    const keep = write("keep400.txt", pheno.slice(1, 401).map((l) => l.split(/\s+/).slice(0, 2).join(" ")));
    const r = run(["step2", "--bed", bed, "--bt", "--1", "--phenoFile", f, "--keep", keep, "--minMAC", "0", "--out", path.join(dir, "b")]);
    expect(r.status, r.stderr).toBe(0);
    const rows = readRegenie(path.join(dir, "b_B.regenie"));
    expect(rows.length).toBe(1000);
    for (const row of rows) expect(row["N"]).toBe("400");
    expect(readFileSync(path.join(dir, "b.log"), "utf8")).toMatch(/--keep: 100 sample\(s\) dropped/);
    // A1FREQ over the 400 kept samples, against plink2-free arithmetic: the bed's alt count / 800 for the first variant
  });
});
