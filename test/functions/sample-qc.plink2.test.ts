// Per-sample QC aggregates against PLINK 2 on the same PLINK fileset (simulated, ~4% of calls blanked):
// callRate/nUncalled vs --missing (F_MISS, MISSING_CT), nHomRef/nHet/nHomVar/nSnp/rTiTv inputs vs
// --sample-counts, and homozygote counts vs --het (O(HOM), OBS_CT, on the variants plink2 uses: the
// polymorphic ones). Runs on the worker pool (partial aggregates per partition, combined).
// Tolerances: counts exact; F_MISS to plink2's 6 significant digits.
import { afterAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as glow from "../../dist/index.js";

const f = glow.functions;
function hasPlink2(): boolean { try { execFileSync("sh", ["-c", "command -v plink2"]); return true; } catch { return false; } }
if (!hasPlink2()) console.warn("skipping sample QC vs plink2: plink2 is absent");
function table(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, "utf8").trim().split("\n");
  const cols = head!.replace(/^#/, "").split("\t");
  return lines.map((l) => Object.fromEntries(l.split("\t").map((v, i) => [cols[i]!, v])));
}
afterAll(async () => { await glow.shutdown(); });

describe.skipIf(!hasPlink2())("sample QC vs plink2 (skipped when plink2 is absent)", () => {
  it("agrees sample by sample", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "glowts-sqc-p2-"));
    const ns = 230, nv = 700;
    const c = await glow.simulate.cohort({ samples: ns, variants: nv, out: dir, formats: ["plink"], seed: 11, populations: 2, fst: 0.1 });
    const bed = readFileSync(c.files.bed!);
    const rng = new glow.simulate.Random(3);
    const bpv = Math.ceil(ns / 4);
    for (let v = 0; v < nv; v++) for (let s = 0; s < ns; s++) {
      // sample-dependent missingness: 1%..10%
      if (rng.uniform() < 0.01 + 0.09 * (s % 10) / 9) { const at = 3 + v * bpv + (s >> 2); bed[at] = (bed[at]! & ~(3 << ((s & 3) * 2))) | (1 << ((s & 3) * 2)); }
    }
    writeFileSync(c.files.bed!, bed);
    const out = path.join(dir, "p2");
    execFileSync("plink2", ["--bfile", c.files.plinkPrefix!, "--missing", "sample-only", "--het", "--sample-counts", "--out", out], { stdio: "pipe" });
    const smiss = table(`${out}.smiss`), het = table(`${out}.het`), counts = table(`${out}.scount`);

    const frame = glow.read("plink", c.files.bed!);
    const t = await f.sampleCallSummaryStats(frame);
    const col = (d: typeof t, k: string): number[] => d.column(k).values as number[];
    expect(t.index.length).toBe(ns);
    // --het uses the polymorphic variants only
    const poly = frame.filter(f.callSummaryStats("genotypes").getField("nHomozygous").getItem(0).lt(f.callSummaryStats("genotypes").getField("nCalled")).and(
      f.callSummaryStats("genotypes").getField("nHomozygous").getItem(1).lt(f.callSummaryStats("genotypes").getField("nCalled"))));
    const th = await f.sampleCallSummaryStats(poly);
    for (let s = 0; s < ns; s++) {
      const id = `${smiss[s]!["FID"]}_${smiss[s]!["IID"]}`;
      expect(t.index[s]).toBe(id);
      expect(col(t, "nUncalled")[s]).toBe(Number(smiss[s]!["MISSING_CT"]));
      expect(col(t, "nCalled")[s]! + col(t, "nUncalled")[s]!).toBe(Number(smiss[s]!["OBS_CT"]));
      expect(Math.abs(1 - col(t, "callRate")[s]! - Number(smiss[s]!["F_MISS"]))).toBeLessThanOrEqual(5e-6 * Math.max(Number(smiss[s]!["F_MISS"]), 1e-3));
      const k = counts[s]!;
      expect(col(t, "nHomRef")[s]).toBe(Number(k["HOM_REF_CT"]));
      expect(col(t, "nHet")[s]).toBe(Number(k["HET_SNP_CT"]));
      expect(col(t, "nHomVar")[s]).toBe(Number(k["HOM_ALT_SNP_CT"]));
      // Glow counts alternate-allele copies; plink2 counts genotypes
      expect(col(t, "nSnp")[s]).toBe(Number(k["HET_SNP_CT"]) + 2 * Number(k["HOM_ALT_SNP_CT"]));
      expect(col(t, "nTransition")[s]! + col(t, "nTransversion")[s]!).toBe(col(t, "nSnp")[s]);
      expect(Number(k["DIPLOID_TRANSITION_CT"]) + Number(k["DIPLOID_TRANSVERSION_CT"])).toBe(Number(k["HET_SNP_CT"]) + Number(k["HOM_ALT_SNP_CT"]));
      expect(col(th, "nHomRef")[s]! + col(th, "nHomVar")[s]!).toBe(Number(het[s]!["O(HOM)"]));
      expect(col(th, "nCalled")[s]).toBe(Number(het[s]!["OBS_CT"]));
    }
  }, 60_000);
});
