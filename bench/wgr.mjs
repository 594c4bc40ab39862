// wgr: GloWGR estimateLocoOffsets on a simulated cohort (default 5,000 samples × 50,000 variants ×
// 4 quantitative traits; BENCH_WGR_SAMPLES / BENCH_WGR_VARIANTS shrink it), 1,000 variants per
// block and 5 sample blocks, on all cores: wall time and peak RSS. Then the dominant kernels —
// the Gram product XᵀX of one block (5000×1000) and the Cholesky factorization of a 1000×1000 ridge system —
// in GFLOP/s next to numpy/OpenBLAS (Debian's python3-numpy) on the same shapes, same script.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as glow from "../dist/index.js";
import { gramRows, choleskyUpperInPlace } from "../dist/linalg/ridge-kernels.js";

const N = Number(process.env.BENCH_WGR_SAMPLES ?? 5000);
const M = Number(process.env.BENCH_WGR_VARIANTS ?? 50000);
const rss = () => process.resourceUsage().maxRSS / 1024;
const time = async (fn) => { const t = process.hrtime.bigint(); const v = await fn(); return { s: Number(process.hrtime.bigint() - t) / 1e9, v }; };

function numpy(code) {
  try { return JSON.parse(execFileSync("/usr/bin/python3", ["-c", code], { encoding: "utf8", env: { ...process.env, OPENBLAS_NUM_THREADS: "1" } })); }
  catch { return undefined; }
}

export async function run({ log }) {
  const rows = [];
  const dir = path.join(tmpdir(), `glowts-bench-wgr-${N}x${M}`);
  if (!existsSync(path.join(dir, "done"))) {
    log(`simulating ${N} × ${M} (4 quantitative traits) in ${dir} …`);
    mkdirSync(dir, { recursive: true });
    await glow.simulate.cohort({ samples: N, variants: M, chromosomes: 4, quantitativeTraits: 4, causal: 200, out: dir, formats: ["plink"] });
    writeFileSync(path.join(dir, "done"), "");
  }
  const frame = glow.read("plink", path.join(dir, "cohort.bed"))
    .withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")))
    .filter(glow.functions.arraySize(glow.functions.arrayDistinct("values")).gt(1));
  const labels = await glow.readSampleTable(path.join(dir, "cohort.phenotypes.txt"));
  const covs = await glow.readSampleTable(path.join(dir, "cohort.covariates.txt"));
  const t = await time(async () => {
    const ids = await glow.wgr.getSampleIds(frame);
    const { blockDf, sampleBlocks } = await glow.wgr.blockVariantsAndSamples(frame, ids, 1000, 5);
    return glow.wgr.estimateLocoOffsetsToTable(blockDf, labels, sampleBlocks, covs, { log: false });
  });
  log(`  estimateLocoOffsets ${N}×${M}×4: ${t.s.toFixed(1)} s, peak RSS ${rss().toFixed(0)} MB, ${t.v.chromosomes.length} chromosomes`);
  rows.push({ name: `estimateLocoOffsets ${N}×${M}×4 traits (wall)`, glowts: t.s, peakRssMB: rss() });

  // dominant kernels vs numpy/OpenBLAS (one thread each)
  const p = 1000, n = 5000;
  const xt = new Float64Array(p * n);
  for (let i = 0; i < xt.length; i++) xt[i] = Math.sin(i * 12.9898) * 0.5;
  const g = await time(() => gramRows(xt, p, n));
  const gramFlops = p * p * n; // symmetric half of 2·p²·n
  const a = Float64Array.from(g.v);
  for (let i = 0; i < p; i++) a[i * p + i] += 10;
  const c = await time(() => choleskyUpperInPlace(a, p));
  const cholFlops = (p * p * p) / 3;
  const np = numpy(`
import numpy as np, time, json
p, n = ${p}, ${n}
x = np.sin(np.arange(p*n)*12.9898).reshape(p, n)*0.5
t=time.perf_counter(); g = x @ x.T; tg=time.perf_counter()-t
a = g + 10*np.eye(p)
t=time.perf_counter(); L = np.linalg.cholesky(a); tc=time.perf_counter()-t
print(json.dumps({"gram": tg, "chol": tc}))`);
  const gf = (flops, s) => flops / s / 1e9;
  log(`  Gram XᵀX ${n}×${p}: glowts ${gf(gramFlops, g.s).toFixed(2)} GFLOP/s` + (np ? `, numpy/OpenBLAS (1 thread, full product) ${gf(2 * gramFlops, np.gram).toFixed(2)} GFLOP/s` : " (numpy not installed)"));
  log(`  Cholesky factorization ${p}×${p}: glowts ${gf(cholFlops, c.s).toFixed(2)} GFLOP/s` + (np ? `, numpy/OpenBLAS ${gf(cholFlops, np.chol).toFixed(2)} GFLOP/s` : ""));
  rows.push({ name: `Gram ${n}×${p} (GFLOP/s)`, glowts: gf(gramFlops, g.s), reference: np ? gf(2 * gramFlops, np.gram) : undefined, ratio: np ? gf(2 * gramFlops, np.gram) / gf(gramFlops, g.s) : undefined, unit: "GFLOP/s (ratio = numpy/glowts)", peakRssMB: rss() });
  rows.push({ name: `Cholesky ${p}×${p} (GFLOP/s)`, glowts: gf(cholFlops, c.s), reference: np ? gf(cholFlops, np.chol) : undefined, ratio: np ? gf(cholFlops, np.chol) / gf(cholFlops, c.s) : undefined, unit: "GFLOP/s (ratio = numpy/glowts)", peakRssMB: rss() });
  return rows;
}
