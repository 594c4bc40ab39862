// glow.functions.hardCalls over a frame equals the BGEN reader's own hard calls (which match the
// QCTool threshold VCFs in test/io/bgen.qctool.test.ts), at the default and a stricter threshold.
import { describe, expect, it, afterAll } from "vitest";
import { existsSync } from "node:fs";
import * as path from "node:path";
import * as glow from "../../dist/index.js";

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
