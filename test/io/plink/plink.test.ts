/**
 * The plink reader against Glow's PlinkReaderSuite expectations, the plink --recode vcf twin, and
 * REGENIE's example data (the same calls in BGEN). Tolerance: exact everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { inflateSync } from "node:zlib";
import { spawnSync } from "node:child_process";
const plink2 = spawnSync("plink2", ["--version"]).status === 0;
import { plinkReader } from "../../../dist/io/plink/reader.js";
import { concatBatches, getValue, typeToString } from "../../../dist/core/column.js";
import type { DoubleColumn, GenotypesColumn, IntColumn, ListColumn, StringColumn, VariantBatch } from "../../../dist/core/column.js";
import { GlowtsError } from "../../../dist/core/errors.js";
import * as glow from "../../../dist/index.js";
import { decodeBedToGenotypeStates } from "../../../dist/io/plink/bed-codec.js";
export { seeded as seededRandom } from "../../helpers/seeded.js";

export const DATA = path.resolve(process.cwd(), "../shared/data");
export const HAS_DATA = existsSync(DATA);
export const FIVE = path.join(DATA, "glow/plink/five-samples-five-variants");
export const REGENIE = path.join(DATA, "regenie");

/** plan + readPartition for every partition, as the engine would (without workers). */
export async function readPlink(
  bed: string | string[],
  options: Record<string, unknown> = {},
  context: Record<string, unknown> = {},
): Promise<{ batches: VariantBatch[]; plan: Awaited<ReturnType<typeof plinkReader.plan>> }> {
  const opts = plinkReader.normalizeOptions(options);
  const plan = await plinkReader.plan(Array.isArray(bed) ? bed : [bed], opts, context);
  const batches: VariantBatch[] = [];
  for (const p of plan.partitions) {
    const b = await plinkReader.readPartition(p, plan.meta, opts);
    // Genotypes are decoded lazily; reading `fields` materializes them (as a thread transfer does).
    for (const c of Object.values(b.columns)) if (c.type === "genotypes") void c.fields;
    batches.push(b);
  }
  return { batches, plan };
}

/** Materializes rows as plain objects (getValue on each column). */
export function rowsOf(batches: VariantBatch[]): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const b of batches) {
    for (let i = 0; i < b.numRows; i++) {
      const r: Record<string, unknown> = {};
      for (const [k, c] of Object.entries(b.columns)) r[k] = getValue(c, i);
      rows.push(r);
    }
  }
  return rows;
}

/**
 * A tiny VCF reader for GT-only files (test oracle for "Read compared to VCF"): Glow's common
 * VCF/PLINK columns. start = POS-1, end = start + len(REF), names = ID split on ';', calls from GT
 * ('.' → -1).
 */
export function parseGtVcf(text: string): Record<string, unknown>[] {
  let samples: string[] = [];
  const rows: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("##")) continue;
    const f = line.split("\t");
    if (line.startsWith("#CHROM")) { samples = f.slice(9); continue; }
    const start = Number(f[1]) - 1;
    const fmt = f[8]!.split(":");
    const gi = fmt.indexOf("GT");
    rows.push({
      contigName: f[0],
      names: f[2] === "." ? null : f[2]!.split(";"),
      start,
      end: start + f[3]!.length,
      referenceAllele: f[3],
      alternateAlleles: f[4] === "." ? [] : f[4]!.split(","),
      genotypes: samples.map((s, j) => ({
        sampleId: s,
        calls: f[9 + j]!.split(":")[gi]!.split(/[/|]/).map((a) => (a === "." ? -1 : Number(a))),
      })),
    });
  }
  return rows;
}

/** One BGEN variant as the test oracle sees it. */
export interface BgenOracleVariant {
  rsid: string;
  chrom: string;
  pos: number;
  alleles: string[];
  /** Dosage of the FIRST allele per sample (2*P(AA) + P(AB)), -1 when missing. */
  firstAlleleDosage: Float64Array;
}

/**
 * A tiny BGEN v1.2 reader (layout 2, zlib, biallelic diploid, unphased) used as an independent
 * oracle for REGENIE's example.bed (the same calls exported to BGEN).
 */
export function parseBgenOracle(file: string): { nSamples: number; variants: BgenOracleVariant[] } {
  const d = readFileSync(file);
  const u32 = (o: number): number => d.readUInt32LE(o);
  const u16 = (o: number): number => d.readUInt16LE(o);
  const offset = u32(0);
  const headerLen = u32(4);
  const M = u32(8);
  const N = u32(12);
  const flags = u32(4 + headerLen - 4);
  if ((flags & 3) !== 1 || ((flags >> 2) & 15) !== 2) throw new Error("oracle supports layout 2 + zlib only");
  let p = 4 + offset;
  const variants: BgenOracleVariant[] = [];
  for (let v = 0; v < M; v++) {
    const str16 = (): string => { const l = u16(p); p += 2; const s = d.toString("latin1", p, p + l); p += l; return s; };
    str16(); // variant id
    const rsid = str16();
    const chrom = str16();
    const pos = u32(p); p += 4;
    const K = u16(p); p += 2;
    const alleles: string[] = [];
    for (let k = 0; k < K; k++) { const l = u32(p); p += 4; alleles.push(d.toString("latin1", p, p + l)); p += l; }
    const C = u32(p); p += 4;
    const raw = inflateSync(d.subarray(p + 4, p + C));
    p += C;
    const n = raw.readUInt32LE(0);
    if (raw.readUInt16LE(4) !== 2 || raw[6] !== 2 || raw[7] !== 2) throw new Error("oracle supports diploid biallelic only");
    const ploidyAt = 8;
    const phased = raw[ploidyAt + n]!;
    const bits = raw[ploidyAt + n + 1]!;
    if (phased !== 0 || bits !== 8) throw new Error("oracle supports unphased 8-bit only");
    const probs = ploidyAt + n + 2;
    const dos = new Float64Array(n);
    for (let s = 0; s < n; s++) {
      const missing = (raw[ploidyAt + s]! & 0x80) !== 0;
      const a = raw[probs + 2 * s]!;
      const b = raw[probs + 2 * s + 1]!;
      dos[s] = missing ? -1 : (2 * a + b) / 255;
    }
    variants.push({ rsid, chrom, pos, alleles, firstAlleleDosage: dos });
  }
  return { nSamples: N, variants };
}



/** Names of the columns (and typed-array parts) in which two batches differ; [] when equal. Fast on big typed arrays. */
function batchDiff(a: VariantBatch, b: VariantBatch): string[] {
  const out: string[] = [];
  if (a.numRows !== b.numRows) out.push(`numRows ${a.numRows} vs ${b.numRows}`);
  const same = (x: unknown, y: unknown, where: string): void => {
    if (ArrayBuffer.isView(x) && ArrayBuffer.isView(y)) {
      const bx = Buffer.from(x.buffer, x.byteOffset, x.byteLength);
      const by = Buffer.from(y.buffer, y.byteOffset, y.byteLength);
      if (x.constructor !== y.constructor || !bx.equals(by)) out.push(where);
    } else if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length || x.some((v, i) => v !== y[i])) out.push(where);
    } else if (x !== null && y !== null && typeof x === "object" && typeof y === "object") {
      const kx = Object.keys(x).filter((k) => (x as Record<string, unknown>)[k] !== undefined);
      const ky = Object.keys(y).filter((k) => (y as Record<string, unknown>)[k] !== undefined);
      if (kx.join() !== ky.join()) out.push(`${where} keys`);
      for (const k of kx) same((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${where}.${k}`);
    } else if (x !== y) out.push(where);
  };
  same(a.columns, b.columns, "columns");
  return out;
}

// ---------------------------------------------------------------------------------------------

const GLOW_SUITE = "Glow PlinkReaderSuite";

async function expectGlowtsError(p: Promise<unknown> | (() => unknown), check: (e: GlowtsError) => void): Promise<void> {
  let err: unknown;
  try {
    if (typeof p === "function") await p();
    else await p;
  } catch (e) {
    err = e;
  }
  expect(err, "expected a GlowtsError").toBeInstanceOf(GlowtsError);
  check(err as GlowtsError);
}

if (!HAS_DATA) console.warn(`plink tests skipped: reference data folder ${DATA} is absent`);

describe.skipIf(!HAS_DATA)("plink reader vs Glow's five-samples-five-variants (needs ../shared/data)", () => {
  const bed = path.join(FIVE, "bed-bim-fam/test.bed");

  it(`${GLOW_SUITE} "Read PLINK files": snp1 and snp5 equal the suite's hard-coded rows`, async () => {
    const rows = rowsOf((await readPlink(bed)).batches);
    expect(rows.length).toBe(5);
    // Expected rows: PlinkReaderSuite "Read PLINK files" (also glow-reference.md §3, plink row).
    const ids = ["fam1_ind1", "fam2_ind2", "fam3_ind3", "fam4_ind4", "fam5_ind5"];
    const gts = (calls: number[][]) => calls.map((c, i) => ({ sampleId: ids[i], calls: c }));
    expect(rows[0]).toEqual({
      contigName: "1", names: ["snp1"], position: 0.0, start: 9, end: 10,
      referenceAllele: "A", alternateAlleles: ["C"],
      genotypes: gts([[0, 0], [0, 1], [1, 1], [-1, -1], [-1, -1]]),
    });
    expect(rows[4]).toEqual({
      contigName: "26", names: ["snp5"], position: 2.5, start: 49, end: 50,
      referenceAllele: "A", alternateAlleles: ["C"],
      genotypes: gts([[0, 0], [0, 1], [0, 0], [0, 1], [0, 1]]),
    });
  });

  it(`${GLOW_SUITE} "Read compared to VCF": equals the plink --recode vcf twin exactly (common schema)`, async () => {
    const rows = rowsOf((await readPlink(bed)).batches).map((r) => {
      const { position, ...rest } = r;
      expect(typeof position).toBe("number");
      return rest;
    });
    const vcf = parseGtVcf(readFileSync(path.join(FIVE, "vcf/test.vcf"), "utf8"));
    const byContig = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.contigName).localeCompare(String(b.contigName));
    expect(rows.sort(byContig)).toEqual(vcf.sort(byContig));
  });

  it("schema and sample ids follow Glow's plinkSchema", async () => {
    const { plan } = await readPlink(bed);
    expect(plan.schema.map((f) => f.name)).toEqual(["contigName", "names", "position", "start", "end", "referenceAllele", "alternateAlleles", "genotypes"]);
    expect(typeToString(plan.schema[7]!.type)).toBe("array<struct<sampleId:string,calls:array<int>>>");
    expect(plan.sampleIds).toEqual(["fam1_ind1", "fam2_ind2", "fam3_ind3", "fam4_ind4", "fam5_ind5"]);
    expect(plan.partitions.length).toBe(1);
  });

  it(`${GLOW_SUITE} "Use IID only for sample ID": mergeFidIid=false`, async () => {
    const { batches, plan } = await readPlink(bed, { mergeFidIid: "false" });
    expect(plan.sampleIds).toEqual(["ind1", "ind2", "ind3", "ind4", "ind5"]);
    const g = rowsOf(batches)[0]!.genotypes as { sampleId: string }[];
    expect(g.map((x) => x.sampleId)).toEqual(["ind1", "ind2", "ind3", "ind4", "ind5"]);
  });

  it(`${GLOW_SUITE} "Support not having sample IDs": includeSampleIds=false`, async () => {
    const { batches, plan } = await readPlink(bed, { includeSampleIds: false });
    expect(plan.sampleIds).toBeNull();
    expect(typeToString(plan.schema[7]!.type)).toBe("array<struct<calls:array<int>>>");
    const g = rowsOf(batches)[0]!.genotypes as Record<string, unknown>[];
    expect(g[0]).toEqual({ calls: [0, 0] });
  });

  it(`${GLOW_SUITE} "Accept glob path" and a directory (companion .bim/.fam are not read as .bed)`, async () => {
    expect(rowsOf((await readPlink(path.join(FIVE, "bed-bim-fam/*.bed"))).batches).length).toBe(5);
    expect(rowsOf((await readPlink(path.join(FIVE, "bed-bim-fam"))).batches).length).toBe(5);
  });

  it(`${GLOW_SUITE} "Missing BIM" / "Missing FAM": GlowtsError naming the missing file`, async () => {
    await expectGlowtsError(readPlink(path.join(FIVE, "no-bim/test.bed")), (e) => {
      expect(e.code).toBe("FILE_NOT_FOUND");
      expect(e.file).toBe(path.join(FIVE, "no-bim/test.bim"));
    });
    await expectGlowtsError(readPlink(path.join(FIVE, "no-fam/test.bed")), (e) => {
      expect(e.code).toBe("FILE_NOT_FOUND");
      expect(e.file).toBe(path.join(FIVE, "no-fam/test.fam"));
    });
  });

  it(`${GLOW_SUITE} "Read prematurely truncated BED": malformed/test.bed is rejected naming the .bed`, async () => {
    await expectGlowtsError(readPlink(path.join(FIVE, "malformed/test.bed")), (e) => {
      expect(e.code).toBe("PLINK_BED");
      expect(e.file).toBe(path.join(FIVE, "malformed/test.bed"));
      expect(e.message).toMatch(/truncated/);
      expect(e.record).toMatch(/variant 4/);
    });
  });

  it(`${GLOW_SUITE} "Wrong BIM delimiter" / "Wrong FAM delimiter"`, async () => {
    await expectGlowtsError(readPlink(bed, { bimDelimiter: " " }), (e) => {
      expect(e.code).toBe("PLINK_BIM");
      expect(e.file).toBe(path.join(FIVE, "bed-bim-fam/test.bim"));
      expect(e.record).toBe("line 1");
      expect(e.message).toContain("Failed while parsing BIM file");
    });
    await expectGlowtsError(readPlink(bed, { famDelimiter: "\t" }), (e) => {
      expect(e.code).toBe("PLINK_FAM");
      expect(e.file).toBe(path.join(FIVE, "bed-bim-fam/test.fam"));
      expect(e.record).toBe("line 1");
      expect(e.message).toContain("Failed while parsing FAM file");
    });
  });

  it(`${GLOW_SUITE} "Read BED without magic bytes": a .fam read as .bed`, async () => {
    await expectGlowtsError(readPlink(path.join(FIVE, "bed-bim-fam/test.fam")), (e) => {
      expect(e.code).toBe("PLINK_BED");
      expect(e.file).toBe(path.join(FIVE, "bed-bim-fam/test.fam"));
      expect(e.message).toMatch(/Magic bytes/);
    });
  });

  it(`${GLOW_SUITE} "Invalid arg for mergeFidIid" and unknown options are OPTION errors`, async () => {
    await expectGlowtsError(() => plinkReader.normalizeOptions({ mergeFidIid: "hello" }), (e) => {
      expect(e.code).toBe("OPTION");
      expect(e.message).toContain("mergeFidIid");
      expect(e.message).toContain("hello");
    });
    await expectGlowtsError(() => plinkReader.normalizeOptions({ famDelim: " " }), (e) => expect(e.code).toBe("OPTION"));
    // Option names are case-insensitive, as in Glow.
    expect(plinkReader.normalizeOptions({ MERGEFIDIID: false, bimdelimiter: "\\t" })).toEqual({
      includeSampleIds: true, bimDelimiter: "\t", famDelimiter: "whitespace", mergeFidIid: false,
    });
  });
});

describe.skipIf(!HAS_DATA)("plink reader: partitions and synthetic edge cases (needs ../shared/data)", () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(path.join(tmpdir(), "glowts-plink-")); });
  afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

  it("a multi-partition plan gives the same rows as one partition (REGENIE example.bed)", async () => {
    const bed = path.join(REGENIE, "example.bed");
    const one = await readPlink(bed, { famDelimiter: "\t" });
    expect(one.plan.partitions.length).toBe(1);
    // The comparison detects a single changed call.
    const tampered = concatBatches((await readPlink(bed, { famDelimiter: "\t" })).batches);
    (((tampered.columns.genotypes as GenotypesColumn).fields.calls as ListColumn).child as IntColumn).values[12345] ^= 1;
    expect(batchDiff(tampered, concatBatches(one.batches))).toEqual(["columns.genotypes.fields.calls.child.values"]);
    for (const vpp of [1, 7, 333, 999, 1000, 5000]) {
      const many = await readPlink(bed, { famDelimiter: "\t" }, { variantsPerPartition: vpp });
      expect(many.plan.partitions.length).toBe(Math.ceil(1000 / vpp));
      expect(many.batches.reduce((s, b) => s + b.numRows, 0)).toBe(1000);
      expect(batchDiff(concatBatches(many.batches), concatBatches(one.batches))).toEqual([]);
    }
  });

  it("bytesPerPartition cuts partitions by packed .bed bytes (125 bytes per variant here)", async () => {
    const { plan } = await readPlink(path.join(REGENIE, "example.bed"), { famDelimiter: "whitespace" }, { bytesPerPartition: 125 * 100 });
    expect(plan.partitions.length).toBe(10);
    expect(plan.partitions.map((p) => p.estimatedRows)).toEqual(new Array(10).fill(100));
  });

  it("blank lines, '#' comments and CRLF in .bim/.fam do not shift partition boundaries", async () => {
    const src = path.join(FIVE, "bed-bim-fam/test");
    const p = path.join(dir, "crlf");
    copyFileSync(`${src}.bed`, `${p}.bed`);
    const bimLines = readFileSync(`${src}.bim`, "utf8").trim().split("\n");
    writeFileSync(`${p}.bim`, ["# comment", bimLines[0], "", bimLines[1], "  ", "#x", bimLines[2], bimLines[3], bimLines[4], ""].join("\r\n"));
    writeFileSync(`${p}.fam`, readFileSync(`${src}.fam`, "utf8").replace(/\n/g, "\r\n") + "\r\n");
    const ref = rowsOf((await readPlink(`${src}.bed`)).batches);
    for (const vpp of [1, 2, 3, 5]) {
      expect(rowsOf((await readPlink(`${p}.bed`, {}, { variantsPerPartition: vpp })).batches)).toEqual(ref);
    }
  });

  it("REGENIE's tab-delimited .fam: the default (whitespace, PLINK's spec) reads it; an explicit ' ' fails with a hint; '\\t' and 'whitespace' agree", async () => {
    const bed = path.join(REGENIE, "example.bed");
    await expectGlowtsError(readPlink(bed, { famDelimiter: " " }), (e) => {
      expect(e.code).toBe("PLINK_FAM");
      expect(e.file).toBe(path.join(REGENIE, "example.fam"));
      expect(e.message).toContain("famDelimiter");
    });
    const a = await readPlink(bed, { famDelimiter: "\t" });
    const b = await readPlink(bed, { famDelimiter: "whitespace", bimDelimiter: "whitespace" });
    const c = await readPlink(bed);
    expect(b.plan.sampleIds).toEqual(a.plan.sampleIds);
    expect(c.plan.sampleIds).toEqual(a.plan.sampleIds);
    expect(batchDiff(concatBatches(b.batches), concatBatches(a.batches))).toEqual([]);
    expect(batchDiff(concatBatches(c.batches), concatBatches(a.batches))).toEqual([]);
    // the sample ids are the .fam's FID_IID as plink2 lists them (--write-samples)
    const fam = readFileSync(path.join(REGENIE, "example.fam"), "utf8").trim().split("\n").map((l) => l.split(/\s+/));
    expect(c.plan.sampleIds).toEqual(fam.map((f) => `${f[0]}_${f[1]}`));
  });

  it("a blank line inside a .fam and a duplicate sample id are errors naming the line (as plink2)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "glowts-fam-"));
    const src = path.join(FIVE, "bed-bim-fam/test");
    const lines = readFileSync(`${src}.fam`, "utf8").trim().split("\n");
    const make = (name: string, famLines: string[]): string => {
      const p = path.join(dir, name);
      copyFileSync(`${src}.bed`, `${p}.bed`);
      copyFileSync(`${src}.bim`, `${p}.bim`);
      writeFileSync(`${p}.fam`, famLines.join("\n") + "\n");
      return `${p}.bed`;
    };
    const blank = make("blank", [lines[0]!, "", ...lines.slice(1, -1)]);
    await expectGlowtsError(readPlink(blank), (e) => {
      expect(e.code).toBe("PLINK_FAM");
      expect(e.file).toBe(blank.replace(/\.bed$/, ".fam"));
      expect(e.record).toBe("line 2");
      expect(e.message).toMatch(/blank line/);
    });
    const dup = make("dup", [...lines.slice(0, -1), lines[0]!]);
    await expectGlowtsError(readPlink(dup), (e) => {
      expect(e.code).toBe("PLINK_FAM");
      expect(e.record).toBe(`line ${lines.length}`);
      expect(e.message).toMatch(/duplicate sample id .* \(first on line 1\)/);
    });
    // blank lines after the last sample are harmless
    const trailing = make("trailing", [...lines, "", ""]);
    expect((await readPlink(trailing)).plan.sampleIds).toHaveLength(lines.length);
    if (plink2) {
      for (const [name, bad] of [["blank", blank], ["dup", dup]] as const) {
        // plink2 checks ids when it matches samples by id (--keep); it rejects interior blank lines always
        const base = bad.replace(/\.bed$/, "");
        const r = spawnSync("plink2", ["--bfile", base, "--keep", `${base}.fam`, "--freq", "--out", path.join(dir, `${name}-p2`)], { encoding: "utf8" });
        expect(r.status, `plink2 must reject the ${name} .fam too`).not.toBe(0);
      }
    }
  });

  it("an individual-major .bed is rejected naming the .bed", async () => {
    const src = path.join(FIVE, "bed-bim-fam/test");
    const p = path.join(dir, "indmajor");
    const bytes = readFileSync(`${src}.bed`);
    bytes[2] = 0x00;
    writeFileSync(`${p}.bed`, bytes);
    copyFileSync(`${src}.bim`, `${p}.bim`);
    copyFileSync(`${src}.fam`, `${p}.fam`);
    await expectGlowtsError(readPlink(`${p}.bed`), (e) => {
      expect(e.code).toBe("PLINK_BED");
      expect(e.file).toBe(`${p}.bed`);
      expect(e.message).toMatch(/individual-major/);
    });
  });

  it("a .bed longer than the .bim/.fam imply is rejected; a bad .bim coordinate names its line", async () => {
    const src = path.join(FIVE, "bed-bim-fam/test");
    const p = path.join(dir, "long");
    writeFileSync(`${p}.bed`, Buffer.concat([readFileSync(`${src}.bed`), Buffer.from([0xff, 0xff])]));
    copyFileSync(`${src}.bim`, `${p}.bim`);
    copyFileSync(`${src}.fam`, `${p}.fam`);
    await expectGlowtsError(readPlink(`${p}.bed`), (e) => {
      expect(e.code).toBe("PLINK_BED");
      expect(e.file).toBe(`${p}.bed`);
    });
    const q = path.join(dir, "badbp");
    copyFileSync(`${src}.bed`, `${q}.bed`);
    copyFileSync(`${src}.fam`, `${q}.fam`);
    writeFileSync(`${q}.bim`, readFileSync(`${src}.bim`, "utf8").replace("\t30\t", "\t3x0\t"));
    await expectGlowtsError(readPlink(`${q}.bed`), (e) => {
      expect(e.code).toBe("PLINK_BIM");
      expect(e.file).toBe(`${q}.bim`);
      expect(e.record).toBe("line 3");
    });
  });

  it("two .bed files with different samples cannot form one frame; same samples concatenate", async () => {
    const src = path.join(FIVE, "bed-bim-fam/test");
    const p = path.join(dir, "copy");
    for (const ext of [".bed", ".bim", ".fam"]) copyFileSync(`${src}${ext}`, `${p}${ext}`);
    const both = await readPlink([`${src}.bed`, `${p}.bed`]);
    expect(rowsOf(both.batches).length).toBe(10);
    writeFileSync(`${p}.fam`, readFileSync(`${src}.fam`, "utf8").replace("fam5", "famX"));
    await expectGlowtsError(readPlink([`${src}.bed`, `${p}.bed`]), (e) => {
      expect(e.code).toBe("SAMPLE_MISMATCH");
      expect(e.file).toBe(`${p}.fam`);
    });
  });
});

describe.skipIf(!HAS_DATA)("plink reader vs REGENIE's BGEN twin (example.bgen = same calls; needs ../shared/data)", () => {
  for (const name of ["example", "example_3chr"]) {
    it(`${name}.bed decodes to the hard calls of ${name}.bgen (exact); .bim agrees with the BGEN variants`, async () => {
      const { batches, plan } = await readPlink(path.join(REGENIE, `${name}.bed`), { famDelimiter: "\t" });
      const oracle = parseBgenOracle(path.join(REGENIE, `${name}.bgen`));
      const famIds = readFileSync(path.join(REGENIE, `${name}.fam`), "utf8").trim().split("\n").map((l) => { const f = l.split("\t"); return `${f[0]}_${f[1]}`; });
      expect(plan.sampleIds).toEqual(famIds);
      expect(famIds.length).toBe(oracle.nSamples);
      const b = concatBatches(batches);
      expect(b.numRows).toBe(oracle.variants.length);
      const n = oracle.nSamples;
      const calls = ((b.columns.genotypes as GenotypesColumn).fields.calls as ListColumn).child as IntColumn;
      const contig = b.columns.contigName as StringColumn;
      const start = b.columns.start as DoubleColumn;
      let mismatches = 0;
      for (let v = 0; v < b.numRows; v++) {
        const o = oracle.variants[v]!;
        expect(getValue(b.columns.names!, v)).toEqual([o.rsid]);
        expect(Number(contig.values[v])).toBe(Number(o.chrom));
        expect(start.values[v]).toBe(o.pos - 1);
        // Glow: BIM allele1 = alt. REGENIE wrote allele1 = the BGEN's FIRST allele, so Glow's alt
        // dosage on the .bed is the dosage of the BGEN's first allele.
        expect(getValue(b.columns.alternateAlleles!, v)).toEqual([o.alleles[0]]);
        expect(getValue(b.columns.referenceAllele!, v)).toBe(o.alleles[1]);
        for (let s = 0; s < n; s++) {
          const c0 = calls.values[(v * n + s) * 2]!;
          const c1 = calls.values[(v * n + s) * 2 + 1]!;
          const state = c0 < 0 ? -1 : c0 + c1;
          if (state !== o.firstAlleleDosage[s]) mismatches++;
        }
      }
      expect(mismatches).toBe(0);
    });
  }
});

describe.skipIf(!HAS_DATA)("plink through glow.read (worker pool; needs ../shared/data)", () => {
  afterAll(async () => { await glow.shutdown(); });

  it("glow.read('plink') collects the same rows as plan+readPartition", async () => {
    const bed = path.join(FIVE, "bed-bim-fam/test.bed");
    const rows = await glow.read("plink", bed).collect();
    expect(rows).toEqual(rowsOf((await readPlink(bed)).batches));
  });

  it("genotypeStates(genotypes) on example.bed equals decodeBedToGenotypeStates on the raw bytes", async () => {
    const bed = path.join(REGENIE, "example.bed");
    const rows = await glow
      .read("plink", bed, { famDelimiter: "\t" })
      .withColumn("values", glow.functions.genotypeStates("genotypes"))
      .select("values")
      .collect();
    const bytes = readFileSync(bed);
    const n = 500;
    const fast = decodeBedToGenotypeStates(bytes, n, rows.length, new Float64Array(n * rows.length), 3);
    expect(rows.length).toBe(1000);
    let mismatches = 0;
    rows.forEach((r, v) => (r.values as number[]).forEach((x, s) => { if (x !== fast[v * n + s]) mismatches++; }));
    expect(mismatches).toBe(0);
  });

  it("errors from workers keep code and file", async () => {
    await expectGlowtsError(glow.read("plink", path.join(FIVE, "malformed/test.bed")).collect(), (e) => {
      expect(e.code).toBe("PLINK_BED");
      expect(e.file).toBe(path.join(FIVE, "malformed/test.bed"));
    });
  });
});
