// liftOverCoordinates against UCSC liftOver (BED intervals lifted with hg38ToHg19 at minMatch 0.5
// and 0.01, Glow's test data) and against Picard LiftoverVcf (the coordinates of the lifted and
// failed records of unlifted.test.vcf). Coordinates must be equal exactly.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as glow from "../../dist/index.js";
import { liftOverCoordinates } from "../../dist/functions/liftover.js";

const dir = path.resolve(process.cwd(), "../shared/data/glow/liftover");
const have = existsSync(dir);
if (!have) console.warn(`lift-over-coordinates test: ${dir} is absent; skipping`);
const chain = path.join(dir, "hg38ToHg19.over.chain.gz");

afterAll(async () => { await glow.shutdown(); });

const bed = (f: string): [string, number, number][] => readFileSync(path.join(dir, f), "utf8").trim().split("\n")
  .map((l) => l.split("\t")).map((x) => [x[0]!, Number(x[1]), Number(x[2])]);

describe.skipIf(!have)("liftOverCoordinates equals UCSC liftOver and Picard", () => {
  for (const [ratio, tag] of [[0.5, "05"], [0.01, "001"]] as const) {
    it(`BED intervals at minMatch ${ratio}`, () => {
      const lifted: [string, number, number][] = [], failed: [string, number, number][] = [];
      for (const iv of bed("unlifted.test.bed")) {
        const r = liftOverCoordinates(iv[0], iv[1], iv[2], chain, ratio);
        if (r) lifted.push([r.contigName, r.start, r.end]); else failed.push(iv);
      }
      expect(lifted).toEqual(bed(`lifted.minMatch${tag}.test.bed`));
      expect(failed).toEqual(bed(`failed.minMatch${tag}.test.bed`));
    });
  }

  it("the column function lifts VCF rows as Picard LiftoverVcf did", async () => {
    const rows = await glow.read("vcf", path.join(dir, "unlifted.test.vcf"))
      .withColumn("lifted", glow.functions.liftOverCoordinates("contigName", "start", "end", chain, 0.95))
      .collect({ workers: 2, onProgress: false });
    const picard = await glow.read("vcf", path.join(dir, "lifted.test.vcf")).collect({ workers: 0, onProgress: false });
    const failed = await glow.read("vcf", path.join(dir, "failed.test.vcf")).collect({ workers: 0, onProgress: false });
    const ok = rows.filter((r) => r["lifted"] !== null).map((r) => r["lifted"]);
    expect(ok).toEqual(picard.map((r) => ({ contigName: r["contigName"], start: r["start"], end: r["end"] })));
    const bad = rows.filter((r) => r["lifted"] === null).map((r) => [r["contigName"], r["start"]]);
    expect(bad).toEqual(failed.map((r) => [r["contigName"], r["start"]]));
  });
});
