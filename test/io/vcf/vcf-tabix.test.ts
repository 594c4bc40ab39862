/**
 * Region reads through the tabix index. Oracle: a full read of the same file filtered in the test
 * to the region (rows with contigName = region.contigName, end > region.start, start < region.end),
 * as Glow's TabixHelperSuite "Parser/Tabix vs Not" compares tabix reads with unfiltered reads.
 */
import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { vcfReader } from "../../../dist/io/vcf/reader.js";
import { columnLength, getValue, takeRows, type GenotypesColumn, type VariantBatch } from "../../../dist/core/column.js";
import type { RegionHint } from "../../../dist/core/source.js";

const DATA = path.resolve(process.cwd(), "../shared/data");
const HAS_DATA = existsSync(DATA);
if (!HAS_DATA) console.warn(`VCF tabix tests skipped: reference data folder ${DATA} is absent`);
const DIR = path.join(DATA, "glow/tabix-test-vcf");

type Row = Record<string, unknown>;
/** Rows as plain values; genotypes of the 2504-sample file are compared on its first 100 samples (time). */
function rowsOf(b: VariantBatch): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < b.numRows; i++) {
    const r: Row = {};
    for (const [k, c] of Object.entries(b.columns)) {
      if (c.type === "genotypes" && c.nSamples > 100) {
        r[k] = getValue(takeSamples(c, 100), i);
      } else r[k] = getValue(c, i);
    }
    out.push(r);
  }
  return out;
}
function takeSamples(c: GenotypesColumn, n: number): GenotypesColumn {
  const rows = columnLength(c);
  const idx: number[] = [];
  for (let r = 0; r < rows; r++) for (let s = 0; s < n; s++) idx.push(r * c.nSamples + s);
  const fields: GenotypesColumn["fields"] = {};
  for (const [k, f] of Object.entries(c.fields)) fields[k] = takeRows(f, idx);
  return { type: "genotypes", nSamples: n, sampleIds: c.sampleIds ? c.sampleIds.slice(0, n) : null, fields };
}

async function read(file: string, options: Record<string, unknown> = {}, region?: RegionHint, bytesPerPartition?: number) {
  const o = vcfReader.normalizeOptions(options);
  const plan = await vcfReader.plan([file], o, { region, bytesPerPartition });
  const rows: Row[] = [];
  for (const p of plan.partitions) rows.push(...rowsOf(await vcfReader.readPartition(p, plan.meta, o)));
  return { plan, rows };
}

function inRegion(r: Row, g: RegionHint): boolean {
  if (g.contigName !== undefined && r["contigName"] !== g.contigName) return false;
  if (g.start !== undefined && !((r["end"] as number) > g.start)) return false;
  if (g.end !== undefined && !((r["start"] as number) < g.end)) return false;
  return true;
}

/** JSON round trip so that NaN/-0 compare the way the engine's output does. */
const norm = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

const cases: [string, RegionHint[]][] = [
  ["CEUTrio.HiSeq.WGS.b37.NA12878.20.21.vcf.gz", [
    { contigName: "20" },
    { contigName: "21" },
    { contigName: "20", start: 10004193 },
    { contigName: "20", start: 10004193, end: 10004769 },
    { contigName: "20", start: 10001433, end: 10001445 },
    { contigName: "20", start: 10132300, end: 10214079 },
    { contigName: "20", end: 10003000 },
    { contigName: "21", start: 10002400, end: 10002600 },
    { contigName: "20", start: 10000211, end: 10000212 },
    { contigName: "20", start: 50_000_000, end: 60_000_000 },
    { contigName: "X", start: 0, end: 1e9 },
    { contigName: "20", start: 10004000, end: 10004000 },
  ]],
  ["1000G.phase3.broad.withGenotypes.chr20.10100000.vcf.gz", [
    { contigName: "20", start: 10000211, end: 10004000 },
    { contigName: "20", start: 10004768 },
    { contigName: "20" },
  ]],
  ["NA12878_21_10002403.vcf.gz", [{ contigName: "21", start: 10002434, end: 10002436 }, { contigName: "21" }]],
  ["NA12878_21_10002403NoTbi.vcf.gz", [{ contigName: "21", start: 10002434, end: 10002436 }]],
  ["combined.chr20_18210071_18210093.g.vcf.gz", [{ contigName: "chr20", start: 18210080, end: 18210085 }, { contigName: "chr20", start: 18210092 }]],
];

describe.skipIf(!HAS_DATA)("tabix region reads equal full reads filtered to the region", () => {
  for (const [file, regions] of cases) {
    it(file, async () => {
      const f = path.join(DIR, file);
      const full = await read(f);
      expect(full.rows.length).toBeGreaterThan(0);
      for (const region of regions) {
        const expected = full.rows.filter((r) => inRegion(r, region));
        const viaIndex = await read(f, {}, region);
        if (existsSync(`${f}.tbi`)) expect(viaIndex.plan.partitions.every((p) => p["kind"] === "tabix" || p["kind"] === "empty")).toBe(true);
        expect(norm(viaIndex.rows)).toEqual(norm(expected));
        // Without the index (the filter parser still drops rows outside the region) …
        const noIndex = await read(f, { useTabixIndex: false }, region);
        expect(noIndex.plan.partitions.every((p) => p["kind"] === "bgzf")).toBe(true);
        expect(norm(noIndex.rows)).toEqual(norm(expected));
        // … and cut into many small partitions.
        const small = await read(f, {}, region, 1);
        expect(norm(small.rows)).toEqual(norm(expected));
      }
    });
  }

  it("without the filter parser every row is returned (the engine filters)", async () => {
    const f = path.join(DIR, "NA12878_21_10002403.vcf.gz");
    const all = await read(f);
    const r = await read(f, { useTabixIndex: false, useFilterParser: false }, { contigName: "21", start: 10002434, end: 10002436 });
    expect(r.rows.length).toBe(all.rows.length);
  });

  it("the region of Glow's TabixHelperSuite reads one chunk of block 15335", async () => {
    const f = path.join(DIR, "CEUTrio.HiSeq.WGS.b37.NA12878.20.21.vcf.gz");
    const r = await read(f, {}, { contigName: "20", start: 10132300, end: 10214079 });
    expect(r.plan.partitions.map((p) => p["chunks"])).toEqual([[[1005005266, 1005032301]]]);
  });
});
