// normalize_variants against `bcftools norm -f` outputs (Glow's test data), and split + normalize
// against `vt decompose -s` followed by `bcftools norm`. Both sides are read with glowts' VCF
// reader and compared row for row, every column, exactly (normalizationStatus is checked against
// whether the row differs from the input instead).
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as glow from "../../dist/index.js";

const dir = path.resolve(process.cwd(), "../shared/data/glow/variantsplitternormalizer-test");
const have = existsSync(dir);
if (!have) console.warn(`normalize-variants.bcftools.test: ${dir} is absent; skipping`);

afterAll(async () => { await glow.shutdown(); });

const hg38 = "Homo_sapiens_assembly38.20.21_altered.fasta";
const cases: [string, string][] = [
  ["01_IN_altered_multiallelic", "20_altered.fasta"],
  ["01_IN_altered_biallelic", "20_altered.fasta"],
  ["test_left_align_hg38_altered", hg38],
  ["test_left_align_hg38_altered_symbolic", hg38],
];

type Row = Record<string, unknown>;
const key = (r: Row): string => JSON.stringify([r["contigName"], r["start"], r["referenceAllele"], r["alternateAlleles"]]);
// The hg38 bcftools fixtures end their #CHROM line with a tab (an empty, never-filled sample
// column): that phantom sample (id "", every field null) is removed before comparing.
function phantomFree(r: Row): Row {
  const g = r["genotypes"];
  if (!Array.isArray(g)) return r;
  return { ...r, genotypes: g.filter((x: Row) => !(x["sampleId"] === "" && Object.entries(x).every(([k, v]) => k === "sampleId" || v === null))) };
}
function strip(rows: Row[], drop: string[]): Row[] {
  return rows.map((r) => Object.fromEntries(Object.entries(phantomFree(r)).filter(([k]) => !drop.includes(k))));
}

async function expectSameRows(ours: Row[], theirs: Row[], drop: string[]): Promise<void> {
  expect(ours.length).toBe(theirs.length);
  // bcftools re-sorts a record only within its own output order; compare in that order.
  const a = strip(ours, drop), b = strip(theirs, drop);
  const order = (rows: Row[]): Row[] => [...rows].sort((x, y) => (Number(x["start"]) - Number(y["start"])) || String(x["contigName"]).localeCompare(String(y["contigName"])) || key(x).localeCompare(key(y)));
  const sa = order(a), sb = order(b);
  for (let i = 0; i < sa.length; i++) expect(sa[i], `row ${i}`).toEqual(sb[i]);
}

describe.skipIf(!have)("normalize_variants equals bcftools norm", () => {
  for (const [name, fasta] of cases) {
    it(`${name} (${fasta})`, async () => {
      const input = glow.read("vcf", path.join(dir, `${name}.vcf`));
      const inRows = await input.collect({ workers: 0, onProgress: false });
      const norm = await glow.transform("normalize_variants", input, { reference_genome_path: path.join(dir, fasta) }).collect({ workers: 2, onProgress: false });
      const bcf = await glow.read("vcf", path.join(dir, `${name}_bcftoolsnormalized.vcf`)).collect({ workers: 0, onProgress: false });
      norm.forEach((r, i) => {
        const s = r["normalizationStatus"] as { changed: boolean; errorMessage: string | null };
        const moved = r["start"] !== inRows[i]!["start"] || r["referenceAllele"] !== inRows[i]!["referenceAllele"] || JSON.stringify(r["alternateAlleles"]) !== JSON.stringify(inRows[i]!["alternateAlleles"]);
        expect(s.changed, `row ${i}`).toBe(moved);
        expect(s.errorMessage).toBeNull();
      });
      await expectSameRows(norm, bcf, ["normalizationStatus"]);
      if (name === "01_IN_altered_multiallelic") expect(norm.filter((r) => (r["normalizationStatus"] as { changed: boolean }).changed).length).toBeGreaterThan(0);
    });

    it(`${name}: split_multiallelics then normalize_variants equals vt decompose + bcftools norm`, async () => {
      const input = glow.read("vcf", path.join(dir, `${name}.vcf`));
      const split = glow.transform("split_multiallelics", input);
      const norm = await glow.transform("normalize_variants", split, { referenceGenomePath: path.join(dir, fasta) }).collect({ workers: 2, onProgress: false });
      const ref = await glow.read("vcf", path.join(dir, `${name}_vtdecompose_bcftoolsnormalized.vcf`)).collect({ workers: 0, onProgress: false });
      for (const r of ref) r["INFO_OLD_MULTIALLELIC"] ??= null;
      await expectSameRows(norm, ref, ["normalizationStatus", "splitFromMultiAllelic"]);
    });
  }

  it("reads a bgzip FASTA through .fai and .gzi like the plain one", async () => {
    const input = glow.read("vcf", path.join(dir, "01_IN_altered_multiallelic.vcf"));
    const plain = await glow.transform("normalize_variants", input, { referenceGenomePath: path.join(dir, "20_altered.fasta") }).collect({ workers: 0, onProgress: false });
    const bgz = await glow.transform("normalize_variants", input, { referenceGenomePath: path.join(dir, "20_altered_bgzip.fasta.gz") }).collect({ workers: 0, onProgress: false });
    expect(bgz).toEqual(plain);
  });

  it("replaceColumns=false adds normalizationResult and keeps the columns", async () => {
    const input = glow.read("vcf", path.join(dir, "01_IN_altered_multiallelic.vcf"));
    const inRows = await input.collect({ workers: 0, onProgress: false });
    const replaced = await glow.transform("normalize_variants", input, { referenceGenomePath: path.join(dir, "20_altered.fasta") }).collect({ workers: 0, onProgress: false });
    const kept = await glow.transform("normalize_variants", input, { referenceGenomePath: path.join(dir, "20_altered.fasta"), replaceColumns: false }).collect({ workers: 0, onProgress: false });
    kept.forEach((r, i) => {
      expect(r["start"]).toBe(inRows[i]!["start"]);
      const res = r["normalizationResult"] as Row;
      expect(res["start"]).toBe(replaced[i]!["start"]);
      expect(res["referenceAllele"]).toBe(replaced[i]!["referenceAllele"]);
      expect(res["alternateAlleles"]).toEqual(replaced[i]!["alternateAlleles"]);
    });
  });

  it("the normalizeVariant column function gives the transformer's bcftools-equal result", async () => {
    const fa = path.join(dir, "20_altered.fasta");
    const input = glow.read("vcf", path.join(dir, "01_IN_altered_multiallelic.vcf"));
    const viaFn = await input.withColumn("n", glow.functions.normalizeVariant("contigName", "start", "end", "referenceAllele", "alternateAlleles", fa)).collect({ workers: 2, onProgress: false });
    const viaT = await glow.transform("normalize_variants", input, { referenceGenomePath: fa }).collect({ workers: 0, onProgress: false });
    viaFn.forEach((r, i) => {
      const n = r["n"] as Row;
      expect(n["start"]).toBe(viaT[i]!["start"]);
      expect(n["end"]).toBe(viaT[i]!["end"]);
      expect(n["referenceAllele"]).toBe(viaT[i]!["referenceAllele"]);
      expect(n["alternateAlleles"]).toEqual(viaT[i]!["alternateAlleles"]);
      expect(n["normalizationStatus"]).toEqual(viaT[i]!["normalizationStatus"]);
    });
  });

  it("the deprecated mode option: split_and_normalize equals vt + bcftools, split equals vt", async () => {
    const input = glow.read("vcf", path.join(dir, "01_IN_altered_multiallelic.vcf"));
    const fa = path.join(dir, "20_altered.fasta");
    const both = await glow.transform("normalize_variants", input, { referenceGenomePath: fa, mode: "split_and_normalize" }).collect({ workers: 0, onProgress: false });
    const ref = await glow.read("vcf", path.join(dir, "01_IN_altered_multiallelic_vtdecompose_bcftoolsnormalized.vcf")).collect({ workers: 0, onProgress: false });
    await expectSameRows(both, ref, ["normalizationStatus", "splitFromMultiAllelic"]);
    const split = await glow.transform("normalize_variants", input, { mode: "split" }).collect({ workers: 0, onProgress: false });
    const vt = await glow.read("vcf", path.join(dir, "01_IN_altered_multiallelic_vtdecompose.vcf")).collect({ workers: 0, onProgress: false });
    await expectSameRows(split, vt, ["splitFromMultiAllelic"]);
  });

  it("fails clearly without a FASTA index", () => {
    const input = glow.read("vcf", path.join(dir, "01_IN_altered_multiallelic.vcf"));
    expect(() => glow.transform("normalize_variants", input, { referenceGenomePath: path.join(dir, "20_altered_noindex.fasta") })).toThrow(/no FASTA index/);
    expect(() => glow.transform("normalize_variants", input, { referenceGenomePath: path.join(dir, "20_altered_bgzip_noindex.fasta.gz") })).toThrow(/FASTA index/);
    expect(() => glow.transform("normalize_variants", input, {})).toThrow(/referenceGenomePath/);
  });
});
