/** Test helpers for the BGEN reader: read through plan/readPartition, and write small BGEN files. */
import { deflateSync } from "node:zlib";
import * as path from "node:path";
import { bgenReader } from "../../../dist/io/bgen/reader.js";
import { getValue, type VariantBatch } from "../../../dist/core/column.js";
import type { PlanContext, SourcePlan } from "../../../dist/core/source.js";
export { seeded } from "../../helpers/seeded.js";

export const DATA = path.resolve(process.cwd(), "../shared/data");
export const BGEN_DIR = path.join(DATA, "glow/bgen");
export const REGENIE_DIR = path.join(DATA, "regenie");

export interface ReadResult {
  plan: SourcePlan;
  batches: VariantBatch[];
  rows: Record<string, any>[];
}

/** Plain rows of a batch (as the frame materializes them). */
export function rowsOf(batch: VariantBatch): Record<string, any>[] {
  const out: Record<string, any>[] = [];
  for (let i = 0; i < batch.numRows; i++) {
    const r: Record<string, any> = {};
    for (const [k, c] of Object.entries(batch.columns)) r[k] = getValue(c, i);
    out.push(r);
  }
  return out;
}

/** Plans and reads every partition in order. */
export async function readBgen(paths: string | string[], options: Record<string, unknown> = {}, context: PlanContext = {}): Promise<ReadResult> {
  const o = bgenReader.normalizeOptions(options);
  const plan = await bgenReader.plan(Array.isArray(paths) ? paths : [paths], o, context);
  const batches: VariantBatch[] = [];
  for (const p of plan.partitions) batches.push(await bgenReader.readPartition(p, plan.meta, o));
  let rows: Record<string, any>[] | null = null;
  return {
    plan,
    batches,
    get rows() { return (rows ??= batches.flatMap(rowsOf)); }, // materialized on first use
  };
}

// ---------------------------------------------------------------------------------------------
// A minimal BGEN writer following the spec (v1.2 layouts 1 and 2), for synthetic test files.

export interface SynthVariant {
  variantId: string;
  rsid: string;
  chrom: string;
  pos: number;
  alleles: string[];
  /** Layout 2: ploidy byte per sample (bit 7 = missing). Layout 1: ignored (diploid). */
  ploidyBytes?: number[];
  phased?: boolean;
  /** Stored integer values, in file order (already without the implicit last ones). */
  stored: number[];
}

export interface SynthFile {
  layout: 1 | 2;
  compression: 0 | 1;
  bits: number;
  sampleIds: string[] | null;
  nSamples: number;
  variants: SynthVariant[];
}

class Bytes {
  parts: number[] = [];
  u8(x: number): this { this.parts.push(x & 255); return this; }
  u16(x: number): this { return this.u8(x).u8(x >>> 8); }
  u32(x: number): this { return this.u16(x & 0xffff).u16(x >>> 16); }
  raw(b: ArrayLike<number>): this { for (let i = 0; i < b.length; i++) this.parts.push(b[i]!); return this; }
  str16(s: string): this { const b = Buffer.from(s, "utf8"); return this.u16(b.length).raw(b); }
  str32(s: string): this { const b = Buffer.from(s, "utf8"); return this.u32(b.length).raw(b); }
  get length(): number { return this.parts.length; }
  bytes(): Uint8Array { return Uint8Array.from(this.parts); }
}

/** Packs values LSB-first with `bits` bits each (spec "Probability data storage"). */
export function packBits(values: number[], bits: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((values.length * bits) / 8));
  let bit = 0;
  for (const v of values) {
    for (let b = 0; b < bits; b++, bit++) {
      if (Math.floor(v / 2 ** b) % 2 === 1) out[bit >>> 3] = out[bit >>> 3]! | (1 << (bit & 7));
    }
  }
  return out;
}

/** Encodes a synthetic BGEN file. */
export function writeBgen(f: SynthFile): Uint8Array {
  const header = new Bytes();
  const L = 20;
  let sampleBlock = new Bytes();
  if (f.sampleIds) {
    const ids = new Bytes();
    for (const s of f.sampleIds) ids.str16(s);
    sampleBlock = new Bytes().u32(8 + ids.length).u32(f.sampleIds.length).raw(ids.bytes());
  }
  const offset = L + sampleBlock.length;
  const flags = f.compression | (f.layout << 2) | (f.sampleIds ? 0x80000000 : 0);
  header.u32(offset).u32(L).u32(f.variants.length).u32(f.nSamples).raw([0x62, 0x67, 0x65, 0x6e]).u32(flags >>> 0);
  const body = new Bytes();
  for (const v of f.variants) {
    if (f.layout === 1) body.u32(f.nSamples);
    body.str16(v.variantId).str16(v.rsid).str16(v.chrom).u32(v.pos);
    if (f.layout === 2) body.u16(v.alleles.length);
    for (const a of v.alleles) body.str32(a);
    let data: Uint8Array;
    if (f.layout === 1) {
      const b = new Bytes();
      for (const x of v.stored) b.u16(x);
      data = b.bytes();
    } else {
      const ploidy = v.ploidyBytes!;
      const pl = ploidy.map((p) => p & 63);
      const b = new Bytes().u32(f.nSamples).u16(v.alleles.length).u8(Math.min(...pl)).u8(Math.max(...pl)).raw(ploidy).u8(v.phased ? 1 : 0).u8(f.bits);
      b.raw(packBits(v.stored, f.bits));
      data = b.bytes();
    }
    if (f.compression === 1) {
      const c = deflateSync(data);
      if (f.layout === 1) body.u32(c.length).raw(c);
      else body.u32(c.length + 4).u32(data.length).raw(c);
    } else {
      if (f.layout === 1) body.raw(data);
      else body.u32(data.length).raw(data);
    }
  }
  const out = new Uint8Array(header.length + sampleBlock.length + body.length);
  out.set(header.bytes(), 0);
  out.set(sampleBlock.bytes(), header.length);
  out.set(body.bytes(), header.length + sampleBlock.length);
  return out;
}


/**
 * A canonical, cheap-to-compare form of a read: every column flattened to plain values plus
 * per-element list lengths (so dense and ragged layouts of the same data compare equal), and
 * the distinct genotype sample-id lists in order.
 */
export function canonical(r: ReadResult): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  const push = (key: string, values: ArrayLike<unknown>): void => {
    const a = (out[key] ??= []);
    for (let i = 0; i < values.length; i++) a.push(values[i]);
  };
  const visit = (key: string, c: any, n: number): void => {
    if (c.type === "list") {
      const lens: number[] = [];
      let total = 0;
      for (let i = 0; i < n; i++) {
        const len = c.offsets ? c.offsets[i + 1] - c.offsets[i] : c.width;
        lens.push(len);
        total += len;
      }
      push(`${key}#len`, lens);
      visit(`${key}[]`, c.child, total);
    } else if (c.type === "genotypes") {
      const ids = (out[`${key}.sampleIds`] ??= []);
      const j = JSON.stringify(c.sampleIds);
      if (ids[ids.length - 1] !== j) ids.push(j);
      for (const [k, fc] of Object.entries(c.fields)) visit(`${key}.${k}`, fc, n * c.nSamples);
    } else {
      push(key, Array.from(c.values as ArrayLike<unknown>).slice(0, n));
      if (c.nulls) push(`${key}#null`, c.nulls);
    }
  };
  for (const b of r.batches) for (const [k, c] of Object.entries(b.columns)) visit(k, c, b.numRows);
  return out;
}

/**
 * Throws unless two canonical forms hold the same data, naming the first differing column
 * and index (fast: plain loops, no deep-equality diff of huge arrays).
 */
export function expectSameData(a: Record<string, unknown[]>, b: Record<string, unknown[]>): void {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  if (JSON.stringify(ka) !== JSON.stringify(kb)) throw new Error(`columns differ: ${ka} vs ${kb}`);
  for (const k of ka) {
    const x = a[k]!;
    const y = b[k]!;
    if (x.length !== y.length) throw new Error(`${k}: ${x.length} vs ${y.length} values`);
    for (let i = 0; i < x.length; i++) {
      if (!Object.is(x[i], y[i])) throw new Error(`${k}[${i}]: ${String(x[i])} vs ${String(y[i])}`);
    }
  }
}
