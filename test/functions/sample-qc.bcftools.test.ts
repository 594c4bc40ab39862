// Sample and variant QC on the tutorial's VCF (notebooks/fixtures/qc-cohort.vcf.gz: multiallelic SNPs and
// indels, GT:AD:DP:GQ:PL) against bcftools: per-sample genotype counts vs `bcftools stats -s -`
// (PSC, on the sites with only SNP alleles, where bcftools counts them), per-sample and per-variant DP/GQ summaries vs
// the values `bcftools query` prints. Tolerances: counts exact; means/SDs 1e-9 relative; bcftools'
// one-decimal average depth within 0.05.
import { afterAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as glow from "../../dist/index.js";

const f = glow.functions;
const VCF = path.resolve(process.cwd(), "notebooks/fixtures/qc-cohort.vcf.gz");
function has(cmd: string): boolean { try { execFileSync("sh", ["-c", `command -v ${cmd}`]); return true; } catch { return false; } }
const HAVE = has("bcftools");
if (!HAVE) console.warn("skipping sample QC vs bcftools: bcftools is absent");
afterAll(async () => { await glow.shutdown(); });

function moments(xs: number[]): { mean: number; stdDev: number; min: number; max: number } {
  const n = xs.length, mean = xs.reduce((s, x) => s + x, 0) / n;
  return { mean, stdDev: Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)), min: Math.min(...xs), max: Math.max(...xs) };
}
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(1, Math.abs(b));

describe.skipIf(!HAVE)("sample QC vs bcftools (skipped when bcftools is absent)", () => {
  it("sampleCallSummaryStats equals bcftools stats PSC on the SNP sites (biallelic and multiallelic)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "glowts-sqc-"));
    const snps = path.join(dir, "snps.vcf.gz");
    execFileSync("bcftools", ["view", "-V", "indels,mnps,other", "-Oz", "-o", snps, VCF]);
    const text = execFileSync("bcftools", ["stats", "-s", "-", snps], { encoding: "utf8" });
    const psc = text.split("\n").filter((l) => l.startsWith("PSC\t")).map((l) => l.split("\t"));
    const t = await f.sampleCallSummaryStats(glow.read("vcf", snps), "genotypes");
    expect(t.index.length).toBe(120);
    expect(psc.length).toBe(120);
    const col = (c: string): number[] => t.column(c).values as number[];
    psc.forEach((p, i) => {
      expect(t.index[i]).toBe(p[2]);
      expect([col("nHomRef")[i], col("nHomVar")[i], col("nHet")[i], col("nUncalled")[i]]).toEqual([Number(p[3]), Number(p[4]), Number(p[5]), Number(p[13])]);
      expect(col("callRate")[i]).toBeCloseTo(1 - Number(p[13]) / (col("nCalled")[i]! + col("nUncalled")[i]!), 12);
    });
    const multi = execFileSync("bcftools", ["view", "-H", "-m3", snps], { encoding: "utf8" }).trim().split("\n").length;
    expect(multi).toBeGreaterThan(20); // the comparison covers multiallelic sites
  });

  it("filterSamples keeps the genotypes bcftools view -s keeps", async () => {
    const keep = ["S120", "S003", "S064", "S042"];
    const want = execFileSync("bcftools", ["query", "-s", keep.join(","), "-f", "[%GT:%DP\t]\n", VCF], { encoding: "utf8", maxBuffer: 1 << 28 }).trim().split("\n");
    const rows = await glow.read("vcf", VCF).select(f.filterSamples("genotypes", keep).alias("g")).collect({ workers: 2 });
    expect(rows.length).toBe(want.length);
    rows.forEach((r, i) => {
      const g = r["g"] as { sampleId: string; calls: number[]; depth: number | null }[];
      expect(g.map((x) => x.sampleId)).toEqual(["S003", "S042", "S064", "S120"]); // the file's sample order
      const byId = new Map(g.map((x) => [x.sampleId, x]));
      // bcftools query -s prints the samples in the order given
      want[i]!.split("\t").filter((x) => x !== "").forEach((cell, k) => {
        const [gt, dp] = cell.split(":");
        const x = byId.get(keep[k]!)!;
        expect(x.calls.map((c) => (c < 0 ? "." : String(c))).join("/")).toBe(gt);
        expect(x.depth === null ? "." : String(x.depth)).toBe(dp);
      });
    });
  });

  it("sampleDpSummaryStats / sampleGqSummaryStats equal the moments of bcftools query's DP and GQ", async () => {
    const lines = execFileSync("bcftools", ["query", "-f", "[%SAMPLE\t%DP\t%GQ\n]", VCF], { encoding: "utf8", maxBuffer: 1 << 28 }).trim().split("\n");
    const dp = new Map<string, number[]>(), gq = new Map<string, number[]>();
    for (const l of lines) {
      const [s, d, q] = l.split("\t");
      if (d !== ".") (dp.get(s!) ?? dp.set(s!, []).get(s!)!).push(Number(d));
      if (q !== ".") (gq.get(s!) ?? gq.set(s!, []).get(s!)!).push(Number(q));
    }
    const frame = glow.read("vcf", VCF);
    const pairs: [import("danfojs-node").DataFrame, Map<string, number[]>][] = [[await f.sampleDpSummaryStats(frame), dp], [await f.sampleGqSummaryStats(frame), gq]];
    for (const [t, ref] of pairs) {
      expect(t.index.length).toBe(120);
      t.index.forEach((id, i) => {
        const m = moments(ref.get(String(id))!);
        for (const k of ["mean", "stdDev", "min", "max"] as const) expect(rel((t.column(k).values as number[])[i]!, m[k])).toBeLessThan(1e-9);
      });
    }
    // bcftools stats' per-sample "average depth" (one decimal)
    const psc = execFileSync("bcftools", ["stats", "-s", "-", VCF], { encoding: "utf8" }).split("\n").filter((l) => l.startsWith("PSC\t")).map((l) => l.split("\t"));
    const t = await f.sampleDpSummaryStats(frame);
    psc.forEach((p, i) => expect(Math.abs((t.column("mean").values as number[])[i]! - Number(p[9]))).toBeLessThanOrEqual(0.05 + 1e-9));
  });

  it("dpSummaryStats / gqSummaryStats per variant equal the moments of bcftools query's values", async () => {
    const lines = execFileSync("bcftools", ["query", "-f", "[%DP,]\t[%GQ,]\n", VCF], { encoding: "utf8", maxBuffer: 1 << 28 }).trim().split("\n");
    const rows = await glow.read("vcf", VCF).select(f.dpSummaryStats().alias("dp"), f.gqSummaryStats().alias("gq")).collect({ workers: 2 });
    expect(rows.length).toBe(lines.length);
    rows.forEach((r, i) => {
      const [d, q] = lines[i]!.split("\t").map((s) => s.split(",").filter((x) => x !== "" && x !== ".").map(Number));
      for (const [got, xs] of [[r["dp"], d], [r["gq"], q]] as [Record<string, number>, number[]][]) {
        const m = moments(xs);
        for (const k of ["mean", "stdDev", "min", "max"] as const) expect(rel(got[k]!, m[k])).toBeLessThan(1e-9);
      }
    });
  });
});

describe.skipIf(!HAVE)("call_summary_stats at multiallelic sites vs bcftools +fill-tags (skipped when bcftools is absent)", () => {
  it("alleleCounts, nAllelesCalled, alleleFrequencies equal AC, AN, AF recomputed by bcftools", async () => {
    const lines = execFileSync("sh", ["-c", `bcftools annotate -x INFO ${VCF} | bcftools +fill-tags - -- -t AC,AN,AF | bcftools query -f '%POS\\t%ALT\\t%AC\\t%AN\\t%AF\\n'`], { encoding: "utf8", maxBuffer: 1 << 28 }).trim().split("\n");
    const rows = await glow.read("vcf", VCF).select(glow.col("start").plus(1).alias("pos"), f.callSummaryStats("genotypes").alias("s")).collect({ workers: 2 });
    expect(rows.length).toBe(lines.length);
    let multi = 0;
    rows.forEach((r, i) => {
      const [pos, alt, ac, an, af] = lines[i]!.split("\t");
      const s = r["s"] as { alleleCounts: number[]; nAllelesCalled: number; alleleFrequencies: number[] };
      expect(r["pos"]).toBe(Number(pos));
      if (alt!.includes(",")) multi++;
      // every genotype of the fixture is fully called or fully missing, so AN counts the same alleles
      expect(s.alleleCounts.slice(1)).toEqual(ac!.split(",").map(Number));
      expect(s.nAllelesCalled).toBe(Number(an));
      s.alleleFrequencies.slice(1).forEach((x, k) => expect(Math.abs(x - Number(af!.split(",")[k]))).toBeLessThanOrEqual(5e-7 * Math.max(1, x) + 1e-6));
    });
    expect(multi).toBeGreaterThan(50);
  });
});
