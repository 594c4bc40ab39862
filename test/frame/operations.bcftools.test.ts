// Frame operations on the tutorial VCF (notebooks/fixtures/qc-cohort.vcf.gz) against what bcftools prints
// from the same file: explode of genotypes vs `bcftools query '[...]'` rows (one per variant × sample),
// groupBy().agg(count, sum, mean) vs the per-contig/per-sample tallies of those rows, orderBy vs the
// same rows sorted, join with a danfo table vs a lookup in bcftools' rows. The file is cut into small
// BGZF partitions on 2 workers, so partial aggregates from several partitions are combined.
// Tolerances: exact for counts, sums and order; means 1e-12 relative.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import * as glow from "../../dist/index.js";

const f = glow.functions;
const VCF = path.resolve(process.cwd(), "notebooks/fixtures/qc-cohort.vcf.gz");
function has(cmd: string): boolean { try { execFileSync("sh", ["-c", `command -v ${cmd}`]); return true; } catch { return false; } }
const HAVE = has("bcftools");
if (!HAVE) console.warn("skipping frame operations vs bcftools: bcftools is absent");

let saved: number | undefined;
beforeAll(() => { saved = glow.config().bytesPerPartition; glow.config({ bytesPerPartition: 64 * 1024 }); });
afterAll(async () => { glow.config({ bytesPerPartition: saved ?? 64 * 1024 * 1024 }); await glow.shutdown(); });

interface QRow { chrom: string; pos: number; sample: string; dp: number | null }
function bcftoolsRows(): QRow[] {
  return execFileSync("bcftools", ["query", "-f", "[%CHROM\t%POS\t%SAMPLE\t%DP\n]", VCF], { encoding: "utf8", maxBuffer: 1 << 28 }).trim().split("\n").map((l) => {
    const [chrom, pos, sample, dp] = l.split("\t");
    return { chrom: chrom!, pos: Number(pos), sample: sample!, dp: dp === "." ? null : Number(dp) };
  });
}

describe.skipIf(!HAVE)("frame operations vs bcftools (skipped when bcftools is absent)", () => {
  const exploded = () => glow.read("vcf", VCF).explode("genotypes", "g")
    .select("contigName", glow.col("start").plus(1).alias("pos"), glow.col("g.sampleId").alias("sample"), glow.col("g.depth").alias("dp"));

  it("reads several partitions", async () => {
    expect(await glow.read("vcf", VCF).numPartitions()).toBeGreaterThan(2);
  });

  it("explode: one row per variant and sample, in file order", async () => {
    const want = bcftoolsRows();
    const got = await exploded().collect({ workers: 2 });
    expect(got.length).toBe(want.length);
    got.forEach((r, i) => expect([r["contigName"], r["pos"], r["sample"], r["dp"]]).toEqual([want[i]!.chrom, want[i]!.pos, want[i]!.sample, want[i]!.dp]));
  });

  it("groupBy().agg(count, count(col), sum, mean) per contig and per sample", async () => {
    const want = bcftoolsRows();
    for (const key of ["contigName", "sample"] as const) {
      const t = await exploded().groupBy(key).agg(f.count(), f.count("dp"), f.sum("dp"), f.mean("dp").alias("meanDp"));
      const tally = new Map<string, { n: number; k: number; s: number }>();
      for (const r of want) {
        const g = key === "contigName" ? r.chrom : r.sample;
        const e = tally.get(g) ?? tally.set(g, { n: 0, k: 0, s: 0 }).get(g)!;
        e.n++; if (r.dp !== null) { e.k++; e.s += r.dp; }
      }
      expect(t.columns).toEqual([key, "count", "count(dp)", "sum(dp)", "meanDp"]);
      const keys = t.column(key).values as string[];
      expect([...keys]).toEqual([...tally.keys()]); // groups in order of first appearance
      keys.forEach((g, i) => {
        const e = tally.get(g)!;
        expect((t.column("count").values as number[])[i]).toBe(e.n);
        expect((t.column("count(dp)").values as number[])[i]).toBe(e.k);
        expect((t.column("sum(dp)").values as number[])[i]).toBe(e.s);
        expect(Math.abs((t.column("meanDp").values as number[])[i]! / (e.s / e.k) - 1)).toBeLessThan(1e-12);
      });
    }
  });

  it("orderBy(desc(dp), sample, pos) then limit", async () => {
    const want = bcftoolsRows().filter((r) => r.dp !== null)
      .sort((a, b) => b.dp! - a.dp! || (a.sample < b.sample ? -1 : a.sample > b.sample ? 1 : 0) || (a.chrom < b.chrom ? -1 : a.chrom > b.chrom ? 1 : 0) || a.pos - b.pos);
    const got = await exploded().filter(glow.col("dp").isNotNull()).orderBy(f.desc("dp"), "sample", "contigName", "pos").limit(500).collect({ workers: 2 });
    expect(got.map((r) => [r["dp"], r["sample"], r["contigName"], r["pos"]])).toEqual(want.slice(0, 500).map((r) => [r.dp, r.sample, r.chrom, r.pos]));
  });

  it("a limit before explode/groupBy caps the rows globally, not per partition", async () => {
    const frame = glow.read("vcf", VCF);
    expect(await frame.limit(3).explode("genotypes", "g").count({ workers: 2 })).toBe(3 * 120);
    const t = await frame.limit(250).groupBy("contigName").count();
    const want = execFileSync("sh", ["-c", `bcftools view -H ${VCF} | head -250 | cut -f1 | uniq -c`], { encoding: "utf8" }).trim().split("\n").map((l) => l.trim().split(/\s+/));
    expect([...(t.column("contigName").values as unknown[])].map(String)).toEqual(want.map((w) => w[1]));
    expect([...(t.column("count").values as number[])]).toEqual(want.map((w) => Number(w[0])));
  });

  it("join with a danfo table on the sample id (inner and left)", async () => {
    const dfd = await import("danfojs-node");
    const ids = ["S001", "S020", "S064", "S999"];
    const table = new dfd.DataFrame({ weight: [61.5, 70, 82.25, 1], group: ["a", "b", "a", "z"] }, { index: ids });
    const want = bcftoolsRows();
    const inner = await exploded().join(table, "sample").collect({ workers: 2 });
    const lookup = new Map(ids.map((id, i) => [id, i]));
    const expected = want.filter((r) => lookup.has(r.sample));
    expect(inner.length).toBe(expected.length);
    inner.forEach((r, i) => {
      const j = lookup.get(expected[i]!.sample)!;
      expect([r["sample"], r["pos"], r["weight"], r["group"]]).toEqual([expected[i]!.sample, expected[i]!.pos, [61.5, 70, 82.25, 1][j], ["a", "b", "a", "z"][j]]);
    });
    const left = await exploded().join(table, "sample", "left").limit(240).collect();
    expect(left.length).toBe(240);
    left.forEach((r, i) => {
      const j = lookup.get(want[i]!.sample);
      expect(r["weight"]).toBe(j === undefined ? null : [61.5, 70, 82.25, 1][j]);
    });
  });
});
