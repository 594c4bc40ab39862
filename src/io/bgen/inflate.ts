/**
 * A small synchronous zlib (RFC 1950) / DEFLATE (RFC 1951) decoder into an output of known size.
 *
 * Why: BGEN stores one zlib stream per variant, typically a few hundred bytes to a few KB.
 * `node:zlib.inflateSync` costs ~40 µs per call in stream/handle setup alone, which dominates
 * decoding such blocks; this decoder has no setup cost. It validates everything native zlib
 * does (header, block types, code sets, distances, lengths, the Adler-32 trailer) and never
 * writes past the expected size, so a corrupted stream always ends in an error.
 */

/** Thrown for any malformed stream; callers wrap it with file context. */
export class InflateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InflateError";
  }
}

const LBASE = new Uint16Array([3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]);
const LEXT = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]);
const DBASE = new Uint16Array([1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]);
const DEXT = new Uint8Array([0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]);
const CLORDER = new Uint8Array([16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]);

/**
 * A canonical Huffman code: a direct table over the next `bits` input bits for codes up to that
 * length (entry = symbol << 4 | code length), and per-length counts plus symbols in code order
 * for the rare longer codes (entry 0: take the slow path).
 */
interface HuffTable {
  table: Uint16Array;
  bits: number;
  count: Uint16Array;
  symbols: Uint16Array;
}

/** Longest code resolved by one table lookup (longer codes are rare by construction). */
const ROOT_BITS = 10;

function makeTable(): HuffTable {
  return { table: new Uint16Array(1 << ROOT_BITS), bits: 1, count: new Uint16Array(16), symbols: new Uint16Array(320) };
}

// Scratch reused across calls (decoding is synchronous and not re-entrant): per-call typed-array
// allocations would otherwise cost more than decoding a small block.
const offs = new Uint16Array(16);
const nextCode = new Uint16Array(16);

/** Fills `h` with the decoding structures for code lengths `lengths[0..n)`. */
function buildTable(h: HuffTable, lengths: Uint8Array, n: number, allowIncomplete: boolean): HuffTable {
  const count = h.count;
  count.fill(0);
  let maxLen = 0;
  for (let i = 0; i < n; i++) {
    const l = lengths[i]!;
    count[l]++;
    if (l > maxLen) maxLen = l;
  }
  count[0] = 0;
  // Kraft check: over-subscribed sets are invalid; incomplete ones only where allowed.
  let left = 1;
  let used = 0;
  for (let l = 1; l <= 15; l++) {
    left = left * 2 - count[l]!;
    used += count[l]!;
    if (left < 0) throw new InflateError("invalid deflate stream: over-subscribed code lengths");
  }
  if (left > 0 && !allowIncomplete && used > 1) throw new InflateError("invalid deflate stream: incomplete code lengths");
  offs[1] = 0;
  for (let l = 1; l < 15; l++) offs[l + 1] = offs[l]! + count[l]!;
  const symbols = h.symbols;
  for (let sym = 0; sym < n; sym++) {
    const l = lengths[sym]!;
    if (l !== 0) symbols[offs[l]!++] = sym;
  }
  const bits = Math.max(1, Math.min(ROOT_BITS, maxLen));
  const size = 1 << bits;
  const table = h.table;
  table.fill(0, 0, size);
  let code = 0;
  nextCode[0] = 0;
  for (let l = 1; l <= 15; l++) {
    code = (code + count[l - 1]!) << 1;
    nextCode[l] = code;
  }
  for (let sym = 0; sym < n; sym++) {
    const l = lengths[sym]!;
    if (l === 0 || l > bits) {
      if (l !== 0) nextCode[l]++;
      continue;
    }
    const c = nextCode[l]!++;
    // Deflate packs Huffman codes most-significant bit first: index by the reversed code.
    let r = 0;
    for (let i = 0; i < l; i++) r |= ((c >> i) & 1) << (l - 1 - i);
    const entry = (sym << 4) | l;
    for (let j = r; j < size; j += 1 << l) table[j] = entry;
  }
  h.bits = bits;
  return h;
}

const litScratch = makeTable();
const distScratch = makeTable();
const clScratch = makeTable();
const lengths = new Uint8Array(320);
const clLens = new Uint8Array(19);
let inScratch = new Uint8Array(1 << 16);

/** Decodes one symbol bit by bit (codes longer than the table). Returns symbol << 4 | length. */
function slowDecode(h: HuffTable, inp: Uint8Array, pos: number): number {
  let code = 0;
  let first = 0;
  let index = 0;
  for (let len = 1; len <= 15; len++) {
    const p = pos + len - 1;
    code |= (inp[p >>> 3]! >>> (p & 7)) & 1;
    const c = h.count[len]!;
    if (code - c < first) return (h.symbols[index + (code - first)]! << 4) | len;
    index += c;
    first = (first + c) << 1;
    code <<= 1;
  }
  return 0;
}

let fixedLit: HuffTable | null = null;
let fixedDist: HuffTable | null = null;
function fixedTables(): [HuffTable, HuffTable] {
  if (!fixedLit || !fixedDist) {
    const l = new Uint8Array(288);
    l.fill(8, 0, 144);
    l.fill(9, 144, 256);
    l.fill(7, 256, 280);
    l.fill(8, 280, 288);
    fixedLit = buildTable(makeTable(), l, 288, false);
    const d = new Uint8Array(30).fill(5);
    fixedDist = buildTable(makeTable(), d, 30, true); // 30 of 32 five-bit codes: incomplete by design
  }
  return [fixedLit, fixedDist];
}

/** Adler-32 of `b[0, n)`. */
export function adler32(b: Uint8Array, n: number): number {
  let a = 1;
  let s = 0;
  let i = 0;
  while (i < n) {
    const end = Math.min(n, i + 3800); // keeps s below 2^31 before the modulo
    for (; i < end; i++) {
      a += b[i]!;
      s += a;
    }
    a %= 65521;
    s %= 65521;
  }
  return ((s << 16) | a) >>> 0;
}

/**
 * Inflates a zlib stream that must decompress to exactly `expected` bytes.
 * @throws InflateError for a malformed stream, a wrong size or a bad Adler-32 checksum.
 */
export function inflateZlib(src: Uint8Array, expected: number): Uint8Array {
  const inLen = src.length;
  if (inLen < 6) throw new InflateError("truncated zlib stream");
  // Zero padding lets the bit reader look 4 bytes ahead without bounds checks; reads that reach
  // the padding are caught by the `pos > inBits` checks.
  if (inScratch.length < inLen + 8) inScratch = new Uint8Array(Math.max(inLen + 8, inScratch.length * 2));
  const inp = inScratch;
  inp.set(src);
  inp.fill(0, inLen, inLen + 8);
  const cmf = inp[0]!;
  const flg = inp[1]!;
  if ((cmf & 15) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0) throw new InflateError("incorrect zlib header");
  if (flg & 0x20) throw new InflateError("zlib stream needs a preset dictionary");
  const out = new Uint8Array(expected);
  const inBits = inLen * 8;
  let pos = 16; // bit position
  let op = 0;
  let final = 0;
  do {
    if (pos + 3 > inBits) throw new InflateError("truncated deflate stream");
    const hdr = (inp[pos >>> 3]! | ((inp[(pos >>> 3) + 1]) << 8)) >>> (pos & 7);
    final = hdr & 1;
    const type = (hdr >>> 1) & 3;
    pos += 3;
    if (type === 0) {
      let p = (pos + 7) >>> 3;
      if (p + 4 > inLen) throw new InflateError("truncated stored block");
      const len = inp[p]! | (inp[p + 1]! << 8);
      const nlen = inp[p + 2]! | (inp[p + 3]! << 8);
      if ((len ^ 0xffff) !== nlen) throw new InflateError("invalid stored block lengths");
      p += 4;
      if (p + len > inLen) throw new InflateError("truncated stored block");
      if (op + len > expected) throw new InflateError(`stream inflates to more than ${expected} bytes`);
      out.set(inp.subarray(p, p + len), op);
      op += len;
      pos = (p + len) * 8;
      continue;
    }
    let lit: HuffTable;
    let dist: HuffTable;
    if (type === 1) {
      [lit, dist] = fixedTables();
    } else if (type === 2) {
      if (pos + 14 > inBits) throw new InflateError("truncated deflate stream");
      const h = (inp[pos >>> 3]! | (inp[(pos >>> 3) + 1]! << 8) | ((inp[(pos >>> 3) + 2]) << 16)) >>> (pos & 7);
      const hlit = (h & 31) + 257;
      const hdist = ((h >>> 5) & 31) + 1;
      const hclen = ((h >>> 10) & 15) + 4;
      pos += 14;
      if (hlit > 286 || hdist > 30) throw new InflateError("too many length or distance symbols");
      clLens.fill(0);
      for (let i = 0; i < hclen; i++) {
        const q = pos >>> 3;
        clLens[CLORDER[i]!] = ((inp[q]! | ((inp[q + 1]) << 8)) >>> (pos & 7)) & 7;
        pos += 3;
      }
      if (pos > inBits) throw new InflateError("truncated deflate stream");
      const cl = buildTable(clScratch, clLens, 19, false);
      const clMask = (1 << cl.bits) - 1;
      const total = hlit + hdist;
      lengths.fill(0);
      let i = 0;
      while (i < total) {
        const q = pos >>> 3;
        const w = (inp[q]! | ((inp[q + 1]) << 8) | ((inp[q + 2]) << 16)) >>> (pos & 7);
        let e = cl.table[w & clMask]!;
        if (e === 0) e = slowDecode(cl, inp, pos);
        const l = e & 15;
        if (l === 0) throw new InflateError("invalid code lengths code");
        pos += l;
        const sym = e >> 4;
        const x = w >>> l;
        if (sym < 16) {
          lengths[i++] = sym;
        } else if (sym === 16) {
          if (i === 0) throw new InflateError("repeat of no previous code length");
          const prev = lengths[i - 1]!;
          const r = 3 + (x & 3);
          pos += 2;
          if (i + r > total) throw new InflateError("too many code lengths");
          for (let k = 0; k < r; k++) lengths[i++] = prev;
        } else if (sym === 17) {
          const r = 3 + (x & 7);
          pos += 3;
          if (i + r > total) throw new InflateError("too many code lengths");
          i += r;
        } else {
          const r = 11 + (x & 127);
          pos += 7;
          if (i + r > total) throw new InflateError("too many code lengths");
          i += r;
        }
        if (pos > inBits) throw new InflateError("truncated deflate stream");
      }
      if (lengths[256] === 0) throw new InflateError("missing end-of-block code");
      lit = buildTable(litScratch, lengths, hlit, false);
      dist = buildTable(distScratch, lengths.subarray(hlit, hlit + hdist), hdist, true);
    } else {
      throw new InflateError("invalid block type");
    }
    const lt = lit.table;
    const lMask = (1 << lit.bits) - 1;
    const dt = dist.table;
    const dMask = (1 << dist.bits) - 1;
    for (;;) {
      if (pos > inBits) throw new InflateError("truncated deflate stream");
      let q = pos >>> 3;
      // 32 bits of lookahead: a literal/length code (<= 15 bits) plus its extra bits (<= 5).
      let w = (inp[q]! | ((inp[q + 1]) << 8) | ((inp[q + 2]) << 16) | ((inp[q + 3]) << 24)) >>> (pos & 7);
      let e = lt[w & lMask]!;
      if (e === 0) e = slowDecode(lit, inp, pos);
      const l = e & 15;
      if (l === 0) throw new InflateError("invalid literal/length code");
      const sym = e >> 4;
      if (sym < 256) {
        if (op >= expected) throw new InflateError(`stream inflates to more than ${expected} bytes`);
        out[op++] = sym;
        pos += l;
        continue;
      }
      if (sym === 256) {
        pos += l;
        break;
      }
      const li = sym - 257;
      if (li >= 29) throw new InflateError("invalid literal/length symbol");
      const le = LEXT[li]!;
      const len = LBASE[li]! + ((w >>> l) & ((1 << le) - 1));
      pos += l + le;
      q = pos >>> 3;
      w = (inp[q]! | ((inp[q + 1]) << 8) | ((inp[q + 2]) << 16) | ((inp[q + 3]) << 24)) >>> (pos & 7);
      let de = dt[w & dMask]!;
      if (de === 0) de = slowDecode(dist, inp, pos);
      const dl = de & 15;
      if (dl === 0) throw new InflateError("invalid distance code");
      const ds = de >> 4;
      if (ds >= 30) throw new InflateError("invalid distance symbol");
      const dx = DEXT[ds]!;
      // Distance extra bits (<= 13) may not fit in the 25-32 bits left after the code: re-read.
      pos += dl;
      let extra = 0;
      if (dx > 0) {
        q = pos >>> 3;
        extra = (((inp[q]) | ((inp[q + 1]) << 8) | ((inp[q + 2]) << 16)) >>> (pos & 7)) & ((1 << dx) - 1);
        pos += dx;
      }
      const d = DBASE[ds]! + extra;
      if (d > op) throw new InflateError("invalid distance too far back");
      if (op + len > expected) throw new InflateError(`stream inflates to more than ${expected} bytes`);
      let from = op - d;
      const end = op + len;
      while (op < end) out[op++] = out[from++]!;
    }
  } while (!final);
  if (pos > inBits) throw new InflateError("truncated deflate stream");
  if (op !== expected) throw new InflateError(`stream inflates to ${op} bytes, expected ${expected}`);
  const t = (pos + 7) >>> 3;
  if (t + 4 > inLen) throw new InflateError("missing Adler-32 checksum");
  const stored = ((inp[t]! << 24) | (inp[t + 1]! << 16) | (inp[t + 2]! << 8) | inp[t + 3]!) >>> 0;
  if (stored !== adler32(out, op)) throw new InflateError("incorrect Adler-32 checksum");
  return out;
}
