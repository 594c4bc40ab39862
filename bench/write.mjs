// write: `read("plink") → write(format)` throughput and peak RSS on a simulated cohort
// (BENCH_SAMPLES × BENCH_VARIANTS, default 10,000 × 100,000), next to plink2 on the same files:
// `write("plink")` vs `plink2 --make-bed`, `write("bgen", 16 bits)` vs `plink2 --export bgen-1.2`
// (16 bits), `write("bigvcf", .vcf.bgz)` vs `plink2 --export vcf bgz`. Each glowts case runs in a
// child process so that its peak RSS is its own; plink2's comes from /usr/bin/time.
// Environment: BENCH_SAMPLES, BENCH_VARIANTS, BENCH_WORKERS (all cores), BENCH_CASES (plink,bgen,vcf).
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const N = Number(process.env.BENCH_SAMPLES ?? 10000);
const M = Number(process.env.BENCH_VARIANTS ?? 100000);
const CASES = {
  plink: { label: "write plink", out: "w", options: {}, plink2: ["--make-bed"], files: (o) => [`${o}.bed`, `${o}.bim`, `${o}.fam`] },
  bgen: { label: "write bgen (16 bits, zlib)", out: "w.bgen", options: { bitsPerProbability: 16 }, plink2: ["--export", "bgen-1.2", "bits=16"], files: (o) => [o.endsWith(".bgen") ? o : `${o}.bgen`] },
  vcf: { label: "write bigvcf (.vcf.bgz)", out: "w.vcf.bgz", options: {}, plink2: ["--export", "vcf", "bgz"], files: (o) => [o.endsWith(".vcf.bgz") ? o : `${o}.vcf.gz`] },
};

function which(cmd) { try { execFileSync("sh", ["-c", `command -v ${cmd}`]); return true; } catch { return false; } }
function now() { return Number(process.hrtime.bigint()) / 1e9; }
const bytes = (fs) => fs.reduce((s, f) => s + (existsSync(f) ? statSync(f).size : 0), 0);

async function simulated(log) {
  const dir = path.join(tmpdir(), `glowts-bench-write-${N}x${M}`);
  const prefix = path.join(dir, "cohort");
  if (!existsSync(path.join(dir, "done"))) {
    const glow = await import("../dist/index.js");
    log(`simulating ${N} samples × ${M} variants in ${dir} …`);
    mkdirSync(dir, { recursive: true });
    await glow.simulate.cohort({ samples: N, variants: M, chromosomes: 2, out: dir, prefix: "cohort", formats: ["plink"] });
    await glow.shutdown();
    writeFileSync(path.join(dir, "done"), "");
  }
  return { dir, prefix, bed: `${prefix}.bed` };
}

async function childCase(spec) {
  const glow = await import("../dist/index.js");
  const c = CASES[spec.name];
  const t0 = now();
  const rows = await glow.read("plink", spec.bed).write(spec.name === "vcf" ? "bigvcf" : spec.name, spec.out, { ...c.options, workers: spec.workers, onProgress: false });
  const t1 = now();
  await glow.shutdown();
  const ru = process.resourceUsage();
  process.stdout.write(`RESULT ${JSON.stringify({ wall: t1 - t0, rows, maxRssMB: ru.maxRSS / 1024, cpu: (ru.userCPUTime + ru.systemCPUTime) / 1e6 })}\n`);
}

export async function run({ log }) {
  const files = await simulated(log);
  const workers = Number(process.env.BENCH_WORKERS ?? availableParallelism());
  const names = (process.env.BENCH_CASES ?? Object.keys(CASES).join(",")).split(",").filter(Boolean);
  const plink2 = which("plink2");
  const rows = [];
  for (const name of names) {
    const c = CASES[name];
    if (!c) throw new Error(`unknown case ${name}; cases: ${Object.keys(CASES).join(", ")}`);
    const load = loadavg()[0];
    const out = path.join(files.dir, `glowts-${c.out}`);
    for (const f of c.files(out)) rmSync(f, { force: true });
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
      env: { ...process.env, GLOWTS_BENCH_WRITE_CASE: JSON.stringify({ name, bed: files.bed, out, workers }) }, encoding: "utf8", maxBuffer: 1 << 26,
    });
    const line = r.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    if (r.status !== 0 || !line) throw new Error(`glowts case ${name} failed (exit ${r.status}):\n${r.stderr}\n${r.stdout}`);
    const g = JSON.parse(line.slice(7));
    const gBytes = bytes(c.files(out));
    let ref;
    if (plink2) {
      const pout = path.join(files.dir, `plink2-${name}`);
      const t0 = now();
      const p = spawnSync("/usr/bin/time", ["-f", "MAXRSS %M CPU %U %S", "plink2", "--bfile", files.prefix, ...c.plink2, "--threads", String(workers), "--out", pout], { encoding: "utf8", maxBuffer: 1 << 26 });
      const wall = now() - t0;
      if (p.status !== 0) throw new Error(`plink2 failed: ${p.stderr}\n${p.stdout}`);
      const m = /MAXRSS (\d+) CPU ([\d.]+) ([\d.]+)/.exec(p.stderr);
      ref = { wall, maxRssMB: m ? Number(m[1]) / 1024 : undefined, bytes: bytes(c.files(pout)) };
    }
    const ratio = ref ? g.wall / ref.wall : undefined;
    const mvps = (M / 1e6) / g.wall;
    log(`  ${c.label}: glowts ${g.wall.toFixed(2)} s (${(N * M / g.wall / 1e6).toFixed(0)} M genotypes/s, ${(gBytes / 1e6).toFixed(0)} MB, peak RSS ${g.maxRssMB.toFixed(0)} MB)` +
      (ref ? `; plink2 ${ref.wall.toFixed(2)} s (${(ref.bytes / 1e6).toFixed(0)} MB, peak RSS ${ref.maxRssMB?.toFixed(0) ?? "?"} MB); ratio ${ratio.toFixed(2)}` : "; plink2 not installed") +
      `; workers=${workers}, load before ${load.toFixed(1)}`);
    rows.push({ name: `${c.label} (${N}×${M}, ${workers} workers)`, glowts: g.wall, reference: ref?.wall, ratio, peakRssMB: g.maxRssMB, referencePeakRssMB: ref?.maxRssMB, megaVariantsPerSecond: mvps, bytes: gBytes, referenceBytes: ref?.bytes, loadAverage: load });
  }
  return rows;
}

if (process.env.GLOWTS_BENCH_WRITE_CASE && process.argv[1] === fileURLToPath(import.meta.url)) {
  await childCase(JSON.parse(process.env.GLOWTS_BENCH_WRITE_CASE));
}
