/**
 * Seeded fuzz of the BGEN reader against plink2 (issue 12): a small BGEN 1.2 file (layout 2,
 * 8 bits, 12 samples with ids, 10 biallelic diploid variants, some missing samples; made here)
 * with zlib blocks, and the same with zstd blocks (half with the XXH64 frame checksum, written by
 * the `zstd` CLI, half without, by libzstd), is truncated or has bytes overwritten, then read by
 * `plink2 --bgen ... --export vcf vcf-dosage=DS-force` and by glowts. Where plink2 rejects,
 * glowts must raise a GlowtsError; where it accepts, glowts' alt dosages (p1 + 2·p2) must equal
 * plink2's within 1e-3 (plink2 keeps dosages in 1/16384 units and prints 3 decimals) with the
 * same CHROM, POS, REF, ALT and missing samples, or glowts raises in a class listed below.
 * `GLOWTS_FUZZ_CASES=200 npx vitest run test/io/bgen/bgen-fuzz.plink2.test.ts` for a longer run.
 */
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { deflateSync } from "node:zlib";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { bgenReader } from "../../../dist/io/bgen/reader.js";
import { decodeBgenHeader } from "../../../dist/io/bgen/header.js";
import { decodeVariantHeader } from "../../../dist/io/bgen/variant.js";
import { getValue } from "../../../dist/core/column.js";
import type { GlowtsError } from "../../../dist/core/errors.js";
import { writeBgen, type SynthVariant } from "./bgen-read.js";
import { caseCount, describeTally, haveTool, mutateBytes, runFuzzSuite, runGlowts, runTool, seeded } from "../fuzz-oracle.js";

const SKIP = !haveTool("plink2") ? "plink2 is not installed" : !haveTool("zstd") ? "zstd is not installed" : null;
if (SKIP) console.warn(`BGEN plink2 fuzz skipped: ${SKIP}`);
const tmp = mkdtempSync(path.join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "glowts-bgen-oracle-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const N = 12;

/** An uncompressed layout-2 file: valid probabilities (sums 255), 1 in 8 samples missing. */
function uncompressed(): Uint8Array {
  const rand = seeded(120);
  const variants: SynthVariant[] = [];
  for (let v = 0; v < 10; v++) {
    const ploidyBytes: number[] = [];
    const stored: number[] = [];
    for (let s = 0; s < N; s++) {
      const missing = rand() < 0.125;
      ploidyBytes.push(missing ? 0x82 : 2);
      if (missing) stored.push(0, 0);
      else {
        const a = Math.floor(rand() * 256);
        stored.push(a, Math.floor(rand() * (256 - a)));
      }
    }
    variants.push({ variantId: `v${v}`, rsid: `rs${v}`, chrom: "1", pos: 1000 + 17 * v, alleles: ["A", v % 3 === 0 ? "GT" : "G"], ploidyBytes, stored });
  }
  return writeBgen({ layout: 2, compression: 0, bits: 8, sampleIds: Array.from({ length: N }, (_, i) => `s${i + 1}`), nSamples: N, variants });
}

/** Re-encodes an uncompressed layout-2 file with compressed blocks. */
function recompress(src: Uint8Array, compression: 1 | 2, compress: (data: Uint8Array, v: number) => Uint8Array): Uint8Array {
  const h = decodeBgenHeader(src);
  const info = { layout: h.layout, compression: h.compression, nSamples: h.nSamples };
  const parts: Uint8Array[] = [];
  const head = src.slice(0, h.firstVariantOffset);
  const dv = new DataView(head.buffer);
  dv.setUint32(20, (dv.getUint32(20, true) & ~3) | compression, true);
  parts.push(head);
  let at = h.firstVariantOffset;
  for (let v = 0; v < h.nVariants; v++) {
    const vh = decodeVariantHeader(src, at, info);
    const data = src.subarray(vh.blockStart + 4, vh.next);
    const comp = compress(data, v);
    const lens = new Uint8Array(8);
    new DataView(lens.buffer).setUint32(0, comp.length + 4, true);
    new DataView(lens.buffer).setUint32(4, data.length, true);
    parts.push(src.subarray(at, vh.blockStart), lens, comp);
    at = vh.next;
  }
  return Buffer.concat(parts);
}

function parsePlinkVcf(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const f = line.split("\t");
    const ds = f.slice(9).map((x) => {
      const d = x.split(":")[1];
      return d === undefined || d === "." ? "." : d; // GT is ./. also for dosages far from a hard call
    });
    out.push([f[0], f[1], f[3], f[4], ...ds].join("\t"));
  }
  return out;
}

function plink2(file: string): ReturnType<typeof runTool> {
  const out = path.join(tmp, "plink2-out");
  const r = runTool("plink2", ["--bgen", file, "ref-first", "--export", "vcf", "vcf-dosage=DS-force", "--threads", "1", "--out", out], () => []);
  if (r.kind === "rejected") return r;
  return { kind: "accepted", data: parsePlinkVcf(readFileSync(`${out}.vcf`, "utf8")) };
}

async function glowtsRows(file: string): Promise<string[]> {
  const o = bgenReader.normalizeOptions({ useBgenIndex: false });
  const plan = await bgenReader.plan([file], o, {});
  const out: string[] = [];
  for (const p of plan.partitions) {
    const b = await bgenReader.readPartition(p, plan.meta, o);
    for (let i = 0; i < b.numRows; i++) {
      const g = getValue(b.columns["genotypes"]!, i) as { posteriorProbabilities: number[] }[];
      const ds = g.map((x) => {
        const pp = x.posteriorProbabilities;
        return pp.length === 0 ? "." : (pp[1]! + 2 * pp[2]!).toFixed(4);
      });
      const alts = (getValue(b.columns["alternateAlleles"]!, i) as string[]).join(",");
      out.push([getValue(b.columns["contigName"]!, i), Number(getValue(b.columns["start"]!, i)) + 1, getValue(b.columns["referenceAllele"]!, i), alts, ...ds].join("\t"));
    }
  }
  return out;
}

/** Rows equal when the text fields are equal and dosages within 1e-3. */
function sameRow(a: string, b: string): boolean {
  const x = a.split("\t");
  const y = b.split("\t");
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === y[i]) continue;
    if (i < 4 || x[i] === "." || y[i] === ".") return false;
    if (!(Math.abs(Number(x[i]) - Number(y[i])) <= 1e-3)) return false;
  }
  return true;
}

/**
 * Where plink2 accepts and glowts raises. plink2 reads only what it needs of the header and the
 * variant blocks: the variant count in the header is checked against the blocks by glowts (a
 * damaged count makes plink2 read fewer variants or stop at the end of the file); header fields
 * plink2 skips (the header length, the free data area) and the variant id strings.
 */
function laxClass(e: GlowtsError): string | null {
  if (/ploidy \d+ outside the block's range/.test(e.message)) return "ploidy byte outside the block's [min, max] (plink2 does not check it)";
  if (/genotype block has \d+ alleles but the variant lists/.test(e.message)) return "allele count of the genotype block (plink2 does not compare it with the variant's)";
  if (/variant blocks end at offset|expected \d+ variants|file ends before this variant/.test(e.message)) return "variant count in the header vs the blocks (plink2 reads what the count says)";
  if (e.code === "BGEN_HEADER" || /header/.test(e.message)) return "header field plink2 does not check";
  return null;
}

/**
 * plink2 converts the BGEN variant table to its own .pvar text first: a damaged id, chromosome or
 * allele with whitespace breaks that table ("fewer tokens"), and a chromosome that comes back
 * after another ("split chromosome") is refused. Both are valid BGEN.
 */
function toolLimitClass(why: string): string | null {
  if (/pvar \| has fewer tokens than expected|pvar has a split \| chromosome|has a split chromosome/.test(why)) return "plink2 .pvar limits (whitespace in ids/alleles, split chromosome)";
  return null;
}

describe.skipIf(SKIP !== null)("BGEN fuzz vs plink2 (seeded)", () => {
  const raw = uncompressed();
  const zlibFile = recompress(raw, 1, (d) => deflateSync(d));
  let zstdFile: Uint8Array | null = null;
  const zstdOf = async (): Promise<Uint8Array> => {
    if (zstdFile) return zstdFile;
    const m = await import("@bokuweb/zstd-wasm");
    await m.init();
    zstdFile = recompress(raw, 2, (d, v) =>
      v % 2 === 0 ? new Uint8Array(spawnSync("zstd", ["-q", "-c", "--check", "-"], { input: d }).stdout) : m.compress(d, 3));
    return zstdFile;
  };

  for (const codec of ["zlib", "zstd"] as const) {
    it(`${codec} blocks: ${caseCount(40)} mutations — plink2 and glowts agree`, async () => {
      const src = codec === "zlib" ? zlibFile : await zstdOf();
      if (codec === "zstd") expect(src[h0(src) + 4]! & 4).toBe(4); // the first frame has a checksum
      const file = path.join(tmp, `${codec}.bgen`);
      writeFileSync(file, src);
      const base = plink2(file);
      expect(base.kind).toBe("accepted");
      expect((base as { data: string[] }).data).toHaveLength(10);
      const ours = await glowtsRows(file);
      const want = (base as { data: string[] }).data;
      expect(ours.filter((r, i) => !sameRow(want[i]!, r)), JSON.stringify([want.slice(0, 2), ours.slice(0, 2)])).toEqual([]);
      const tally = await runFuzzSuite({
        name: `bgen ${codec}`,
        cases: caseCount(40),
        seed: codec === "zlib" ? 303 : 404,
        make: (rand) => {
          const m = mutateBytes(src, rand);
          writeFileSync(file, m.bytes);
          return m.what;
        },
        tool: () => plink2(file),
        glowts: () => runGlowts(() => glowtsRows(file)),
        laxClass,
        toolLimitClass,
        sameRow,
      });
      console.log(describeTally(`bgen ${codec} (plink2 --export vcf)`, tally));
      expect(tally.disagreements).toEqual([]);
      expect(tally.bothRejected).toBeGreaterThan(0);
    }, 120_000);
  }
});

/** Offset of the first zstd frame in a file made by {@link recompress} (first variant's block). */
function h0(b: Uint8Array): number {
  const h = decodeBgenHeader(b);
  const vh = decodeVariantHeader(b, h.firstVariantOffset, { layout: h.layout, compression: h.compression, nSamples: h.nSamples });
  return vh.blockStart + 8;
}
