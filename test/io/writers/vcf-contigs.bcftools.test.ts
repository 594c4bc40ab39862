// `##contig` lines in the VCF headers glowts writes: from the source's header (VCF, .pvar `##contig`
// lines, value for value), else from the contigs of a `.bim`/`.pvar` in file order. Oracle: bcftools
// — `bcftools view -h` shows them, `bcftools index` accepts the BGZF output (it needs every record's
// contig declared) and `bcftools index -s` lists the contigs with their record counts, equal to the
// source's own counts. Exact.
import { describe, expect, it, afterAll } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as glow from "../../../dist/index.js";

const has = (tool: string): boolean => spawnSync(tool, ["--version"], { stdio: "ignore" }).status === 0;
const DATA = path.resolve(process.cwd(), "../shared/data");
const VCF = path.join(DATA, "glow", "CEUTrio.HiSeq.WGS.b37.NA12878.20.21.vcf");
const BED = path.join(DATA, "regenie", "example.bed");
const ok = has("bcftools") && existsSync(VCF) && existsSync(BED);
if (!ok) console.warn("##contig lines vs bcftools: skipped (needs bcftools and ../shared/data)");
const dir = mkdtempSync(path.join(tmpdir(), "glowts-contigs-"));
afterAll(async () => { rmSync(dir, { recursive: true, force: true }); await glow.shutdown(); });

const contigLines = (file: string): string[] =>
  execFileSync("bcftools", ["view", "-h", file], { encoding: "utf8" }).split("\n").filter((l) => l.startsWith("##contig="));

/** Records per contig as `bcftools index -s` lists them (contig → count). */
function indexStats(file: string): Record<string, number> {
  execFileSync("bcftools", ["index", "-f", file]);
  const out = execFileSync("bcftools", ["index", "-s", file], { encoding: "utf8" }).trim().split("\n");
  return Object.fromEntries(out.map((l) => l.split("\t")).map((f) => [f[0]!, Number(f[2])]));
}

function countsOf(lines: string[], col: number): Record<string, number> {
  const m: Record<string, number> = {};
  for (const l of lines) { const c = l.split(/\s+/)[col]!; m[c] = (m[c] ?? 0) + 1; }
  return m;
}

describe.skipIf(!ok)("VCF writers declare the contigs", () => {
  it("from a VCF source: its ##contig lines, value for value; bcftools index accepts the file", async () => {
    const out = path.join(dir, "vcf.vcf.gz");
    await glow.read("vcf", VCF).write("bigvcf", out, { compression: "bgzf" });
    const src = readFileSync(VCF, "utf8").split("\n").filter((l) => l.startsWith("##contig="));
    expect(src.length).toBeGreaterThan(0);
    expect(contigLines(out)).toEqual(src);
    const body = readFileSync(VCF, "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
    expect(indexStats(out)).toEqual(countsOf(body, 0));
  });

  it("from PLINK 1: the .bim's contigs in file order; sharded and BGZF output", async () => {
    const out = path.join(dir, "bed.vcf.gz");
    await glow.read("plink", BED).write("bigvcf", out, { compression: "bgzf" });
    const bim = readFileSync(BED.replace(/\.bed$/, ".bim"), "utf8").trim().split("\n");
    const contigs = [...new Set(bim.map((l) => l.split(/\s+/)[0]!))];
    expect(contigLines(out)).toEqual(contigs.map((c) => `##contig=<ID=${c}>`));
    expect(indexStats(out)).toEqual(countsOf(bim, 0));
    const shards = path.join(dir, "shards");
    await glow.read("plink", BED).write("vcf", shards);
    for (const f of readdirSync(shards).filter((x) => x.endsWith(".vcf"))) expect(contigLines(path.join(shards, f))).toEqual(contigs.map((c) => `##contig=<ID=${c}>`));
  });

  it.skipIf(!has("plink2"))("from a .pgen: the .pvar's ##contig lines, or its CHROM values when it has none", async () => {
    const p = path.join(dir, "fromVcf");
    execFileSync("plink2", ["--silent", "--vcf", VCF, "--make-pgen", "--out", p]);
    const out = path.join(dir, "pgen.vcf.gz");
    await glow.read("pgen", p).write("bigvcf", out, { compression: "bgzf" });
    const pvarContigs = readFileSync(`${p}.pvar`, "utf8").split("\n").filter((l) => l.startsWith("##contig="));
    expect(pvarContigs.length).toBeGreaterThan(0);
    expect(contigLines(out)).toEqual(pvarContigs);
    const q = path.join(dir, "fromBed");
    execFileSync("plink2", ["--silent", "--bfile", BED.replace(/\.bed$/, ""), "--make-pgen", "--out", q]);
    const out2 = path.join(dir, "pgen2.vcf.gz");
    await glow.read("pgen", q).write("bigvcf", out2, { compression: "bgzf" });
    const pvar = readFileSync(`${q}.pvar`, "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
    expect(contigLines(out2)).toEqual([...new Set(pvar.map((l) => l.split("\t")[0]!))].map((c) => `##contig=<ID=${c}>`));
    expect(indexStats(out2)).toEqual(countsOf(pvar, 0));
  });
});
