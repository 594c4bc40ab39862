// Variant QC functions against PLINK 2 (Debian's plink2): call rate vs --missing, allele
// frequencies vs --freq, Hardy–Weinberg mid-p vs --hardy midp. Genotypes come from the simulator
// with some calls blanked (written as PLINK), so both tools read the same file.
import { describe, expect, it, afterAll } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as glow from "../../dist/index.js";

function hasPlink2(): boolean {
  try { execFileSync("sh", ["-c", "command -v plink2"]); return true; } catch { return false; }
}

function table(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, "utf8").trim().split("\n");
  const cols = head!.replace(/^#/, "").split("\t");
  return lines.map((l) => Object.fromEntries(l.split("\t").map((v, i) => [cols[i]!, v])));
}

afterAll(async () => { await glow.shutdown(); });

describe.skipIf(!hasPlink2())("call_summary_stats / hardy_weinberg vs plink2 (skipped when plink2 is absent)", () => {
  it("agree on every variant of a simulated cohort with missing calls", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "glowts-qc-"));
    const c = await glow.simulate.cohort({ samples: 400, variants: 300, out: dir, formats: ["plink"], seed: 4, populations: 2, fst: 0.2 });
    // blank ~3% of calls (code 01) directly in the bed so that call rates vary
    const bed = readFileSync(c.files.bed!);
    const rng = new glow.simulate.Random(1);
    const bpv = Math.ceil(400 / 4);
    for (let v = 0; v < 300; v++) for (let s = 0; s < 400; s++) {
      if (rng.uniform() < 0.03) { const at = 3 + v * bpv + (s >> 2); bed[at] = (bed[at]! & ~(3 << ((s & 3) * 2))) | (1 << ((s & 3) * 2)); }
    }
    writeFileSync(c.files.bed!, bed);
    const out = path.join(dir, "p2");
    execFileSync("plink2", ["--bfile", c.files.plinkPrefix!, "--freq", "--missing", "variant-only", "--hardy", "midp", "--out", out], { stdio: "pipe" });
    const freq = table(`${out}.afreq`), miss = table(`${out}.vmiss`), hardy = table(`${out}.hardy`);
    const rows = await glow.read("plink", c.files.bed!)
      .select("names", glow.functions.expandStruct(glow.functions.callSummaryStats("genotypes")), glow.functions.hardyWeinberg("genotypes").alias("hwe"))
      .collect();
    expect(rows.length).toBe(300);
    rows.forEach((r, j) => {
      expect((r["names"] as string[])[0]).toBe(freq[j]!["ID"]);
      // plink2 prints 6 significant digits → tolerances 1e-5 relative-ish
      expect(r["callRate"] as number).toBeCloseTo(1 - Number(miss[j]!["F_MISS"]), 5);
      expect((r["alleleFrequencies"] as number[])[1]!).toBeCloseTo(Number(freq[j]!["ALT_FREQS"]), 5);
      const hwe = r["hwe"] as { hetFreqHwe: number; pValueHwe: number };
      const p = Number(hardy[j]!["MIDP"] ?? hardy[j]!["P"]);
      expect(Math.abs(hwe.pValueHwe - p)).toBeLessThanOrEqual(Math.max(1e-6 * p, 1e-300) + 5e-6 * p);
      // plink2's E(HET) is 2pq; Glow's (Levene–Haldane mean / n) is 2pq·2n/(2n−1), 2n = alleles observed
      const twoN = Number(freq[j]!["OBS_CT"]);
      expect(hwe.hetFreqHwe).toBeCloseTo((Number(hardy[j]!["E(HET_A1)"]) * twoN) / (twoN - 1), 5);
    });
  });
});

describe("packed-PLINK fast path", () => {
  it("equals the calls-based kernels on the same genotypes", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "glowts-qc-fast-"));
    const c = await glow.simulate.cohort({ samples: 203, variants: 150, out: dir, formats: ["plink"], seed: 9 }); // 203: a partial last byte
    const { callSummaryStatsColumn, hardyWeinbergColumn } = await import("../../dist/functions/qc.js");
    // in the workers the genotypes are still packed: the fast path runs
    const fast = await glow.read("plink", c.files.bed!)
      .select(glow.functions.callSummaryStats("genotypes").alias("s"), glow.functions.hardyWeinberg("genotypes").alias("h")).collect({ workers: 2 });
    // on this thread the collected genotypes carry materialized calls: the general kernels run
    const b = await glow.read("plink", c.files.bed!).collectBatch({ workers: 2 });
    const na = new Int32Array(b.numRows).fill(2);
    const s = callSummaryStatsColumn(b.columns["genotypes"]!, na);
    const h = hardyWeinbergColumn(b.columns["genotypes"]!);
    fast.forEach((r, i) => {
      expect(r["s"]).toEqual(glow.getValue(s, i));
      expect(r["h"]).toEqual(glow.getValue(h, i));
    });
  });
});

describe("Levene–Haldane kernel", () => {
  it("is a probability distribution with the closed-form mean nA·nB/(2n−1)", async () => {
    const { leveneHaldane } = await import("../../dist/functions/qc.js");
    for (const [n, nA] of [[10, 5], [100, 37], [1000, 500], [7, 0]] as const) {
      const p = leveneHaldane(n, nA);
      const sum = p.reduce((a, b) => a + b, 0);
      const mean = p.reduce((a, b, h) => a + b * h, 0);
      expect(sum).toBeCloseTo(1, 12);
      expect(mean).toBeCloseTo((nA * (2 * n - nA)) / (2 * n - 1), 9);
      p.forEach((v, h) => { if ((h & 1) !== (nA & 1)) expect(v).toBe(0); });
    }
  });
});
