/**
 * `count()` runs only the operations that can change the number of rows and brings back counts, not
 * rows (the worker replies carry no columns). Oracle: plink2's own variant counts of the same files
 * (`--freq` rows, `--maf` filtering), and the rows `collect()` returns for the same plan; exact.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as glow from "../../dist/index.js";
import { opsForCount } from "../../dist/core/plan.js";

const HAVE_PLINK2 = spawnSync("plink2", ["--version"], { stdio: "ignore" }).status === 0;
if (!HAVE_PLINK2) console.warn("count vs plink2: plink2 is not installed; the plink2 comparisons are skipped");

describe("count()", () => {
  let dir: string;
  let bed: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "glowts-count-"));
    await glow.simulate.cohort({ samples: 300, variants: 2500, chromosomes: 2, out: dir, formats: ["plink"], seed: 5, missingness: 0.02 });
    bed = path.join(dir, "cohort.bed");
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await glow.shutdown();
  });

  it("keeps only the operations up to the last row-changing one", () => {
    const lit = { op: "lit", value: 1 } as never;
    const ops = [
      { op: "withColumn", name: "a", expr: lit },
      { op: "filter", expr: lit },
      { op: "withColumn", name: "b", expr: lit },
      { op: "select", items: [] },
    ] as const;
    expect(opsForCount(ops as never).map((o) => o.op)).toEqual(["withColumn", "filter"]);
    expect(opsForCount([{ op: "withColumn", name: "a", expr: lit }] as never)).toEqual([]);
  });

  it.skipIf(!HAVE_PLINK2)("equals plink2's variant counts, with and without a filter on a computed column (2 workers)", async () => {
    const frame = glow.read("plink", bed);
    execFileSync("plink2", ["--bfile", path.join(dir, "cohort"), "--freq", "--out", path.join(dir, "all")], { stdio: "ignore" });
    const plinkAll = readFileSync(path.join(dir, "all.afreq"), "utf8").trim().split("\n").length - 1;
    expect(await frame.count({ workers: 2 })).toBe(plinkAll);
    // MAF ≥ 0.2 (PLINK's allele convention does not matter for the minor allele frequency)
    const maf = frame
      .withColumn("stats", glow.functions.callSummaryStats("genotypes"))
      .withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")))
      .filter(glow.col("stats.alleleFrequencies").getItem(1).ge(0.2).and(glow.col("stats.alleleFrequencies").getItem(1).le(0.8)))
      .withColumn("after", glow.functions.arraySize("values"));
    execFileSync("plink2", ["--bfile", path.join(dir, "cohort"), "--maf", "0.2", "--write-snplist", "--out", path.join(dir, "maf")], { stdio: "ignore" });
    const plinkMaf = readFileSync(path.join(dir, "maf.snplist"), "utf8").trim().split("\n").length;
    const n = await maf.count({ workers: 2 });
    expect(n).toBe(plinkMaf);
    expect(n).toBe((await maf.collect({ workers: 2 })).length);
    expect(await maf.limit(7).count({ workers: 2 })).toBe(7);
  });
});
