// split_multiallelics against `vt decompose -s` outputs (Glow's test data): both files are read with
// glowts' VCF reader and compared row for row, every column, exactly. vt does not set Glow's
// `splitFromMultiAllelic` (it reads back false), so that column is checked against
// INFO_OLD_MULTIALLELIC instead.
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as glow from "../../dist/index.js";

const dir = path.resolve(process.cwd(), "../shared/data/glow/variantsplitternormalizer-test");
const have = existsSync(dir);
if (!have) console.warn(`split-multiallelics.vt.test: ${dir} is absent; skipping`);

afterAll(async () => { await glow.shutdown(); });

const cases = [
  "01_IN_altered_multiallelic",
  "01_IN_altered_biallelic",
  "test_left_align_hg38_altered",
  "test_left_align_hg38_altered_symbolic",
];

function strip(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((r) => {
    const { splitFromMultiAllelic: _s, ...rest } = r;
    void _s;
    if (rest["INFO_OLD_MULTIALLELIC"] === undefined) rest["INFO_OLD_MULTIALLELIC"] = null;
    return rest;
  });
}

describe.skipIf(!have)("split_multiallelics equals vt decompose -s", () => {
  for (const name of cases) {
    it(name, async () => {
      const input = glow.read("vcf", path.join(dir, `${name}.vcf`));
      const split = await glow.transform("split_multiallelics", input).collect({ workers: 2, onProgress: false });
      const vt = await glow.read("vcf", path.join(dir, `${name}_vtdecompose.vcf`)).collect({ workers: 0, onProgress: false });
      expect(split.length).toBe(vt.length);
      for (const r of split) expect(r["splitFromMultiAllelic"]).toBe(r["INFO_OLD_MULTIALLELIC"] !== null);
      const a = strip(split), b = strip(vt);
      for (let i = 0; i < a.length; i++) expect(a[i], `row ${i}`).toEqual(b[i]);
    });
  }

  it("accepts Glow's snake_case option and splits only the listed INFO fields", async () => {
    const input = glow.read("vcf", path.join(dir, "01_IN_altered_multiallelic.vcf"));
    const rows = await glow.transform("split_multiallelics", input, { split_info_fields: "AC" }).collect({ workers: 0, onProgress: false });
    const first = rows[0]!;
    expect(first["INFO_AC"]).toEqual([3]);
    expect(first["INFO_AF"]).toEqual([0.375, 0.25]);
  });

  it("rejects an unknown option", () => {
    const input = glow.read("vcf", path.join(dir, "01_IN_altered_multiallelic.vcf"));
    expect(() => glow.transform("split_multiallelics", input, { splitInfoField: "AC" })).toThrow(/unknown option 'splitInfoField'/);
  });
});

describe("biallelicGenotypeIndices (VCF colex genotype order)", () => {
  it("matches the VCF specification's index formula", async () => {
    const { biallelicGenotypeIndices } = await import("../../dist/transform/split-multiallelics.js");
    // VCF 4.3 §1.6.2: diploid genotype j/k (j ≤ k) is at index k(k+1)/2 + j; haploid allele i at i.
    for (let nAlleles = 2; nAlleles <= 6; nAlleles++) {
      for (let i = 1; i < nAlleles; i++) {
        expect(biallelicGenotypeIndices(2, nAlleles, i)).toEqual([0, (i * (i + 1)) / 2, (i * (i + 1)) / 2 + i]);
        expect(biallelicGenotypeIndices(1, nAlleles, i)).toEqual([0, i]);
      }
    }
    // Triploid, 3 alleles, colex order: 000 001 011 111 002 012 112 022 122 222 → alleles {0,2}: 000 002 022 222.
    expect(biallelicGenotypeIndices(3, 3, 2)).toEqual([0, 4, 7, 9]);
  });
});
