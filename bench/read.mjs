// read: throughput of `read → genotypeStates → count of non-missing` in genotypes/s on a simulated
// 10,000-sample × 20,000-variant cohort (PLINK bed and 8-bit BGEN), with 1 and all cores, next to
// `plink2 --freq` on the same files (Debian's plink2) when it is installed. The PLINK 2 `.pgen` case
// reads `plink2 --bfile cohort --make-pgen` of the same bed (made when plink2 is installed).
// BENCH_FORMATS=plink,bgen,pgen selects the cases.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { availableParallelism, tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as glow from "../dist/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const N = Number(process.env.BENCH_SAMPLES ?? 10000);
const M = Number(process.env.BENCH_VARIANTS ?? 20000);

function which(cmd) { try { execFileSync("sh", ["-c", `command -v ${cmd}`]); return true; } catch { return false; } }
function rssMB() { return process.resourceUsage().maxRSS / 1024; }

async function timeIt(fn) { const t0 = process.hrtime.bigint(); const v = await fn(); return { s: Number(process.hrtime.bigint() - t0) / 1e9, v }; }

export async function run({ log }) {
  const dir = path.join(tmpdir(), `glowts-bench-read-${N}x${M}`);
  if (!existsSync(path.join(dir, "done"))) {
    log(`simulating ${N} samples × ${M} variants in ${dir} …`);
    mkdirSync(dir, { recursive: true });
    const t = await timeIt(() => glow.simulate.cohort({ samples: N, variants: M, chromosomes: 2, out: dir, prefix: "cohort", formats: ["plink", "bgen"], bgenBits: 8 }));
    writeFileSync(path.join(dir, "done"), "");
    log(`  simulated in ${t.s.toFixed(1)} s`);
  }
  const bed = path.join(dir, "cohort.bed");
  const bgen = path.join(dir, "cohort.bgen");
  const cores = availableParallelism();
  const genotypes = N * M;
  const rows = [];
  const plink2 = which("plink2");
  const counter = path.join(here, "count-called.mjs");
  const pgen = path.join(dir, "cohort.pgen");
  if (plink2 && !existsSync(pgen)) execFileSync("plink2", ["--bfile", bed.slice(0, -4), "--make-pgen", "--out", pgen.slice(0, -5)], { stdio: "pipe" });
  const wanted = (process.env.BENCH_FORMATS ?? "plink,bgen,pgen").split(",");
  const cases = [["plink", bed], ["bgen", bgen], ...(plink2 ? [["pgen", pgen]] : [])].filter(([f]) => wanted.includes(f));
  for (const [format, file] of cases) {
    for (const workers of [1, cores]) {
      const df = glow.read(format, file).select(glow.functions.genotypeStates("genotypes").alias("gs")).mapPartitions(counter, "countCalled");
      await df.count({ workers, onProgress: false }); // warm-up (pool start, page cache)
      const t = await timeIt(async () => {
        let called = 0;
        for await (const b of df.partitions({ workers, onProgress: false })) for (const c of b.columns.called.values) called += c;
        return called;
      });
      let ref;
      if (plink2) {
        const args = format === "plink" ? ["--bfile", bed.slice(0, -4)] : format === "pgen" ? ["--pfile", pgen.slice(0, -5)] : ["--bgen", bgen, "ref-first", "--sample", path.join(dir, "cohort.sample")];
        if (format === "bgen" && !existsSync(path.join(dir, "cohort.sample"))) {
          writeFileSync(path.join(dir, "cohort.sample"), "ID_1 ID_2 missing sex\n0 0 0 D\n" + Array.from({ length: N }, (_, i) => `F${i + 1} I${i + 1} 0 NA`).join("\n") + "\n");
        }
        const r = await timeIt(() => execFileSync("plink2", [...args, "--freq", "--threads", String(workers), "--out", path.join(dir, `p2-${format}`)], { stdio: "pipe" }));
        ref = r.s;
      }
      log(`  ${format} workers=${workers}: ${t.s.toFixed(2)} s, ${(genotypes / t.s / 1e6).toFixed(0)} M genotypes/s; called=${t.v}` + (ref ? `; plink2 --freq ${ref.toFixed(2)} s` : ""));
      rows.push({ name: `${format} genotypeStates+count, ${workers} worker(s)`, glowts: t.s, reference: ref, ratio: ref ? t.s / ref : undefined, peakRssMB: rssMB(), throughput: genotypes / t.s });
    }
  }
  return rows;
}
