// The Parquet files glowts writes carry Glow's schema, field by field:
// - GloWGR block matrices: identical Parquet schema elements (name, physical type, repetition,
//   converted type, nesting) and identical Spark schema JSON to Glow's own Spark-written fixture
//   `wgr/ridge-regression/blockedGT.snappy.parquet` (minus its sparse `indices` column);
// - variant rows: the fields and types of Glow's documented variant schema
//   (glow-reference.md §1b) and its genotype field aliases;
// - GWAS results: Glow's documented output columns and types (glow-reference.md, gwas table).
// Also: glowts reads Glow's Spark-written Parquet back as a frame.
import { describe, expect, it, afterAll } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as glow from "../../../dist/index.js";

const data = path.resolve(process.cwd(), "../shared/data/glow");
const ref = path.resolve(process.cwd(), "../shared/docs/glow-reference.md");
const fixture = path.join(data, "wgr/ridge-regression/blockedGT.snappy.parquet");
const ok = existsSync(fixture) && existsSync(ref);
const dir = mkdtempSync(path.join(tmpdir(), "glowts-pq-schema-"));
afterAll(async () => { rmSync(dir, { recursive: true, force: true }); await glow.shutdown(); });

async function meta(file: string): Promise<{ schema: Record<string, unknown>[]; spark: { fields: { name: string; type: unknown }[] } }> {
  const h = await import("hyparquet");
  const md = await h.parquetMetadataAsync(await h.asyncBufferFromFile(file));
  const kv = md.key_value_metadata?.find((k) => k.key === "org.apache.spark.sql.parquet.row.metadata");
  return {
    schema: md.schema.map((e) => ({ name: e.name, type: e.type, repetition: e.repetition_type, converted: e.converted_type, children: e.num_children })),
    spark: JSON.parse(kv!.value!),
  };
}

function sparkTypeString(t: unknown): string {
  if (typeof t === "string") return t === "integer" ? "int" : t;
  const o = t as { type: string; elementType?: unknown; fields?: { name: string; type: unknown }[] };
  if (o.type === "array") return `array<${sparkTypeString(o.elementType)}>`;
  return `struct<${o.fields!.map((f) => `${f.name}:${sparkTypeString(f.type)}`).join(",")}>`;
}

describe.skipIf(!ok)("Parquet schema is Glow's", () => {
  if (!ok) console.warn("skipping: Glow's data or glow-reference.md is absent");

  it("block matrix: same schema elements and Spark schema as Glow's blockedGT fixture (without indices)", async () => {
    const c = await glow.simulate.cohort({ samples: 40, variants: 60, chromosomes: 2, out: dir, prefix: "wgr", formats: ["plink"], seed: 4 });
    const frame = glow.read("plink", c.files.bed!)
      .withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")))
      .filter(glow.functions.arraySize(glow.functions.arrayDistinct("values")).gt(1));
    const ids = await glow.wgr.getSampleIds(frame);
    const { blockDf } = await glow.wgr.blockVariantsAndSamples(frame, ids, 20, 3);
    const out = path.join(dir, "block.parquet");
    await glow.wgr.writeBlockMatrixParquet(blockDf, out);
    const want = await meta(fixture);
    const got = await meta(out);
    // drop `indices` (3 elements: the LIST group, `list`, `element`) and fix the root's child count
    const i = want.schema.findIndex((e) => e["name"] === "indices");
    const wantSchema = [{ ...want.schema[0], children: 8 }, ...want.schema.slice(1, i), ...want.schema.slice(i + 3)];
    expect(got.schema).toEqual(wantSchema);
    expect(got.spark).toEqual({ ...want.spark, fields: want.spark.fields.filter((f) => f.name !== "indices") });
  });

  it("glow.read('parquet') reads Glow's Spark-written fixture", async () => {
    const f = glow.read("parquet", fixture);
    expect(await f.count()).toBe(1030);
    const s = (await f.schema()).map((x) => x.name);
    expect(s).toEqual(["header", "size", "indices", "values", "header_block", "sample_block", "sort_key", "mu", "sig"]);
  });

  it("variant rows: the fields and types of Glow's documented variant schema", async () => {
    const text = readFileSync(ref, "utf8");
    const block = text.slice(text.indexOf("### 1b."), text.indexOf("### 1c."));
    const documented = new Map<string, string>();
    for (const m of block.matchAll(/\b(contigName|start|end|names|referenceAllele|alternateAlleles|qual|filters|splitFromMultiAllelic): (string|long|double|boolean|array<string>)/g)) documented.set(m[1]!, m[2]!);
    expect(documented.size).toBe(9);
    const aliases = new Map<string, string>();
    for (const m of block.matchAll(/([A-Z]{2})→(\w+):(int|boolean|array<int>|array<double>|array<string>)/g)) aliases.set(m[2]!, m[3]!);
    const out = path.join(dir, "ceu.parquet");
    await glow.read("vcf", path.join(data, "CEUTrio.HiSeq.WGS.b37.NA12878.20.21.vcf")).write("parquet", out);
    const got = await meta(out);
    const fields = new Map(got.spark.fields.map((f) => [f.name, sparkTypeString(f.type)]));
    for (const [name, type] of documented) expect(fields.get(name), name).toBe(type);
    const g = fields.get("genotypes")!;
    expect(g.startsWith("array<struct<sampleId:string,")).toBe(true);
    // GT → phased:boolean + calls:array<int>; the other FORMAT keys under Glow's aliases and types
    expect(g).toContain("phased:boolean");
    expect(g).toContain("calls:array<int>");
    const present = [...aliases].filter(([n]) => g.includes(`${n}:`));
    expect(present.length).toBeGreaterThanOrEqual(3); // DP, GQ, AD, PL in this file
    for (const [n, t] of present) expect(g).toContain(`${n}:${t}`);
    // INFO fields are INFO_<ID>, typed from the header
    expect(fields.get("INFO_DP")).toBe("int");
    expect(fields.get("INFO_AF")).toBe("array<double>");
    // Parquet physical types as Spark writes them
    const el = (n: string): Record<string, unknown> | undefined => got.schema.find((e) => e["name"] === n);
    expect(el("start")).toMatchObject({ type: "INT64", repetition: "OPTIONAL" });
    expect(el("contigName")).toMatchObject({ type: "BYTE_ARRAY", converted: "UTF8" });
    expect(el("genotypes")).toMatchObject({ converted: "LIST", repetition: "OPTIONAL" });
  });

  it("GWAS results: Glow's documented columns and types", async () => {
    const c = await glow.simulate.cohort({ samples: 60, variants: 40, out: dir, prefix: "gwas", formats: ["plink"], seed: 8, quantitativeTraits: 2 });
    const frame = glow.read("plink", c.files.bed!).withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")));
    const pheno = await glow.readSampleTable(c.files.phenotypes!);
    const res = await glow.gwas.linearRegression(frame, pheno.loc({ columns: ["Q1", "Q2"] }));
    const out = path.join(dir, "lin.parquet");
    expect(await res.write("parquet", out)).toBe(80);
    const got = await meta(out);
    const fields = new Map(got.spark.fields.map((f) => [f.name, sparkTypeString(f.type)]));
    // glow-reference: `effect, stderror, tvalue, pvalue` (double), `phenotype` (string), after the input columns
    for (const n of ["effect", "stderror", "tvalue", "pvalue"]) expect(fields.get(n), n).toBe("double");
    expect(fields.get("phenotype")).toBe("string");
    expect(fields.get("contigName")).toBe("string");
    expect(fields.get("start")).toBe("long");
    expect(fields.has("genotypes")).toBe(false);
    expect(fields.has("values")).toBe(false);
    const back = await glow.read("parquet", out).collect();
    const direct = await res.collect();
    expect(back).toEqual(direct);
  });
});
