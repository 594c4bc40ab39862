// The simulator against what it was asked for: statistical checks with fixed seeds and stated
// tolerances (several standard errors), plink2 --freq on the written files, and reproducibility.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as glow from "../../dist/index.js";

function hasPlink2(): boolean {
  try { execFileSync("sh", ["-c", "command -v plink2"]); return true; } catch { return false; }
}

function mean(a: ArrayLike<number>): number { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]!; return s / a.length; }
function corr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ma = mean(a), mb = mean(b);
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < a.length; i++) { sab += (a[i]! - ma) * (b[i]! - mb); saa += (a[i]! - ma) ** 2; sbb += (b[i]! - mb) ** 2; }
  return sab / Math.sqrt(saa * sbb);
}

describe("simulate.cohort", () => {
  it("allele frequencies follow the ancestral ones within binomial sampling error", async () => {
    const N = 1000, M = 2000;
    const c = await glow.simulate.cohort({ samples: N, variants: M, seed: 7 });
    const { ancestralFrequency: p, observedFrequency: q } = c.truth;
    // z_j = (q_j − p_j)/sqrt(p(1−p)/2N) is ~N(0,1): mean z² = 1 ± 5·sqrt(2/M)
    let z2 = 0;
    for (let j = 0; j < M; j++) z2 += (q[j]! - p[j]!) ** 2 / ((p[j]! * (1 - p[j]!)) / (2 * N));
    expect(Math.abs(z2 / M - 1)).toBeLessThan(5 * Math.sqrt(2 / M));
    for (let j = 0; j < M; j++) expect(Math.min(p[j]!, 1 - p[j]!)).toBeGreaterThanOrEqual(0.05);
  });

  it("Fst of the Balding–Nichols populations matches the one asked (within 15%)", async () => {
    const F = 0.1, K = 2, N = 2000, M = 3000;
    const c = await glow.simulate.cohort({ samples: N, variants: M, populations: K, fst: F, seed: 11 });
    const { ancestralFrequency: p, observedPopulationFrequency: q } = c.truth;
    // E[(q_kj − p_j)²] = F p_j(1−p_j) + q(1−q)/(2 n_k): subtract the sampling part, ratio of sums.
    const nk = N / K;
    let num = 0, den = 0;
    for (let j = 0; j < M; j++) for (let k = 0; k < K; k++) {
      const qk = q[j * K + k]!;
      num += (qk - p[j]!) ** 2 - (qk * (1 - qk)) / (2 * nk - 1);
      den += p[j]! * (1 - p[j]!);
    }
    expect(Math.abs(num / den - F) / F).toBeLessThan(0.15);
  });

  it("heritability and prevalence are what was asked", async () => {
    const N = 4000, h2 = 0.4, K = 0.2;
    const c = await glow.simulate.cohort({ samples: N, variants: 500, heritability: h2, quantitativeTraits: 1, binaryTraits: 1, prevalence: K, causal: 30, seed: 3 });
    // r²(y, g) ≈ h² (covariate effects are small): Fisher-z SE of r is 1/sqrt(N−3); allow 4 SE on r.
    const r = corr(c.phenotypes["Q1"]!, c.truth.geneticValue["Q1"]!);
    expect(Math.abs(r - Math.sqrt(h2))).toBeLessThan(4 / Math.sqrt(N - 3));
    // case fraction ~ Binomial(N, K)/N within 4 SE
    const cases = mean(c.phenotypes["B1"]!);
    expect(Math.abs(cases - K)).toBeLessThan(4 * Math.sqrt((K * (1 - K)) / N));
    expect(c.truth.causal.filter((x) => x.trait === "Q1").length).toBe(30);
  });

  it("phenotype missingness is applied at the rate asked", async () => {
    const c = await glow.simulate.cohort({ samples: 3000, variants: 50, missingness: 0.1, seed: 5 });
    const miss = mean(Array.from(c.phenotypes["Q1"]!, (v) => (Number.isNaN(v) ? 1 : 0)));
    expect(Math.abs(miss - 0.1)).toBeLessThan(4 * Math.sqrt(0.09 / 3000));
  });

  it("the same seed gives byte-identical files", async () => {
    const a = mkdtempSync(path.join(tmpdir(), "glowts-sim-a-"));
    const b = mkdtempSync(path.join(tmpdir(), "glowts-sim-b-"));
    const opts = { samples: 200, variants: 300, formats: ["plink", "bgen", "vcf"] as ("plink" | "bgen" | "vcf")[], binaryTraits: 1, seed: 99 };
    await glow.simulate.cohort({ ...opts, out: a });
    await glow.simulate.cohort({ ...opts, out: b });
    for (const f of ["cohort.bed", "cohort.bim", "cohort.fam", "cohort.bgen", "cohort.vcf.gz", "cohort.phenotypes.txt", "cohort.covariates.txt"]) {
      expect(readFileSync(path.join(a, f)).equals(readFileSync(path.join(b, f))), f).toBe(true);
    }
  });

  it.skipIf(!hasPlink2())("plink2 --freq reads the written bed and VCF and agrees with the simulated frequencies", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "glowts-sim-p2-"));
    const c = await glow.simulate.cohort({ samples: 300, variants: 400, formats: ["plink", "vcf"], out: dir, seed: 21 });
    for (const args of [["--bfile", path.join(dir, "cohort")], ["--vcf", path.join(dir, "cohort.vcf.gz")]]) {
      execFileSync("plink2", [...args, "--freq", "--out", path.join(dir, "p2")], { stdio: "pipe" });
      const lines = readFileSync(path.join(dir, "p2.afreq"), "utf8").trim().split("\n").slice(1);
      expect(lines.length).toBe(400);
      lines.forEach((l, j) => {
        const [, id, , , freq] = l.split("\t");
        expect(id).toBe(c.variantIds[j]);
        // plink2 prints frequencies with 5 significant digits
        expect(Math.abs(Number(freq) - c.truth.observedFrequency[j]!)).toBeLessThan(1e-4);
      });
    }
  });

  it("rejects impossible options with the option's name", async () => {
    await expect(glow.simulate.cohort({ fst: 1.5 })).rejects.toThrow(/option 'fst'/);
    await expect(glow.simulate.cohort({ samples: 1 })).rejects.toThrow(/option 'samples'/);
  });
});
