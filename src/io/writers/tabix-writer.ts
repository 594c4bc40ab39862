/**
 * Writing a tabix index (`.tbi`, htslib's Tabix specification) for a BGZF VCF written by glowts:
 * per contig the UCSC binning index (bins of 2^14..2^29 bases with chunks of virtual offsets) and
 * the 16 kb linear index, BGZF-compressed. Records must be sorted by contig (contiguous) and start.
 */
import { GlowtsError } from "../../core/errors.js";
import { compressBgzf } from "../bgzf.js";

/** UCSC bin of a 0-based half-open interval (as htslib's `hts_reg2bin` with min_shift 14, depth 5). */
export function reg2bin(beg: number, end: number): number {
  const e = end - 1;
  if (beg >> 14 === e >> 14) return 4681 + (beg >> 14);
  if (beg >> 17 === e >> 17) return 585 + (beg >> 17);
  if (beg >> 20 === e >> 20) return 73 + (beg >> 20);
  if (beg >> 23 === e >> 23) return 9 + (beg >> 23);
  if (beg >> 26 === e >> 26) return 1 + (beg >> 26);
  return 0;
}

interface Ref { name: string; bins: Map<number, [number, number][]>; linear: number[]; lastBeg: number }

/** Accumulates records (contig, 0-based start/end, virtual offsets) and encodes the `.tbi`. */
export class TabixBuilder {
  private readonly refs: Ref[] = [];
  private readonly seen = new Set<string>();

  /** Adds one record spanning virtual offsets `[vbeg, vend)`. */
  add(contig: string, beg: number, end: number, vbeg: number, vend: number): void {
    let r = this.refs[this.refs.length - 1];
    if (!r || r.name !== contig) {
      if (this.seen.has(contig)) throw new GlowtsError("WRITE", `tabixIndex: the rows are not sorted by contig (${contig} appears again after other contigs)`);
      this.seen.add(contig);
      r = { name: contig, bins: new Map(), linear: [], lastBeg: -1 };
      this.refs.push(r);
    }
    if (beg < r.lastBeg) throw new GlowtsError("WRITE", `tabixIndex: the rows are not sorted by start within ${contig} (${beg + 1} after ${r.lastBeg + 1})`);
    r.lastBeg = beg;
    const e = Math.max(end, beg + 1);
    const bin = reg2bin(beg, e);
    let chunks = r.bins.get(bin);
    if (!chunks) r.bins.set(bin, (chunks = []));
    const last = chunks[chunks.length - 1];
    if (last && last[1] === vbeg) last[1] = vend; else chunks.push([vbeg, vend]);
    for (let w = beg >> 14; w <= (e - 1) >> 14; w++) if (r.linear[w] === undefined) r.linear[w] = vbeg;
  }

  /** The BGZF-compressed `.tbi` bytes (VCF preset: columns 1/2/0, meta `#`). */
  encode(): Uint8Array {
    const enc = new TextEncoder();
    const names = this.refs.map((r) => enc.encode(r.name));
    const parts: number[] = [];
    const i32 = (v: number): void => { parts.push(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255); };
    const u64 = (v: number): void => { i32(v % 2 ** 32); i32(Math.floor(v / 2 ** 32)); };
    parts.push(0x54, 0x42, 0x49, 1);
    i32(this.refs.length); i32(2); i32(1); i32(2); i32(0); i32(35); i32(0);
    i32(names.reduce((s, n) => s + n.length + 1, 0));
    for (const n of names) { for (const b of n) parts.push(b); parts.push(0); }
    for (const r of this.refs) {
      i32(r.bins.size);
      for (const [bin, chunks] of [...r.bins].sort((a, b) => a[0] - b[0])) {
        i32(bin); i32(chunks.length);
        for (const [a, b] of chunks) { u64(a); u64(b); }
      }
      const lin = r.linear;
      for (let i = 0; i < lin.length; i++) if (lin[i] === undefined) lin[i] = i > 0 ? lin[i - 1]! : 0;
      i32(lin.length);
      for (const v of lin) u64(v);
    }
    return compressBgzf(Uint8Array.from(parts));
  }
}
