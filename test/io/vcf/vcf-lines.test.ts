/**
 * VCF line parsing, one behaviour per test. Oracle: Glow's VCFDatasourceSuite / FastVCFDatasourceSuite
 * (core/src/test/scala/io/projectglow/vcf/VCFDatasourceSuite.scala), whose `parseVcfContents`
 * helper is reproduced here: a header with `##FORMAT=<ID=GT,...>`, optional extra header lines, and
 * `makeVcfLine(rest) = 1 1 id C T,GT 1 . <rest>`. Expected values are the suite's assertions.
 * Tests marked "glowts" check documented glowts behaviour where Glow has no oracle.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { vcfReader } from "../../../dist/io/vcf/reader.js";
import { getValue, type VariantBatch } from "../../../dist/core/column.js";
import { GlowtsError } from "../../../dist/core/errors.js";

const tmp = mkdtempSync(path.join(tmpdir(), "glowts-vcf-lines-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let fileNo = 0;

type Row = Record<string, unknown>;
function rowsOf(b: VariantBatch): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < b.numRows; i++) {
    const r: Row = {};
    for (const [k, c] of Object.entries(b.columns)) r[k] = getValue(c, i);
    out.push(r);
  }
  return out;
}

async function readFile(file: string, options: Record<string, unknown> = {}): Promise<{ rows: Row[]; schema: { name: string }[] }> {
  const o = vcfReader.normalizeOptions(options);
  const plan = await vcfReader.plan([file], o, {});
  const rows: Row[] = [];
  for (const p of plan.partitions) rows.push(...rowsOf(await vcfReader.readPartition(p, plan.meta, o)));
  return { rows, schema: plan.schema };
}

function makeVcfLine(rest: string[]): string {
  return ["1", "1", "id", "C", "T,GT", "1", ".", ...rest].join("\t");
}

async function parseVcfContents(line: string, extraHeaderLines = "", nSamples = 1, options: Record<string, unknown> = {}): Promise<Row[]> {
  const samples = Array.from({ length: nSamples }, (_, i) => `sample_${i + 1}`).join("\t");
  const text = "##fileformat=VCFv4.2\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n" + extraHeaderLines
    + `#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t${samples}\n` + line;
  const file = path.join(tmp, `t${fileNo++}.vcf`);
  writeFileSync(file, text);
  return (await readFile(file, options)).rows;
}

const g0 = (rows: Row[]): Row => (rows[0]!["genotypes"] as Row[])[0]!;

describe("Glow VCFDatasourceSuite line cases", () => {
  it("uncalled genotype: '.' → calls [-1]", async () => {
    expect(g0(await parseVcfContents(makeVcfLine(["AC=2", "GT", "."])))["calls"]).toEqual([-1]);
  });
  it("uncalled diploid genotype: './.' → [-1, -1]", async () => {
    expect(g0(await parseVcfContents(makeVcfLine(["AC=2", "GT", "./."])))["calls"]).toEqual([-1, -1]);
  });
  it("phased genotype '0|0'", async () => {
    const g = g0(await parseVcfContents(makeVcfLine(["AC=2", "GT", "0|0"])));
    expect([g["calls"], g["phased"]]).toEqual([[0, 0], true]);
  });
  it("unphased genotype '0/0'", async () => {
    const g = g0(await parseVcfContents(makeVcfLine(["AC=2", "GT", "0/0"])));
    expect([g["calls"], g["phased"]]).toEqual([[0, 0], false]);
  });
  it("missing calls are -1 (only one present): '1|.' → [1, -1], phased", async () => {
    const g = g0(await parseVcfContents(makeVcfLine([".", "GT", "1|."])));
    expect([g["calls"], g["phased"]]).toEqual([[1, -1], true]);
  });
  it("info field flags: DB present → INFO_DB true", async () => {
    const rows = await parseVcfContents(makeVcfLine(["DB", "GT", "1|2"]), '##INFO=<ID=DB,Number=0,Type=Flag,Description="">\n');
    expect(rows[0]!["INFO_DB"]).toBe(true);
  });
  it("missing format values: '.:.:.' → calls [-1], unphased, depth and MIN_DP null", async () => {
    const extra = '##FORMAT=<ID=MIN_DP,Number=1,Type=Integer,Description="">\n##FORMAT=<ID=DP,Number=1,Type=Integer,Description="">\n';
    const g = g0(await parseVcfContents(makeVcfLine(["AC=2", "GT:DP:MIN_DP", ".:.:."]), extra));
    expect(g).toEqual({ sampleId: "sample_1", phased: false, calls: [-1], MIN_DP: null, depth: null });
  });
  it("dropped trailing format values: GT:MIN_DP:DP with '.:5' → MIN_DP 5, depth null", async () => {
    const extra = '##FORMAT=<ID=MIN_DP,Number=1,Type=Integer,Description="">\n##FORMAT=<ID=DP,Number=1,Type=Integer,Description="">\n';
    const g = g0(await parseVcfContents(makeVcfLine(["AC=2", "GT:MIN_DP:DP", ".:5"]), extra));
    expect(g).toEqual({ sampleId: "sample_1", phased: false, calls: [-1], MIN_DP: 5, depth: null });
  });
  it("set END field: END=200 → end 200", async () => {
    const rows = await parseVcfContents(makeVcfLine(["END=200", "GT", "."]));
    expect(rows[0]!["end"]).toBe(200);
    expect(Object.keys(rows[0]!).some((k) => k === "INFO_END")).toBe(false);
  });
  it("strict validation stringency: INFO AC=monkey (Integer) throws", async () => {
    const file = path.join(tmp, `strict${fileNo++}.vcf`);
    writeFileSync(file, '##fileformat=VCFv4.2\n##INFO=<ID=AC,Number=1,Type=Integer,Description="">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n' + makeVcfLine(["AC=monkey"]));
    await expect(readFile(file, { validationStringency: "strict", flattenInfoFields: true })).rejects.toThrow(GlowtsError);
    const silent = await readFile(file);
    expect(silent.rows[0]!["INFO_AC"]).toBeNull();
  });
  it("validation stringency (format fields): FIELD=monkey throws only with strict", async () => {
    const extra = '##FORMAT=<ID=FIELD,Number=1,Type=Integer,Description=""\n';
    await expect(parseVcfContents(makeVcfLine([".", "FIELD", "monkey"]), extra, 1, { validationStringency: "strict" })).rejects.toThrow(/line 5: .*FIELD/);
    expect(g0(await parseVcfContents(makeVcfLine([".", "FIELD", "monkey"]), extra, 1, { validationStringency: "silent" }))["FIELD"]).toBeNull();
    const warn = console.warn;
    const seen: string[] = [];
    console.warn = (m: string) => { seen.push(m); };
    try {
      await parseVcfContents(makeVcfLine([".", "FIELD", "monkey"]), extra, 1, { validationStringency: "lenient" });
    } finally {
      console.warn = warn;
    }
    expect(seen.some((m) => m.includes("FIELD"))).toBe(true);
  });
  it("invalid validation stringency is rejected", () => {
    expect(() => vcfReader.normalizeOptions({ validationStringency: "fakeStringency" })).toThrow(GlowtsError);
  });
  it("splitToBiallelic option error message names split_multiallelics", () => {
    expect(() => vcfReader.normalizeOptions({ splitToBiallelic: true })).toThrow(/split_multiallelics/);
  });
  it("infer non standard format fields: MONKEY (String) and NUMBERS (Number=5 Float)", async () => {
    const extra = '##FORMAT=<ID=MONKEY,Number=1,Type=String,Description="">\n##FORMAT=<ID=NUMBERS,Number=5,Type=Float,Description="">\n';
    const g = g0(await parseVcfContents(makeVcfLine([".", "MONKEY:NUMBERS", "banana:1,2,3"]), extra));
    expect(g["MONKEY"]).toBe("banana");
    expect(g["NUMBERS"]).toEqual([1, 2, 3]);
  });
  it("prune genotype fields: AD:MIN_DP '2,5:1' → MIN_DP 1, alleleDepths [2, 5]", async () => {
    const extra = '##FORMAT=<ID=MIN_DP,Number=1,Type=Integer,Description="">\n##FORMAT=<ID=AD,Number=R,Type=Integer,Description="">\n';
    const g = g0(await parseVcfContents(makeVcfLine([".", "AD:MIN_DP", "2,5:1"]), extra));
    expect(g["MIN_DP"]).toBe(1);
    expect(g["alleleDepths"]).toEqual([2, 5]);
  });
  it("read AD with nulls: '.,1' → [null, 1]", async () => {
    const g = g0(await parseVcfContents(makeVcfLine([".", "AD", ".,1"]), '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="">\n'));
    expect(g["alleleDepths"]).toEqual([null, 1]);
  });
  it("read string that starts with '.': STR=.monkey", async () => {
    const rows = await parseVcfContents(makeVcfLine(["STR=.monkey"]), '##INFO=<ID=STR,Number=1,Type=String,Description="">\n');
    expect(rows[0]!["INFO_STR"]).toBe(".monkey");
  });
  it("missing GT format field: calls and phased absent from the data stay null (glowts: no GT header → no calls column)", async () => {
    const rows = await parseVcfContents(makeVcfLine([".", "GL", "."]), '##FORMAT=<ID=GL,Number=G,Type=Float,Description="">\n');
    const g = g0(rows);
    expect(g["calls"]).toBeNull();
    expect(g["genotypeLikelihoods"]).toBeNull();
  });
  it("no sample ids: includeSampleIds=false drops sampleId", async () => {
    const g = g0(await parseVcfContents(makeVcfLine(["AC=2", "GT", "0/1"]), "", 1, { includeSampleIds: false }));
    expect(g).toEqual({ phased: false, calls: [0, 1] });
  });
});

describe("glowts line rules (documented behaviour)", () => {
  it("ID and FILTER split on ';', ALT on ','; '.' is null; all-missing multi-item arrays are empty (Glow's toGenericArrayData)", async () => {
    const extra = '##INFO=<ID=XS,Number=.,Type=Integer,Description="">\n';
    const rows = await parseVcfContents(["1", "5", "rs1;rs2", "C", "T,.", "1", "q10;s50", "XS=.,.", "GT", "0/1"].join("\t"), extra);
    expect(rows[0]!["names"]).toEqual(["rs1", "rs2"]);
    expect(rows[0]!["alternateAlleles"]).toEqual(["T", null]);
    expect(rows[0]!["filters"]).toEqual(["q10", "s50"]);
    expect(rows[0]!["INFO_XS"]).toEqual([]);
  });
  it("INFO keys missing from the header are dropped; header INFO of a row without it is null; flags default false", async () => {
    const extra = '##INFO=<ID=DP,Number=1,Type=Integer,Description="">\n##INFO=<ID=F,Number=0,Type=Flag,Description="">\n';
    const rows = await parseVcfContents(makeVcfLine(["UNDECLARED=3", "GT", "0/1"]), extra);
    expect(rows[0]!["INFO_DP"]).toBeNull();
    expect(rows[0]!["INFO_F"]).toBe(false);
    expect(Object.keys(rows[0]!).filter((k) => k.startsWith("INFO_"))).toEqual(["INFO_DP", "INFO_F"]);
  });
  it("calls are dense when every genotype in the batch has the same ploidy, ragged otherwise", async () => {
    const lines = [makeVcfLine(["AC=2", "GT", "0/1", "1|1"]), makeVcfLine(["AC=2", "GT", "0", "1/1/1"])].join("\n");
    const rows = await parseVcfContents(lines, "", 2);
    expect((rows[0]!["genotypes"] as Row[]).map((g) => g["calls"])).toEqual([[0, 1], [1, 1]]);
    expect((rows[1]!["genotypes"] as Row[]).map((g) => g["calls"])).toEqual([[0], [1, 1, 1]]);
  });
  it("a line with fewer than 8 columns throws VCF_PARSE naming file and line, whatever the stringency", async () => {
    await expect(parseVcfContents("1\t5\tid\tC\tT\n")).rejects.toMatchObject({ code: "VCF_PARSE", record: "line 4" });
  });
  it("missing sample columns: strict throws naming the line, lenient warns naming it and drops it, silent (default) drops it with one notice", async () => {
    // (issue 12) the lines end with a newline: a last line without one must be a complete record
    const text = [makeVcfLine(["AC=2", "GT", "0/1", "1/1", "0/0"]), makeVcfLine(["AC=2", "GT", "0/1"]), makeVcfLine(["AC=3", "GT", "1/1", "1/1", "0/0"])].join("\n") + "\n";
    await expect(parseVcfContents(text, "", 3, { validationStringency: "strict" })).rejects.toMatchObject({ code: "VCF_PARSE", record: "line 5" });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      for (const opts of [{ validationStringency: "lenient" }, { validationStringency: "silent" }, {}]) {
        warn.mockClear();
        const rows = await parseVcfContents(text, "", 3, opts);
        expect(rows).toHaveLength(2);
        expect((rows[1]!["genotypes"] as Row[]).map((g) => g["calls"])).toEqual([[1, 1], [1, 1], [0, 0]]);
        expect(warn).toHaveBeenCalledTimes(1);
        expect(String(warn.mock.calls[0]![0])).toMatch(/line 5/);
      }
    } finally {
      warn.mockRestore();
    }
  });
  it("a last line without a newline that is not a complete record is VCF_TRUNCATED at every stringency (bcftools rejects it)", async () => {
    for (const validationStringency of ["silent", "lenient", "strict"]) {
      await expect(parseVcfContents(makeVcfLine(["AC=2", "GT", "0/1"]), "", 3, { validationStringency }))
        .rejects.toMatchObject({ code: "VCF_TRUNCATED", record: "line 4" });
      await expect(parseVcfContents(`${makeVcfLine(["AC=2", "GT", "0/1", "1/1", "0/0"])}\n1\t7\tid2`, "", 3, { validationStringency }))
        .rejects.toMatchObject({ code: "VCF_TRUNCATED", record: "line 5" });
    }
    // a complete last line without a newline is fine
    expect(await parseVcfContents(makeVcfLine(["AC=2", "GT", "0/1", "1/1", "0/0"]), "", 3)).toHaveLength(1);
  });
  it("flattenInfoFields=false gives an attributes key/value list", async () => {
    const rows = await parseVcfContents(makeVcfLine(["AC=2;DB;END=9", "GT", "0/1"]), "", 1, { flattenInfoFields: false });
    expect(rows[0]!["attributes"]).toEqual([{ key: "AC", value: "2" }, { key: "DB", value: "true" }, { key: "END", value: "9" }]);
    expect(rows[0]!["end"]).toBe(9);
  });
  it("unknown options are rejected; option names are case-insensitive", () => {
    expect(() => vcfReader.normalizeOptions({ INCLUDESAMPLEIDS: false, validation_stringency: "STRICT" })).not.toThrow();
    expect(() => vcfReader.normalizeOptions({ noSuchOption: 1 })).toThrow(GlowtsError);
    expect(() => vcfReader.normalizeOptions({ useFilterParser: false })).toThrow(/useTabixIndex/);
    expect(vcfReader.normalizeOptions({ useFilterParser: "false", useTabixIndex: false }).useFilterParser).toBe(false);
  });
});
