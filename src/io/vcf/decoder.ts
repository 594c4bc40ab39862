/**
 * Decodes VCF data lines (bytes) into a columnar {@link VariantBatch} in Glow's schema. Pure: no file
 * access. Follows Glow's fast line parser (`sc/vcf/VCFLineToInternalRowConverter.scala`):
 *
 * - `start = POS - 1`, `end = start + len(REF)`, overridden by INFO `END`;
 * - `.` or an empty token is null; an array with no items or a single missing item is null, an
 *   array whose items are all missing is empty (`LineCtx.toGenericArrayData`);
 * - INFO keys absent from the header and FORMAT keys absent from the header are skipped;
 * - flags are false unless present; GT gives `phased` (separator after the first allele is `|`)
 *   and `calls` (`.` → -1);
 * - a value that does not parse as its header type is a *validation error*: ignored with `silent`
 *   (the value becomes null), logged with `lenient`, thrown with `strict`;
 * - a line with fewer than 8 columns, or an invalid POS, REF or QUAL, always throws (Glow fails the
 *   task on those too).
 *
 * Unlike Glow, ID and FILTER are split on `;` (VCF spec; Glow's fast reader splits on `,`), sample
 * fields beyond the FORMAT keys are ignored rather than shifted into the next sample, missing
 * samples are null rather than copies of a previous row, and a line without FORMAT gives null
 * genotype fields (the genotypes array itself cannot be null in the columnar model).
 *
 * The genotype section is parsed by a single loop over the bytes (no per-sample split).
 */
import { GlowtsError } from "../../core/errors.js";
import type { Column, VariantBatch } from "../../core/column.js";
import type { RegionHint } from "../../core/source.js";
import { CallsBuilder, GrowF64, GrowI32, ListBuilder, ScalarBuilder } from "./builders.js";
import type { ValidationStringency, VcfFieldDef } from "./header.js";
import { genotypeFieldNames, infoColumns } from "./header.js";
import { isMissing, parseDoubleBytes, parseInt32Bytes, parseLongBytes } from "../../core/numbers.js";

/** Everything the decoder needs to know (plain data). */
export interface VcfDecoderSpec {
  /** File name for error messages. */
  file: string;
  /** Merged INFO definitions (END, if present, is handled specially and gets no column). */
  info: VcfFieldDef[];
  /** Merged FORMAT definitions, in schema order. */
  format: VcfFieldDef[];
  /** Number of samples in the header. */
  nSamples: number;
  /** Sample ids to attach to the genotypes column (null when `includeSampleIds` is false). */
  sampleIds: string[] | null;
  flattenInfoFields: boolean;
  stringency: ValidationStringency;
  /** When set, rows outside the region are dropped before their genotypes are parsed. */
  region?: RegionHint | undefined;
}

const K_SKIP = 0;
const K_GT = 1;
const K_INT = 2;
const K_DOUBLE = 3;
const K_STRING = 4;
const K_BOOL = 5;
const K_INT_LIST = 6;
const K_DOUBLE_LIST = 7;
const K_STRING_LIST = 8;

const TAB = 9;
const COLON = 58;
const SEMI = 59;
const COMMA = 44;
const EQ = 61;
const SLASH = 47;
const PIPE = 124;

function kindOf(d: VcfFieldDef): number {
  if (d.isArray) return d.elementType === "int" ? K_INT_LIST : d.elementType === "double" ? K_DOUBLE_LIST : K_STRING_LIST;
  return d.elementType === "int" ? K_INT : d.elementType === "double" ? K_DOUBLE : d.elementType === "boolean" ? K_BOOL : K_STRING;
}

interface Slot {
  kind: number;
  id: string;
  scalar?: ScalarBuilder | undefined;
  list?: ListBuilder | undefined;
}

function allDigits(t: Uint8Array, a: number, b: number): boolean {
  if (a >= b) return false;
  for (let i = a; i < b; i++) if (t[i]! < 48 || t[i]! > 57) return false;
  return true;
}

/** What an INFO key may be (VCF 4.3 §1.6.1, plus the 1000G flag of older files). */
const INFO_KEY = /^([A-Za-z_][0-9A-Za-z_.]*|1000G)$/;

/** INFO flags default to false; every other value (FORMAT flags included) defaults to null. */
function makeSlot(d: VcfFieldDef, isInfo: boolean): Slot {
  const kind = kindOf(d);
  if (kind >= K_INT_LIST) return { kind, id: d.id, list: new ListBuilder(d.elementType) };
  return { kind, id: d.id, scalar: new ScalarBuilder(d.elementType, !(isInfo && kind === K_BOOL)) };
}

interface FormatMapping {
  kinds: Int32Array;
  slots: (Slot | null)[];
}

const textDecoder = new TextDecoder();

/** Decodes `t[a..b)` as a string (ASCII fast path, UTF-8 otherwise). */
export function decodeString(t: Uint8Array, a: number, b: number): string {
  const n = b - a;
  if (n <= 24) {
    let s = "";
    for (let i = a; i < b; i++) {
      const c = t[i]!;
      if (c >= 128) return textDecoder.decode(t.subarray(a, b));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return textDecoder.decode(t.subarray(a, b));
}

/** Accumulates decoded lines; call {@link VcfBatchDecoder.finish} for the batch. */
export class VcfBatchDecoder {
  /** Turns a position in the current text into a record description when the line number is unknown. */
  locate: (pos: number) => string = (pos) => `byte ${pos}`;

  private readonly spec: VcfDecoderSpec;
  private readonly nS: number;
  private numRows = 0;
  private readonly contig: (string | null)[] = [];
  private lastContig: string | null = null;
  private lastContigBytes = new Uint8Array(0);
  private readonly start = new GrowF64();
  private readonly end = new GrowF64();
  private readonly names = new ListBuilder("string");
  private readonly ref: string[] = [];
  private readonly alts = new ListBuilder("string");
  private readonly qual = new ScalarBuilder("double");
  private readonly filters = new ListBuilder("string");
  private readonly infoSlots = new Map<string, Slot>();
  private readonly infoOrder: Slot[] = [];
  private readonly attrLens = new GrowI32();
  private readonly attrKeys: string[] = [];
  private readonly attrValues: (string | null)[] = [];
  private readonly fmtSlots = new Map<string, Slot>();
  private readonly fmtOrder: Slot[] = [];
  private readonly calls: CallsBuilder | null;
  private readonly formatCache = new Map<string, FormatMapping>();
  private readonly regionContig: string | undefined;
  private warnings = 0;
  // Current line, for error messages.
  private lineNo = -1;
  private lineStart = 0;

  constructor(spec: VcfDecoderSpec) {
    this.spec = spec;
    this.nS = spec.nSamples;
    if (spec.flattenInfoFields) {
      for (const d of infoColumns(spec.info)) {
        const slot = makeSlot(d, true);
        this.infoSlots.set(d.id, slot);
        this.infoOrder.push(slot);
      }
    }
    let calls: CallsBuilder | null = null;
    for (const d of spec.format) {
      if (this.fmtSlots.has(d.id)) continue;
      if (d.id === "GT") {
        calls = new CallsBuilder();
        const slot: Slot = { kind: K_GT, id: "GT" };
        this.fmtSlots.set("GT", slot);
        this.fmtOrder.push(slot);
      } else {
        const slot = makeSlot(d, false);
        this.fmtSlots.set(d.id, slot);
        this.fmtOrder.push(slot);
      }
    }
    this.calls = calls;
    this.regionContig = spec.region?.contigName;
  }

  /**
   * Pre-allocates the genotype builders for about `rows` more rows (a hint: avoids re-growing
   * large arrays; capped at 2^25 genotype elements).
   */
  reserve(rows: number): void {
    const total = Math.min(this.numRows + Math.max(0, Math.ceil(rows)), Math.floor(2 ** 25 / Math.max(1, this.nS))) * this.nS;
    for (const s of this.fmtOrder) {
      if (s.kind === K_GT) this.calls!.reserve(total);
      else if (s.scalar) s.scalar.reserve(total);
      else s.list!.reserve(total);
    }
  }

  /** Number of rows decoded so far. */
  get rows(): number {
    return this.numRows;
  }

  private record(): string {
    return this.lineNo > 0 ? `line ${this.lineNo}` : this.locate(this.lineStart);
  }

  private fail(message: string): never {
    throw new GlowtsError("VCF_PARSE", message, { file: this.spec.file, record: this.record() });
  }

  /** A value that does not match its header type: thrown, logged or ignored per stringency. */
  private invalid(message: string): void {
    const st = this.spec.stringency;
    if (st === "strict") this.fail(message);
    if (st === "lenient") {
      this.warnings++;
      if (this.warnings <= 10) console.warn(`glowts: ${this.spec.file} ${this.record()}: ${message}`);
      else if (this.warnings === 11) console.warn(`glowts: ${this.spec.file}: further VCF validation warnings in this partition suppressed`);
    }
  }

  /**
   * Decodes one data line `t[a..b)` (without its newline; `#` lines must be filtered out by the caller).
   * @param lineNo 1-based line number in the file, or -1 when unknown (then `locate` names the record)
   * @throws GlowtsError `VCF_PARSE` naming the file and line
   */
  addLine(t: Uint8Array, a: number, b: number, lineNo = -1): void {
    this.lineNo = lineNo;
    this.lineStart = a;
    // Column boundaries of CHROM..INFO.
    const c0 = a;
    const e0 = tabAt(t, c0, b);
    if (e0 >= b) this.fail("expected at least 8 tab-separated columns");
    const c1 = e0 + 1;
    const e1 = tabAt(t, c1, b);
    if (e1 >= b) this.fail("expected at least 8 tab-separated columns");
    const c2 = e1 + 1;
    const e2 = tabAt(t, c2, b);
    if (e2 >= b) this.fail("expected at least 8 tab-separated columns");
    const c3 = e2 + 1;
    const e3 = tabAt(t, c3, b);
    if (e3 >= b) this.fail("expected at least 8 tab-separated columns");
    const c4 = e3 + 1;
    const e4 = tabAt(t, c4, b);
    if (e4 >= b) this.fail("expected at least 8 tab-separated columns");
    const c5 = e4 + 1;
    const e5 = tabAt(t, c5, b);
    if (e5 >= b) this.fail("expected at least 8 tab-separated columns");
    const c6 = e5 + 1;
    const e6 = tabAt(t, c6, b);
    if (e6 >= b) this.fail("expected at least 8 tab-separated columns");
    const c7 = e6 + 1;
    const e7 = tabAt(t, c7, b);

    // CHROM
    const contig = isMissing(t, c0, e0) ? null : this.contigString(t, c0, e0);
    // POS
    const pos = parseLongBytes(t, c1, e1);
    if (pos === undefined) this.fail(`invalid POS '${decodeString(t, c1, Math.min(e1, c1 + 40))}'`);
    const start = pos - 1;
    // REF
    if (isMissing(t, c3, e3)) this.fail("missing REF allele");
    const ref = decodeString(t, c3, e3);
    let end = start + ref.length;

    const region = this.spec.region;
    if (region !== undefined) {
      if (this.regionContig !== undefined && contig !== this.regionContig) return;
      if (region.start !== undefined || region.end !== undefined) {
        const infoEnd = scanInfoEnd(t, c7, e7);
        const e = infoEnd === undefined ? end : infoEnd;
        if (region.start !== undefined && !(e > region.start)) return;
        if (region.end !== undefined && !(start < region.end)) return;
      }
    }

    // QUAL
    let qual: number | undefined;
    let qualNull = false;
    if (isMissing(t, c5, e5)) qualNull = true;
    else {
      qual = parseDoubleBytes(t, c5, e5);
      if (qual === undefined) this.fail(`invalid QUAL '${decodeString(t, c5, Math.min(e5, c5 + 40))}'`);
    }

    // Commit the fixed columns.
    const row = this.numRows;
    this.contig.push(contig);
    this.start.push(start);
    this.names.grow(1);
    splitStrings(t, c2, e2, SEMI, this.names, row);
    this.ref.push(ref);
    this.alts.grow(1);
    splitStrings(t, c4, e4, COMMA, this.alts, row);
    this.qual.grow(1);
    if (!qualNull) { this.qual.f64!.a[row] = qual!; this.qual.nulls.a[row] = 0; }
    this.filters.grow(1);
    splitStrings(t, c6, e6, SEMI, this.filters, row);

    // INFO
    end = this.parseInfo(t, c7, e7, row, end);
    this.end.push(end);

    // Genotypes
    this.parseGenotypes(t, e7, b, row);
    this.numRows = row + 1;
  }

  private contigString(t: Uint8Array, a: number, b: number): string {
    const last = this.lastContigBytes;
    if (last.length === b - a && this.lastContig !== null) {
      let same = true;
      for (let i = 0; i < last.length; i++) if (last[i] !== t[a + i]) { same = false; break; }
      if (same) return this.lastContig;
    }
    const s = decodeString(t, a, b);
    this.lastContig = s;
    this.lastContigBytes = t.slice(a, b);
    return s;
  }

  private parseInfo(t: Uint8Array, a: number, b: number, row: number, end: number): number {
    const flat = this.spec.flattenInfoFields;
    for (const s of this.infoOrder) {
      if (s.scalar) s.scalar.grow(1);
      else s.list!.grow(1);
    }
    let nAttr = 0;
    let p = a;
    while (p < b) {
      const k0 = p;
      while (p < b && t[p] !== EQ && t[p] !== SEMI) p++;
      const k1 = p;
      let v0 = p;
      let v1 = p;
      if (p < b && t[p] === EQ) {
        v0 = p + 1;
        v1 = v0;
        while (v1 < b && t[v1] !== SEMI) v1++;
        p = v1;
      }
      p++; // past ';'
      if (isMissing(t, k0, k1)) continue;
      const key = decodeString(t, k0, k1);
      if (key === "END") {
        if (!isMissing(t, v0, v1)) {
          const v = parseLongBytes(t, v0, v1);
          if (v === undefined) this.invalid(`could not parse INFO field END '${decodeString(t, v0, Math.min(v1, v0 + 40))}' as a long`);
          else end = v;
        }
        if (flat) continue;
      }
      if (!flat) {
        this.attrKeys.push(key);
        this.attrValues.push(v0 === k1 ? "true" : decodeString(t, v0, v1));
        nAttr++;
        continue;
      }
      const slot = this.infoSlots.get(key);
      if (slot === undefined) {
        // An undeclared key is skipped, but it must still be a key (VCF 4.x §1.6.1; bcftools
        // rejects others, e.g. a damaged 'N S=1').
        if (this.spec.stringency === "strict" && !INFO_KEY.test(key)) this.invalid(`invalid INFO key '${key.slice(0, 40)}'`);
        continue;
      }
      this.parseValue(slot, t, v0, v1, row, "INFO");
    }
    if (!flat) this.attrLens.push(nAttr);
    return end;
  }

  /** Parses one INFO or FORMAT value `t[a..b)` into element `e` of `slot`. */
  private parseValue(slot: Slot, t: Uint8Array, a: number, b: number, e: number, what: string): void {
    switch (slot.kind) {
      case K_BOOL:
        slot.scalar!.u8!.a[e] = 1;
        slot.scalar!.nulls.a[e] = 0;
        return;
      case K_INT: {
        if (isMissing(t, a, b)) return;
        const v = parseInt32Bytes(t, a, b);
        if (v === undefined) { this.invalid(`could not parse ${what} field ${slot.id} '${decodeString(t, a, Math.min(b, a + 40))}' as an int`); return; }
        slot.scalar!.i32!.a[e] = v;
        slot.scalar!.nulls.a[e] = 0;
        return;
      }
      case K_DOUBLE: {
        if (isMissing(t, a, b)) return;
        const v = parseDoubleBytes(t, a, b);
        if (v === undefined) { this.invalid(`could not parse ${what} field ${slot.id} '${decodeString(t, a, Math.min(b, a + 40))}' as a double`); return; }
        slot.scalar!.f64!.a[e] = v;
        slot.scalar!.nulls.a[e] = 0;
        return;
      }
      case K_STRING: {
        if (isMissing(t, a, b)) return;
        slot.scalar!.str![e] = decodeString(t, a, b);
        slot.scalar!.nulls.a[e] = 0;
        return;
      }
      default:
        this.parseList(slot, t, a, b, e, what);
    }
  }

  private parseList(slot: Slot, t: Uint8Array, a: number, b: number, e: number, what: string): void {
    const list = slot.list!;
    list.begin(e);
    let nullItems = 0;
    let p = a;
    while (p < b) {
      let q = p;
      while (q < b && t[q] !== COMMA) q++;
      if (isMissing(t, p, q)) {
        list.pushNull();
        nullItems++;
      } else if (slot.kind === K_INT_LIST) {
        const v = parseInt32Bytes(t, p, q);
        if (v === undefined) {
          list.abort();
          this.invalid(`could not parse ${what} field ${slot.id} '${decodeString(t, a, Math.min(b, a + 40))}' as an int array`);
          return;
        }
        list.pushInt(v);
      } else if (slot.kind === K_DOUBLE_LIST) {
        const v = parseDoubleBytes(t, p, q);
        if (v === undefined) {
          list.abort();
          this.invalid(`could not parse ${what} field ${slot.id} '${decodeString(t, a, Math.min(b, a + 40))}' as a double array`);
          return;
        }
        list.pushDouble(v);
      } else {
        list.pushString(decodeString(t, p, q));
      }
      p = q + 1;
    }
    list.end(nullItems);
  }

  private mapping(t: Uint8Array, a: number, b: number): FormatMapping {
    const key = decodeString(t, a, b);
    let m = this.formatCache.get(key);
    if (m) return m;
    const ids = key === "." || key === "" ? [] : key.split(":");
    const kinds = new Int32Array(ids.length);
    const slots: (Slot | null)[] = new Array(ids.length).fill(null);
    const used = new Set<string>();
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const slot = this.fmtSlots.get(id);
      if (!slot || used.has(id)) { kinds[i] = K_SKIP; continue; }
      used.add(id);
      kinds[i] = slot.kind;
      slots[i] = slot;
    }
    m = { kinds, slots };
    if (this.formatCache.size < 1000) this.formatCache.set(key, m);
    return m;
  }

  /** `t[e7..b)` is the tab before FORMAT (or `e7 === b` for a line without FORMAT). */
  private parseGenotypes(t: Uint8Array, e7: number, b: number, row: number): void {
    const nS = this.nS;
    for (const s of this.fmtOrder) {
      if (s.kind === K_GT) this.calls!.grow(nS);
      else if (s.scalar) s.scalar.grow(nS);
      else s.list!.grow(nS);
    }
    if (e7 >= b) return;
    const f0 = e7 + 1;
    const f1 = tabAt(t, f0, b);
    const { kinds, slots } = this.mapping(t, f0, f1);
    const nk = kinds.length;
    const base = row * nS;
    let p = f1 + 1;
    let s = 0;
    for (; s < nS; s++) {
      if (p >= b) break;
      const e = base + s;
      let f = 0;
      for (;;) {
        const kind = f < nk ? kinds[f]! : -1;
        if (kind === K_GT) {
          p = this.parseGT(t, p, b, e);
        } else if (kind === K_SKIP) {
          while (p < b && t[p] !== COLON && t[p] !== TAB) p++;
        } else if (kind === -1) {
          const q = p;
          while (p < b && t[p] !== COLON && t[p] !== TAB) p++;
          if (nk > 0 || !isMissing(t, q, p)) this.invalid(`sample ${s + 1} has more fields than the FORMAT keys`);
        } else {
          const q = p;
          while (p < b && t[p] !== COLON && t[p] !== TAB) p++;
          this.parseValue(slots[f]!, t, q, p, e, "FORMAT");
        }
        if (p >= b || t[p] === TAB) break;
        p++;
        f++;
      }
      p++;
    }
    if (s < nS) this.invalid(`line has ${s} sample columns, the header has ${nS} samples`);
    else if (p < b) this.invalid(`line has more sample columns than the ${nS} samples of the header`);
  }

  /** Parses a GT value at `p` into element `e`; returns the position of its terminator. */
  private parseGT(t: Uint8Array, p: number, b: number, e: number): number {
    const calls = this.calls!;
    const child = calls.child;
    const start = child.n;
    // Fast path: one-digit diploid call ("0|1", "1/1") followed by ':' / tab / end of line.
    if (p + 3 <= b) {
      const a0 = t[p]! - 48;
      const sep = t[p + 1]!;
      const a1 = t[p + 2]! - 48;
      if (a0 >= 0 && a0 <= 9 && a1 >= 0 && a1 <= 9 && (sep === PIPE || sep === SLASH)) {
        const c3 = p + 3 < b ? t[p + 3]! : TAB;
        if (c3 === TAB || c3 === COLON) {
          if (start + 2 > child.a.length) child.ensure(start + 2);
          child.a[start] = a0;
          child.a[start + 1] = a1;
          child.n = start + 2;
          calls.set(e, sep === PIPE, 2);
          return p + 3;
        }
      }
    }
    let phased = false;
    let count = 0;
    let first = true;
    for (;;) {
      let v = 0;
      let nd = 0;
      let q = p;
      while (q < b) {
        const d = t[q]! - 48;
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
        nd++;
        q++;
      }
      let c = q < b ? t[q]! : TAB;
      if (nd > 0 && nd <= 9 && (c === SLASH || c === PIPE || c === COLON || c === TAB)) {
        child.push(v);
      } else if (nd === 0 && (c === SLASH || c === PIPE || c === COLON || c === TAB)) {
        // An empty allele ('0/', '/', '|1'): missing, but not a valid GT (bcftools rejects it).
        if (this.spec.stringency === "strict") {
          let r = p;
          while (r < b && t[r] !== COLON && t[r] !== TAB) r++;
          let g0 = r;
          while (g0 > 0 && t[g0 - 1] !== TAB && t[g0 - 1] !== COLON) g0--;
          this.invalid(`GT '${decodeString(t, g0, r)}' has an empty allele`);
        }
        child.push(-1);
      } else {
        // General token: '.', signs, spaces, or garbage.
        let r = q;
        while (r < b && t[r] !== SLASH && t[r] !== PIPE && t[r] !== COLON && t[r] !== TAB) r++;
        if (isMissing(t, p, r)) child.push(-1);
        else {
          // strict: an allele is digits only ('1.1', '+1' are not; bcftools rejects them)
          const x = this.spec.stringency === "strict" && !allDigits(t, p, r) ? undefined : parseInt32Bytes(t, p, r);
          if (x === undefined) {
            child.n = start;
            child.push(-1);
            calls.set(e, false, 1);
            this.invalid(`could not parse FORMAT field GT '${decodeString(t, p, Math.min(r, p + 40))}'`);
            while (r < b && t[r] !== COLON && t[r] !== TAB) r++;
            return r;
          }
          child.push(x);
        }
        q = r;
        c = q < b ? t[q]! : TAB;
      }
      count++;
      if (c === SLASH || c === PIPE) {
        if (first && c === PIPE) phased = true;
        first = false;
        q++;
        if (q >= b || t[q] === COLON || t[q] === TAB) {
          // a trailing separator ('0/'): not a valid GT (bcftools rejects it)
          if (this.spec.stringency === "strict") {
            let g0 = q - 1;
            while (g0 > 0 && t[g0 - 1] !== TAB && t[g0 - 1] !== COLON) g0--;
            this.invalid(`GT '${decodeString(t, g0, q)}' ends with a separator`);
          }
          p = q;
          break;
        }
        p = q;
        continue;
      }
      p = q;
      break;
    }
    calls.set(e, phased, count);
    return p;
  }

  /** The decoded batch (columns in schema order). */
  finish(): VariantBatch {
    const n = this.numRows;
    const columns: Record<string, Column> = {
      contigName: { type: "string", values: this.contig },
      start: { type: "long", values: this.start.finish() },
      end: { type: "long", values: this.end.finish() },
      names: this.names.finish(),
      referenceAllele: { type: "string", values: this.ref },
      alternateAlleles: this.alts.finish(),
      qual: this.qual.finish(),
      filters: this.filters.finish(),
      splitFromMultiAllelic: { type: "boolean", values: new Uint8Array(n) },
    };
    if (this.spec.flattenInfoFields) {
      for (const s of this.infoOrder) columns[`INFO_${s.id}`] = s.scalar ? s.scalar.finish() : s.list!.finish();
    } else {
      const offsets = new Int32Array(n + 1);
      for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + this.attrLens.a[i]!;
      columns["attributes"] = {
        type: "list",
        offsets,
        child: { type: "struct", fields: { key: { type: "string", values: this.attrKeys }, value: { type: "string", values: this.attrValues } } },
      };
    }
    const fields: Record<string, Column> = {};
    for (const s of this.fmtOrder) {
      if (s.kind === K_GT) {
        fields["phased"] = this.calls!.finishPhased();
        fields["calls"] = this.calls!.finishCalls();
      } else {
        fields[genotypeFieldNames(s.id)[0]!] = s.scalar ? s.scalar.finish() : s.list!.finish();
      }
    }
    columns["genotypes"] = { type: "genotypes", nSamples: this.nS, sampleIds: this.spec.sampleIds, fields };
    return { numRows: n, columns };
  }
}

/** Position of the next tab in `t[p..b)`, or `b`. */
function tabAt(t: Uint8Array, p: number, b: number): number {
  while (p < b && t[p] !== TAB) p++;
  return p;
}

/** Splits `t[a..b)` on `sep` into list element `e` (`.`/empty items are null; Glow's array rules). */
function splitStrings(t: Uint8Array, a: number, b: number, sep: number, list: ListBuilder, e: number): void {
  list.begin(e);
  let nullItems = 0;
  let p = a;
  while (p < b) {
    let q = p;
    while (q < b && t[q] !== sep) q++;
    if (isMissing(t, p, q)) { list.pushNull(); nullItems++; }
    else list.pushString(decodeString(t, p, q));
    p = q + 1;
  }
  list.end(nullItems);
}

/** The INFO END value of `t[a..b)` if present and valid. */
function scanInfoEnd(t: Uint8Array, a: number, b: number): number | undefined {
  let p = a;
  while (p < b) {
    let q = p;
    while (q < b && t[q] !== SEMI) q++;
    if (q - p > 4 && t[p] === 69 && t[p + 1] === 78 && t[p + 2] === 68 && t[p + 3] === EQ) {
      const v = parseLongBytes(t, p + 4, q);
      if (v !== undefined) return v;
    }
    p = q + 1;
  }
  return undefined;
}

