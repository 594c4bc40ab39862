/**
 * The PLINK 2 `.pgen` codec: the header (storage modes, variant record types and lengths) and the
 * decoding of variant records into 2-bit hard calls and ALT dosages. No file access here.
 *
 * Format facts from PLINK 2's specification (`pgen_spec/pgen_spec.tex` in chrchang/plink-ng):
 *
 * - Bytes 0–1 `6c 1b`; byte 2 the storage mode: `0x02` fixed-width hard calls (every record of
 *   type 0), `0x03` fixed-width unphased dosage (type `0x40`), `0x04` fixed-width phased dosage
 *   (`0xc0`), `0x10` variable-width records. Then `uint32` variant count M, `uint32` sample count N,
 *   and a header-format byte: bits 0–3 how record types/lengths are stored (0–3: 4-bit types and
 *   1–4-byte lengths; 4–7: 8-bit types), bits 4–5 the bytes per allele count, bits 6–7 the
 *   provisional-REF flags (3 = a bitarray per block).
 * - Mode `0x10`: `ceil(M / 2^16)` `uint64` block offsets (the file offset of each block's first
 *   record), then per block of 2^16 variants: record types, record lengths, allele counts, REF flags.
 * - Main track codes (not PLINK 1's): 0 hom REF, 1 het, 2 hom ALT, 3 missing; record type bits 0–2:
 *   0 plain 2-bit array; 1 "1-bit" (a byte naming the two common codes, a bitarray, then a difflist of
 *   the rest); 2 difflist against the previous non-LD-compressed variant; 3 the same against it with
 *   codes 0 and 2 swapped; 4/6/7 difflist against all-0 / all-2 / all-3.
 * - Bit 3 multiallelic hard calls, bit 4 hard-call phase, bits 5–6 dosage (01 difflist of samples,
 *   10 every sample with 65535 = missing, 11 a presence bitarray), bit 7 phased dosage.
 * - A difflist: varint length L; then `ceil(L/64)` group-start sample ids (1–4 bytes by N), one byte
 *   per group but the last, the 2-bit codes of the L entries when it carries codes, and varint
 *   deltas for the other entries of each group.
 * - Dosages are `uint16` in units of 2^-14 (0..32768 = 0..2 ALT alleles).
 *
 * The decoder writes PLINK 1 `.bed` codes (see `../plink/bed-codec.ts`), so the hard calls reuse the
 * `PLINK_BED` column encoding and its fast paths.
 */

/** The magic bytes of a `.pgen`. */
export const PGEN_MAGIC: readonly number[] = [0x6c, 0x1b];
/** Variants per variant block of the variable-width mode. */
export const PGEN_BLOCK = 1 << 16;
/** Dosage scale: a stored `uint16` `v` is an ALT dosage of `v / 16384`. */
export const PGEN_DOSAGE_UNIT = 16384;

/** A problem in a `.pgen`, reported by the reader as a GlowtsError naming the file and the variant. */
export class PgenFormatError extends Error {
  constructor(message: string, readonly variant?: number) {
    super(message);
  }
}

/** What the header says. */
export interface PgenHeader {
  mode: number;
  nVariants: number;
  nSamples: number;
  /** Record type of every variant. */
  types: Uint8Array;
  /** Record length in bytes of every variant. */
  lengths: Float64Array;
  /** File offset of every variant's record. */
  offsets: Float64Array;
  /** Allele count of every variant (null when the header stores none: all biallelic or known from the .pvar). */
  alleleCounts: Uint32Array | null;
  /** File size the records end at (offset + length of the last record). */
  end: number;
}

/** Reads `n` bytes (or fewer at end of file) from an offset. */
export type ReadAt = (offset: number, length: number) => Uint8Array;

function u32(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) + b[p + 3]! * 0x1000000;
}

function uintN(b: Uint8Array, p: number, width: number): number {
  let v = 0;
  let m = 1;
  for (let k = 0; k < width; k++, m *= 256) v += b[p + k]! * m;
  return v;
}

/**
 * Parses a `.pgen` header.
 *
 * @param read - reads bytes of the file.
 * @param fileSize - size of the file (truncation checks).
 * @throws PgenFormatError on a bad magic number, an unsupported mode, a truncated header or a record
 *   table that points past the end of the file.
 */
export function parsePgenHeader(read: ReadAt, fileSize: number): PgenHeader {
  const head = read(0, 12);
  if (head.length < 3 || head[0] !== 0x6c || head[1] !== 0x1b) {
    const got = [...head.subarray(0, 3)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new PgenFormatError(`magic bytes were not 6c 1b (got '${got}'); this is not a .pgen`);
  }
  const mode = head[2]!;
  if (mode === 0x01) throw new PgenFormatError("storage mode 0x01 is a PLINK 1 .bed; read it with glow.read(\"plink\", ...)");
  if (mode === 0x00) throw new PgenFormatError("storage mode 0x00 is a sample-major PLINK 1 .bed; convert with plink2 --make-pgen");
  if (mode !== 0x02 && mode !== 0x03 && mode !== 0x04 && mode !== 0x10) {
    throw new PgenFormatError(`storage mode 0x${mode.toString(16).padStart(2, "0")} is not one PLINK 2 defines (0x02, 0x03, 0x04, 0x10)`);
  }
  if (head.length < 12) throw new PgenFormatError(`header is truncated: ${head.length} bytes, need 12`);
  const nVariants = u32(head, 3);
  const nSamples = u32(head, 7);
  const fmt = head[11]!;
  const acBytes = (fmt >> 4) & 3;
  const refFlags = fmt >> 6;
  const types = new Uint8Array(nVariants);
  const lengths = new Float64Array(nVariants);
  const offsets = new Float64Array(nVariants);
  let alleleCounts: Uint32Array | null = null;
  const geno = Math.ceil(nSamples / 4);
  if (mode !== 0x10) {
    const type = mode === 0x02 ? 0 : mode === 0x03 ? 0x40 : 0xc0;
    const len = mode === 0x02 ? geno : mode === 0x03 ? geno + 2 * nSamples : geno + 4 * nSamples;
    let pos = 12 + (refFlags === 3 ? Math.ceil(nVariants / 8) : 0);
    for (let i = 0; i < nVariants; i++, pos += len) {
      types[i] = type;
      lengths[i] = len;
      offsets[i] = pos;
    }
    const end = 12 + (refFlags === 3 ? Math.ceil(nVariants / 8) : 0) + nVariants * len;
    return { mode, nVariants, nSamples, types, lengths, offsets, alleleCounts, end };
  }
  const lenCode = fmt & 15;
  if (lenCode > 7) {
    throw new PgenFormatError(`header format ${lenCode} (record lengths inferred, single-sample filesets) is not supported`);
  }
  const typeBits = lenCode < 4 ? 4 : 8;
  const lenBytes = (lenCode & 3) + 1;
  const nBlocks = Math.ceil(nVariants / PGEN_BLOCK);
  const blockTable = read(12, 8 * nBlocks);
  if (blockTable.length < 8 * nBlocks) throw new PgenFormatError(`header is truncated in the variant block offsets (${nBlocks} block(s))`);
  if (acBytes > 0) alleleCounts = new Uint32Array(nVariants);
  let pos = 12 + 8 * nBlocks;
  let end = pos;
  for (let b = 0; b < nBlocks; b++) {
    const first = b * PGEN_BLOCK;
    const c = Math.min(PGEN_BLOCK, nVariants - first);
    const typeSize = typeBits === 4 ? Math.ceil(c / 2) : c;
    const size = typeSize + c * lenBytes + c * acBytes + (refFlags === 3 ? Math.ceil(c / 8) : 0);
    const t = read(pos, size);
    if (t.length < size) throw new PgenFormatError(`header is truncated in the record table of variants ${first}..${first + c - 1}`, first);
    for (let i = 0; i < c; i++) types[first + i] = typeBits === 4 ? (t[i >> 1]! >> ((i & 1) * 4)) & 15 : t[i]!;
    let q = typeSize;
    for (let i = 0; i < c; i++, q += lenBytes) lengths[first + i] = uintN(t, q, lenBytes);
    if (alleleCounts) for (let i = 0; i < c; i++, q += acBytes) alleleCounts[first + i] = uintN(t, q, acBytes);
    pos += size;
    const lo = blockTable[8 * b + 4]! + blockTable[8 * b + 5]! * 256 + blockTable[8 * b + 6]! * 65536 + blockTable[8 * b + 7]! * 16777216;
    let off = u32(blockTable, 8 * b) + lo * 4294967296;
    if (b === 0 && off < pos) throw new PgenFormatError(`block 0 starts at offset ${off}, inside the header (ends at ${pos})`, 0);
    for (let i = 0; i < c; i++) {
      offsets[first + i] = off;
      off += lengths[first + i]!;
    }
    end = off;
    if (b + 1 < nBlocks) {
      const next = u32(blockTable, 8 * (b + 1));
      if (next !== off % 4294967296) {
        throw new PgenFormatError(`record lengths of block ${b} end at offset ${off}, but block ${b + 1} starts at ${next}`, first + c - 1);
      }
    }
  }
  for (let i = 0; i < nVariants; i++) {
    if ((types[i]! & 7) === 5) throw new PgenFormatError(`record type ${types[i]} (main track 5) is reserved`, i);
    if (i % PGEN_BLOCK === 0 && ((types[i]! & 7) === 2 || (types[i]! & 7) === 3)) {
      throw new PgenFormatError(`the first variant of a block is LD-compressed (record type ${types[i]})`, i);
    }
  }
  if (end > fileSize) {
    let v = 0;
    while (v < nVariants && offsets[v]! + lengths[v]! <= fileSize) v++;
    throw new PgenFormatError(`file is truncated: ${fileSize} bytes, the record table needs ${end}`, v);
  }
  return { mode, nVariants, nSamples, types, lengths, offsets, alleleCounts, end };
}

/** Is this record type LD-compressed (its main track refers to the previous non-LD-compressed variant)? */
export function isLdCompressed(type: number): boolean {
  const t = type & 7;
  return t === 2 || t === 3;
}

/** Does this record type carry dosages? */
export function hasDosage(type: number): boolean {
  return (type & 0x60) !== 0;
}

// pgen code → bed code: 0 hom ref → 3, 1 het → 2, 2 hom alt → 0, 3 missing → 1.
const PGEN_TO_BED = [3, 2, 0, 1];
/** Per packed byte: the same 4 samples in PLINK 1 codes. */
const BYTE_TO_BED = new Uint8Array(256);
/** Per packed byte: codes 0 and 2 swapped. */
const BYTE_INVERT = new Uint8Array(256);
/** Per packed byte: the number of hets (code 1). */
const BYTE_HETS = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  let bed = 0;
  let inv = 0;
  let h = 0;
  for (let k = 0; k < 4; k++) {
    const c = (b >> (2 * k)) & 3;
    bed |= PGEN_TO_BED[c]! << (2 * k);
    inv |= (c === 0 ? 2 : c === 2 ? 0 : c) << (2 * k);
    if (c === 1) h++;
  }
  BYTE_TO_BED[b] = bed;
  BYTE_INVERT[b] = inv;
  BYTE_HETS[b] = h;
}
/** The two common codes of a "1-bit" main track, by its first byte. */
const ONE_BIT_PAIRS: Record<number, [number, number]> = { 1: [0, 1], 2: [0, 2], 3: [0, 3], 5: [1, 2], 6: [1, 3], 9: [2, 3] };

/** A cursor over one record's bytes. */
class Cursor {
  pos: number;
  constructor(readonly b: Uint8Array, start: number, readonly end: number) {
    this.pos = start;
  }
  need(n: number, what: string): void {
    if (this.pos + n > this.end) throw new PgenFormatError(`record is shorter than its ${what} (needs ${this.pos + n - this.end} more byte(s))`);
  }
  varint(what: string): number {
    let v = 0;
    let m = 1;
    for (;;) {
      this.need(1, what);
      const x = this.b[this.pos++]!;
      v += (x & 0x7f) * m;
      if (x < 0x80) return v;
      m *= 128;
      if (m > 2 ** 35) throw new PgenFormatError(`bad varint in the ${what}`);
    }
  }
}

/** A decoded difflist: sample ids, and their 2-bit codes when the list carries them. */
interface Difflist {
  ids: Uint32Array;
  codes: Uint8Array | null;
}

function sampleIdBytes(n: number): number {
  return n <= 256 ? 1 : n <= 65536 ? 2 : n <= 16777216 ? 3 : 4;
}

function readDifflist(c: Cursor, nSamples: number, withCodes: boolean, what: string): Difflist {
  const len = c.varint(what);
  if (len > nSamples) throw new PgenFormatError(`${what} lists ${len} samples, more than the ${nSamples} in the file`);
  const ids = new Uint32Array(len);
  if (len === 0) return { ids, codes: withCodes ? new Uint8Array(0) : null };
  const groups = Math.ceil(len / 64);
  const w = sampleIdBytes(nSamples);
  c.need(groups * w + groups - 1, what);
  const starts = c.pos;
  c.pos += groups * w + groups - 1;
  let codes: Uint8Array | null = null;
  if (withCodes) {
    const cb = Math.ceil(len / 4);
    c.need(cb, what);
    codes = new Uint8Array(len);
    for (let k = 0; k < len; k++) codes[k] = (c.b[c.pos + (k >> 2)]! >> ((k & 3) * 2)) & 3;
    c.pos += cb;
  }
  for (let g = 0; g < groups; g++) {
    let id = uintN(c.b, starts + g * w, w);
    const last = Math.min(len, (g + 1) * 64);
    for (let k = g * 64; k < last; k++) {
      if (k > g * 64) {
        const d = c.varint(what);
        if (d === 0) throw new PgenFormatError(`${what} is not increasing`);
        id += d;
      }
      if (id >= nSamples) throw new PgenFormatError(`${what} names sample ${id}, past the ${nSamples} in the file`);
      ids[k] = id;
    }
  }
  return { ids, codes };
}

function setCode(a: Uint8Array, s: number, v: number): void {
  const sh = (s & 3) * 2;
  a[s >> 2] = (a[s >> 2]! & ~(3 << sh)) | (v << sh);
}

/** Per-record decoding state: the last non-LD-compressed main track. */
export class PgenRecordDecoder {
  readonly genoBytes: number;
  private reference: Uint8Array | null = null;
  private readonly work: Uint8Array;
  constructor(readonly nSamples: number) {
    this.genoBytes = Math.ceil(nSamples / 4);
    this.work = new Uint8Array(this.genoBytes);
  }

  /**
   * Decodes one record.
   *
   * @param bytes - holds the record at `[start, start + length)`.
   * @param bedOut - receives the hard calls in PLINK 1 `.bed` codes (`genoBytes` bytes at `bedOffset`),
   *   padding bits zero; null to decode only the main track (an LD reference before a partition).
   * @param dosageOut - receives the ALT dosages of the `nSamples` samples at `dosageOffset` (NaN =
   *   missing) when the record has a dosage track, else the hard-call dosages; null to skip.
   * @throws PgenFormatError when the record is malformed or its length does not match its tracks.
   */
  decode(
    type: number, bytes: Uint8Array, start: number, length: number, bedOut: Uint8Array | null, bedOffset: number, dosageOut: Float64Array | null, dosageOffset: number,
    multi?: { numAlts: number; patch: (sample: number, a0: number, a1: number) => void },
  ): void {
    const n = this.nSamples;
    const gb = this.genoBytes;
    const c = new Cursor(bytes, start, start + length);
    const g = this.work;
    const main = type & 7;
    switch (main) {
      case 0:
        c.need(gb, "2-bit genotype array");
        g.set(bytes.subarray(c.pos, c.pos + gb));
        c.pos += gb;
        break;
      case 1: {
        c.need(1 + Math.ceil(n / 8), "1-bit genotype array");
        const pair = ONE_BIT_PAIRS[bytes[c.pos]!];
        if (!pair) throw new PgenFormatError(`1-bit genotype array names common codes ${bytes[c.pos]} (not 1, 2, 3, 5, 6 or 9)`);
        c.pos++;
        const [lo, hi] = pair;
        g.fill(0);
        for (let s = 0; s < n; s++) {
          const bit = (bytes[c.pos + (s >> 3)]! >> (s & 7)) & 1;
          g[s >> 2]! |= (bit ? hi : lo) << ((s & 3) * 2);
        }
        c.pos += Math.ceil(n / 8);
        this.patch(g, readDifflist(c, n, true, "difflist of the rare genotypes"));
        break;
      }
      case 2:
      case 3: {
        if (!this.reference) throw new PgenFormatError("LD-compressed record with no earlier non-LD-compressed record");
        // Type 3: the difflist patches the reference, then codes 0 and 2 are swapped (as pgenlib reads it).
        g.set(this.reference);
        this.patch(g, readDifflist(c, n, true, "LD difflist"));
        if (main === 3) for (let i = 0; i < gb; i++) g[i] = BYTE_INVERT[g[i]!]!;
        break;
      }
      case 4:
      case 6:
      case 7: {
        g.fill((main & 3) * 0x55);
        this.patch(g, readDifflist(c, n, true, "difflist"));
        break;
      }
      default:
        throw new PgenFormatError(`record type ${type} (main track 5) is reserved`);
    }
    // Clear the padding bits of the last byte.
    if (n & 3) g[gb - 1]! &= (1 << ((n & 3) * 2)) - 1;
    if (main !== 2 && main !== 3) {
      if (!this.reference) this.reference = new Uint8Array(gb);
      this.reference.set(g);
    }
    if (bedOut === null && dosageOut === null) return;
    let extraHets = 0;
    if (type & 8) {
      if (!multi || multi.numAlts < 2) throw new PgenFormatError(`record type ${type} has multiallelic hard calls, but the variant has ${multi?.numAlts ?? 1} ALT allele(s)`);
      if (type & 0x60) throw new PgenFormatError("multiallelic dosages are not supported");
      extraHets = this.readMultiallelic(c, g, multi.numAlts, multi.patch);
    }
    if (bedOut) for (let i = 0; i < gb; i++) bedOut[bedOffset + i] = BYTE_TO_BED[g[i]!]!;
    if (bedOut && n & 3) bedOut[bedOffset + gb - 1]! &= (1 << ((n & 3) * 2)) - 1;
    if (type & 0x10) this.skipPhase(c, g, extraHets);
    const dosageMode = (type >> 5) & 3;
    if (dosageOut) {
      for (let s = 0; s < n; s++) {
        const code = (g[s >> 2]! >> ((s & 3) * 2)) & 3;
        dosageOut[dosageOffset + s] = code === 3 ? NaN : code;
      }
    }
    if (dosageMode !== 0) {
      if (dosageMode === 1) {
        const d = readDifflist(c, n, false, "dosage difflist");
        c.need(2 * d.ids.length, "dosage values");
        for (let k = 0; k < d.ids.length; k++, c.pos += 2) this.putDosage(dosageOut, dosageOffset + d.ids[k]!, bytes[c.pos]! | (bytes[c.pos + 1]! << 8), false);
      } else if (dosageMode === 2) {
        c.need(2 * n, "dosage values");
        for (let s = 0; s < n; s++, c.pos += 2) this.putDosage(dosageOut, dosageOffset + s, bytes[c.pos]! | (bytes[c.pos + 1]! << 8), true);
      } else {
        const nb = Math.ceil(n / 8);
        c.need(nb, "dosage presence bitarray");
        const bits = c.pos;
        c.pos += nb;
        for (let s = 0; s < n; s++) {
          if (((bytes[bits + (s >> 3)]! >> (s & 7)) & 1) === 0) continue;
          c.need(2, "dosage values");
          this.putDosage(dosageOut, dosageOffset + s, bytes[c.pos]! | (bytes[c.pos + 1]! << 8), false);
          c.pos += 2;
        }
      }
    }
    // Phased dosages (bit 7) follow; they are not read, so the record may hold more bytes.
    if ((type & 0x80) === 0 && c.pos !== c.end) {
      throw new PgenFormatError(`record length ${length} does not match its tracks (${c.pos - start} bytes)`);
    }
  }

  private putDosage(out: Float64Array | null, at: number, v: number, missingAllowed: boolean): void {
    if (v === 65535 && missingAllowed) { if (out) out[at] = NaN; return; }
    if (v > 32768) throw new PgenFormatError(`dosage value ${v} is above 32768 (2 ALT alleles)`);
    if (out) out[at] = v / PGEN_DOSAGE_UNIT;
  }

  private patch(g: Uint8Array, d: Difflist): void {
    const codes = d.codes!;
    for (let k = 0; k < d.ids.length; k++) setCode(g, d.ids[k]!, codes[k]!);
  }

  /**
   * Reads the multiallelic hard-call track (bit 3): the patch sets of categories 1 (REF-ALTk, k ≥ 2)
   * and 2 (ALTi-ALTj other than ALT1-ALT1), reported through `patch` as allele pairs.
   * @returns the number of heterozygous category-2 calls (they carry phase too).
   */
  private readMultiallelic(c: Cursor, g: Uint8Array, numAlts: number, patch: (s: number, a0: number, a1: number) => void): number {
    const n = this.nSamples;
    c.need(1, "multiallelic track");
    const fmt = c.b[c.pos++]!;
    const samplesOf = (code: number): number[] => {
      const out: number[] = [];
      for (let s = 0; s < n; s++) if (((g[s >> 2]! >> ((s & 3) * 2)) & 3) === code) out.push(s);
      return out;
    };
    const selected = (f: number, code: number, what: string): number[] => {
      if (f === 15) return [];
      if (f === 0) {
        const members = samplesOf(code);
        const nb = Math.ceil(members.length / 8);
        c.need(nb, what);
        const out: number[] = [];
        for (let j = 0; j < members.length; j++) if ((c.b[c.pos + (j >> 3)]! >> (j & 7)) & 1) out.push(members[j]!);
        c.pos += nb;
        return out;
      }
      if (f === 1) {
        const ids = [...readDifflist(c, n, false, what).ids];
        for (const s of ids) if (((g[s >> 2]! >> ((s & 3) * 2)) & 3) !== code) throw new PgenFormatError(`${what} names sample ${s}, which is not in genotype category ${code}`);
        return ids;
      }
      throw new PgenFormatError(`${what} has reserved format ${f}`);
    };
    const readPacked = (count: number, width: number, what: string): number[] => {
      const nb = Math.ceil((count * width) / 8);
      c.need(nb, what);
      const out: number[] = new Array(count);
      for (let k = 0; k < count; k++) {
        let v = 0;
        for (let b = 0; b < width; b++) {
          const bit = k * width + b;
          v += ((c.b[c.pos + (bit >> 3)]! >> (bit & 7)) & 1) * 2 ** b;
        }
        out[k] = v;
      }
      c.pos += nb;
      return out;
    };
    // Category 1: REF-ALTk with k = value + 2.
    const one = selected(fmt & 15, 1, "multiallelic category-1 patch set");
    const w1 = numAlts === 2 ? 0 : numAlts === 3 ? 1 : numAlts <= 5 ? 2 : numAlts <= 17 ? 4 : numAlts <= 257 ? 8 : numAlts <= 65537 ? 16 : 24;
    const v1 = w1 === 0 ? one.map(() => 0) : readPacked(one.length, w1, "multiallelic category-1 alleles");
    one.forEach((s, k) => patch(s, 0, v1[k]! + 2));
    // Category 2: ALTi-ALTj with i, j = value + 1.
    const two = selected(fmt >> 4, 2, "multiallelic category-2 patch set");
    let hets = 0;
    if (numAlts === 2) {
      const hom = readPacked(two.length, 1, "multiallelic category-2 alleles");
      two.forEach((s, k) => { if (hom[k]) patch(s, 2, 2); else { patch(s, 1, 2); hets++; } });
    } else {
      const w2 = numAlts <= 4 ? 2 : numAlts <= 16 ? 4 : numAlts <= 256 ? 8 : numAlts <= 65536 ? 16 : 24;
      const v2 = readPacked(two.length, 2 * w2, "multiallelic category-2 alleles");
      two.forEach((s, k) => {
        const lo = (v2[k]! % 2 ** w2) + 1;
        const hi = Math.floor(v2[k]! / 2 ** w2) + 1;
        if (lo > hi) throw new PgenFormatError(`multiallelic category-2 call ALT${lo}/ALT${hi} is not ordered`);
        patch(s, lo, hi);
        if (lo !== hi) hets++;
      });
    }
    return hets;
  }

  /** Reads past the hard-call phase track (bit 4), whose size depends on the number of hets. */
  private skipPhase(c: Cursor, g: Uint8Array, extraHets: number): void {
    let hets = extraHets;
    for (let i = 0; i < this.genoBytes; i++) hets += BYTE_HETS[g[i]!]!;
    c.need(1, "phase track");
    const explicit = c.b[c.pos]! & 1;
    if (!explicit) {
      const nb = Math.ceil((1 + hets) / 8);
      c.need(nb, "phase track");
      c.pos += nb;
      return;
    }
    const nb = Math.ceil((1 + hets) / 8);
    c.need(nb, "phase track");
    let phased = 0;
    for (let k = 1; k <= hets; k++) phased += (c.b[c.pos + (k >> 3)]! >> (k & 7)) & 1;
    c.pos += nb;
    const pb = Math.ceil(phased / 8);
    c.need(pb, "phase track");
    c.pos += pb;
  }
}
