/**
 * Cutting VCF files into partitions. Oracle: the same file read as one partition (and, for BGZF,
 * the plain-text original): every cut, whether it falls inside a line, exactly at a line start, or
 * inside a BGZF block boundary, must give the same rows in the same order. Error positions are
 * checked against the byte / virtual offset computed in the test from the file's text.
 */
import { afterAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { vcfReader } from "../../../dist/io/vcf/reader.js";
import { BGZF_EOF, compressBgzf, encodeBgzfBlock, inflateBgzfBlocks } from "../../../dist/io/bgzf.js";
import { getValue, type VariantBatch } from "../../../dist/core/column.js";
import { GlowtsError } from "../../../dist/core/errors.js";

const DATA = path.resolve(process.cwd(), "../shared/data");
const HAS_DATA = existsSync(DATA);
if (!HAS_DATA) console.warn(`VCF partition tests on data files skipped: reference data folder ${DATA} is absent`);
const CEU = path.join(DATA, "glow/CEUTrio.HiSeq.WGS.b37.NA12878.20.21.vcf");

const tmp = mkdtempSync(path.join(tmpdir(), "glowts-vcf-parts-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

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

async function read(file: string | string[], bytesPerPartition?: number, options: Record<string, unknown> = {}) {
  const o = vcfReader.normalizeOptions(options);
  const plan = await vcfReader.plan(Array.isArray(file) ? file : [file], o, { bytesPerPartition });
  const rows: Row[] = [];
  for (const p of plan.partitions) rows.push(...rowsOf(await vcfReader.readPartition(p, plan.meta, o)));
  return { plan, rows };
}

const norm = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

/** A synthetic VCF whose data lines all have the same length. */
function fixedWidthVcf(n: number): { text: string; header: string; lines: string[] } {
  const header = '##fileformat=VCFv4.2\n##INFO=<ID=DP,Number=1,Type=Integer,Description="d">\n##FORMAT=<ID=GT,Number=1,Type=String,Description="g">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\n';
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`1\t${100000 + i}\trs${String(i).padStart(5, "0")}\tA\tG\t50\tPASS\tDP=${String(i % 1000).padStart(3, "0")}\tGT\t${i % 3}/1\t0|${i % 2}`);
  return { text: header + lines.join("\n") + "\n", header, lines };
}

describe("partitions of plain and BGZF files (synthetic)", () => {
  const { text, header, lines } = fixedWidthVcf(400);
  const plain = path.join(tmp, "fixed.vcf");
  writeFileSync(plain, text);

  it("plain: cuts at every line start, inside lines, and at odd sizes give the rows of one partition", async () => {
    const one = await read(plain);
    expect(one.plan.partitions.length).toBe(1);
    expect(one.rows.length).toBe(400);
    const lineLength = lines[0]!.length + 1;
    // header length + k * lineLength are line starts; a target of lineLength puts many cuts there.
    for (const target of [lineLength, 13, 100, 1000, Buffer.byteLength(header)]) {
      const many = await read(plain, target);
      expect(many.plan.partitions.length).toBeGreaterThan(1);
      expect(many.rows).toEqual(one.rows);
    }
  });

  it("BGZF with one line per block: every partition starts at a line start", async () => {
    const blocks = [encodeBgzfBlock(Buffer.from(header)), ...lines.map((l) => encodeBgzfBlock(Buffer.from(l + "\n"))), BGZF_EOF];
    const f = path.join(tmp, "aligned.vcf.gz");
    writeFileSync(f, Buffer.concat(blocks));
    const one = await read(plain);
    const many = await read(f, 1);
    expect(many.plan.partitions.length).toBe(401);
    expect(many.rows).toEqual(one.rows);
  });

  it("BGZF with small unaligned blocks: lines cross block and partition ends", async () => {
    const f = path.join(tmp, "small.vcf.gz");
    writeFileSync(f, compressBgzf(Buffer.from(text), 333));
    const one = await read(plain);
    for (const target of [1, 500, 4000]) {
      const many = await read(f, target);
      expect(many.rows).toEqual(one.rows);
    }
    expect((await read(f)).plan.partitions.length).toBe(1);
  });

  it("multiple files with the same samples read in file order (list and glob)", async () => {
    const a = path.join(tmp, "multi", "a.vcf");
    const b = path.join(tmp, "multi", "b.vcf.gz");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(path.dirname(a), { recursive: true });
    writeFileSync(a, header + lines.slice(0, 150).join("\n") + "\n");
    writeFileSync(b, compressBgzf(Buffer.from(header + lines.slice(150).join("\n") + "\n"), 1000));
    const one = await read(plain);
    expect((await read([a, b], 2000)).rows).toEqual(one.rows);
    const glow = await import("../../../dist/index.js");
    const viaGlob = await glow.read("vcf", path.join(tmp, "multi", "*")).collect({ workers: 0 });
    expect(norm(viaGlob)).toEqual(norm(one.rows));
  });

  it("error positions: line number for whole-file reads, byte offset / virtual offset for later partitions", async () => {
    const bad = lines.slice();
    bad[300] = bad[300]!.replace("\t50\t", "\tQQ\t"); // invalid QUAL: always an error
    const badText = header + bad.join("\n") + "\n";
    const f = path.join(tmp, "bad.vcf");
    writeFileSync(f, badText);
    const headerLines = header.split("\n").length - 1;
    await expect(read(f)).rejects.toMatchObject({ code: "VCF_PARSE", record: `line ${headerLines + 301}` });
    const offset = Buffer.byteLength(header) + bad.slice(0, 300).reduce((s, l) => s + l.length + 1, 0);
    await expect(read(f, 5000)).rejects.toMatchObject({ code: "VCF_PARSE", record: `line at byte offset ${offset}` });
    // BGZF: the virtual offset named in the error points at the bad line.
    const z = compressBgzf(Buffer.from(badText), 700);
    const fz = path.join(tmp, "bad.vcf.gz");
    writeFileSync(fz, z);
    let err: GlowtsError | undefined;
    try { await read(fz, 3000); } catch (e) { err = e as GlowtsError; }
    expect(err).toBeInstanceOf(GlowtsError);
    const m = /line at virtual offset (\d+):(\d+)/.exec(err!.record ?? "");
    expect(m).not.toBeNull();
    const [c, u] = [Number(m![1]), Number(m![2])];
    const data = inflateBgzfBlocks(z.subarray(c)).data;
    expect(Buffer.from(data.subarray(u, u + bad[300]!.length)).toString()).toBe(bad[300]);
  });
});

describe.skipIf(!HAS_DATA)("partitions of the CEU trio files", () => {
  it("plain CEU trio cut into many byte ranges equals one partition", async () => {
    const one = await read(CEU);
    const many = await read(CEU, 3000);
    expect(many.plan.partitions.length).toBeGreaterThan(50);
    expect(norm(many.rows)).toEqual(norm(one.rows));
  });

  it("bgzipped CEU trio: one partition per block equals one partition and the plain file", async () => {
    const f = path.join(DATA, "glow/tabix-test-vcf/CEUTrio.HiSeq.WGS.b37.NA12878.20.21.vcf.gz");
    const one = await read(f);
    const perBlock = await read(f, 1);
    expect(perBlock.plan.partitions.length).toBeGreaterThan(2);
    expect(norm(perBlock.rows)).toEqual(norm(one.rows));
    expect(norm(one.rows)).toEqual(norm((await read(CEU)).rows));
  });

  it("re-blocked into ~1.5 kB BGZF blocks and cut at several sizes", async () => {
    const f = path.join(tmp, "ceu-small-blocks.vcf.gz");
    writeFileSync(f, compressBgzf(readFileSync(CEU), 1500));
    const expected = norm((await read(CEU)).rows);
    for (const target of [1, 2000, 7777, 50000]) {
      const r = await read(f, target);
      expect(norm(r.rows)).toEqual(expected);
    }
  });
});
