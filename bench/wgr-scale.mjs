// wgr-scale: GloWGR step 1 (`glowts step1`, streamed level 0) on simulated cohorts of growing size,
// wall time and peak RSS per size, and REGENIE step 1 on the same files when `regenie` is on PATH
// (REGENIE is in no registry: without it the bench says so and prints glowts alone).
// Sizes: BENCH_WGR_SCALE="5000x20000,10000x50000,25000x100000" (the default); 4 chromosomes,
// 1 quantitative trait, 3 covariates, blocks of 1000 variants, 5 folds, 2 threads on both sides.
// Each run is a child process, its peak RSS read by the OS (getrusage of the child), so sizes do
// not share a heap. Prints the fitted slope of peak RSS against samples × (header blocks × alphas)
// — the streamed level 0's memory shape — and against samples × variants.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as glow from "../dist/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, "..", "dist", "cli", "main.js");
const sizes = (process.env.BENCH_WGR_SCALE ?? "5000x20000,10000x50000,25000x100000")
  .split(",").map((s) => s.trim().split("x").map(Number));
const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const ALPHAS = 5; // level-0 ridge penalties (Glow's and REGENIE's default grid)
// REGENIE 4.1.2 step 1 as measured on the same simulated sizes (2 threads, issue 15), printed for
// reference when `regenie` is not on PATH (not the same machine or run: indicative ratios only).
const RECORDED = { "5000x20000": { s: 90, rssMB: 170 }, "10000x50000": { s: 245, rssMB: 285 }, "25000x100000": { s: null, rssMB: 613 } };

/** Runs a command; wall seconds and the child's peak RSS in MB (getrusage RUSAGE_CHILDREN via python). */
function measure(cmd, args) {
  const py = `import resource, subprocess, sys, time, json
t = time.perf_counter(); r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
w = time.perf_counter() - t
print(json.dumps({"rc": r.returncode, "wall": w, "rssKB": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "err": r.stderr.decode()[-800:]}))`;
  const out = JSON.parse(execFileSync("python3", ["-c", py, cmd, ...args], { encoding: "utf8", maxBuffer: 1 << 24 }));
  if (out.rc !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${out.rc}): ${out.err}`);
  return { s: out.wall, rssMB: out.rssKB / 1024 };
}

function haveRegenie() {
  return spawnSync("regenie", ["--help"], { stdio: "ignore" }).status !== null;
}

/** Least-squares slope and R² of y on x. */
function fit(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n, my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) { sxy += (xs[i] - mx) * (ys[i] - my); sxx += (xs[i] - mx) ** 2; syy += (ys[i] - my) ** 2; }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}

export async function run({ log }) {
  const rows = [];
  const regenie = haveRegenie();
  if (!regenie) log("  regenie is not on PATH (it is in no registry): REGENIE step 1 is skipped, glowts is measured alone");
  const points = [];
  for (const [N, M] of sizes) {
    const dir = path.join(tmpdir(), `glowts-bench-wgr-scale-${N}x${M}`);
    if (!existsSync(path.join(dir, "done"))) {
      log(`  simulating ${N} × ${M} in ${dir} …`);
      mkdirSync(dir, { recursive: true });
      await glow.simulate.cohort({ samples: N, variants: M, chromosomes: 4, quantitativeTraits: 1, causal: 200, out: dir, formats: ["plink"] });
      writeFileSync(path.join(dir, "done"), "");
    }
    const base = path.join(dir, "cohort");
    const common = ["--step", "1", "--bed", base, "--phenoFile", `${base}.phenotypes.txt`, "--covarFile", `${base}.covariates.txt`, "--bsize", "1000", "--threads", String(THREADS)];
    const g = measure("node", [cli, "step1", ...common.slice(2), "--cv", "5", "--out", path.join(dir, "glowts_step1")]);
    const blocks = Math.ceil(M / 1000);
    log(`  glowts step1 ${N}×${M}: ${g.s.toFixed(1)} s, peak RSS ${g.rssMB.toFixed(0)} MB`);
    const row = { name: `step1 ${N}×${M} (wall)`, glowts: g.s, peakRssMB: g.rssMB };
    if (regenie) {
      const r = measure("regenie", [...common, "--qt", "--out", path.join(dir, "regenie_step1")]);
      log(`  regenie step1 ${N}×${M}: ${r.s.toFixed(1)} s, peak RSS ${r.rssMB.toFixed(0)} MB; wall ratio ${(g.s / r.s).toFixed(2)}, RSS ratio ${(g.rssMB / r.rssMB).toFixed(2)}`);
      Object.assign(row, { reference: r.s, ratio: g.s / r.s, unit: `s (RSS ratio ${(g.rssMB / r.rssMB).toFixed(2)}, regenie ${r.rssMB.toFixed(0)} MB)` });
    }
    const known = RECORDED[`${N}x${M}`];
    if (!regenie && known) {
      log(`  recorded REGENIE 4.1.2 step 1 at ${N}×${M} (2 threads, another run, issue 15): ${known.s ?? "?"} s, ${known.rssMB} MB; ratios against it: wall ${known.s ? (g.s / known.s).toFixed(2) : "?"}, RSS ${(g.rssMB / known.rssMB).toFixed(2)} (targets ≤ 0.5 and ≤ 2)`);
    }
    rows.push(row);
    points.push({ N, M, blocks, rss: g.rssMB });
  }
  if (points.length < 2) log("  RSS slopes need at least 2 sizes (BENCH_WGR_SCALE with several sizes)");
  if (points.length >= 2) {
    const a = fit(points.map((p) => p.N * p.blocks * ALPHAS), points.map((p) => p.rss));
    const b = fit(points.map((p) => p.N * p.M), points.map((p) => p.rss));
    log(`  peak RSS vs samples × (blocks × alphas): ${(a.slope * 1024 * 1024).toFixed(1)} bytes per unit + ${a.intercept.toFixed(0)} MB (R² ${a.r2.toFixed(3)})`);
    log(`  peak RSS vs samples × variants:          ${(b.slope * 1024 * 1024).toFixed(3)} bytes per genotype + ${b.intercept.toFixed(0)} MB (R² ${b.r2.toFixed(3)})`);
    rows.push({ name: "RSS slope per sample×block×alpha", glowts: a.slope * 1024 * 1024, unit: `bytes (R² ${a.r2.toFixed(3)})` });
    rows.push({ name: "RSS slope per genotype", glowts: b.slope * 1024 * 1024, unit: `bytes (R² ${b.r2.toFixed(3)})` });
  }
  return rows;
}
