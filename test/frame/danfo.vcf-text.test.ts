// toDanfo() against the VCF text it was read from: ids, contig names and alleles stay the strings
// written in the file (no "22" → 22), arrays are JSON text that parses back to the file's lists,
// missing numbers are NaN, and danfo's describe() runs on the result.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as glow from "../../dist/index.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "glowts-danfo-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const vcf = [
  "##fileformat=VCFv4.2",
  "##contig=<ID=22>",
  '##INFO=<ID=DP,Number=1,Type=Integer,Description="depth">',
  '##FORMAT=<ID=GT,Number=1,Type=String,Description="genotype">',
  "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2",
  "22\t100\t1\tA\tC,G\t50\tPASS\tDP=7\tGT\t0/1\t1/2",
  "22\t200\t007\tT\tTA\t.\tPASS\t.\tGT\t0/0\t./.",
  "22\t300\trs3;rs3b\tG\tA\t12.5\tq10\tDP=3\tGT\t1/1\t0/1",
].join("\n") + "\n";

describe("toDanfo", () => {
  it("keeps the file's strings, lists and missing values, and describe() works", async () => {
    const file = path.join(tmp, "t.vcf");
    writeFileSync(file, vcf);
    const df = await glow.read("vcf", file).toDanfo();
    const col = (n: string) => df.column(n).values as unknown[];
    const dtype = (n: string) => df.dtypes[df.columns.indexOf(n)];
    expect(col("contigName")).toEqual(["22", "22", "22"]);
    expect(dtype("contigName")).toBe("string");
    expect(col("referenceAllele")).toEqual(["A", "T", "G"]);
    // lists as JSON text, parsing back to the file's lists (the ID column split at ';')
    expect(col("names").map((s) => JSON.parse(String(s)))).toEqual([["1"], ["007"], ["rs3", "rs3b"]]);
    expect(col("alternateAlleles").map((s) => JSON.parse(String(s)))).toEqual([["C", "G"], ["TA"], ["A"]]);
    expect(dtype("names")).toBe("string");
    // positions: Glow's 0-based start
    expect(col("start")).toEqual([99, 199, 299]);
    // QUAL '.' and a missing INFO field are NaN (danfo's missing value)
    const qual = col("qual") as number[];
    expect(qual[0]).toBe(50);
    expect(Number.isNaN(qual[1])).toBe(true);
    expect(qual[2]).toBe(12.5);
    const dp = col("INFO_DP") as number[];
    expect(dp[0]).toBe(7);
    expect(Number.isNaN(dp[1])).toBe(true);
    // danfo's describe() runs (it used to throw on nulls) and counts the non-missing values
    const d = df.describe();
    const row = (d.index as string[]).indexOf("count");
    expect(row).toBeGreaterThanOrEqual(0);
    expect(d.column("qual").values[row]).toBe(2);
    expect(d.column("INFO_DP").values[row]).toBe(2);
    expect(d.column("start").values[row]).toBe(3);
  }, 60_000);
});
