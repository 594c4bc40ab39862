/**
 * BGEN 1.2 output (`frame.write("bgen" | "bigbgen", path)`, Glow's `bigbgen`): one file, layout 2,
 * zlib (default), zstd or no compression, 8/16/32 bits per probability (Glow's default 16), with the
 * sample identifier block, and a bgenix `.bgi` index (SQLite) on request.
 *
 * Per sample: `posteriorProbabilities` when present (unphased: one per genotype in colex order;
 * phased: one per allele of each haplotype; empty = missing), else hard probabilities from `calls`
 * (a call with -1 is missing). Ploidy comes from `ploidy`, else the number of calls or of
 * probabilities (unphased, biallelic up to `maximumInferredPloidy`), else `defaultInferredPloidy`;
 * phasing from `phased`, else `defaultInferredPhasing`. Probabilities are quantized as the BGEN
 * reference does: each scaled to 2^bits − 1, rounded down, and the remainder given to the largest
 * fractional parts so that each sample's values sum exactly. Variant ids: `names[0]` and `names[1]`
 * (rsid; `names[0]` again when there is one name).
 */
import { deflateSync } from "node:zlib";
import { GlowtsError } from "../../core/errors.js";
import type { Column, GenotypesColumn, VariantBatch } from "../../core/column.js";
import { listRange } from "../../core/column.js";
import { AtomicFile } from "./atomic.js";
import type { FormatWriter, PartSink, SerializedPart, WriteContext } from "./part.js";
import { ByteSink } from "./part.js";
import { genotypesOf } from "./plink.js";

/** Options of the BGEN writer (Glow's names and defaults). */
export interface BgenWriteOptions {
  /** @defaultValue 16 */
  bitsPerProbability?: 8 | 16 | 32;
  /** @defaultValue "zlib" */
  compression?: "zlib" | "zstd" | "none";
  /** zlib/zstd level. @defaultValue 6 (zlib), 3 (zstd) */
  compressionLevel?: number;
  /** Also write `<path>.bgi` (bgenix's SQLite index). @defaultValue false */
  bgenIndex?: boolean;
  /** @defaultValue 10 */
  maximumInferredPloidy?: number;
  /** @defaultValue 2 */
  defaultInferredPloidy?: number;
  /** @defaultValue false */
  defaultInferredPhasing?: boolean;
}

interface BgenEncodeOptions {
  bits: number;
  compression: "zlib" | "zstd" | "none";
  level: number;
  index: boolean;
  maxPloidy: number;
  defaultPloidy: number;
  defaultPhasing: boolean;
}

/** Validates options and fills in Glow's defaults. */
export function normalizeBgenWriteOptions(o: Record<string, unknown>): BgenEncodeOptions {
  const known = ["bitsPerProbability", "compression", "compressionLevel", "bgenIndex", "maximumInferredPloidy", "defaultInferredPloidy", "defaultInferredPhasing"];
  for (const k of Object.keys(o)) if (!known.includes(k)) throw new GlowtsError("OPTION", `write bgen: unknown option '${k}' (known: ${known.join(", ")})`, { option: k });
  const bits = Number(o["bitsPerProbability"] ?? 16);
  if (![8, 16, 32].includes(bits)) throw new GlowtsError("OPTION", `write bgen: bitsPerProbability must be 8, 16 or 32, got ${String(o["bitsPerProbability"])}`, { option: "bitsPerProbability" });
  const compression = String(o["compression"] ?? "zlib").toLowerCase();
  if (!["zlib", "zstd", "none"].includes(compression)) throw new GlowtsError("OPTION", `write bgen: compression must be 'zlib', 'zstd' or 'none', got ${String(o["compression"])}`, { option: "compression" });
  const int = (k: string, d: number, lo: number, hi: number): number => {
    const v = o[k] ?? d;
    if (!Number.isInteger(v) || (v as number) < lo || (v as number) > hi) throw new GlowtsError("OPTION", `write bgen: ${k} must be an integer in ${lo}..${hi}, got ${String(v)}`, { option: k });
    return v as number;
  };
  return {
    bits,
    compression: compression as BgenEncodeOptions["compression"],
    level: int("compressionLevel", compression === "zstd" ? 3 : 6, 0, 22),
    index: Boolean(o["bgenIndex"] ?? false),
    maxPloidy: int("maximumInferredPloidy", 10, 1, 63),
    defaultPloidy: int("defaultInferredPloidy", 2, 1, 63),
    defaultPhasing: Boolean(o["defaultInferredPhasing"] ?? false),
  };
}

/** C(ploidy + K − 1, K − 1): the number of unphased genotypes. */
function genotypeCount(ploidy: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= ploidy; i++) c = (c * (k - 1 + i)) / i;
  return Math.round(c);
}

/** Ploidy Z with C(Z+K−1, K−1) = count (unphased), or -1. */
function ploidyForCount(count: number, k: number, max: number): number {
  for (let z = 1; z <= max; z++) if (genotypeCount(z, k) === count) return z;
  return -1;
}

interface Fields {
  probs: Column | undefined;
  calls: Column | undefined;
  ploidy: Column | undefined;
  phased: Column | undefined;
}

function ints(c: Column | undefined, e: number): number | null {
  if (!c || (c.type !== "int" && c.type !== "long" && c.type !== "double") || (c.nulls && c.nulls[e])) return null;
  return c.values[e]!;
}

let zstd: { compress(b: Uint8Array, level: number): Uint8Array } | null = null;

async function zstdCompressor(): Promise<{ compress(b: Uint8Array, level: number): Uint8Array }> {
  if (!zstd) {
    const m = await import("@bokuweb/zstd-wasm");
    await m.init();
    zstd = { compress: (b, level) => m.compress(b, level) };
  }
  return zstd;
}

/** Quantizes one probability vector (sum ≈ 1) to integers summing to `max`, as the BGEN reference. */
function quantize(p: ArrayLike<number>, from: number, n: number, max: number, out: Float64Array): void {
  let sum = 0;
  const frac = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const v = Math.max(0, p[from + j]!) * max;
    const r = Math.round(v);
    const fl = Math.abs(v - r) < 1e-7 ? r : Math.floor(v);
    out[j] = fl;
    frac[j] = v - fl;
    sum += fl;
  }
  let rest = max - sum;
  while (rest > 0) {
    let best = -1;
    for (let j = 0; j < n; j++) if (best < 0 || frac[j]! > frac[best]!) best = j;
    out[best]! += 1; frac[best] = -1; rest--;
  }
  while (rest < 0) {
    let best = -1;
    for (let j = 0; j < n; j++) if (out[j]! > 0 && (best < 0 || frac[j]! < frac[best]!)) best = j;
    if (best < 0) break;
    out[best]! -= 1; frac[best] = 2; rest++;
  }
}

/** The probability block (uncompressed) of one variant. */
function probabilityBlock(g: GenotypesColumn, f: Fields, row: number, k: number, o: BgenEncodeOptions, who: string): Uint8Array {
  const ns = g.nSamples;
  const max = o.bits === 32 ? 4294967295 : (1 << o.bits) - 1;
  const ploidy = new Int32Array(ns);
  const missing = new Uint8Array(ns);
  let phased = o.defaultPhasing;
  if (f.phased && f.phased.type === "boolean" && ns > 0) phased = f.phased.values[row * ns] === 1;
  for (let s = 0; s < ns; s++) {
    const e = row * ns + s;
    let z = ints(f.ploidy, e);
    let nProbs = -1;
    if (f.probs && f.probs.type === "list") {
      const [a, b] = listRange(f.probs, e);
      nProbs = f.probs.nulls && f.probs.nulls[e] ? 0 : b - a;
      if (nProbs === 0) missing[s] = 1;
    } else if (f.calls && f.calls.type === "list") {
      const [a, b] = listRange(f.calls, e);
      if (z === null) z = b - a;
      for (let j = a; j < b; j++) if ((f.calls.child as { values: Int32Array }).values[j]! < 0) missing[s] = 1;
      if (b === a) missing[s] = 1;
    }
    if ((z === null || z <= 0) && nProbs > 0) z = phased ? nProbs / k : ploidyForCount(nProbs, k, o.maxPloidy);
    if (z === null || z <= 0 || !Number.isInteger(z)) z = o.defaultPloidy;
    if (z > 63) throw new GlowtsError("WRITE", `${who}: ploidy ${z} of sample ${g.sampleIds?.[s] ?? s} is above BGEN's 63`);
    if (nProbs > 0 && nProbs !== (phased ? z * k : genotypeCount(z, k))) {
      throw new GlowtsError("WRITE", `${who}: sample ${g.sampleIds?.[s] ?? s} has ${nProbs} probabilities, expected ${phased ? z * k : genotypeCount(z, k)} for ploidy ${z}, ${k} alleles${phased ? ", phased" : ""}`);
    }
    ploidy[s] = z;
  }
  let pmin = 63, pmax = 0, stored = 0;
  for (let s = 0; s < ns; s++) {
    const z = ploidy[s]!;
    if (z < pmin) pmin = z;
    if (z > pmax) pmax = z;
    stored += phased ? z * (k - 1) : genotypeCount(z, k) - 1;
  }
  if (ns === 0) { pmin = o.defaultPloidy; pmax = o.defaultPloidy; }
  const bytes = o.bits / 8;
  const out = new Uint8Array(10 + ns + stored * bytes);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, ns, true);
  dv.setUint16(4, k, true);
  out[6] = pmin; out[7] = pmax;
  for (let s = 0; s < ns; s++) out[8 + s] = ploidy[s]! | (missing[s] ? 0x80 : 0);
  out[8 + ns] = phased ? 1 : 0;
  out[9 + ns] = o.bits;
  let p = 10 + ns;
  const q = new Float64Array(Math.max(k, genotypeCount(pmax, k)));
  const hard = new Float64Array(q.length);
  const put = (v: number): void => {
    if (bytes === 1) out[p] = v; else if (bytes === 2) dv.setUint16(p, v, true); else dv.setUint32(p, v, true);
    p += bytes;
  };
  for (let s = 0; s < ns; s++) {
    const e = row * ns + s;
    const z = ploidy[s]!;
    const groups = phased ? z : 1;
    const width = phased ? k : genotypeCount(z, k);
    if (missing[s]) { for (let j = 0; j < groups * (width - 1); j++) put(0); continue; }
    let src: ArrayLike<number>;
    let base: number;
    if (f.probs && f.probs.type === "list") {
      src = (f.probs.child as { values: Float64Array }).values;
      base = listRange(f.probs, e)[0];
    } else {
      // hard probabilities from the calls
      const calls = f.calls as { child: { values: Int32Array } } & Column;
      const [a] = listRange(calls as never, e);
      const cv = calls.child.values;
      hard.fill(0);
      if (phased) for (let h = 0; h < z; h++) hard[h * k + cv[a + h]!] = 1;
      else if (z === 1) hard[cv[a]!] = 1;
      else if (z === 2) { const x = Math.min(cv[a]!, cv[a + 1]!), y = Math.max(cv[a]!, cv[a + 1]!); hard[(y * (y + 1)) / 2 + x] = 1; }
      else throw new GlowtsError("WRITE", `${who}: writing hard calls of ploidy ${z} needs posteriorProbabilities`);
      src = hard; base = 0;
    }
    for (let h = 0; h < groups; h++) {
      quantize(src, base + h * width, width, max, q);
      for (let j = 0; j < width - 1; j++) put(q[j]!);
    }
  }
  return out;
}

function strField(b: VariantBatch, name: string, who: string): (string | null)[] {
  const c = b.columns[name];
  if (!c || c.type !== "string") throw new GlowtsError("WRITE", `${who}: the frame needs a string column '${name}'`);
  return c.values;
}

/** Index rows of a part for `.bgi` (offsets relative to the part). */
interface BgenPartInfo {
  nSamples: number;
  sampleIds: string[] | null;
  index?: { chromosome: string[]; position: number[]; rsid: string[]; nAlleles: number[]; allele1: string[]; allele2: (string | null)[]; offset: number[]; size: number[] };
}

/** Encodes a partition's variant blocks. Runs in the workers. */
export async function encodeBgenPart(b: VariantBatch, options: Record<string, unknown>): Promise<SerializedPart> {
  const o = options as unknown as BgenEncodeOptions;
  const who = "write bgen";
  const g = genotypesOf(b);
  if (!g) throw new GlowtsError("WRITE", `${who}: the frame has no genotypes column`);
  const f: Fields = { probs: g.fields["posteriorProbabilities"], calls: g.fields["calls"], ploidy: g.fields["ploidy"], phased: g.fields["phased"] };
  if (!f.probs && !f.calls) throw new GlowtsError("WRITE", `${who}: genotypes need posteriorProbabilities or calls`);
  const contig = strField(b, "contigName", who);
  const ref = strField(b, "referenceAllele", who);
  const startCol = b.columns["start"];
  if (!startCol || (startCol.type !== "long" && startCol.type !== "int" && startCol.type !== "double")) throw new GlowtsError("WRITE", `${who}: the frame needs a 'start' column`);
  const alts = b.columns["alternateAlleles"];
  const names = b.columns["names"];
  const z = o.compression === "zstd" ? await zstdCompressor() : null;
  const out = new ByteSink(1 << 16);
  const enc = new TextEncoder();
  const index: NonNullable<BgenPartInfo["index"]> | undefined = o.index ? { chromosome: [], position: [], rsid: [], nAlleles: [], allele1: [], allele2: [], offset: [], size: [] } : undefined;
  const u16 = (v: number): void => { out.byte(v & 255); out.byte((v >>> 8) & 255); };
  const u32 = (v: number): void => { out.byte(v & 255); out.byte((v >>> 8) & 255); out.byte((v >>> 16) & 255); out.byte((v >>> 24) & 255); };
  const str16 = (s: string): void => { const e = enc.encode(s); if (e.length > 65535) throw new GlowtsError("WRITE", `${who}: identifier longer than 65535 bytes`); u16(e.length); out.bytes(e); };
  const str32 = (s: string): void => { const e = enc.encode(s); u32(e.length); out.bytes(e); };
  for (let i = 0; i < b.numRows; i++) {
    const alleles = [ref[i] ?? "N"];
    if (alts && alts.type === "list" && alts.child.type === "string") {
      const [lo, hi] = listRange(alts, i);
      for (let j = lo; j < hi; j++) alleles.push(alts.child.values[j] ?? ".");
    }
    let id = "", rsid = "";
    if (names && names.type === "list" && names.child.type === "string" && !(names.nulls && names.nulls[i])) {
      const [lo, hi] = listRange(names, i);
      if (hi > lo) { id = names.child.values[lo] ?? ""; rsid = hi - lo > 1 ? names.child.values[lo + 1] ?? "" : id; }
    }
    const pos = startCol.values[i]! + 1;
    const at = out.length;
    str16(id); str16(rsid); str16(contig[i] ?? ""); u32(pos);
    if (alleles.length > 65535) throw new GlowtsError("WRITE", `${who}: too many alleles`);
    u16(alleles.length);
    for (const a of alleles) str32(a);
    const block = probabilityBlock(g, f, i, alleles.length, o, who);
    if (o.compression === "none") { u32(block.length); out.bytes(block); }
    else {
      const comp = z ? z.compress(block, o.level) : deflateSync(block, { level: o.level });
      u32(comp.length + 4); u32(block.length); out.bytes(comp);
    }
    if (index) {
      index.chromosome.push(contig[i] ?? ""); index.position.push(pos); index.rsid.push(rsid); index.nAlleles.push(alleles.length);
      index.allele1.push(alleles[0]!); index.allele2.push(alleles[1] ?? null); index.offset.push(at); index.size.push(out.length - at);
    }
  }
  const info: BgenPartInfo = { nSamples: g.nSamples, sampleIds: options["sendSampleIds"] ? g.sampleIds : null, ...(index ? { index } : {}) };
  return { numRows: b.numRows, streams: { data: out.finish() }, info };
}

/** The bgenix `.bgi` index (SQLite) for the variants written. */
async function bgiBytes(bgenPath: string, rows: NonNullable<BgenPartInfo["index"]>, firstBytes: Uint8Array, fileSize: number): Promise<Uint8Array> {
  const { default: initSqlJs } = await import("sql.js");
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  try {
    db.run("CREATE TABLE Metadata (filename TEXT NOT NULL, file_size INT NOT NULL, last_write_time INT NOT NULL, first_1000_bytes BLOB NOT NULL, index_creation_time INT NOT NULL)");
    db.run("CREATE TABLE Variant (chromosome TEXT NOT NULL, position INT NOT NULL, rsid TEXT NOT NULL, number_of_alleles INT NOT NULL, allele1 TEXT NOT NULL, allele2 TEXT NULL, file_start_position INT NOT NULL, size_in_bytes INT NOT NULL, PRIMARY KEY (chromosome, position, rsid, allele1, allele2, file_start_position)) WITHOUT ROWID");
    const now = Math.floor(Date.now() / 1000);
    db.run("INSERT INTO Metadata VALUES (?, ?, ?, ?, ?)", [bgenPath.split("/").pop()!, fileSize, now, firstBytes.slice(0, 1000), now]);
    db.run("BEGIN");
    const st = db.prepare("INSERT INTO Variant VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    try {
      for (let i = 0; i < rows.position.length; i++) {
        st.run([rows.chromosome[i]!, rows.position[i]!, rows.rsid[i]!, rows.nAlleles[i]!, rows.allele1[i]!, rows.allele2[i] ?? null, rows.offset[i]!, rows.size[i]!]);
      }
    } finally { st.free(); }
    db.run("COMMIT");
    return db.export();
  } finally {
    db.close();
  }
}

/** Header and sample identifier block (none when there are no sample ids). */
function bgenHead(nVariants: number, nSamples: number, sampleIds: string[] | null, o: BgenEncodeOptions): Uint8Array {
  const enc = new TextEncoder();
  const ids = (sampleIds ?? []).map((s) => enc.encode(s));
  const sampleBlockLen = sampleIds ? 8 + ids.reduce((a, b) => a + 2 + b.length, 0) : 0;
  const headerLen = 20;
  const out = new Uint8Array(4 + headerLen + sampleBlockLen);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, headerLen + sampleBlockLen, true);
  dv.setUint32(4, headerLen, true);
  dv.setUint32(8, nVariants, true);
  dv.setUint32(12, nSamples, true);
  out.set([0x62, 0x67, 0x65, 0x6e], 16); // "bgen"
  const comp = o.compression === "zlib" ? 1 : o.compression === "zstd" ? 2 : 0;
  dv.setUint32(20, (comp | (2 << 2) | (sampleIds ? 0x80000000 : 0)) >>> 0, true);
  if (!sampleIds) return out;
  let p = 24;
  dv.setUint32(p, sampleBlockLen, true);
  dv.setUint32(p + 4, sampleIds.length, true);
  p += 8;
  for (const id of ids) { dv.setUint16(p, id.length, true); out.set(id, p + 2); p += 2 + id.length; }
  return out;
}

/** The calling-thread side of the BGEN writer. */
export const bgenWriter: FormatWriter = {
  prepare(ctx: WriteContext) {
    const o = normalizeBgenWriteOptions(ctx.options);
    const file = new AtomicFile(ctx.path);
    let sampleIds = ctx.sampleIds;
    let nSamples: number | null = null;
    let bgi: AtomicFile | undefined;
    let count = 0;
    let first = new Uint8Array(0);
    const keepFirst = (b: Uint8Array): void => {
      if (first.length >= 1000) return;
      const n = Math.min(1000 - first.length, b.length);
      const x = new Uint8Array(first.length + n);
      x.set(first); x.set(b.subarray(0, n), first.length);
      first = x;
    };
    const index: NonNullable<BgenPartInfo["index"]> = { chromosome: [], position: [], rsid: [], nAlleles: [], allele1: [], allele2: [], offset: [], size: [] };
    const writeHead = (ns: number): void => {
      if (sampleIds && sampleIds.length !== ns) throw new GlowtsError("WRITE", `write bgen: ${sampleIds.length} sample ids for ${ns} samples`, { file: ctx.path });
      const head = bgenHead(0, ns, sampleIds, o);
      keepFirst(head);
      file.write(head);
    };
    const sink: PartSink = {
      append(part) {
        const info = part.info as BgenPartInfo;
        if (!sampleIds && info.sampleIds) sampleIds = info.sampleIds;
        if (nSamples === null) { nSamples = info.nSamples; writeHead(nSamples); }
        else if (part.numRows > 0 && info.nSamples !== nSamples) throw new GlowtsError("WRITE", `write bgen: a partition has ${info.nSamples} samples, expected ${nSamples}`, { file: ctx.path });
        const base = file.bytesWritten;
        file.write(part.streams["data"]!);
        keepFirst(part.streams["data"]!);
        count += part.numRows;
        if (o.index && info.index) {
          const x = info.index;
          for (let i = 0; i < x.position.length; i++) {
            index.chromosome.push(x.chromosome[i]!); index.position.push(x.position[i]!); index.rsid.push(x.rsid[i]!); index.nAlleles.push(x.nAlleles[i]!);
            index.allele1.push(x.allele1[i]!); index.allele2.push(x.allele2[i] ?? null); index.offset.push(base + x.offset[i]!); index.size.push(x.size[i]!);
          }
        }
      },
      async commit() {
        if (nSamples === null) writeHead(sampleIds?.length ?? 0);
        const b = new Uint8Array(4);
        new DataView(b.buffer).setUint32(0, count, true);
        file.writeAt(8, b);
        if (!o.index) { file.commit(); return; }
        if (first.length >= 12) first.set(b, 8);
        bgi = new AtomicFile(`${ctx.path}.bgi`);
        bgi.write(await bgiBytes(ctx.path, index, first, file.bytesWritten));
        file.commit();
        bgi.commit();
      },
      abort() { file.abort(); bgi?.abort(); },
    };
    return { spec: { encoder: "bgen", options: { ...o, sendSampleIds: ctx.sampleIds === null } as unknown as Record<string, unknown> }, sink };
  },
};
