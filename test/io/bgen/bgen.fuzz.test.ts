/**
 * Seeded fuzzing of the BGEN reader: random byte flips and truncations of small BGEN files
 * (zlib, zstd, uncompressed, layout 1, multi-allelic/mixed ploidy) and of a .bgi index. Every
 * read must either succeed with a well-formed batch or throw a GlowtsError: never another error
 * type, never a hang (the test has a time limit).
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GlowtsError } from "../../../dist/core/errors.js";
import { columnLength } from "../../../dist/core/column.js";
import { decodeBgenHeader } from "../../../dist/io/bgen/header.js";
import { decodeVariantHeader } from "../../../dist/io/bgen/variant.js";
import { BGEN_DIR, REGENIE_DIR, readBgen, seeded, writeBgen, type SynthVariant } from "./bgen-read.js";

const HAVE_DATA = existsSync(BGEN_DIR) && existsSync(REGENIE_DIR);
if (!HAVE_DATA) console.warn("bgen fuzz tests skipped: shared test data is absent");
const TMP = mkdtempSync(path.join(os.tmpdir(), "glowts-bgen-fuzz-"));
afterAll(() => { rmSync(TMP, { recursive: true, force: true }); });

/** The first `n` variants of a BGEN file as a standalone file (header count patched). */
function firstVariants(file: string, n: number): Uint8Array {
  const b = new Uint8Array(readFileSync(file));
  const h = decodeBgenHeader(b);
  let at = h.firstVariantOffset;
  for (let v = 0; v < n; v++) at = decodeVariantHeader(b, at, { layout: h.layout, compression: h.compression, nSamples: h.nSamples }).next;
  const out = b.slice(0, at);
  new DataView(out.buffer).setUint32(8, n, true);
  return out;
}

function layout1File(compression: 0 | 1): Uint8Array {
  const rand = seeded(11 + compression);
  const variants: SynthVariant[] = Array.from({ length: 3 }, (_, i) => ({
    variantId: `v${i}`, rsid: `rs${i}`, chrom: "1", pos: i + 1, alleles: ["A", "G"],
    stored: Array.from({ length: 6 }, () => {
      const a = Math.floor(rand() * 32769);
      const b = Math.floor(rand() * (32769 - a));
      return [a, b, 32768 - a - b];
    }).flat(),
  }));
  return writeBgen({ layout: 1, compression, bits: 16, sampleIds: ["a", "b", "c", "d", "e", "f"], nSamples: 6, variants });
}

function oddBitsFile(): Uint8Array {
  const rand = seeded(21);
  const variants: SynthVariant[] = Array.from({ length: 3 }, (_, i) => {
    const ploidyBytes = [2, 1, 3, 0x82];
    const phased = i === 1;
    const k = 3;
    const per = (pl: number) => (phased ? pl * (k - 1) : ((pl + 1) * (pl + 2)) / 2 - 1);
    const stored: number[] = [];
    // Stored values of each haplotype (phased) or sample (unphased) sum to at most 2^3 - 1.
    for (const pb of ploidyBytes) {
      const groups = phased ? pb & 63 : 1;
      const size = phased ? k - 1 : per(pb & 63);
      for (let g = 0; g < groups; g++) {
        let left = 7;
        for (let j = 0; j < size; j++) {
          const v = Math.floor(rand() * (Math.min(left, 3) + 1));
          stored.push(v);
          left -= v;
        }
      }
    }
    return { variantId: `v${i}`, rsid: `rs${i}`, chrom: "1", pos: i + 1, alleles: ["A", "G", "T"], ploidyBytes, phased, stored };
  });
  return writeBgen({ layout: 2, compression: 0, bits: 3, sampleIds: null, nSamples: 4, variants });
}

function mutate(src: Uint8Array, rand: () => number): Uint8Array {
  if (rand() < 0.2) return src.slice(0, Math.floor(rand() * src.length));
  const b = src.slice();
  const flips = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < flips; i++) {
    const at = Math.floor(rand() * b.length);
    b[at] = rand() < 0.5 ? b[at]! ^ (1 << Math.floor(rand() * 8)) : Math.floor(rand() * 256);
  }
  return b;
}

/** Reads a file; returns "ok" or "error", failing on anything but a GlowtsError. */
async function readOnce(p: string, options: Record<string, unknown> = {}): Promise<"ok" | "error"> {
  try {
    const r = await readBgen(p, options);
    for (const batch of r.batches) {
      const g = batch.columns["genotypes"] as any;
      for (const c of Object.values(g.fields) as any[]) expect(columnLength(c)).toBe(batch.numRows * g.nSamples);
    }
    return "ok";
  } catch (e) {
    if (!(e instanceof GlowtsError)) throw new Error(`${p}: non-Glowts error ${e instanceof Error ? e.stack : String(e)}`);
    expect(e.file).toBe(p);
    return "error";
  }
}

describe.skipIf(!HAVE_DATA)("bgen fuzz (seeded)", () => {
  const cases: [string, () => Uint8Array, number][] = [
    ["complex.16bits (zlib, multi-allelic, mixed ploidy)", () => new Uint8Array(readFileSync(path.join(BGEN_DIR, "complex.16bits.bgen"))), 1500],
    ["example_3chr_zstd, 2 variants (zstd)", () => firstVariants(path.join(REGENIE_DIR, "example_3chr_zstd.bgen"), 2), 500],
    ["example.8bits.uncompressed, 2 variants", () => firstVariants(path.join(BGEN_DIR, "example.16bits.nosampleids.bgen"), 2), 300],
    ["layout 1 zlib", () => layout1File(1), 300],
    ["layout 1 uncompressed", () => layout1File(0), 200],
    ["3 bits, phased and unphased, missing", oddBitsFile, 300],
  ];
  for (const [name, make, n] of cases) {
    it(`${name}: ${n} mutations each succeed or throw GlowtsError`, async () => {
      const src = make();
      expect(await readOnce(writeTmp(src, "clean.bgen"))).toBe("ok");
      const rand = seeded(name.length * 7919);
      const p = path.join(TMP, `${name.replace(/\W+/g, "_")}.bgen`);
      const outcomes = { ok: 0, error: 0 };
      for (let i = 0; i < n; i++) {
        writeFileSync(p, mutate(src, rand));
        outcomes[await readOnce(p)]++;
      }
      expect(outcomes.error).toBeGreaterThan(0);
    }, 20_000);
  }

  it("corrupted .bgi index: the plan ignores it or fails cleanly, rows stay right", async () => {
    const bgen = path.join(TMP, "indexed.bgen");
    copyFileSync(path.join(BGEN_DIR, "example.16bits.bgen"), bgen);
    const bgi = new Uint8Array(readFileSync(path.join(BGEN_DIR, "example.16bits.bgen.bgi")));
    const good = await readBgen(bgen, { useBgenIndex: false }, { bytesPerPartition: 1 << 30 });
    const wantRuns = JSON.stringify(good.plan.partitions.map((x: any) => x.runs));
    const rand = seeded(4242);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {}); // "ignoring index" notices
    for (let i = 0; i < 150; i++) {
      writeFileSync(`${bgen}.bgi`, mutate(bgi, rand));
      try {
        const { bgenReader } = await import("../../../dist/io/bgen/reader.js");
        const o = bgenReader.normalizeOptions({});
        const plan = await bgenReader.plan([bgen], o, { bytesPerPartition: 1 << 30 });
        // An index that passes validation tiles the file; if its boundaries differ from the
        // real ones, decoding must fail cleanly rather than return other rows.
        if (JSON.stringify(plan.partitions.map((x: any) => x.runs)) !== wantRuns) {
          for (const part of plan.partitions) bgenReader.readPartition(part, plan.meta, o);
          throw new Error(`iteration ${i}: misplaced index boundaries were decoded without error`);
        }
      } catch (e) {
        if (!(e instanceof GlowtsError)) throw e;
      }
    }
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  }, 20_000);
});

function writeTmp(bytes: Uint8Array, name: string): string {
  const p = path.join(TMP, name);
  writeFileSync(p, bytes);
  return p;
}
