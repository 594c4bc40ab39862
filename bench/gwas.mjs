// gwas: wall time of `read("plink") → values = meanSubstitute(genotypeStates) → gwas.linearRegression
// → count()` on a simulated 10,000-sample × 100,000-variant cohort with 3 covariates (age, sex, PC1)
// and 1 and 10 quantitative traits, and of `gwas.logisticRegression` (approx-Firth) on a binary
// trait, next to `plink2 --glm` (same files, same covariates, same threads).
//
// Each glowts case runs in a child process (this file, run directly with GLOWTS_BENCH_GWAS_CASE set)
// so that its peak RSS is its own; plink2's peak RSS comes from /usr/bin/time.
//
// Environment: BENCH_SAMPLES (10000), BENCH_VARIANTS (100000), BENCH_WORKERS (all cores),
// BENCH_CASES (comma list of linear1,linear10,logistic1,linear10missing; default all), BENCH_REPEAT (1: runs each
// side that many times, alternating, and keeps the fastest of each), BENCH_PROFILE=1 (writes
// V8 CPU profiles of every thread of the glowts runs to bench/results/profiles/), BENCH_CHECK=1
// (also collects glowts' results and compares them with plink2's output file).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const N = Number(process.env.BENCH_SAMPLES ?? 10000);
const M = Number(process.env.BENCH_VARIANTS ?? 100000);
const COVARIATES = ["age", "sex", "PC1"];
const CASES = {
  linear1: { kind: "linear", traits: ["Q1"], label: "linearRegression, 1 trait" },
  linear10: { kind: "linear", traits: Array.from({ length: 10 }, (_, i) => `Q${i + 1}`), label: "linearRegression, 10 traits" },
  logistic1: { kind: "logistic", traits: ["B1"], label: "logisticRegression approx-Firth, 1 binary trait" },
  linear10missing: { kind: "linear", traits: Array.from({ length: 10 }, (_, i) => `Q${i + 1}`), missing: true, label: "linearRegression, 10 traits, 10 % missing (10 patterns, exact)" },
};

function which(cmd) { try { execFileSync("sh", ["-c", `command -v ${cmd}`]); return true; } catch { return false; } }
function now() { return Number(process.hrtime.bigint()) / 1e9; }

/** `FID IID c1 c2 ...` (REGENIE/PLINK) → a sample table `{index: FID_IID, columns, data}`. */
function readFidIidTable(file, keep) {
  const lines = readFileSync(file, "utf8").split("\n").filter((l) => l.length > 0);
  const header = lines[0].split(/\s+/);
  const cols = keep.map((c) => { const i = header.indexOf(c); if (i < 2) throw new Error(`${file}: no column ${c}`); return i; });
  const index = [];
  const data = Object.fromEntries(keep.map((c) => [c, new Float64Array(lines.length - 1)]));
  for (let r = 1; r < lines.length; r++) {
    const f = lines[r].split(/\s+/);
    index.push(`${f[0]}_${f[1]}`);
    keep.forEach((c, j) => { data[c][r - 1] = f[cols[j]] === "NA" ? NaN : Number(f[cols[j]]); });
  }
  return { index, columns: keep, data };
}

async function simulated(log) {
  const dir = path.join(tmpdir(), `glowts-bench-gwas-${N}x${M}`);
  const prefix = path.join(dir, "cohort");
  if (!existsSync(path.join(dir, "done"))) {
    const glow = await import("../dist/index.js");
    log(`simulating ${N} samples × ${M} variants (10 quantitative + 1 binary traits) in ${dir} …`);
    mkdirSync(dir, { recursive: true });
    const t0 = now();
    await glow.simulate.cohort({ samples: N, variants: M, chromosomes: 2, quantitativeTraits: 10, binaryTraits: 1, out: dir, prefix: "cohort", formats: ["plink"] });
    writeFileSync(path.join(dir, "done"), "");
    log(`  simulated in ${(now() - t0).toFixed(1)} s`);
  }
  // The same phenotypes with 10 % of each trait's values set missing (seeded), for linear10missing.
  const phenotypesMissing = `${prefix}.phenotypes-missing.txt`;
  if (!existsSync(phenotypesMissing)) {
    let seed = 12345;
    const lines = readFileSync(`${prefix}.phenotypes.txt`, "utf8").split("\n");
    const out = lines.map((l, r) => (r === 0 || l.length === 0 ? l : l.split(/\s+/).map((v, j) => {
      if (j < 2) return v;
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647 < 0.1 ? "NA" : v;
    }).join(" ")));
    writeFileSync(`${phenotypesMissing}.tmp`, out.join("\n"));
    renameSync(`${phenotypesMissing}.tmp`, phenotypesMissing);
  }
  return { dir, prefix, bed: `${prefix}.bed`, phenotypes: `${prefix}.phenotypes.txt`, phenotypesMissing, covariates: `${prefix}.covariates.txt` };
}

/** Child process: one glowts case; prints `RESULT <json>`. */
async function childCase(spec) {
  const glow = await import("../dist/index.js");
  const c = CASES[spec.name];
  const pheno = readFidIidTable(c.missing ? spec.files.phenotypesMissing : spec.files.phenotypes, c.traits);
  const covariateDf = readFidIidTable(spec.files.covariates, COVARIATES);
  const { genotypeStates, meanSubstitute } = glow.functions;
  const t0 = now();
  const frame = glow.read("plink", spec.files.bed).withColumn("values", meanSubstitute(genotypeStates("genotypes")));
  const res = c.kind === "linear"
    ? glow.gwas.linearRegression(frame, pheno, { covariateDf })
    : glow.gwas.logisticRegression(frame, pheno, { covariateDf, correction: "approx-firth" });
  const tPrepared = now();
  let rows;
  let check;
  if (spec.check) {
    const b = await res.collectBatch({ workers: spec.workers, onProgress: false });
    rows = b.numRows;
    check = checkAgainstPlink2(b, spec.plink2Out, c.kind);
  } else {
    rows = await res.count({ workers: spec.workers, onProgress: false });
  }
  const t1 = now();
  await glow.shutdown();
  const ru = process.resourceUsage();
  const out = { wall: t1 - t0, prepare: tPrepared - t0, rows, maxRssMB: ru.maxRSS / 1024, cpu: (ru.userCPUTime + ru.systemCPUTime) / 1e6, check };
  process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
}

/** Max relative differences of effect/se/p against plink2's `.glm.linear`/`.glm.logistic.hybrid` files. */
function checkAgainstPlink2(batch, files, kind) {
  const byKey = new Map();
  for (const [trait, file] of Object.entries(files)) {
    const lines = readFileSync(file, "utf8").split("\n").filter((l) => l.length > 0);
    const h = lines[0].replace(/^#/, "").split("\t");
    const at = (n) => h.indexOf(n);
    const id = at("ID"), alt = at("ALT"), a1 = at("A1"), beta = at(kind === "linear" ? "BETA" : "OR"), se = at(kind === "linear" ? "SE" : "LOG(OR)_SE"), p = at("P");
    for (const l of lines.slice(1)) {
      const f = l.split("\t");
      // plink2 reports the effect of A1 (the minor allele); glowts the effect of ALT (.bim column 5).
      const sign = f[a1] === f[alt] ? 1 : -1;
      const b = sign * (kind === "linear" ? Number(f[beta]) : Math.log(Number(f[beta])));
      byKey.set(`${f[id]}/${trait}`, { beta: b, se: Number(f[se]), p: Number(f[p]) });
    }
  }
  const names = batch.columns.names;
  const phen = batch.columns.phenotype.values;
  const eff = batch.columns.effect.values, se = batch.columns.stderror.values, pv = batch.columns.pvalue.values;
  const rel = (a, b) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), 1e-300));
  const worst = { beta: 0, se: 0, p: 0, log10p: 0, compared: 0 };
  for (let i = 0; i < batch.numRows; i++) {
    const r = byKey.get(`${names.child.values[i]}/${phen[i]}`);
    if (!r || !Number.isFinite(r.beta) || !Number.isFinite(eff[i])) continue;
    worst.compared++;
    worst.beta = Math.max(worst.beta, rel(eff[i], r.beta));
    worst.se = Math.max(worst.se, rel(se[i], r.se));
    worst.p = Math.max(worst.p, rel(pv[i], r.p));
    if (r.p > 0 && pv[i] > 0) worst.log10p = Math.max(worst.log10p, Math.abs(Math.log10(pv[i]) - Math.log10(r.p)));
  }
  return worst;
}

function runGlowts(name, files, workers, check, plink2Out) {
  const spec = { name, files, workers, check, plink2Out };
  const args = [];
  if (process.env.BENCH_PROFILE) {
    const dir = path.join(here, "results", "profiles", `${name}-${new Date().toISOString().replace(/[:.]/g, "-")}`);
    mkdirSync(dir, { recursive: true });
    args.push("--cpu-prof", "--cpu-prof-dir", dir);
  }
  const r = spawnSync(process.execPath, [...args, fileURLToPath(import.meta.url)], {
    env: { ...process.env, GLOWTS_BENCH_GWAS_CASE: JSON.stringify(spec) }, encoding: "utf8", maxBuffer: 1 << 26,
  });
  const line = r.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  if (r.status !== 0 || !line) throw new Error(`glowts case ${name} failed (exit ${r.status}):\n${r.stderr}\n${r.stdout}`);
  return JSON.parse(line.slice(7));
}

function runPlink2(name, files, threads, out) {
  const c = CASES[name];
  const args = [
    "--bfile", files.prefix, "--pheno", c.missing ? files.phenotypesMissing : files.phenotypes, "--pheno-name", c.traits.join(","),
    "--covar", files.covariates, "--covar-name", COVARIATES.join(","),
    "--glm", ...(c.kind === "linear" ? ["hide-covar", "allow-no-covars"] : ["firth-fallback", "hide-covar", "allow-no-covars"]),
    ...(c.kind === "logistic" ? ["--1"] : []),
    "--threads", String(threads), "--out", out,
  ];
  const t0 = now();
  const r = spawnSync("/usr/bin/time", ["-f", "MAXRSS %M CPU %U %S", "plink2", ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
  const wall = now() - t0;
  if (r.status !== 0) throw new Error(`plink2 failed (exit ${r.status}): ${r.stderr}\n${r.stdout}`);
  const m = /MAXRSS (\d+) CPU ([\d.]+) ([\d.]+)/.exec(r.stderr);
  const suffix = c.kind === "linear" ? "glm.linear" : "glm.logistic.hybrid";
  const outFiles = Object.fromEntries(c.traits.map((t) => [t, `${out}.${t}.${suffix}`]));
  return { wall, maxRssMB: m ? Number(m[1]) / 1024 : undefined, cpu: m ? Number(m[2]) + Number(m[3]) : undefined, outFiles };
}

export async function run({ log }) {
  const files = await simulated(log);
  const workers = Number(process.env.BENCH_WORKERS ?? availableParallelism());
  const names = (process.env.BENCH_CASES ?? Object.keys(CASES).join(",")).split(",").filter(Boolean);
  const check = !!process.env.BENCH_CHECK;
  const plink2 = which("plink2");
  const rows = [];
  const repeat = Math.max(1, Number(process.env.BENCH_REPEAT ?? 1));
  for (const name of names) {
    if (!CASES[name]) throw new Error(`unknown case ${name}; cases: ${Object.keys(CASES).join(", ")}`);
    const load = loadavg()[0];
    let ref;
    let g;
    const walls = { glowts: [], plink2: [] };
    for (let i = 0; i < repeat; i++) {
      if (plink2) {
        const r = runPlink2(name, files, workers, path.join(files.dir, `p2-${name}`));
        walls.plink2.push(r.wall);
        if (!ref || r.wall < ref.wall) ref = r;
      }
      const t = runGlowts(name, files, workers, check && !!ref && i === 0, ref?.outFiles);
      walls.glowts.push(t.wall);
      if (!g || t.wall < g.wall) g = { ...t, check: g?.check ?? t.check };
    }
    const ratio = ref ? g.wall / ref.wall : undefined;
    log(`  ${CASES[name].label}: glowts ${g.wall.toFixed(2)} s (cpu ${g.cpu.toFixed(1)} s, prepare ${g.prepare.toFixed(2)} s, ${g.rows} rows, peak RSS ${g.maxRssMB.toFixed(0)} MB)` +
      (ref ? `; plink2 --glm ${ref.wall.toFixed(2)} s (cpu ${ref.cpu?.toFixed(1) ?? "?"} s, peak RSS ${ref.maxRssMB?.toFixed(0) ?? "?"} MB); ratio ${ratio.toFixed(2)}` : "; plink2 not installed") +
      `; workers=${workers}, load before ${load.toFixed(1)}` + (repeat > 1 ? `; walls glowts ${walls.glowts.map((w) => w.toFixed(2)).join("/")}, plink2 ${walls.plink2.map((w) => w.toFixed(2)).join("/")}` : ""));
    if (g.check) log(`    vs plink2 (${g.check.compared} rows): max rel diff beta ${g.check.beta.toExponential(2)}, se ${g.check.se.toExponential(2)}, p ${g.check.p.toExponential(2)}; max |Δlog10 p| ${g.check.log10p.toExponential(2)}`);
    rows.push({
      name: `${CASES[name].label} (${N}×${M}, ${workers} workers)`, glowts: g.wall, reference: ref?.wall, ratio,
      peakRssMB: g.maxRssMB, referencePeakRssMB: ref?.maxRssMB, cpu: g.cpu, referenceCpu: ref?.cpu, loadAverage: load, walls, check: g.check,
    });
  }
  return rows;
}

if (process.env.GLOWTS_BENCH_GWAS_CASE && process.argv[1] === fileURLToPath(import.meta.url)) {
  await childCase(JSON.parse(process.env.GLOWTS_BENCH_GWAS_CASE));
}
