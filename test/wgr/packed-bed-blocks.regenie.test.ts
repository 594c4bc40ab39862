/**
 * `blockPlinkVariants` (a `.bed` read by GloWGR itself, header blocks handed to the fits as packed
 * 2-bit codes and decoded in the fit workers: what `glowts step1 --bed` runs) against the frame path
 * it replaces: `glow.read("plink")` → `genotypeStates` → the analysed samples mean-imputed (the CLI's
 * `subsetSamples`, or `meanSubstitute` when every sample is analysed) → `size(array_distinct) > 1`
 * → `blockVariantsAndSamples` (materialized `blockDf`).
 *
 * Oracle: that frame path on the same files. Tolerance 0 (bit for bit): the layout (headers, header
 * blocks), every value, mu and sig of the block matrix, and regenieRidge's LOCO and whole-genome
 * predictions, for 0 and 2 fit workers. Input: REGENIE's example_3chr.bed (500 samples, 3
 * chromosomes) with 3 % of its genotypes set missing (seeded) so that the imputed means are
 * exercised, once with every sample and once with a shuffled subset of 401 samples.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as glow from "../../dist/index.js";
import { DATA, HAVE_DATA, silent } from "./helpers.js";
import { seeded } from "../helpers/seeded.js";
import { markMissingCalls } from "../helpers/bed-missing.js";

const SUBSET = new URL("../../dist/cli/sample-subset.js", import.meta.url).href;
type Result = Awaited<ReturnType<typeof glow.wgr.regenieRidge>>;

function expectSameResult(a: Result, b: Result): number {
  expect(a.chromosomes).toEqual(b.chromosomes);
  expect(a.scale).toEqual(b.scale);
  expect(a.cv).toEqual(b.cv);
  let compared = 0;
  for (const id of b.loco.sampleIds) for (const t of Object.keys(b.scale)) {
    for (const c of b.chromosomes) { expect(a.loco.get(id, c, t)).toBe(b.loco.get(id, c, t)); compared++; }
    expect(a.full.get(id, t)).toBe(b.full.get(id, t));
  }
  return compared;
}

if (!HAVE_DATA) console.warn("skipping blockPlinkVariants tests: ../shared/data is absent");

describe.skipIf(!HAVE_DATA)("blockPlinkVariants (packed .bed) = the frame path, bit for bit", () => {
  let dir = "";
  let bed = "";
  let famIds: string[] = [];
  let missingSet = 0;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "glowts-packed-"));
    const src = path.join(DATA, "regenie/example_3chr");
    for (const e of [".bim", ".fam"]) copyFileSync(src + e, path.join(dir, "g" + e));
    const bytes = new Uint8Array(readFileSync(src + ".bed"));
    const nFam = readFileSync(src + ".fam", "utf8").trim().split("\n").length;
    missingSet = markMissingCalls(bytes, nFam, (bytes.length - 3) / Math.ceil(nFam / 4), { seed: 20261202, rate: 0.03 });
    bed = path.join(dir, "g.bed");
    writeFileSync(bed, bytes);
    famIds = (await glow.read("plink", bed, { famDelimiter: "whitespace", bimDelimiter: "whitespace" }).sampleIds())!;
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await glow.shutdown();
  });

  const cases = [
    { name: "every sample (meanSubstitute)", subset: false },
    { name: "a shuffled subset of 401 samples (the CLI's subsetSamples)", subset: true },
  ];
  for (const c of cases) {
    it(`${c.name}: layout, values, mu, sig and regenieRidge (0 and 2 fit workers)`, async () => {
      expect(missingSet).toBeGreaterThan(5000);
      let keep = famIds.map((_, i) => i);
      if (c.subset) {
        const rnd = seeded(7);
        keep = keep.map((i) => [rnd(), i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => i).slice(0, 401);
      }
      const ids = keep.map((i) => famIds[i]!);
      const read = glow.read("plink", bed, { famDelimiter: "whitespace", bimDelimiter: "whitespace" });
      const frame = c.subset
        ? read.withColumn("values", glow.functions.genotypeStates("genotypes")).mapPartitions(SUBSET, "subsetSamples", { keep })
          .filter(glow.functions.arraySize(glow.functions.arrayDistinct("values")).gt(1))
        : read.withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")));
      const mat = await glow.wgr.blockVariantsAndSamples(frame, ids, 100, 5);
      const packed = glow.wgr.blockPlinkVariants({ bed, famSamples: famIds.length, sampleIds: ids, keep }, 100, 5);
      expect(packed.sampleBlocks).toEqual(mat.sampleBlocks);
      expect(packed.blockDf.headerBlockIds().length).toBeGreaterThan(3);
      // the whole matrix, decoded on this thread from the packed bytes
      const m2 = await packed.blockDf.materialize();
      expect(m2.header).toEqual(mat.blockDf.header);
      expect(m2.headerBlock).toEqual(mat.blockDf.headerBlock);
      expect(m2.sampleBlock).toEqual(mat.blockDf.sampleBlock);
      expect(Array.from(m2.mu)).toEqual(Array.from(mat.blockDf.mu));
      expect(Array.from(m2.sig)).toEqual(Array.from(mat.blockDf.sig));
      let fractional = 0;
      for (let r = 0; r < m2.numRows; r++) {
        const a = m2.values[r]!, b = mat.blockDf.values[r]!;
        expect(a.length).toBe(b.length);
        for (let i = 0; i < a.length; i++) { if (a[i] !== b[i]) expect([r, i, a[i]]).toEqual([r, i, b[i]]); if (!Number.isInteger(b[i])) fractional++; }
      }
      expect(fractional).toBeGreaterThan(1000); // imputed means were compared
      const labels = await glow.readSampleTable(path.join(DATA, "glow/regenie/phenotype.txt"));
      const cov = await glow.readSampleTable(path.join(DATA, "glow/regenie/covariates.txt"));
      for (const workers of [0, 2]) {
        const ref = await glow.wgr.regenieRidge(mat.blockDf, labels, mat.sampleBlocks, cov, { ...silent, workers });
        const got = await glow.wgr.regenieRidge(packed.blockDf, labels, packed.sampleBlocks, cov, { ...silent, workers });
        expect(expectSameResult(got, ref)).toBeGreaterThan(2000);
      }
    }, 300000);
  }

  it("keepVariant (REGENIE's --extract/--exclude) drops variants by .bim id before the blocking", async () => {
    const bim = readFileSync(path.join(dir, "g.bim"), "utf8").trim().split("\n").map((l) => l.split(/\s+/)[1]!);
    const drop = new Set(bim.filter((_, i) => i % 3 === 0));
    const keep = famIds.map((_, i) => i);
    const all = glow.wgr.blockPlinkVariants({ bed, famSamples: famIds.length, sampleIds: famIds, keep }, 100, 5);
    const some = glow.wgr.blockPlinkVariants({ bed, famSamples: famIds.length, sampleIds: famIds, keep, keepVariant: (id) => !drop.has(id) }, 100, 5);
    const frame = glow.read("plink", bed, { famDelimiter: "whitespace", bimDelimiter: "whitespace" })
      .filter(glow.functions.arraysOverlap("names", [...drop]).not())
      .withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")));
    const mat = await glow.wgr.blockVariantsAndSamples(frame, famIds, 100, 5);
    expect(some.blockDf.header.length).toBeLessThan(all.blockDf.header.length);
    expect(some.blockDf.header).toEqual([...new Set(mat.blockDf.header)]);
  });

  it("reports progress per header block (blocks and variants done, the last one done)", async () => {
    const keep = famIds.map((_, i) => i);
    const packed = glow.wgr.blockPlinkVariants({ bed, famSamples: famIds.length, sampleIds: famIds, keep }, 100, 5);
    const labels = await glow.readSampleTable(path.join(DATA, "glow/regenie/phenotype.txt"));
    const seen: { done: number; total: number; rows: number; last: boolean }[] = [];
    await glow.wgr.regenieRidge(packed.blockDf, labels, packed.sampleBlocks, null, {
      ...silent, workers: 2, onProgress: (p) => seen.push({ done: p.partitionsDone, total: p.partitionsTotal, rows: p.rows, last: p.done }),
    });
    const B = packed.blockDf.headerBlockIds().length;
    expect(seen.map((x) => x.done)).toEqual(Array.from({ length: B }, (_, i) => i + 1));
    expect(seen.every((x) => x.total === B)).toBe(true);
    expect(seen.at(-1)).toEqual({ done: B, total: B, rows: new Set(packed.blockDf.header).size, last: true });
    expect(seen.slice(0, -1).some((x) => x.last)).toBe(false);
  });

  it("a .bed that does not match its .bim/.fam is an error naming the file", () => {
    const short = path.join(dir, "short");
    for (const e of [".bim", ".fam"]) copyFileSync(path.join(dir, "g" + e), short + e);
    writeFileSync(short + ".bed", readFileSync(bed).subarray(0, 1000));
    const keep = famIds.map((_, i) => i);
    expect(() => glow.wgr.blockPlinkVariants({ bed: short + ".bed", famSamples: famIds.length, sampleIds: famIds, keep }, 100, 5))
      .toThrow(/short\.bed.*expected|expected.*short\.bed|\.bed has 1000 bytes/);
  });
});
