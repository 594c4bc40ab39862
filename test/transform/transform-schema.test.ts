// schema() of transformed frames describes what the partitions actually hold: the same column
// names, in the same order, as the collected rows (checked on Glow's fixtures).
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as glow from "../../dist/index.js";

const data = path.resolve(process.cwd(), "../shared/data/glow");
const dir = path.join(data, "variantsplitternormalizer-test");
const have = existsSync(dir);
if (!have) console.warn(`transform-schema.test: ${dir} is absent; skipping`);
afterAll(async () => { await glow.shutdown(); });

describe.skipIf(!have)("schema() after glow.transform", () => {
  const input = (): glow.VariantFrame => glow.read("vcf", path.join(dir, "01_IN_altered_multiallelic.vcf"));
  const fa = path.join(dir, "20_altered.fasta");
  const frames: [string, () => glow.VariantFrame][] = [
    ["split_multiallelics", () => glow.transform("split_multiallelics", input())],
    ["normalize_variants", () => glow.transform("normalize_variants", input(), { referenceGenomePath: fa })],
    ["normalize_variants replaceColumns=false", () => glow.transform("normalize_variants", input(), { referenceGenomePath: fa, replaceColumns: false })],
    ["split + normalize", () => glow.transform("normalize_variants", glow.transform("split_multiallelics", input()), { referenceGenomePath: fa })],
    ["lift_over_variants", () => glow.transform("lift_over_variants", glow.read("vcf", path.join(data, "liftover/picard/testLiftoverSwapRefAltVariants.vcf")), {
      chainFile: path.join(data, "liftover/picard/test.over.chain"), referenceFile: path.join(data, "liftover/picard/dummy.reference.fasta"),
    })],
  ];
  for (const [name, make] of frames) {
    it(name, async () => {
      const df = make();
      const names = (await df.schema()).map((f) => f.name);
      const rows = await df.collect({ workers: 0, onProgress: false });
      expect(rows.length).toBeGreaterThan(0);
      expect(names).toEqual(Object.keys(rows[0]!));
    });
  }
});
