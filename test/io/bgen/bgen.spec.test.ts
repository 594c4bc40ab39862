/**
 * BGEN decoding against the format specification (v1.2/v1.3): synthetic files written by the
 * test's own spec-following encoder (test/io/bgen/bgen-read.ts) with seeded random content, so the
 * expected probabilities are exact: stored integer / (2^bits − 1), the implicit last value
 * (2^bits − 1 − sum) / (2^bits − 1) (layout 2), or value / 32768 (layout 1). Also: the
 * hard-call kernel against QCTool's thresholded GT, the JS inflater against node:zlib, error
 * reporting, and partitioning. Tolerances: exact unless stated.
 */
import { afterAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { deflateSync, constants as zc } from "node:zlib";
import { GlowtsError } from "../../../dist/core/errors.js";
import { columnLength } from "../../../dist/core/column.js";
import { hardCallsFromProbabilities } from "../../../dist/io/bgen/hard-calls.js";
import { decodeVariantHeader } from "../../../dist/io/bgen/variant.js";
import { inflateExact } from "../../../dist/io/bgen/decompress.js";
import { decodeBgenHeader } from "../../../dist/io/bgen/header.js";
import { BGEN_DIR, canonical, expectSameData, readBgen, seeded, writeBgen, type SynthFile, type SynthVariant } from "./bgen-read.js";
import { readTwinVcf } from "./bgen-vcf-twin.js";

const HAVE_DATA = existsSync(BGEN_DIR);
if (!HAVE_DATA) console.warn(`bgen data-file tests skipped: ${BGEN_DIR} is absent`);
const f = (name: string): string => path.join(BGEN_DIR, name);
const TMP = mkdtempSync(path.join(os.tmpdir(), "glowts-bgen-spec-"));
let fileNo = 0;
function tmpFile(bytes: Uint8Array, name = `f${fileNo++}.bgen`): string {
  const p = path.join(TMP, name);
  writeFileSync(p, bytes);
  return p;
}

/** Random stored values for one group: `count` values whose sum is at most `max`. */
function group(rand: () => number, count: number, max: number): number[] {
  const out: number[] = [];
  let left = max;
  for (let i = 0; i < count; i++) {
    const v = Math.floor(rand() * (left + 1));
    out.push(v);
    left -= v;
  }
  return out;
}

function binom(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

interface Expected {
  ploidy: number;
  phased: boolean;
  probs: number[];
}

/** A random layout-2 variant and the genotypes the spec says it holds. */
function randomVariant(rand: () => number, idx: number, nSamples: number, bits: number, opts: { k?: number; ploidies?: number[]; phased?: boolean; missingRate?: number }): { v: SynthVariant; want: Expected[] } {
  const k = opts.k ?? 1 + Math.floor(rand() * 4);
  const phased = opts.phased ?? rand() < 0.5;
  const div = 2 ** bits - 1;
  const ploidyBytes: number[] = [];
  const stored: number[] = [];
  const want: Expected[] = [];
  for (let s = 0; s < nSamples; s++) {
    const pl = opts.ploidies ? opts.ploidies[Math.floor(rand() * opts.ploidies.length)]! : Math.floor(rand() * 4);
    const missing = rand() < (opts.missingRate ?? 0.15);
    ploidyBytes.push(pl | (missing ? 0x80 : 0));
    const probs: number[] = [];
    const groups = phased ? pl : 1;
    const per = phased ? k - 1 : binom(pl + k - 1, k - 1) - 1;
    for (let h = 0; h < groups; h++) {
      const g = group(rand, per, div);
      stored.push(...g);
      const sum = g.reduce((a, b) => a + b, 0);
      probs.push(...g.map((x) => x / div), (div - sum) / div);
    }
    want.push({ ploidy: pl, phased, probs: missing ? [] : probs });
  }
  const alleles = Array.from({ length: k }, (_, i) => "ACGT"[i % 4]!.repeat(1 + Math.floor(i / 4) + (i % 2)));
  return {
    v: { variantId: `v${idx}`, rsid: `rs${idx}`, chrom: idx % 2 ? "chr2" : "chr1", pos: 100 + idx, alleles, ploidyBytes, phased, stored },
    want,
  };
}

function expectGenotypes(rows: Record<string, any>[], wants: Expected[][], threshold = 0.9): void {
  expect(rows.length).toBe(wants.length);
  rows.forEach((row, i) => {
    const k = 1 + row.alternateAlleles.length;
    row.genotypes.forEach((g: any, s: number) => {
      const w = wants[i]![s]!;
      expect(g.ploidy).toBe(w.ploidy);
      expect(g.phased).toBe(w.phased);
      expect(g.posteriorProbabilities).toEqual(w.probs);
      const calls = w.ploidy === 2 ? hardCallsFromProbabilities(w.probs, k - 1, w.phased, threshold) : new Array(w.ploidy).fill(-1);
      expect(g.calls).toEqual(calls);
    });
  });
}

afterAll(() => { rmSync(TMP, { recursive: true, force: true }); });

describe("bgen layout 2 against the spec (synthetic, seeded)", () => {
  for (const compression of [0, 1] as const) {
    it(`bits 1..32, K 1..4, ploidy 0..3, phased and unphased, missing samples (compression ${compression})`, async () => {
      const rand = seeded(1234 + compression);
      for (let bits = 1; bits <= 32; bits++) {
        const nSamples = 9;
        const made = Array.from({ length: 6 }, (_, i) => randomVariant(rand, i, nSamples, bits, {}));
        const file: SynthFile = { layout: 2, compression, bits, sampleIds: bits % 2 ? Array.from({ length: nSamples }, (_, i) => `s${i}`) : null, nSamples, variants: made.map((m) => m.v) };
        const got = await readBgen(tmpFile(writeBgen(file)));
        expectGenotypes(got.rows, made.map((m) => m.want));
        got.rows.forEach((row, i) => {
          const v = made[i]!.v;
          expect(row.names).toEqual([v.variantId, v.rsid]);
          expect(row.contigName).toBe(v.chrom);
          expect(row.start).toBe(v.pos - 1);
          expect(row.end).toBe(v.pos - 1 + v.alleles[0]!.length);
          expect(row.referenceAllele).toBe(v.alleles[0]);
          expect(row.alternateAlleles).toEqual(v.alleles.slice(1));
          if (file.sampleIds) expect(row.genotypes.map((g: any) => g.sampleId)).toEqual(file.sampleIds);
        });
      }
    });
  }

  it("many alleles and high ploidy (K = 9, ploidy 5)", async () => {
    const rand = seeded(99);
    const made = Array.from({ length: 3 }, (_, i) => randomVariant(rand, i, 4, 16, { k: 9, ploidies: [5, 2], phased: i === 1 }));
    const got = await readBgen(tmpFile(writeBgen({ layout: 2, compression: 1, bits: 16, sampleIds: null, nSamples: 4, variants: made.map((m) => m.v) })));
    expectGenotypes(got.rows, made.map((m) => m.want));
  });

  it("dense lists when every genotype has the same length; ragged otherwise", async () => {
    const rand = seeded(7);
    const dense = Array.from({ length: 4 }, (_, i) => randomVariant(rand, i, 5, 8, { k: 2, ploidies: [2], phased: false, missingRate: 0 }));
    const r1 = await readBgen(tmpFile(writeBgen({ layout: 2, compression: 1, bits: 8, sampleIds: null, nSamples: 5, variants: dense.map((m) => m.v) })));
    const g1 = (r1.batches[0]!.columns["genotypes"] as any).fields;
    expect(g1.posteriorProbabilities.width).toBe(3);
    expect(g1.posteriorProbabilities.offsets).toBeUndefined();
    expect(g1.calls.width).toBe(2);
    expectGenotypes(r1.rows, dense.map((m) => m.want));
    const mixed = Array.from({ length: 4 }, (_, i) => randomVariant(rand, i, 5, 8, { k: 2, ploidies: [1, 2, 3] }));
    const r2 = await readBgen(tmpFile(writeBgen({ layout: 2, compression: 1, bits: 8, sampleIds: null, nSamples: 5, variants: mixed.map((m) => m.v) })));
    const g2 = (r2.batches[0]!.columns["genotypes"] as any).fields;
    expect(g2.posteriorProbabilities.offsets).toBeDefined();
    expect(g2.calls.offsets).toBeDefined();
    expectGenotypes(r2.rows, mixed.map((m) => m.want));
  });

  it("all-missing and all-haploid-zero batches keep one list per genotype", async () => {
    const rand = seeded(8);
    const made = [
      randomVariant(rand, 0, 4, 8, { k: 2, ploidies: [0], phased: true, missingRate: 0 }),
      randomVariant(rand, 1, 4, 8, { k: 2, ploidies: [2], missingRate: 1 }),
    ];
    for (const m of made) {
      const r = await readBgen(tmpFile(writeBgen({ layout: 2, compression: 1, bits: 8, sampleIds: null, nSamples: 4, variants: [m.v] })));
      const g = r.batches[0]!.columns["genotypes"] as any;
      for (const c of Object.values(g.fields)) expect(columnLength(c as any)).toBe(4);
      expectGenotypes(r.rows, [m.want]);
    }
  });

  it("hardCallThreshold is applied", async () => {
    const rand = seeded(3);
    const made = Array.from({ length: 5 }, (_, i) => randomVariant(rand, i, 30, 16, { k: 3, ploidies: [2] }));
    const got = await readBgen(tmpFile(writeBgen({ layout: 2, compression: 1, bits: 16, sampleIds: null, nSamples: 30, variants: made.map((m) => m.v) })), { hardCallThreshold: 0.3 });
    expectGenotypes(got.rows, made.map((m) => m.want), 0.3);
  });
});

describe("bgen layout 1 (BGEN 1.1) against the spec (synthetic, seeded)", () => {
  for (const compression of [0, 1] as const) {
    it(`three 16-bit values per sample scaled by 1/32768; all-zero = missing (compression ${compression})`, async () => {
      const rand = seeded(55 + compression);
      const n = 11;
      const variants: SynthVariant[] = [];
      const wants: Expected[][] = [];
      for (let i = 0; i < 5; i++) {
        const stored: number[] = [];
        const want: Expected[] = [];
        for (let s = 0; s < n; s++) {
          // Probabilities (sum 1 in units of 1/32768; the reader rejects sums above 1).
          const a = Math.floor(rand() * 32769);
          const b = Math.floor(rand() * (32769 - a));
          const t = rand() < 0.2 ? [0, 0, 0] : [a, b, 32768 - a - b];
          stored.push(...t);
          want.push({ ploidy: 2, phased: false, probs: t.every((x) => x === 0) ? [] : t.map((x) => x / 32768) });
        }
        variants.push({ variantId: `v${i}`, rsid: `rs${i}`, chrom: "3", pos: 10 * i + 1, alleles: ["A", "TT"], stored });
        wants.push(want);
      }
      const got = await readBgen(tmpFile(writeBgen({ layout: 1, compression, bits: 16, sampleIds: null, nSamples: n, variants })));
      expectGenotypes(got.rows, wants);
      expect(got.rows.map((r) => r.end)).toEqual(variants.map((v) => v.pos));
    });
  }
});

describe.skipIf(!HAVE_DATA)("hard-call kernel vs QCTool thresholded GT", () => {
  for (const [file, threshold] of [
    ["example.16bits.threshold-0.9.vcf", 0.9],
    ["example.16bits.threshold-0.95.vcf", 0.95],
    ["phased.16bits.threshold-0.9.vcf", 0.9],
    ["complex.16bits.threshold-0.9.vcf", 0.9],
  ] as const) {
    it(`${file}: hardCallsFromProbabilities(GP) = GT for diploids`, () => {
      const twin = readTwinVcf(f(file));
      let n = 0;
      for (const row of twin.rows) {
        for (const g of row.genotypes) {
          if (g.calls!.length !== 2 || g.gp.some((x) => x === null)) continue;
          // Skip printed values too close to the threshold to decide from 6 significant digits.
          if (g.gp.some((x) => Math.abs(x! - threshold) < 1e-5)) continue;
          const got = hardCallsFromProbabilities(g.gp as number[], row.alternateAlleles.length, g.phased, threshold);
          if (got[0] !== g.calls![0] || got[1] !== g.calls![1]) throw new Error(`${file} ${row.start}: ${got} vs ${g.calls}`);
          n++;
        }
      }
      expect(n).toBeGreaterThan(0);
    });
  }
});

describe("fflate path (Adler-32 checked here) vs node:zlib", () => {
  it("decodes what node:zlib deflates (levels 0-9, all strategies, seeded data)", () => {
    const rand = seeded(2024);
    const strategies = [zc.Z_DEFAULT_STRATEGY, zc.Z_FILTERED, zc.Z_HUFFMAN_ONLY, zc.Z_RLE, zc.Z_FIXED];
    let n = 0;
    for (let t = 0; t < 60; t++) {
      const size = Math.floor(rand() ** 2 * 70000);
      const data = new Uint8Array(size);
      const alphabet = 1 + Math.floor(rand() * 255);
      const repeat = rand();
      for (let i = 0; i < size; i++) {
        data[i] = i > 0 && rand() < repeat ? data[i - 1 - Math.floor(rand() * Math.min(i, 300))]! : Math.floor(rand() * alphabet);
      }
      const c = deflateSync(data, { level: t % 10, strategy: strategies[t % strategies.length]! });
      expect(Buffer.from(inflateExact(c, size, Infinity)).equals(Buffer.from(data))).toBe(true);
      n++;
    }
    expect(n).toBe(60);
  });

  it.skipIf(!HAVE_DATA)("JS and native paths give the same blocks (example.16bits.bgen)", () => {
    const bytes = new Uint8Array(readFileSync(f("example.16bits.bgen")));
    const h = decodeBgenHeader(bytes);
    const info = { layout: h.layout, compression: h.compression, nSamples: h.nSamples };
    let at = h.firstVariantOffset;
    for (let v = 0; v < h.nVariants; v++) {
      const vh = decodeVariantHeader(bytes, at, info);
      const comp = bytes.subarray(vh.blockStart + 8, vh.next);
      const d = new DataView(bytes.buffer).getUint32(vh.blockStart + 4, true);
      const js = inflateExact(comp, d, Infinity);
      const native = inflateExact(comp, d, 0);
      expect(Buffer.from(js).equals(Buffer.from(native))).toBe(true);
      at = vh.next;
    }
    expect(at).toBe(bytes.length);
  });
});

async function expectError(p: Promise<unknown>, code: string, file: string, record?: RegExp): Promise<void> {
  let err: unknown;
  try { await p; } catch (e) { err = e; }
  expect(err).toBeInstanceOf(GlowtsError);
  const g = err as GlowtsError;
  expect(g.code).toBe(code);
  expect(g.file).toBe(file);
  expect(g.message).toContain(file);
  if (record) expect(g.record).toMatch(record);
}

describe.skipIf(!HAVE_DATA)("bgen errors name the file and the variant", () => {
  const src = (): Uint8Array => new Uint8Array(readFileSync(f("example.16bits.nosampleids.bgen")));
  const firstBlock = (b: Uint8Array) => {
    const h = decodeBgenHeader(b);
    return decodeVariantHeader(b, h.firstVariantOffset, { layout: h.layout, compression: h.compression, nSamples: h.nSamples });
  };

  it("wrong magic", async () => {
    const b = src();
    b[16] = 0x78;
    const p = tmpFile(b);
    await expectError(readBgen(p), "BGEN_MAGIC", p, /header/);
  });
  it("file shorter than a header", async () => {
    const p = tmpFile(src().subarray(0, 10));
    await expectError(readBgen(p), "BGEN_TRUNCATED", p);
  });
  it("truncated inside a variant (scan)", async () => {
    const b = src();
    const p = tmpFile(b.subarray(0, Math.floor(b.length / 2)));
    await expectError(readBgen(p), "BGEN_TRUNCATED", p, /^variant \d+ \(offset \d+\)$/);
  });
  it("truncated at a variant boundary (fewer variants than the header declares)", async () => {
    const b = src();
    const p = tmpFile(b.subarray(0, firstBlock(b).next));
    await expectError(readBgen(p), "BGEN_TRUNCATED", p, /^variant 1 \(offset \d+\)$/);
  });
  it("truncated with a (now stale) index next to it", async () => {
    const b = new Uint8Array(readFileSync(f("example.16bits.bgen")));
    const p = path.join(TMP, "trunc-indexed.bgen");
    writeFileSync(p, b.subarray(0, b.length - 100));
    writeFileSync(`${p}.bgi`, readFileSync(f("example.16bits.bgen.bgi")));
    await expectError(readBgen(p), "BGEN_TRUNCATED", p, /^variant 198 /);
  });
  it("corrupted compressed block", async () => {
    const b = src();
    const v0 = firstBlock(b);
    for (let i = v0.blockStart + 20; i < v0.blockStart + 40; i++) b[i] ^= 0x5a;
    const p = tmpFile(b);
    await expectError(readBgen(p), "BGEN_DECOMPRESS", p, new RegExp(`^variant 0 \\(offset ${decodeBgenHeader(b).firstVariantOffset}\\)$`));
  });
  it("decompressed length differs from the stored one", async () => {
    const b = src();
    const v0 = firstBlock(b);
    new DataView(b.buffer).setUint32(v0.blockStart + 4, new DataView(b.buffer).getUint32(v0.blockStart + 4, true) + 1, true);
    const p = tmpFile(b);
    await expectError(readBgen(p), "BGEN_DECOMPRESS", p, /^variant 0 /);
  });
  it("unsupported layout", async () => {
    const b = src();
    b[20] = (b[20]! & ~0x3c) | (3 << 2);
    const p = tmpFile(b);
    await expectError(readBgen(p), "BGEN_UNSUPPORTED", p);
  });
  it("unsupported compression code", async () => {
    const b = src();
    b[20] = b[20]! | 3;
    const p = tmpFile(b);
    await expectError(readBgen(p), "BGEN_UNSUPPORTED", p);
  });
  it("invalid bits per probability", async () => {
    const rand = seeded(5);
    const m = randomVariant(rand, 0, 3, 8, { k: 2, ploidies: [2] });
    const bytes = writeBgen({ layout: 2, compression: 0, bits: 8, sampleIds: null, nSamples: 3, variants: [m.v] });
    const h = decodeBgenHeader(bytes);
    const vh = decodeVariantHeader(bytes, h.firstVariantOffset, { layout: 2, compression: 0, nSamples: 3 });
    bytes[vh.blockStart + 4 + 9 + 3] = 33; // B
    const p = tmpFile(bytes);
    await expectError(readBgen(p), "BGEN_UNSUPPORTED", p, /^variant 0 /);
  });
  it("sample count of a genotype block differs from the header", async () => {
    const rand = seeded(6);
    const m = randomVariant(rand, 0, 3, 8, { k: 2, ploidies: [2] });
    const bytes = writeBgen({ layout: 2, compression: 0, bits: 8, sampleIds: null, nSamples: 3, variants: [m.v, m.v] });
    const h = decodeBgenHeader(bytes);
    const v0 = decodeVariantHeader(bytes, h.firstVariantOffset, { layout: 2, compression: 0, nSamples: 3 });
    const v1 = decodeVariantHeader(bytes, v0.next, { layout: 2, compression: 0, nSamples: 3 });
    bytes[v1.blockStart + 4] = 4;
    const p = tmpFile(bytes);
    await expectError(readBgen(p), "BGEN_CORRUPT", p, new RegExp(`^variant 1 \\(offset ${v0.next}\\)$`));
  });
});

describe.skipIf(!HAVE_DATA)("bgen partitioning", () => {
  it("a multi-partition plan gives the same rows as a single partition", async () => {
    const one = await readBgen(f("example.16bits.bgen"));
    expect(one.plan.partitions.length).toBe(1);
    for (const useBgenIndex of [true, false]) {
      const many = await readBgen(f("example.16bits.bgen"), { useBgenIndex }, { bytesPerPartition: 20000 });
      expect(many.plan.partitions.length).toBeGreaterThan(10);
      expectSameData(canonical(many), canonical(one));
    }
    const byCount = await readBgen(f("example.16bits.bgen"), {}, { variantsPerPartition: 7 });
    expect(byCount.plan.partitions.length).toBe(Math.ceil(199 / 7));
    expectSameData(canonical(byCount), canonical(one));
    // One spot check on materialized rows too.
    expect(byCount.rows[100]).toEqual(one.rows[100]);
  });
  it("partitions and meta are structured-clonable plain data", async () => {
    const r = await readBgen(f("example.16bits.bgen"), {}, { bytesPerPartition: 50000 });
    expect(structuredClone(r.plan.partitions)).toEqual(r.plan.partitions);
    expect(structuredClone(r.plan.meta)).toEqual(r.plan.meta);
  });
  it("several files", async () => {
    const a = await readBgen(f("example.8bits.bgen"));
    const b = await readBgen(f("complex.16bits.bgen"));
    const both = await readBgen([f("example.8bits.bgen"), f("complex.16bits.bgen")], {}, { bytesPerPartition: 30000 });
    expect(both.rows.length).toBe(a.rows.length + b.rows.length);
    expect(both.rows.slice(195, 203)).toEqual([...a.rows.slice(195), ...b.rows.slice(0, 4)]);
    expect(both.rows.slice(-3)).toEqual(b.rows.slice(-3));
  });
});
