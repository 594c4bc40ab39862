// glow.functions.hardCalls, both forms, against QCTool's thresholded GT (the *.threshold-<t>.vcf twins
// of the BGEN files in ../shared/data/glow/bgen, as Glow's BgenReaderSuite uses them) and Glow's
// specification (colex index 1 → [0, 1]). The convenience form also equals the BGEN reader's own hard
// calls at the default and a stricter threshold. Tolerance: calls exact.
import { describe, expect, it, afterAll } from "vitest";
import { existsSync } from "node:fs";
import * as path from "node:path";
import * as glow from "../../dist/index.js";
import { readTwinVcf } from "../io/bgen/bgen-vcf-twin.js";

const DATA = path.resolve(process.cwd(), "../shared/data");
if (!existsSync(DATA)) console.warn(`skipping hardCalls reference tests: ${DATA} is absent`);
afterAll(async () => { await glow.shutdown(); });

describe.skipIf(!existsSync(DATA))("hardCalls on genotypes (needs ../shared/data)", () => {
  for (const file of ["example.16bits.bgen", "phased.16bits.bgen", "complex.16bits.bgen"]) {
    for (const threshold of [0.9, 0.95]) {
      it(`${file} at ${threshold}`, async () => {
        const p = path.join(DATA, "glow/bgen", file);
        const expected = await glow.read("bgen", p, { hardCallThreshold: threshold }).select("genotypes").collect();
        const got = await glow.read("bgen", p, { emitHardCalls: false })
          .select(glow.functions.hardCalls("genotypes", threshold).alias("genotypes")).collect();
        expect(got.length).toBe(expected.length);
        got.forEach((row, i) => {
          const g = row["genotypes"] as { calls: number[] }[];
          const e = expected[i]!["genotypes"] as { calls: number[] }[];
          expect(g.map((x) => x.calls)).toEqual(e.map((x) => x.calls));
        });
      });
    }
  }
});

// [bgen, QCTool twin, threshold]; complex.16bits has haploid and triploid samples: Glow's hard calls are
// diploid only, so those are compared as no-calls (convenience form, as the reader) or skipped (the
// 4-argument form always returns two calls).
const TWINS: [string, string, number][] = [
  ["example.16bits.bgen", "example.16bits.threshold-0.9.vcf", 0.9],
  ["example.16bits.bgen", "example.16bits.threshold-0.95.vcf", 0.95],
  ["phased.16bits.bgen", "phased.16bits.threshold-0.9.vcf", 0.9],
  ["complex.16bits.bgen", "complex.16bits.threshold-0.9.vcf", 0.9],
];

describe.skipIf(!existsSync(DATA))("hardCalls vs QCTool's thresholded GT (needs ../shared/data)", () => {
  for (const [bgen, twinName, threshold] of TWINS) {
    it(`hardCalls(probabilities, numAlts, phased, ${threshold}) on ${bgen} = GT of ${twinName}`, async () => {
      const twin = readTwinVcf(path.join(DATA, "glow/bgen", twinName));
      const rows = await glow.read("bgen", path.join(DATA, "glow/bgen", bgen), { emitHardCalls: false })
        .explode("genotypes", "g")
        .select(
          glow.col("g.ploidy").alias("ploidy"),
          glow.functions.hardCalls("g.posteriorProbabilities", glow.functions.arraySize("alternateAlleles"), glow.col("g.phased"), threshold).alias("calls"),
        )
        .collect();
      const want = twin.rows.flatMap((r) => r.genotypes.map((g) => g.calls!));
      expect(rows.length).toBe(want.length);
      let n = 0, hets = 0;
      rows.forEach((r, i) => {
        if (want[i]!.length !== 2) return;
        expect(r["ploidy"]).toBe(2);
        if (JSON.stringify(r["calls"]) !== JSON.stringify(want[i])) throw new Error(`${bgen} genotype ${i}: ${JSON.stringify(r["calls"])} vs GT ${JSON.stringify(want[i])}`);
        n++;
        if (want[i]![0] !== want[i]![1] && want[i]![0]! >= 0) hets++;
      });
      expect(n).toBeGreaterThan(0);
      expect(hets).toBeGreaterThan(0); // heterozygotes are compared, so the allele order is checked
    });

    it(`hardCalls(genotypes, ${threshold}) on ${bgen} = GT of ${twinName}`, async () => {
      const twin = readTwinVcf(path.join(DATA, "glow/bgen", twinName));
      const rows = await glow.read("bgen", path.join(DATA, "glow/bgen", bgen), { emitHardCalls: false })
        .select(glow.functions.hardCalls("genotypes", threshold).alias("genotypes")).collect();
      expect(rows.length).toBe(twin.rows.length);
      rows.forEach((row, i) => {
        const got = (row["genotypes"] as { calls: number[] }[]).map((g) => g.calls);
        const want = twin.rows[i]!.genotypes.map((g) => (g.calls!.length === 2 ? g.calls! : g.calls!.map(() => -1)));
        expect(got).toEqual(want);
      });
    });
  }
});
