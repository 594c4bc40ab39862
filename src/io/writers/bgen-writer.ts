/**
 * BGEN 1.2 writer (layout 2, zlib, 8/16/32 bits, unphased diploid biallelic), with a sample block.
 * Hard calls are written as probabilities 0/1; a missing genotype sets the missingness bit.
 */
import { deflateSync } from "node:zlib";
import { GlowtsError } from "../../core/errors.js";
import { AtomicFile } from "./atomic.js";
import type { HardCallChunk } from "./plink-writer.js";

export interface BgenWriterOptions {
  /** Bits per probability. @defaultValue 8 */
  bitsPerProbability?: 8 | 16 | 32;
  /** zlib level. @defaultValue 6 */
  compressionLevel?: number;
}

/** Streams variants into a .bgen file; call `close()` to put it in place. */
export class BgenWriter {
  private readonly file: AtomicFile;
  private readonly bits: number;
  private readonly level: number;
  private count = 0;
  private readonly headerOffsetPos: number;

  constructor(readonly path: string, readonly sampleIds: string[], options: BgenWriterOptions = {}) {
    this.bits = options.bitsPerProbability ?? 8;
    if (![8, 16, 32].includes(this.bits)) throw new GlowtsError("OPTION", `BgenWriter: bitsPerProbability must be 8, 16 or 32, got ${this.bits}`, { option: "bitsPerProbability" });
    this.level = options.compressionLevel ?? 6;
    this.file = new AtomicFile(path);
    const enc = new TextEncoder();
    const ids = sampleIds.map((s) => enc.encode(s));
    const sampleBlockLen = 8 + ids.reduce((a, b) => a + 2 + b.length, 0);
    const headerLen = 20;
    const offset = headerLen + sampleBlockLen; // bytes after the first 4 until the first variant
    const head = new DataView(new ArrayBuffer(4 + headerLen));
    head.setUint32(0, offset, true);
    head.setUint32(4, headerLen, true);
    head.setUint32(8, 0, true); // number of variants: patched on close
    head.setUint32(12, sampleIds.length, true);
    head.setUint8(16, 0x62); head.setUint8(17, 0x67); head.setUint8(18, 0x65); head.setUint8(19, 0x6e); // "bgen"
    head.setUint32(20, 1 | (2 << 2) | (1 << 31), true); // zlib, layout 2, sample ids present
    this.headerOffsetPos = 8;
    this.file.write(new Uint8Array(head.buffer));
    const sb = new Uint8Array(sampleBlockLen);
    const sv = new DataView(sb.buffer);
    sv.setUint32(0, sampleBlockLen, true);
    sv.setUint32(4, sampleIds.length, true);
    let o = 8;
    for (const id of ids) { sv.setUint16(o, id.length, true); sb.set(id, o + 2); o += 2 + id.length; }
    this.file.write(sb);
  }

  /** Appends a chunk of variants. */
  write(chunk: HardCallChunk): void {
    const n = this.sampleIds.length;
    const m = chunk.id.length;
    const enc = new TextEncoder();
    const bytes = this.bits / 8;
    const maxv = this.bits === 32 ? 4294967295 : (1 << this.bits) - 1;
    for (let v = 0; v < m; v++) {
      // probability block: N(4) K(2) Pmin(1) Pmax(1) ploidy/missing(N) phased(1) bits(1) probs(N*2*bytes)
      const payload = new Uint8Array(10 + n + n * 2 * bytes);
      const pv = new DataView(payload.buffer);
      pv.setUint32(0, n, true);
      pv.setUint16(4, 2, true);
      payload[6] = 2; payload[7] = 2;
      let o = 8 + n;
      payload[o++] = 0;
      payload[o++] = this.bits;
      const row = v * n;
      for (let s = 0; s < n; s++) {
        const d = chunk.dosages[row + s]!;
        let p0 = 0, p1 = 0; // P(ref/ref), P(ref/alt) in colex order
        if (d < 0 || d > 2) payload[8 + s] = 0x82;
        else { payload[8 + s] = 2; if (d === 0) p0 = maxv; else if (d === 1) p1 = maxv; }
        if (bytes === 1) { payload[o] = p0; payload[o + 1] = p1; }
        else if (bytes === 2) { pv.setUint16(o, p0, true); pv.setUint16(o + 2, p1, true); }
        else { pv.setUint32(o, p0, true); pv.setUint32(o + 4, p1, true); }
        o += 2 * bytes;
      }
      const comp = deflateSync(payload, { level: this.level });
      const id = enc.encode(chunk.id[v]!);
      const chr = enc.encode(chunk.contigName[v]!);
      const ref = enc.encode(chunk.referenceAllele[v]!);
      const alt = enc.encode(chunk.alternateAllele[v]!);
      const hlen = 2 + id.length + 2 + id.length + 2 + chr.length + 4 + 2 + 4 + ref.length + 4 + alt.length + 8;
      const h = new Uint8Array(hlen);
      const hv = new DataView(h.buffer);
      let q = 0;
      hv.setUint16(q, id.length, true); h.set(id, q + 2); q += 2 + id.length; // variant id
      hv.setUint16(q, id.length, true); h.set(id, q + 2); q += 2 + id.length; // rsid
      hv.setUint16(q, chr.length, true); h.set(chr, q + 2); q += 2 + chr.length;
      hv.setUint32(q, chunk.position[v]!, true); q += 4;
      hv.setUint16(q, 2, true); q += 2;
      hv.setUint32(q, ref.length, true); h.set(ref, q + 4); q += 4 + ref.length;
      hv.setUint32(q, alt.length, true); h.set(alt, q + 4); q += 4 + alt.length;
      hv.setUint32(q, comp.length + 4, true); q += 4;
      hv.setUint32(q, payload.length, true);
      this.file.write(h);
      this.file.write(comp);
    }
    this.count += m;
  }

  /** Patches the variant count and renames the file into place. */
  close(): void {
    try {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setUint32(0, this.count, true);
      this.file.writeAt(this.headerOffsetPos, b);
      this.file.commit();
    } catch (e) {
      this.file.abort();
      throw e;
    }
  }

  abort(): void { this.file.abort(); }
}
