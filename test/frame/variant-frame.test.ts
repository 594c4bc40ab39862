// Engine and frame behaviour on a synthetic source (test/fixtures/synthetic-reader.mjs) whose rows
// are known in closed form, so expected values are computed here from the generator's definition.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pathToFileURL } from "node:url";
import * as path from "node:path";
import * as glow from "../../dist/index.js";

const here = path.dirname(new URL(import.meta.url).pathname);
const readerUrl = pathToFileURL(path.join(here, "../fixtures/synthetic-reader.mjs")).href;
const dummy = path.join(here, "../fixtures/synthetic-reader.mjs"); // any existing file

function expectedCalls(r: number, s: number): number[] {
  if (s === 2 && r % 5 === 0) return [-1, -1];
  return [(r + s) % 2, ((r + s) >> 1) % 2];
}

beforeAll(async () => { await glow.registerFormat("synthetic", readerUrl); });
afterAll(async () => { await glow.shutdown(); });

describe("VariantFrame on the worker pool", () => {
  it("is lazy: building a plan does not read", () => {
    const df = glow.read("synthetic", dummy, { failAt: 0 }).withColumn("x", glow.functions.genotypeStates("genotypes"));
    expect(df.toString()).toContain("WithColumn x");
  });

  it("collects rows in partition order with Glow-shaped genotypes", async () => {
    const rows = await glow.read("synthetic", dummy, { partitions: 5, rowsPerPartition: 7 }).collect({ workers: 2 });
    expect(rows.length).toBe(35);
    rows.forEach((row, r) => {
      expect(row["start"]).toBe(10 * r);
      const g = row["genotypes"] as { sampleId: string; calls: number[] }[];
      expect(g.map((x) => x.sampleId)).toEqual(["s0", "s1", "s2"]);
      expect(g.map((x) => x.calls)).toEqual([0, 1, 2].map((s) => expectedCalls(r, s)));
    });
  });

  it("parallel and one-thread and in-process runs give the same rows", async () => {
    const df = glow.read("synthetic", dummy, { partitions: 8, rowsPerPartition: 13 })
      .withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")));
    const a = await df.collect({ workers: 2 });
    const b = await df.collect({ workers: 1 });
    const c = await df.collect({ workers: 0 });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it("genotypeStates, meanSubstitute, arraySize/arrayDistinct and comparisons", async () => {
    const df = glow.read("synthetic", dummy, { partitions: 2, rowsPerPartition: 10 })
      .withColumn("gs", glow.functions.genotypeStates("genotypes"))
      .withColumn("values", glow.functions.meanSubstitute("gs"))
      .filter(glow.functions.arraySize(glow.functions.arrayDistinct("values")).gt(1))
      .filter(glow.col("start").ge(20));
    const rows = await df.collect();
    const expected: { start: number; gs: number[]; values: number[] }[] = [];
    for (let r = 0; r < 20; r++) {
      const gs = [0, 1, 2].map((s) => { const c = expectedCalls(r, s); return c[0]! < 0 ? -1 : c[0]! + c[1]!; });
      const present = gs.filter((x) => x >= 0);
      const mean = present.reduce((a, b) => a + b, 0) / present.length;
      const values = gs.map((x) => (x >= 0 ? x : mean));
      if (new Set(values).size > 1 && 10 * r >= 20) expected.push({ start: 10 * r, gs, values });
    }
    expect(rows.map((r) => ({ start: r["start"], gs: r["gs"], values: r["values"] }))).toEqual(expected);
    expect(await df.count()).toBe(expected.length);
  });

  it("limit/head stop early and cut at the exact row", async () => {
    const df = glow.read("synthetic", dummy, { partitions: 10, rowsPerPartition: 10 });
    const h = await df.head(15);
    expect(h.map((r) => r["start"])).toEqual(Array.from({ length: 15 }, (_, i) => 10 * i));
    expect(await df.limit(0).count()).toBe(0);
  });

  it("select with aliases, drop and schema", async () => {
    const df = glow.read("synthetic", dummy, { partitions: 1, rowsPerPartition: 3 })
      .select("contigName", glow.col("start").plus(1).alias("pos"), glow.functions.genotypeStates("genotypes").alias("gs"));
    const schema = await df.schema();
    expect(schema.map((f) => [f.name, glow.typeToString(f.type)])).toEqual([["contigName", "string"], ["pos", "double"], ["gs", "array<int>"]]);
    const gs = (r: number): number[] => [0, 1, 2].map((s) => { const c = expectedCalls(r, s); return c[0]! < 0 ? -1 : c[0]! + c[1]!; });
    // one partition: floor(1/2) = 0 partitions on contig "1", so every row is on "2"
    expect(await df.collect()).toEqual([0, 1, 2].map((r) => ({ contigName: "2", pos: 10 * r + 1, gs: gs(r) })));
    expect((await df.drop("gs").schema()).map((f) => f.name)).toEqual(["contigName", "pos"]);
  });

  it("a failing partition rejects with file and record, quickly, even while others are slow", async () => {
    const df = glow.read("synthetic", dummy, { partitions: 6, slowAt: 0, slowMs: 5000, failAt: 1 });
    const t0 = Date.now();
    const err = await df.count({ workers: 2 }).then(() => null, (e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(err).toBeInstanceOf(glow.GlowtsError);
    const ge = err as glow.GlowtsError;
    expect(ge.code).toBe("SYNTHETIC");
    expect(ge.file).toBe(dummy);
    expect(ge.record).toBe("row 13");
  });

  it("mapPartitions runs a user module in the workers; its failures name the partition", async () => {
    const mod = path.join(here, "../fixtures/user-map.mjs");
    const df = glow.read("synthetic", dummy, { partitions: 3, rowsPerPartition: 4 }).mapPartitions(mod, "addOffset", { offset: 0.5 });
    const rows = await df.collect({ workers: 2 });
    expect(rows.map((r) => r["startPlus"])).toEqual(Array.from({ length: 12 }, (_, i) => 10 * i + 0.5));
    // only the second partition (rows 10..20, first start 100) fails: the error names it, whatever the timing
    const err = await glow.read("synthetic", dummy).mapPartitions(mod, "brokenAt", { start: 100 }).count({ workers: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(glow.GlowtsError);
    expect((err as Error).message).toMatch(/user function failed/);
    expect((err as glow.GlowtsError).record).toBe("rows 10..20");
    // every partition failing: the error names one of them
    const all = await glow.read("synthetic", dummy).mapPartitions(mod, "broken").count().catch((e: unknown) => e);
    expect((all as Error).message).toMatch(/user function failed/);
    expect((all as glow.GlowtsError).record).toMatch(/^rows \d+\.\.\d+$/);
  });

  it("reports progress per partition", async () => {
    const seen: glow.Progress[] = [];
    await glow.read("synthetic", dummy, { partitions: 4 }).count({ onProgress: (p) => seen.push(p) });
    expect(seen.filter((p) => !p.done).map((p) => p.partitionsDone)).toEqual([1, 2, 3, 4]);
    expect(seen.at(-1)).toMatchObject({ done: true, partitionsTotal: 4, rows: 40 });
  });

  it("explain lists the plan and partitions; pushes a region down", async () => {
    const df = glow.read("synthetic", dummy, { partitions: 3 }).filter(glow.col("contigName").eq("2").and(glow.col("start").lt(100)));
    const text = await df.explain(false);
    expect(text).toContain("Filter ((contigName == '2') AND (start < 100))");
    expect(text).toContain('pushed region {"contigName":"2","end":100}');
    expect(text).toContain("partitions (3)");
  });

  it("toArrow gives Glow's nested schema; toDanfo flattens", async () => {
    const df = glow.read("synthetic", dummy, { partitions: 2, rowsPerPartition: 3 });
    const t = await df.toArrow();
    expect(t.numRows).toBe(6);
    expect(String(t.schema.fields.map((f) => `${f.name}:${f.type}`))).toBe(
      "contigName:Utf8,start:Int64,end:Int64,genotypes:List<Struct<{sampleId:Utf8, calls:List<Int32>}>>",
    );
    const g = t.getChild("genotypes")!.get(4)!;
    expect(g.get(1)!.toJSON()["sampleId"]).toBe("s1");
    expect([...g.get(1)!.toJSON()["calls"]]).toEqual(expectedCalls(4, 1));
    const d = await df.toDanfo();
    expect(d.shape).toEqual([6, 4]);
    expect(d.columns).toEqual(["contigName", "start", "end", "genotypes.nSamples"]);
  });

  it("getSampleIds returns the ids with Glow's checks", async () => {
    expect(await glow.wgr.getSampleIds(glow.read("synthetic", dummy))).toEqual(["s0", "s1", "s2"]);
  });

  it("rejects unknown formats and missing files with GlowtsError", () => {
    expect(() => glow.read("nope", dummy)).toThrow(/unknown format 'nope'/);
    expect(() => glow.read("synthetic", "/no/such/file.vcf")).toThrow(glow.GlowtsError);
  });
});
