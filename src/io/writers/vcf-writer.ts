/**
 * VCF 4.2 writer for hard calls (GT only), plain or BGZF-compressed (`.gz`/`.bgz` paths), with
 * positions written back 1-based. BGZF blocks hold at most 64 KiB of text each and the file ends
 * with the standard empty EOF block, so tabix and bcftools accept it.
 */
import { deflateRawSync, crc32 as zlibCrc32 } from "node:zlib";
import { AtomicFile } from "./atomic.js";
import type { HardCallChunk } from "./plink-writer.js";

const BLOCK = 0xff00; // uncompressed bytes per BGZF block (leaves room for incompressible data)

/** CRC-32 (IEEE) of bytes. */
export function crc32(bytes: Uint8Array): number {
  if (typeof zlibCrc32 === "function") return zlibCrc32(bytes) >>> 0;
  let c = ~0;
  for (let i = 0; i < bytes.length; i++) {
    c ^= bytes[i]!;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** One BGZF block (a gzip member with the BC extra field) for ≤ 64 KiB of data. */
export function bgzfBlock(data: Uint8Array): Uint8Array {
  const comp = deflateRawSync(data, { level: 6 });
  const total = 18 + comp.length + 8;
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  out.set([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, 0x42, 0x43, 2, 0], 0);
  v.setUint16(16, total - 1, true);
  out.set(comp, 18);
  v.setUint32(18 + comp.length, crc32(data), true);
  v.setUint32(22 + comp.length, data.length, true);
  return out;
}

/** The 28-byte BGZF end-of-file marker. */
export const BGZF_EOF = bgzfBlock(new Uint8Array(0));

export interface VcfWriterOptions {
  /** BGZF-compress (default: when the path ends in .gz or .bgz). */
  bgzip?: boolean;
  /** Extra `##` header lines. */
  headerLines?: string[];
}

/** Streams hard-call variants into a VCF; call `close()` to put the file in place. */
export class VcfWriter {
  private readonly file: AtomicFile;
  private readonly bgzip: boolean;
  private pending: Uint8Array[] = [];
  private pendingLen = 0;
  private readonly enc = new TextEncoder();

  constructor(readonly path: string, readonly sampleIds: string[], contigs: { name: string; length?: number }[], options: VcfWriterOptions = {}) {
    this.bgzip = options.bgzip ?? /\.(b?gz)$/.test(path);
    this.file = new AtomicFile(path);
    const header = [
      "##fileformat=VCFv4.2",
      "##source=glowts",
      ...contigs.map((c) => `##contig=<ID=${c.name}${c.length ? `,length=${c.length}` : ""}>`),
      '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
      ...(options.headerLines ?? []),
      ["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", ...sampleIds].join("\t"),
    ].join("\n") + "\n";
    this.push(this.enc.encode(header));
  }

  private push(bytes: Uint8Array): void {
    if (!this.bgzip) { this.file.write(bytes); return; }
    this.pending.push(bytes);
    this.pendingLen += bytes.length;
    if (this.pendingLen >= BLOCK) this.flush(false);
  }

  private flush(all: boolean): void {
    if (this.pendingLen === 0) return;
    const buf = new Uint8Array(this.pendingLen);
    let o = 0;
    for (const p of this.pending) { buf.set(p, o); o += p.length; }
    let at = 0;
    while (buf.length - at >= BLOCK || (all && at < buf.length)) {
      const end = Math.min(buf.length, at + BLOCK);
      this.file.write(bgzfBlock(buf.subarray(at, end)));
      at = end;
    }
    const rest = buf.slice(at);
    this.pending = rest.length ? [rest] : [];
    this.pendingLen = rest.length;
  }

  /** Appends a chunk of variants. */
  write(chunk: HardCallChunk): void {
    const n = this.sampleIds.length;
    const gt = ["0/0", "0/1", "1/1"];
    for (let v = 0; v < chunk.id.length; v++) {
      const parts = new Array<string>(n);
      const row = v * n;
      for (let s = 0; s < n; s++) {
        const d = chunk.dosages[row + s]!;
        parts[s] = d >= 0 && d <= 2 ? gt[d]! : "./.";
      }
      const line = `${chunk.contigName[v]}\t${chunk.position[v]}\t${chunk.id[v]}\t${chunk.referenceAllele[v]}\t${chunk.alternateAllele[v]}\t.\tPASS\t.\tGT\t${parts.join("\t")}\n`;
      this.push(this.enc.encode(line));
    }
  }

  close(): void {
    try {
      if (this.bgzip) { this.flush(true); this.file.write(BGZF_EOF); }
      this.file.commit();
    } catch (e) {
      this.file.abort();
      throw e;
    }
  }

  abort(): void { this.file.abort(); }
}
