/**
 * Indexed FASTA: random access to reference bases through the `.fai` index (samtools faidx), for a
 * plain file or a bgzip-compressed one with its `.gzi` index (the BGZF block map bgzip -i writes).
 */
import { existsSync, readFileSync } from "node:fs";
import { GlowtsError } from "../core/errors.js";
import { BgzfReader, detectCompression } from "./bgzf.js";
import { RandomAccessFile, readRange } from "./files.js";

/** One `.fai` line. */
export interface FaiEntry {
  name: string;
  /** Number of bases. */
  length: number;
  /** Byte offset of the first base (in the uncompressed text). */
  offset: number;
  lineBases: number;
  lineBytes: number;
}

/** Parses `.fai` text. @throws GlowtsError `FASTA_INDEX` on a malformed line */
export function parseFai(text: string, file: string): Map<string, FaiEntry> {
  const out = new Map<string, FaiEntry>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    const f = line.split("\t");
    const nums = f.slice(1, 5).map(Number);
    if (f.length < 5 || nums.some((x) => !Number.isInteger(x) || x < 0)) {
      throw new GlowtsError("FASTA_INDEX", "malformed .fai line (expected NAME LENGTH OFFSET LINEBASES LINEWIDTH)", { file, record: `line ${i + 1}` });
    }
    out.set(f[0]!, { name: f[0]!, length: nums[0]!, offset: nums[1]!, lineBases: nums[2]!, lineBytes: nums[3]! });
  });
  return out;
}

/** Parses a `.gzi` index into parallel arrays of (compressed, uncompressed) block offsets, (0,0) first. */
export function parseGzi(bytes: Uint8Array, file: string): { coffsets: number[]; uoffsets: number[] } {
  if (bytes.length < 8) throw new GlowtsError("FASTA_INDEX", "truncated .gzi index", { file });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (bytes.length < 8 + 16 * n) throw new GlowtsError("FASTA_INDEX", `truncated .gzi index (${n} entries announced)`, { file });
  const coffsets = [0], uoffsets = [0];
  for (let i = 0; i < n; i++) {
    coffsets.push(Number(view.getBigUint64(8 + 16 * i, true)));
    uoffsets.push(Number(view.getBigUint64(16 + 16 * i, true)));
  }
  return { coffsets, uoffsets };
}

/**
 * A FASTA opened with its `.fai` (and `.gzi` when bgzip-compressed).
 * @example
 * ```ts
 * const fa = new IndexedFasta("ref.fa");
 * fa.fetch("20", 100, 110); // bases [100, 110), 0-based half-open
 * ```
 */
export class IndexedFasta {
  /** Sequences by name, from the `.fai`. */
  readonly index: Map<string, FaiEntry>;
  private readonly raf: RandomAccessFile | undefined;
  private readonly mem: Map<string, string> | undefined;
  private readonly bgzf: { reader: BgzfReader; coffsets: number[]; uoffsets: number[] } | undefined;

  /**
   * @throws GlowtsError `FILE_NOT_FOUND` when the FASTA is missing, `FASTA_INDEX` when its `.fai`
   *   (or, compressed, its `.gzi`) is missing or malformed, or the file is gzip but not BGZF
   */
  constructor(readonly file: string, options: { allowUnindexed?: boolean } = {}) {
    if (!existsSync(file)) throw new GlowtsError("FILE_NOT_FOUND", "reference genome not found", { file });
    const fai = `${file}.fai`;
    const kind = detectCompression(readRange(file, 0, 18));
    if (!existsSync(fai) && options.allowUnindexed && kind === "none") {
      this.mem = loadFasta(file);
      this.index = new Map([...this.mem].map(([name, seq]) => [name, { name, length: seq.length, offset: 0, lineBases: seq.length, lineBytes: seq.length }]));
    }
    else if (!existsSync(fai)) throw new GlowtsError("FASTA_INDEX", `no FASTA index ${fai} (create it with 'samtools faidx')`, { file });
    else this.index = parseFai(readFileSync(fai, "utf8"), fai);
    if (kind === "gzip") throw new GlowtsError("FASTA_INDEX", "gzip-compressed FASTA must be bgzip-compressed (bgzip -i) to be indexed", { file });
    if (kind === "bgzf") {
      const gzi = `${file}.gzi`;
      if (!existsSync(gzi)) throw new GlowtsError("FASTA_INDEX", `no BGZF index ${gzi} for the compressed FASTA (create it with 'samtools faidx')`, { file });
      this.bgzf = { reader: new BgzfReader(file), ...parseGzi(new Uint8Array(readFileSync(gzi)), gzi) };
    } else this.raf = new RandomAccessFile(file);
  }

  /** Is `contig` in the index? */
  has(contig: string): boolean {
    return this.index.has(contig);
  }

  /**
   * Bases `[start, end)` (0-based) of `contig`, upper-cased, clipped to the sequence.
   * @throws GlowtsError `FASTA_CONTIG` when the contig is not in the index
   */
  fetch(contig: string, start: number, end: number): string {
    const e = this.index.get(contig);
    if (!e) throw new GlowtsError("FASTA_CONTIG", `contig '${contig}' is not in the reference genome`, { file: this.file });
    const s = Math.max(0, start), t = Math.min(e.length, end);
    if (t <= s) return "";
    if (this.mem) return this.mem.get(contig)!.slice(s, t).toUpperCase();
    const byteAt = (pos: number): number => e.offset + Math.floor(pos / e.lineBases) * e.lineBytes + (pos % e.lineBases);
    const from = byteAt(s);
    const to = byteAt(t - 1) + 1;
    const raw = this.readBytes(from, to - from);
    let out = "";
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i]!;
      if (c !== 10 && c !== 13) out += String.fromCharCode(c);
    }
    return out.toUpperCase();
  }

  private readBytes(uStart: number, length: number): Uint8Array {
    if (this.raf) return this.raf.read(uStart, length);
    if (!this.bgzf) return new Uint8Array(0);
    const z = this.bgzf!;
    let k = 0;
    let lo = 0, hi = z.uoffsets.length - 1;
    while (lo <= hi) { const mid = (lo + hi) >> 1; if (z.uoffsets[mid]! <= uStart) { k = mid; lo = mid + 1; } else hi = mid - 1; }
    const out = new Uint8Array(length);
    let filled = 0;
    let u = z.uoffsets[k]!;
    for (const b of z.reader.blocksFrom(z.coffsets[k]!)) {
      const bEnd = u + b.data.length;
      if (bEnd > uStart) {
        const a = Math.max(0, uStart + filled - u);
        const take = Math.min(b.data.length - a, length - filled);
        out.set(b.data.subarray(a, a + take), filled);
        filled += take;
        if (filled >= length) break;
      }
      u = bEnd;
    }
    return out.subarray(0, filled);
  }

  /** Closes the file. */
  close(): void {
    this.raf?.close();
    this.bgzf?.reader.close();
  }
}

/** Reads a whole plain FASTA into memory (for small references without a `.fai`). */
export function loadFasta(file: string): Map<string, string> {
  const out = new Map<string, string>();
  let name: string | null = null;
  let parts: string[] = [];
  for (const line of readFileSync(file, "latin1").split(/\r?\n/)) {
    if (line.startsWith(">")) {
      if (name !== null) out.set(name, parts.join(""));
      name = line.slice(1).split(/\s/)[0]!;
      parts = [];
    } else if (name !== null) parts.push(line.trim());
  }
  if (name !== null) out.set(name, parts.join(""));
  return out;
}

const open = new Map<string, IndexedFasta>();

/** A shared {@link IndexedFasta} per path (one per worker thread). */
export function openFasta(file: string, options: { allowUnindexed?: boolean } = {}): IndexedFasta {
  const key = `${options.allowUnindexed ? "u" : "i"}:${file}`;
  let f = open.get(key);
  if (!f) { f = new IndexedFasta(file, options); open.set(key, f); }
  return f;
}
