// PLINK genotypes are decoded lazily: genotypeStates reads the packed bytes, filters gather the
// packed rows, and anything else materializes calls. Each path must equal the eager decoding.
import { afterAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import * as path from "node:path";
import * as glow from "../../../dist/index.js";

const DATA = path.resolve(process.cwd(), "../shared/data");
const BED = path.join(DATA, "regenie/example.bed");
if (!existsSync(BED)) console.warn(`skipping lazy PLINK tests: ${BED} is absent`);
afterAll(async () => { await glow.shutdown(); });

describe.skipIf(!existsSync(BED))("lazy PLINK genotypes (needs ../shared/data)", () => {
  const read = () => glow.read("plink", BED, { famDelimiter: "\t" });

  it("genotypeStates from packed bytes equals states computed from materialized calls", async () => {
    const rows = await read().withColumn("gs", glow.functions.genotypeStates("genotypes")).collect({ workers: 2 });
    expect(rows.length).toBe(1000);
    for (const r of rows) {
      const calls = (r["genotypes"] as { calls: number[] }[]).map((g) => g.calls);
      const expected = calls.map(([a, b]) => (a! < 0 || b! < 0 ? -1 : a! + b!));
      expect(r["gs"]).toEqual(expected);
    }
  });

  it("a filter before genotypeStates gathers packed rows correctly", async () => {
    const all = await read().withColumn("gs", glow.functions.genotypeStates("genotypes")).collect({ workers: 0 });
    const filtered = await read().filter(glow.col("start").lt(300).or(glow.col("start").gt(900)))
      .withColumn("gs", glow.functions.genotypeStates("genotypes")).collect({ workers: 2 });
    const expected = all.filter((r) => (r["start"] as number) < 300 || (r["start"] as number) > 900);
    expect(filtered.length).toBe(expected.length);
    expect(filtered).toEqual(expected);
  });
});
