// accuracy: on a simulated cohort with known truth (glow.simulate: BENCH_ACC_SAMPLES × BENCH_ACC_VARIANTS,
// default 5,000 × 20,000, 4 chromosomes, h² 0.45, 300 causal variants, 3 populations Fst 0.05),
// traits Q1, Q1 with 10% missing (Q1miss) and a binary trait B1, runs
//   - the glowts pipeline: `glowts step1` (REGENIE's level 0, then ridge level 1 for Q1/Q1miss and ridge
//     logistic level 1 for B1) → `glowts step2 --pred` (linear / logistic approx-Firth),
//   - REGENIE step 1 → step 2 when `regenie` is on PATH (it is skipped, with a message, when absent),
//   - `plink2 --glm` with the same covariates when `plink2` is on PATH,
// and prints per trait: λGC over null variants (> 10 variants from any causal one), causal loci found at
// 5e-8 (a hit within 10 variants), genome-wide hits > 10 variants from any causal variant, and the LOCO
// prediction's correlation (residualized on the covariates) with the simulated genetic value, per chromosome.
// Timing is not the point of this group (rows carry the figures in `glowts`/`reference`, unit "stat").
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const N = Number(process.env.BENCH_ACC_SAMPLES ?? 5000);
const M = Number(process.env.BENCH_ACC_VARIANTS ?? 20000);
const CLI = path.join(here, "../dist/cli/main.js");
function which(cmd) { try { execFileSync("sh", ["-c", `command -v ${cmd}`]); return true; } catch { return false; } }

function readTable(file) {
  const lines = readFileSync(file, "utf8").trim().split("\n");
  const head = lines[0].trim().split(/\s+/);
  return { head, rows: lines.slice(1).map((l) => l.trim().split(/\s+/)) };
}
function chi2ToP(x) { // upper tail of χ²₁ = erfc(sqrt(x/2))
  const z = Math.sqrt(x / 2); const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return r;
}
function median(xs) { const s = [...xs].sort((a, b) => a - b); return s.length ? (s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN; }
function corr(a, b) { const n = a.length; let ma = 0, mb = 0; for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; } ma /= n; mb /= n; let sab = 0, saa = 0, sbb = 0; for (let i = 0; i < n; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) ** 2; sbb += (b[i] - mb) ** 2; } return sab / Math.sqrt(saa * sbb); }
function residualize(v, X) { // least squares residuals of v on the columns of X (rows = samples)
  const k = X[0].length; const A = Array.from({ length: k }, () => new Float64Array(k)); const b = new Float64Array(k);
  v.forEach((y, i) => { for (let a = 0; a < k; a++) { b[a] += X[i][a] * y; for (let c = 0; c < k; c++) A[a][c] += X[i][a] * X[i][c]; } });
  for (let p = 0; p < k; p++) for (let r = p + 1; r < k; r++) { const f = A[r][p] / A[p][p]; for (let c = p; c < k; c++) A[r][c] -= f * A[p][c]; b[r] -= f * b[p]; }
  const beta = new Float64Array(k); for (let p = k - 1; p >= 0; p--) { let t = b[p]; for (let c = p + 1; c < k; c++) t -= A[p][c] * beta[c]; beta[p] = t / A[p][p]; }
  return v.map((y, i) => y - X[i].reduce((s, x, a) => s + x * beta[a], 0));
}

/** λGC (null variants), causal found, far hits from (id → p) of one trait. */
function score(pById, idIndex, chromOf, causalIdx) {
  const cidx = [...causalIdx].sort((a, b) => a - b);
  const dist = (i) => { let best = Infinity; for (const c of cidx) if (chromOf[c] === chromOf[i]) best = Math.min(best, Math.abs(c - i)); return best; };
  const nullChi = []; let far = 0; const hitIdx = [];
  for (const [id, p] of pById) {
    const i = idIndex.get(id); if (i === undefined || !(p > 0)) continue;
    const d = dist(i);
    if (d > 10) { nullChi.push(p); if (p < 5e-8) far++; }
    if (p < 5e-8) hitIdx.push(i);
  }
  // λGC: median χ² / 0.4549 (χ² from p by bisection on chi2ToP)
  const chi = nullChi.map((p) => { let lo = 0, hi = 200; for (let it = 0; it < 60; it++) { const m = (lo + hi) / 2; if (chi2ToP(m) > p) lo = m; else hi = m; } return (lo + hi) / 2; });
  const found = cidx.filter((c) => hitIdx.some((h) => chromOf[h] === chromOf[c] && Math.abs(h - c) <= 10)).length;
  return { lambda: median(chi) / 0.454936, found, far, nNull: chi.length };
}

export async function run({ log }) {
  const glow = await import("../dist/index.js");
  const dir = path.join(tmpdir(), `glowts-bench-accuracy-${N}x${M}`);
  mkdirSync(dir, { recursive: true });
  log(`simulating ${N} × ${M} (4 chromosomes, h² 0.45, 300 causal, 3 populations, Fst 0.05) in ${dir}`);
  const c = await glow.simulate.cohort({ samples: N, variants: M, chromosomes: 4, heritability: 0.45, causal: 300, populations: 3, fst: 0.05, quantitativeTraits: 1, binaryTraits: 1, out: dir, prefix: "cohort", formats: ["plink"], seed: 7 });
  // phenotype files: Q1, Q1 with 10% missing, B1
  const pheno = readTable(c.files.phenotypes);
  const iq = pheno.head.indexOf("Q1"), ib = pheno.head.indexOf("B1");
  const rnd = new glow.simulate.Random(11);
  writeFileSync(path.join(dir, "q.txt"), ["FID IID Q1 Q1miss", ...pheno.rows.map((r) => `${r[0]} ${r[1]} ${r[iq]} ${rnd.uniform() < 0.1 ? "NA" : r[iq]}`)].join("\n") + "\n");
  writeFileSync(path.join(dir, "b.txt"), ["FID IID B1", ...pheno.rows.map((r) => `${r[0]} ${r[1]} ${r[ib]}`)].join("\n") + "\n");
  const bim = readFileSync(`${c.files.plinkPrefix}.bim`, "utf8").trim().split("\n").map((l) => l.split(/\s+/));
  const idIndex = new Map(bim.map((f, i) => [f[1], i]));
  const chromOf = bim.map((f) => f[0]);
  const causalOf = (t) => new Set(c.truth.causal.filter((x) => x.trait === t).map((x) => x.variantIndex));
  const cov = readTable(c.files.covariates);
  const X = cov.rows.map((r) => [1, ...r.slice(2).map(Number)]);
  const covIds = cov.rows.map((r) => `${r[0]}_${r[1]}`);
  const traitsOf = { Q1: "Q1", Q1miss: "Q1", B1: "B1" };
  const results = [];
  const common = ["--bed", c.files.plinkPrefix, "--covarFile", c.files.covariates, "--bsize", "1000"];
  const cli = (args) => { const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" }); if (r.status !== 0) throw new Error(`glowts ${args[0]} failed: ${r.stderr}`); };
  const pipelines = [];
  // glowts
  for (const [name, file, bt] of [["q", "q.txt", false], ["b", "b.txt", true]]) {
    const o = path.join(dir, `glowts_${name}`);
    cli(["step1", ...common, "--phenoFile", path.join(dir, file), ...(bt ? ["--bt"] : []), "--out", `${o}_s1`]);
    cli(["step2", ...common, "--phenoFile", path.join(dir, file), ...(bt ? ["--bt", "--firth", "--approx"] : []), "--pred", `${o}_s1_pred.list`, "--out", `${o}_s2`]);
  }
  pipelines.push(["glowts", (t) => path.join(dir, `glowts_${t === "B1" ? "b" : "q"}_s2_${t}.regenie`), (t) => path.join(dir, `glowts_${t === "B1" ? "b" : "q"}_s1_pred.list`)]);
  if (which("regenie")) {
    for (const [name, file, bt] of [["q", "q.txt", false], ["b", "b.txt", true]]) {
      const o = path.join(dir, `regenie_${name}`);
      execFileSync("regenie", ["--step", "1", ...common, "--phenoFile", path.join(dir, file), ...(bt ? ["--bt"] : []), "--out", `${o}_s1`], { stdio: "ignore" });
      execFileSync("regenie", ["--step", "2", ...common, "--phenoFile", path.join(dir, file), ...(bt ? ["--bt", "--firth", "--approx"] : []), "--pred", `${o}_s1_pred.list`, "--out", `${o}_s2`], { stdio: "ignore" });
    }
    pipelines.push(["regenie", (t) => path.join(dir, `regenie_${t === "B1" ? "b" : "q"}_s2_${t}.regenie`), (t) => path.join(dir, `regenie_${t === "B1" ? "b" : "q"}_s1_pred.list`)]);
  } else log("regenie is not on PATH (it is not in the package registries): REGENIE's pipeline is skipped");
  const table = [];
  const log10p = {};
  for (const [tool, regFile, predList] of pipelines) {
    for (const t of ["Q1", "Q1miss", "B1"]) {
      const rt = readTable(regFile(t));
      const iid = rt.head.indexOf("ID"), il = rt.head.indexOf("LOG10P");
      const p = new Map(rt.rows.map((r) => [r[iid], 10 ** -Number(r[il])]));
      log10p[`${tool}:${t}`] = new Map(rt.rows.map((r) => [r[iid], Number(r[il])]));
      const s = score(p, idIndex, chromOf, causalOf(traitsOf[t]));
      // LOCO correlation with the genetic value (per chromosome)
      const list = readFileSync(predList(t), "utf8").trim().split("\n").map((l) => l.split(/\s+/));
      const entry = list.find((l) => l[0] === t);
      let rho = "-";
      if (entry && existsSync(entry[1])) {
        const loco = readTable(entry[1]);
        const g = c.truth.geneticValue[traitsOf[t]]; const gi = new Map(c.sampleIds.map((x, i) => [x, i])); const ci = new Map(covIds.map((x, i) => [x, i]));
        const ids = loco.head.slice(1);
        const Xs = ids.map((x) => X[ci.get(x)]);
        // samples with the trait missing have NA (as REGENIE writes them): left out
        const keep = ids.map((_, i) => i).filter((i) => loco.rows[0][i + 1] !== "NA");
        rho = [...new Set(chromOf)].map((ch) => { const row = loco.rows.find((r) => r[0] === ch); return corr(residualize(keep.map((i) => Number(row[i + 1])), keep.map((i) => Xs[i])), keep.map((i) => g[gi.get(ids[i])])).toFixed(3); }).join(" ");
      }
      table.push([tool, t, s.lambda.toFixed(3), String(s.found), String(causalOf(traitsOf[t]).size), String(s.far), rho]);
      results.push({ name: `${tool} ${t} null λGC`, glowts: tool === "glowts" ? s.lambda : null, reference: tool === "glowts" ? null : s.lambda, unit: "stat" });
      results.push({ name: `${tool} ${t} causal found @5e-8`, glowts: tool === "glowts" ? s.found : null, reference: tool === "glowts" ? null : s.found, unit: "count" });
    }
  }
  if (which("plink2")) {
    for (const [t, file, glm] of [["Q1", "q.txt", "Q1"], ["Q1miss", "q.txt", "Q1miss"], ["B1", "b.txt", "B1"]]) {
      const o = path.join(dir, `plink2_${t}`);
      execFileSync("plink2", ["--bfile", c.files.plinkPrefix, "--pheno", path.join(dir, file), "--pheno-name", glm, ...(t === "B1" ? ["--1"] : []), "--covar", c.files.covariates, "--glm", "hide-covar", "firth-fallback", "--covar-variance-standardize", "--out", o], { stdio: "ignore" });
      const out = [`${o}.${glm}.glm.linear`, `${o}.${glm}.glm.logistic.hybrid`, `${o}.${glm}.glm.logistic`].find((f) => existsSync(f));
      if (!out) continue;
      const rt = readTable(out); const iid = rt.head.indexOf("ID"), ip = rt.head.indexOf("P");
      const p = new Map(rt.rows.map((r) => [r[iid], Number(r[ip])]));
      const s = score(p, idIndex, chromOf, causalOf(traitsOf[t]));
      table.push(["plink2 --glm", t, s.lambda.toFixed(3), String(s.found), String(causalOf(traitsOf[t]).size), String(s.far), "-"]);
    }
  } else log("plink2 is not on PATH: plink2 --glm is skipped");
  if (log10p["regenie:Q1"]) for (const t of ["Q1", "Q1miss", "B1"]) {
    const a = log10p[`glowts:${t}`], b = log10p[`regenie:${t}`]; const ids = [...a.keys()].filter((k) => b.has(k));
    log(`correlation of glowts' and REGENIE's LOG10P (${t}): ${corr(ids.map((k) => a.get(k)), ids.map((k) => b.get(k))).toFixed(6)}`);
  }
  const head = ["pipeline", "trait", "null λGC", "causal found", "causal", "far hits", "LOCO corr(ŷ, g) per chromosome"];
  const w = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  log([head, ...table].map((r) => r.map((x, i) => x.padEnd(w[i])).join("  ")).join("\n"));
  return results;
}
