/**
 * BGZF block scanner/decoder. Oracle: an independent BGZF writer built here from node:zlib's
 * deflateRawSync + the header of the SAM spec §4.1 (so decoding is not checked against our own
 * encoder), and node:zlib's gunzipSync (BGZF is multi-member gzip) for our encoder's output.
 */
import { afterAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { crc32, deflateRawSync, gunzipSync } from "node:zlib";
import {
  BGZF_EOF, BgzfReader, compressBgzf, detectCompression, findBgzfBlock, formatVirtualOffset, inflateBgzfBlock,
  inflateBgzfBlocks, listBgzfBlocks, parseBgzfHeader, scanBgzfBlocks, splitVirtualOffset, virtualOffset,
} from "../../dist/io/bgzf.js";
import { RandomAccessFile } from "../../dist/io/files.js";
import { GlowtsError } from "../../dist/core/errors.js";

const DATA = path.resolve(process.cwd(), "../shared/data");
const HAS_DATA = existsSync(DATA);
if (!HAS_DATA) console.warn(`bgzf data-file tests skipped: reference data folder ${DATA} is absent`);

const tmp = mkdtempSync(path.join(tmpdir(), "glowts-bgzf-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Independent BGZF block writer (SAM spec §4.1). */
function writeBlock(data: Uint8Array): Buffer {
  const payload = deflateRawSync(data);
  const head = Buffer.from([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, 0x42, 0x43, 2, 0, 0, 0]);
  const bsize = head.length + payload.length + 8 - 1;
  head.writeUInt16LE(bsize, 16);
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(crc32(data), 0);
  tail.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, payload, tail]);
}

/** Seeded text with `n` lines. */
function sampleText(n: number): Buffer {
  let seed = 7;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`line ${i}\t${Math.floor(rnd() * 1e9)}\t${"ACGT"[i % 4]!.repeat(1 + (i % 37))}`);
  return Buffer.from(lines.join("\n") + "\n");
}

/** Cuts `data` into blocks of the given sizes (cycling) with the independent writer. */
function writeBgzf(data: Buffer, sizes: number[]): { file: Buffer; offsets: number[]; ustarts: number[] } {
  const blocks: Buffer[] = [];
  const offsets: number[] = [];
  const ustarts: number[] = [];
  let at = 0;
  let off = 0;
  for (let k = 0; at < data.length; k++) {
    const n = Math.min(sizes[k % sizes.length]!, data.length - at);
    const b = writeBlock(data.subarray(at, at + n));
    offsets.push(off);
    ustarts.push(at);
    blocks.push(b);
    off += b.length;
    at += n;
  }
  blocks.push(Buffer.from(BGZF_EOF));
  offsets.push(off);
  return { file: Buffer.concat(blocks), offsets, ustarts };
}

describe("BGZF block scanner and decoder (independent writer oracle)", () => {
  const text = sampleText(3000);
  const { file, offsets, ustarts } = writeBgzf(text, [5000, 777, 65280, 1, 12000]);
  const fpath = path.join(tmp, "a.bgz");
  writeFileSync(fpath, file);

  it("parses block headers and rejects non-BGZF bytes", () => {
    const h = parseBgzfHeader(file, 0);
    expect(h).not.toBeNull();
    expect(h!.headerLength).toBe(18);
    expect(h!.blockSize).toBe(offsets[1]! - offsets[0]!);
    expect(parseBgzfHeader(Buffer.from("plain text, not gzip at all"), 0)).toBeNull();
    expect(detectCompression(file)).toBe("bgzf");
    expect(detectCompression(Buffer.from("##fileformat=VCFv4.2\n"))).toBe("none");
  });

  it("lists block offsets (pure scan, file walk, and guessed from any offset)", () => {
    const scan = scanBgzfBlocks(file);
    expect(scan.offsets).toEqual(offsets);
    expect(scan.end).toBe(file.length);
    expect(listBgzfBlocks(fpath)).toEqual(offsets);
    const raf = new RandomAccessFile(fpath);
    try {
      // From any byte inside block k (after its start), the next block start is found.
      for (let k = 0; k < offsets.length; k++) {
        const next = k + 1 < offsets.length ? offsets[k + 1]! : file.length;
        for (const x of [offsets[k]! + 1, Math.floor((offsets[k]! + next) / 2), next - 1]) {
          if (x <= offsets[k]! || x >= next) continue;
          expect(findBgzfBlock(raf, x)).toBe(next);
        }
        expect(findBgzfBlock(raf, offsets[k]!)).toBe(offsets[k]);
      }
    } finally {
      raf.close();
    }
  });

  it("decompresses every block and block ranges back to the original bytes", () => {
    const all = inflateBgzfBlocks(file);
    expect(Buffer.from(all.data).equals(text)).toBe(true);
    expect(all.coffsets).toEqual(offsets);
    expect(all.ustarts.slice(0, ustarts.length)).toEqual(ustarts);
    expect(all.consumed).toBe(file.length);
    for (let k = 0; k < ustarts.length; k++) {
      const end = k + 1 < ustarts.length ? ustarts[k + 1]! : text.length;
      expect(Buffer.from(inflateBgzfBlock(file, offsets[k]!)).equals(text.subarray(ustarts[k]!, end))).toBe(true);
    }
    const reader = new BgzfReader(fpath);
    try {
      const r = reader.inflateRange(offsets[1]!, offsets[4]!);
      expect(Buffer.from(r.data).equals(text.subarray(ustarts[1]!, ustarts[4]!))).toBe(true);
      const seen: Uint8Array[] = [];
      for (const b of reader.blocksFrom(offsets[2]!)) seen.push(b.data);
      expect(Buffer.concat(seen).equals(text.subarray(ustarts[2]!))).toBe(true);
      expect(() => reader.inflateRange(offsets[1]!, offsets[1]! + 10)).toThrow(GlowtsError);
    } finally {
      reader.close();
    }
  });

  it("stops at an incomplete trailing block instead of decoding it", () => {
    const cut = file.subarray(0, offsets[3]! + 20);
    const r = inflateBgzfBlocks(cut);
    expect(r.consumed).toBe(offsets[3]);
    expect(Buffer.from(r.data).equals(text.subarray(0, ustarts[3]!))).toBe(true);
  });

  it("reports corrupt blocks as GlowtsError BGZF_FORMAT (CRC, ISIZE, deflate data, header)", () => {
    const corrupt = (at: number): Buffer => { const c = Buffer.from(file); c[at] = c[at]! ^ 0x5a; return c; };
    const b0 = offsets[0]!;
    const b1 = offsets[1]!;
    for (const c of [corrupt(b1 - 8), corrupt(b1 - 3), corrupt(b0 + 30), corrupt(b0 + 16)]) {
      let err: unknown;
      try { inflateBgzfBlocks(c); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(GlowtsError);
      expect((err as GlowtsError).code).toBe("BGZF_FORMAT");
      expect((err as GlowtsError).record).toMatch(/offset/);
    }
  });

  it("our encoder's output is valid gzip and round-trips through the decoder", () => {
    for (const blockData of [65280, 1000, 1]) {
      const small = text.subarray(0, blockData === 1 ? 300 : text.length);
      const z = compressBgzf(small, blockData);
      expect(Buffer.from(gunzipSync(z)).equals(small)).toBe(true);
      expect(Buffer.from(inflateBgzfBlocks(z).data).equals(small)).toBe(true);
      expect(Buffer.from(z.subarray(z.length - 28)).equals(Buffer.from(BGZF_EOF))).toBe(true);
    }
    const incompressible = Buffer.alloc(65280);
    let s = 1;
    for (let i = 0; i < incompressible.length; i++) incompressible[i] = (s = (s * 16807) % 2147483647) & 0xff;
    expect(Buffer.from(gunzipSync(compressBgzf(incompressible))).equals(incompressible)).toBe(true);
  });

  it("virtual offsets pack coffset << 16 | uoffset", () => {
    const v = virtualOffset(15335, 10706);
    expect(v).toBe(1005005266);
    expect(splitVirtualOffset(v)).toEqual([15335, 10706]);
    expect(formatVirtualOffset(v)).toBe("15335:10706");
    expect(splitVirtualOffset(virtualOffset(2 ** 36, 65535))).toEqual([2 ** 36, 65535]);
  });
});

describe.skipIf(!HAS_DATA)("BGZF detection on Glow's test files", () => {
  const vcf = path.join(DATA, "glow/vcf");
  it("1row.vcf.bgz and 1row_bgz.vcf.gz are BGZF, 1row_not_bgz.vcf.gz is plain gzip", () => {
    const head = (f: string): Buffer => readFileSync(path.join(vcf, f)).subarray(0, 18);
    expect(detectCompression(head("1row.vcf.bgz"))).toBe("bgzf");
    expect(detectCompression(head("1row_bgz.vcf.gz"))).toBe("bgzf");
    expect(detectCompression(head("1row_not_bgz.vcf.gz"))).toBe("gzip");
    expect(detectCompression(head("VCFv4.3.vcf"))).toBe("none");
  });
  it("block walk of a bgzipped VCF decompresses to gunzip's output", () => {
    const f = path.join(DATA, "glow/tabix-test-vcf/CEUTrio.HiSeq.WGS.b37.NA12878.20.21.vcf.gz");
    const blocks = listBgzfBlocks(f);
    expect(blocks.length).toBeGreaterThan(2);
    const bytes = readFileSync(f);
    expect(Buffer.from(inflateBgzfBlocks(bytes).data).equals(gunzipSync(bytes))).toBe(true);
  });
});
