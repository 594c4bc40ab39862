/**
 * Tabix index decoding and querying. Oracles: the binning formulas of the SAM spec §5.3
 * (reg2bins), an index written here byte by byte from the tabix format description, and Glow's
 * TabixHelperSuite "Overlapping partitions and tabix offsets", which states that the region
 * 20:10132301-10214079 of CEUTrio.HiSeq.WGS.b37.NA12878.20.21.vcf.gz maps to the chunk
 * (1005005266, 1005032301).
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { decodeTabixIndex, mergeChunks, parseTabixIndex, readTabixIndex, reg2bins, tabixChunks } from "../../dist/io/tabix.js";
import { GlowtsError } from "../../dist/core/errors.js";

const DATA = path.resolve(process.cwd(), "../shared/data");
const HAS_DATA = existsSync(DATA);
if (!HAS_DATA) console.warn(`tabix data-file tests skipped: reference data folder ${DATA} is absent`);

/** SAM spec §5.3 reg2bin: the smallest bin containing [beg, end). */
function reg2bin(beg: number, end: number): number {
  end -= 1;
  if (beg >> 14 === end >> 14) return ((1 << 15) - 1) / 7 + (beg >> 14);
  if (beg >> 17 === end >> 17) return ((1 << 12) - 1) / 7 + (beg >> 17);
  if (beg >> 20 === end >> 20) return ((1 << 9) - 1) / 7 + (beg >> 20);
  if (beg >> 23 === end >> 23) return ((1 << 6) - 1) / 7 + (beg >> 23);
  if (beg >> 26 === end >> 26) return ((1 << 3) - 1) / 7 + (beg >> 26);
  return 0;
}

interface RefSpec { bins: [number, [number, number][]][]; linear: number[] }

/** Writes a .tbi body (uncompressed) following the tabix format description. */
function writeIndex(names: string[], refs: RefSpec[]): Buffer {
  const parts: Buffer[] = [];
  const i32 = (v: number): void => { const b = Buffer.alloc(4); b.writeInt32LE(v); parts.push(b); };
  const u64 = (v: number): void => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); parts.push(b); };
  parts.push(Buffer.from("TBI\x01", "latin1"));
  i32(names.length);
  i32(2); i32(1); i32(2); i32(0); i32(35); i32(0);
  const nm = Buffer.from(names.map((n) => n + "\0").join(""), "latin1");
  i32(nm.length);
  parts.push(nm);
  for (const r of refs) {
    i32(r.bins.length);
    for (const [bin, chunks] of r.bins) {
      const b = Buffer.alloc(4); b.writeUInt32LE(bin); parts.push(b);
      i32(chunks.length);
      for (const [beg, end] of chunks) { u64(beg); u64(end); }
    }
    i32(r.linear.length);
    for (const v of r.linear) u64(v);
  }
  return Buffer.concat(parts);
}

describe("reg2bins (SAM spec §5.3)", () => {
  it("lists one bin per level, from 0 to the 16 kb bins", () => {
    expect(reg2bins(0, 1)).toEqual([0, 1, 9, 73, 585, 4681]);
    expect(reg2bins(0, 0)).toEqual([]);
  });
  it("contains reg2bin of every sub-interval (seeded)", () => {
    let s = 3;
    const rnd = (): number => (s = (s * 16807) % 2147483647) / 2147483647;
    for (let k = 0; k < 300; k++) {
      const beg = Math.floor(rnd() * 2 ** 28);
      const end = beg + 1 + Math.floor(rnd() * (k % 3 === 0 ? 2e6 : 5e4));
      const bins = new Set(reg2bins(beg, end));
      const b = beg + Math.floor(rnd() * (end - beg));
      const e = b + 1 + Math.floor(rnd() * (end - b));
      expect(bins.has(reg2bin(b, Math.min(e, end)))).toBe(true);
    }
  });
});

describe("tabix index decoding and chunk queries (hand-written index)", () => {
  const V = (c: number, u: number): number => c * 65536 + u;
  const body = writeIndex(["chrA", "chrB"], [
    {
      bins: [
        [4681, [[V(0, 100), V(0, 900)]]],
        [4682, [[V(0, 900), V(500, 20)]]],
        [585, [[V(500, 20), V(800, 0)], [V(2000, 5), V(2100, 0)], [V(0, 10), V(0, 50)]]],
        [37450, [[V(0, 0), V(1, 0)], [5, 0]]],
      ],
      linear: [V(0, 0), V(0, 900), V(500, 20)],
    },
    { bins: [[4681, [[V(3000, 0), V(3100, 7)]]]], linear: [V(3000, 0)] },
  ]);

  it("decodes header, names, bins and linear index (pseudo-bin dropped)", () => {
    const idx = parseTabixIndex(body);
    expect(idx.names).toEqual(["chrA", "chrB"]);
    expect(idx.format).toBe(2);
    expect([idx.colSeq, idx.colBeg, idx.colEnd, idx.meta, idx.skip]).toEqual([1, 2, 0, "#", 0]);
    expect(idx.refs[0]!.bins.has(37450)).toBe(false);
    expect(idx.refs[0]!.linear).toEqual([V(0, 0), V(0, 900), V(500, 20)]);
    expect(decodeTabixIndex(gzipSync(body)).names).toEqual(["chrA", "chrB"]);
  });

  it("queries merge touching chunks and drop chunks before the linear-index offset", () => {
    const idx = parseTabixIndex(body);
    // [0, 100) → bins 0,1,9,73,585,4681: chunks of 4681 and 585; the two in block 0 are merged.
    expect(tabixChunks(idx, "chrA", 0, 100)).toEqual([
      { beg: V(0, 10), end: V(0, 900) },
      { beg: V(500, 20), end: V(800, 0) },
      { beg: V(2000, 5), end: V(2100, 0) },
    ]);
    // Window 1 (16384..): bins 4682 and 585; the 585 chunk ending at V(0,50) lies before the
    // linear-index offset V(0,900) of window 1 and is dropped; touching chunks are merged.
    expect(tabixChunks(idx, "chrA", 16384, 16400)).toEqual([
      { beg: V(0, 900), end: V(800, 0) },
      { beg: V(2000, 5), end: V(2100, 0) },
    ]);
    expect(tabixChunks(idx, "chrB", 0, 10)).toEqual([{ beg: V(3000, 0), end: V(3100, 7) }]);
    expect(tabixChunks(idx, "chrC", 0, 10)).toEqual([]);
    expect(tabixChunks(idx, "chrA", 50, 50)).toEqual([]);
  });

  it("mergeChunks joins chunks that meet inside one BGZF block", () => {
    expect(mergeChunks([{ beg: V(10, 5), end: V(20, 100) }, { beg: V(20, 400), end: V(30, 0) }, { beg: V(5, 0), end: V(6, 0) }]))
      .toEqual([{ beg: V(5, 0), end: V(6, 0) }, { beg: V(10, 5), end: V(30, 0) }]);
  });

  it("rejects a bad magic and every truncation with GlowtsError TABIX_FORMAT", () => {
    expect(() => parseTabixIndex(Buffer.from("BAI\x01"))).toThrow(GlowtsError);
    for (let n = 0; n < body.length; n += 7) {
      let err: unknown;
      try { parseTabixIndex(body.subarray(0, n)); } catch (e) { err = e; }
      // A cut right after the last linear entry is a valid index without the optional n_no_coor.
      if (err === undefined) continue;
      expect(err).toBeInstanceOf(GlowtsError);
      expect((err as GlowtsError).code).toBe("TABIX_FORMAT");
    }
    expect(() => decodeTabixIndex(Buffer.from("not gzip"))).toThrow(GlowtsError);
  });
});

describe.skipIf(!HAS_DATA)("tabix indexes of Glow's test files", () => {
  const dir = path.join(DATA, "glow/tabix-test-vcf");

  it("TabixHelperSuite oracle: 20:10132301-10214079 of the CEU trio maps to chunk (1005005266, 1005032301)", async () => {
    const idx = await readTabixIndex(path.join(dir, "CEUTrio.HiSeq.WGS.b37.NA12878.20.21.vcf.gz.tbi"));
    expect(idx.names).toEqual(["20", "21"]);
    expect(idx.meta).toBe("#");
    // SimpleInterval("20", 10132301, 10214079) is 1-based inclusive → 0-based [10132300, 10214079).
    expect(tabixChunks(idx, "20", 10132300, 10214079)).toEqual([{ beg: 1005005266, end: 1005032301 }]);
  });

  it("every index in the folder decodes", async () => {
    for (const f of ["1000G.phase3.broad.withGenotypes.chr20.10100000.vcf.gz.tbi", "NA12878_21_10002403.vcf.gz.tbi", "combined.chr20_18210071_18210093.g.vcf.gz.tbi"]) {
      const idx = await readTabixIndex(path.join(dir, f));
      expect(idx.names.length).toBeGreaterThan(0);
      expect(idx.refs.length).toBe(idx.names.length);
    }
  });

  it("a truncated .tbi is a GlowtsError naming the file", () => {
    const raw = readFileSync(path.join(dir, "CEUTrio.HiSeq.WGS.b37.NA12878.20.21.vcf.gz.tbi"));
    expect(() => decodeTabixIndex(raw.subarray(0, raw.length - 40))).toThrow(GlowtsError);
  });
});
