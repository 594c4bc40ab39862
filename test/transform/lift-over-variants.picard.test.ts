// lift_over_variants against Picard LiftoverVcf 2.27.5 (RECOVER_SWAPPED_REF_ALT=true) on Picard's
// own small test cases (Glow's test data, liftover/picard): the lifted records must equal Picard's
// lifted VCF (every column Picard writes, exactly; Picard sorts its output, so both sides are
// sorted by position and alleles), and the failed rows must be Picard's rejected records, in order,
// with Picard's filter name leading liftOverStatus.errorMessage.
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as glow from "../../dist/index.js";

const dir = path.resolve(process.cwd(), "../shared/data/glow/liftover/picard");
const have = existsSync(dir);
if (!have) console.warn(`lift-over-variants.picard.test: ${dir} is absent; skipping`);
afterAll(async () => { await glow.shutdown(); });

type Row = Record<string, unknown>;
const cases: { input: string; out: string; chain: string; ref: string }[] = [
  { input: "testLiftoverBiallelicIndels", out: "testLiftoverBiallelicIndels", chain: "test.over.chain", ref: "dummy.reference.fasta" },
  { input: "testLiftoverBiallelicIndels", out: "mismatchRefSeq.testLiftoverBiallelicIndels", chain: "test.over.chain", ref: "dummy2.reference.fasta" },
  { input: "testLiftoverIndelFlip", out: "testLiftoverIndelFlip", chain: "test.over.chain", ref: "mini.reference.fasta" },
  { input: "testLiftoverIndelNoFlip", out: "testLiftoverIndelNoFlip", chain: "test.two.block.over.chain", ref: "dummy.two.block.reference.fasta" },
  { input: "testLiftoverMultiallelicIndels", out: "testLiftoverMultiallelicIndels", chain: "test.over.chain", ref: "dummy.reference.fasta" },
  { input: "testLiftoverSwapRefAltVariants", out: "testLiftoverSwapRefAltVariants", chain: "test.over.chain", ref: "dummy.reference.fasta" },
];

const key = (r: Row): string => JSON.stringify([r["contigName"], r["start"], r["referenceAllele"], r["alternateAlleles"]]);
const sorted = (rows: Row[]): Row[] => [...rows].sort((a, b) => (Number(a["start"]) - Number(b["start"])) || key(a).localeCompare(key(b)));

describe.skipIf(!have)("lift_over_variants equals Picard LiftoverVcf", () => {
  for (const c of cases) {
    it(`${c.out} (${c.chain}, ${c.ref})`, async () => {
      const df = glow.transform("lift_over_variants", glow.read("vcf", path.join(dir, `${c.input}.vcf`)), {
        chain_file: path.join(dir, c.chain), reference_file: path.join(dir, c.ref), min_match_ratio: 1.0,
      });
      const rows = await df.collect({ workers: 0, onProgress: false });
      const lifted = await glow.read("vcf", path.join(dir, `lifted.${c.out}.vcf`)).collect({ workers: 0, onProgress: false });
      const failed = await glow.read("vcf", path.join(dir, `failed.${c.out}.vcf`)).collect({ workers: 0, onProgress: false });
      const ok = rows.filter((r) => (r["liftOverStatus"] as Row)["success"] === true);
      const bad = rows.filter((r) => (r["liftOverStatus"] as Row)["success"] === false);
      expect(ok.length + bad.length).toBe(rows.length);
      expect(ok.length).toBe(lifted.length);
      const a = sorted(ok), b = sorted(lifted);
      for (let i = 0; i < a.length; i++) {
        const theirs = b[i]!;
        const ours = Object.fromEntries(Object.keys(theirs).map((k) => [k, a[i]![k]]));
        expect(ours, `lifted row ${i}`).toEqual(theirs);
      }
      expect(bad.map(key)).toEqual(failed.map(key));
      bad.forEach((r, i) => expect(String((r["liftOverStatus"] as Row)["errorMessage"])).toMatch(new RegExp(`^${(failed[i]!["filters"] as string[])[0]}:`)));
    });
  }

  it("requires chainFile and referenceFile", () => {
    const df = glow.read("vcf", path.join(dir, "testLiftoverSwapRefAltVariants.vcf"));
    expect(() => glow.transform("lift_over_variants", df, { referenceFile: path.join(dir, "dummy.reference.fasta") })).toThrow(/chainFile/);
    expect(() => glow.transform("lift_over_variants", df, { chainFile: path.join(dir, "test.over.chain") })).toThrow(/referenceFile/);
  });
});
