/**
 * Glow's `plink` data source: PLINK 1 `.bed` (SNP-major) with `{prefix}.bim` and `{prefix}.fam`.
 *
 * `plan` reads the `.fam` (sample ids), checks the `.bed` magic and size, and scans the `.bim` once
 * to cut fixed variant-count partitions, remembering where each one's `.bim` lines start. A worker
 * then reads only its `.bed` byte range (`3 + i * ceil(nSamples/4)`) and its `.bim` byte range.
 *
 * Output schema (Glow's `plinkSchema`): `contigName, names [snpId], position (cM), start (bp-1),
 * end (start + len(referenceAllele)), referenceAllele (= BIM allele 2),
 * alternateAlleles [BIM allele 1], genotypes<sampleId?, calls>`.
 *
 * @see Glow `core/src/main/scala/io/projectglow/plink/PlinkFileFormat.scala`
 */
import { readFileSync, existsSync, statSync } from "node:fs";
import { GlowtsError, asGlowtsError, optionError } from "../../core/errors.js";
import type { Column, Field, VariantBatch } from "../../core/column.js";
import { col } from "../../core/column.js";
import { expandPaths, readRange, RandomAccessFile } from "../files.js";
import type { FormatReader, PartitionSpec, PlanContext, SourcePlan } from "../../core/source.js";
import { bedBlockSize, bedExpectedSize, bedVariantOffset, checkBedMagic, decodeBedToCalls } from "./bed-codec.js";
import { lazyGenotypes, type EncodedGenotypes } from "../../core/column.js";

/** Decoder of the lazily decoded PLINK genotypes: `calls` from the packed bytes. */
export function decodePlinkCalls(e: EncodedGenotypes, nSamples: number): Record<string, Column> {
  return { calls: col.denseInts(decodeBedToCalls(e.bytes, nSamples, e.numRows), 2) };
}
import { parseBim, parseFam, WHITESPACE_DELIMITER } from "./text.js";
import { CONTIGS_METADATA, genotypeField, genotypesField, variantFields } from "../../core/schema.js";
import { PLINK_BED } from "../../core/encodings.js";

/** Options of the `plink` reader (Glow's names and defaults). */
export interface PlinkReadOptions {
  /** Include `sampleId` in each genotype. @defaultValue true */
  includeSampleIds: boolean;
  /** `.bim` field delimiter; `"whitespace"` splits on runs of spaces/tabs (PLINK's specification). @defaultValue "whitespace" (Glow: "\t") */
  bimDelimiter: string;
  /** `.fam` field delimiter; `"whitespace"` splits on runs of spaces/tabs (PLINK's specification). @defaultValue "whitespace" (Glow: " ") */
  famDelimiter: string;
  /** Sample id = `FID_IID` (true) or `IID` (false). @defaultValue true */
  mergeFidIid: boolean;
}

/** Glow's defaults for {@link PlinkReadOptions}. */
export const plinkDefaults: Readonly<PlinkReadOptions> = Object.freeze({
  includeSampleIds: true,
  bimDelimiter: WHITESPACE_DELIMITER,
  famDelimiter: WHITESPACE_DELIMITER,
  mergeFidIid: true,
});

/** Default target of packed `.bed` bytes per partition (decoded `calls` are 32x larger). */
export const PLINK_DEFAULT_BED_BYTES_PER_PARTITION = 1 << 20;
/** Upper bound on variants per partition when the target is derived from bytes. */
export const PLINK_MAX_VARIANTS_PER_PARTITION = 65536;

const CALLER = "read plink";

function parseBool(name: string, v: unknown): boolean {
  if (typeof v === "boolean") return v;
  if (typeof v === "string") {
    const l = v.trim().toLowerCase();
    if (l === "true") return true;
    if (l === "false") return false;
  }
  return optionError(CALLER, name, `must be [true, false]; provided: ${String(v)}`);
}

function parseDelimiter(name: string, v: unknown): string {
  if (typeof v !== "string" || v.length === 0) return optionError(CALLER, name, `must be a non-empty string; provided: ${String(v)}`);
  if (v === "\\t") return "\t";
  if (v.toLowerCase() === WHITESPACE_DELIMITER || v === "\\s+") return WHITESPACE_DELIMITER;
  if (v.includes("\n") || v.includes("\r")) return optionError(CALLER, name, "must not contain a newline");
  return v;
}

/** Fills Glow's defaults in and validates `plink` options (names are case-insensitive). */
export function normalizePlinkOptions(options: Record<string, unknown> = {}): PlinkReadOptions {
  const out: PlinkReadOptions = { ...plinkDefaults };
  const known: Record<string, keyof PlinkReadOptions> = {
    includesampleids: "includeSampleIds",
    bimdelimiter: "bimDelimiter",
    famdelimiter: "famDelimiter",
    mergefidiid: "mergeFidIid",
  };
  for (const [k, v] of Object.entries(options ?? {})) {
    if (v === undefined) continue;
    const key = known[k.toLowerCase()];
    if (!key) {
      optionError(CALLER, k, `is not a plink option; known: ${Object.values(known).join(", ")}`);
    }
    switch (key) {
      case "includeSampleIds":
      case "mergeFidIid":
        out[key] = parseBool(key, v);
        break;
      case "bimDelimiter":
      case "famDelimiter":
        out[key] = parseDelimiter(key, v);
        break;
    }
  }
  return out;
}

/** Glow's `{prefix}`: the `.bed` path minus its last 4 characters. */
export function plinkPrefix(bedPath: string): string {
  return bedPath.slice(0, Math.max(0, bedPath.length - 4));
}

/** A `plink` partition: a variant range of one `.bed` and the matching `.bim` byte range. */
export interface PlinkPartition extends PartitionSpec {
  bimPath: string;
  firstVariant: number;
  numVariants: number;
  nSamples: number;
  bimOffset: number;
  bimLength: number;
  /** 1-based line number of the first line in the `.bim` range. */
  bimFirstLine: number;
}

/** Plain data shared by all partitions of a plan. */
export interface PlinkMeta {
  sampleIds: string[] | null;
  nSamples: number;
}

/** Glow's PLINK schema. */
export function plinkSchema(includeSampleIds: boolean): Field[] {
  const g: Field[] = [];
  if (includeSampleIds) g.push(genotypeField("sampleId"));
  g.push(genotypeField("calls"));
  return [
    ...variantFields("contigName", "names", "position", "start", "end", "referenceAllele", "alternateAlleles"),
    genotypesField(g),
  ];
}

function requireFile(file: string, what: string, bed: string): void {
  let ok = false;
  try { ok = existsSync(file) && statSync(file).isFile(); } catch { ok = false; }
  if (!ok) {
    throw new GlowtsError("FILE_NOT_FOUND", `PLINK ${what} file not found (Glow reads {prefix}${what} next to ${bed})`, { file });
  }
}

/** Reads and validates the `.bed` header. */
function checkBedHeader(bed: string): number {
  const f = new RandomAccessFile(bed);
  try {
    const head = f.read(0, 3);
    const status = checkBedMagic(head);
    if (status === "individual-major") {
      throw new GlowtsError("PLINK_BED", "individual-major (sample-major) .bed files are not supported; convert with `plink --bfile x --make-bed`", { file: bed, record: "byte 2" });
    }
    if (status !== "snp-major") {
      const got = [...head].map((b) => b.toString(16).padStart(2, "0")).join(" ");
      throw new GlowtsError("PLINK_BED", `Magic bytes were not 6c 1b 01 (got '${got}'); this is not a variant-major PLINK 1 .bed`, { file: bed, record: "byte 0" });
    }
    return f.size;
  } finally {
    f.close();
  }
}

/** Where the `.bim` records start: one entry per partition boundary. */
interface BimCut {
  offset: number;
  line: number;
}

/**
 * Scans a `.bim` once, counting records (non-blank, non-`#` lines) and noting the byte offset and
 * line number of every `step`-th record.
 */
function scanBim(bim: string, step: number): { count: number; cuts: BimCut[]; size: number; contigs: string[] } {
  const f = new RandomAccessFile(bim);
  try {
    const cuts: BimCut[] = [];
    // The contig names (first field, at most 256 bytes), in first-seen order, for ##contig lines of VCF writers.
    const contigs = new Set<string>();
    let last = new Uint8Array(0); // the previous record's contig bytes
    let count = 0;
    let line = 1;
    // whole lines a chunk at a time (newlines found by indexOf); a line longer than the chunk doubles it
    let chunk = 1 << 22;
    let pos = 0;
    const record = (buf: Uint8Array, s: number, e: number): void => {
      let j = s;
      while (j < e && (buf[j] === 0x20 || buf[j] === 0x09 || buf[j] === 0x0d)) j++;
      if (j === e || buf[j] === 0x23 /* # */) return;
      if (count % step === 0) cuts.push({ offset: pos + s, line });
      count++;
      let k = j;
      while (k < e && k - j < 256 && buf[k] !== 0x20 && buf[k] !== 0x09 && buf[k] !== 0x0d) k++;
      let same = k - j === last.length;
      for (let t = 0; same && t < last.length; t++) same = buf[j + t] === last[t];
      if (!same) {
        last = buf.slice(j, k);
        contigs.add(String.fromCharCode(...last));
      }
    };
    while (pos < f.size) {
      const buf = f.read(pos, chunk);
      const final = pos + buf.length >= f.size;
      let s = 0;
      for (;;) {
        const e = buf.indexOf(0x0a, s);
        if (e < 0) break;
        record(buf, s, e);
        line++;
        s = e + 1;
      }
      if (final) {
        if (s < buf.length) record(buf, s, buf.length);
        break;
      }
      if (s === 0) chunk *= 2;
      pos += s;
    }
    return { count, cuts, size: f.size, contigs: [...contigs] };
  } finally {
    f.close();
  }
}

function variantsPerPartition(context: PlanContext, blockSize: number): number {
  const v = context.variantsPerPartition;
  if (v !== undefined) {
    if (!Number.isFinite(v) || v < 1) throw new GlowtsError("OPTION", `${CALLER}: variantsPerPartition must be >= 1, got ${v}`, { option: "variantsPerPartition" });
    return Math.floor(v);
  }
  const bytes = context.bytesPerPartition ?? PLINK_DEFAULT_BED_BYTES_PER_PARTITION;
  return Math.max(1, Math.min(PLINK_MAX_VARIANTS_PER_PARTITION, Math.floor(bytes / Math.max(1, blockSize))));
}

function sameIds(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Keeps the `.bed` files of a path list; companions (`x.bim`/`x.fam` next to a listed `x.bed`) are dropped. */
function selectBeds(paths: string[]): string[] {
  const beds = paths.filter((p) => p.toLowerCase().endsWith(".bed"));
  if (beds.length === 0) return paths; // like Glow: every path is taken as a .bed (and checked)
  const prefixes = new Set(beds.map(plinkPrefix));
  return paths.filter((p) => p.toLowerCase().endsWith(".bed") || !prefixes.has(plinkPrefix(p)));
}

async function planPlink(paths: string[], options: PlinkReadOptions, context: PlanContext): Promise<SourcePlan> {
  const beds = selectBeds(expandPaths(paths, CALLER));
  let sampleIds: string[] | null = null;
  let firstFam = "";
  const partitions: PlinkPartition[] = [];
  const contigs = new Set<string>();
  for (const bed of beds) {
    const prefix = plinkPrefix(bed);
    const bim = `${prefix}.bim`;
    const fam = `${prefix}.fam`;
    const bedSize = checkBedHeader(bed);
    requireFile(fam, ".fam", bed);
    requireFile(bim, ".bim", bed);
    let famText: string;
    try { famText = readFileSync(fam, "utf8"); } catch (e) { throw asGlowtsError(e, "FILE_NOT_FOUND", { file: fam }); }
    const samples = parseFam(famText, { delimiter: options.famDelimiter, mergeFidIid: options.mergeFidIid, file: fam });
    if (sampleIds === null) {
      sampleIds = samples.sampleIds;
      firstFam = fam;
    } else if (!sameIds(sampleIds, samples.sampleIds)) {
      throw new GlowtsError("SAMPLE_MISMATCH", `${CALLER}: the samples differ from those of ${firstFam}; all files of one frame must share one sample list`, { file: fam });
    }
    const nSamples = samples.sampleIds.length;
    const blockSize = bedBlockSize(nSamples);
    const step = variantsPerPartition(context, blockSize);
    const scan = scanBim(bim, step);
    for (const c of scan.contigs) contigs.add(c);
    const expected = bedExpectedSize(scan.count, nSamples);
    if (bedSize !== expected) {
      const full = blockSize > 0 ? Math.floor((bedSize - 3) / blockSize) : 0;
      const what = bedSize < expected ? "truncated" : "longer than expected";
      throw new GlowtsError(
        "PLINK_BED",
        `.bed is ${what}: ${bedSize} bytes, expected 3 + ${scan.count} variants (.bim) x ${blockSize} bytes (${nSamples} samples in .fam) = ${expected}` +
          (bedSize < expected ? `; it holds ${full} complete variant block(s)` : ""),
        { file: bed, record: bedSize < expected ? `variant ${full} (offset ${bedVariantOffset(full, nSamples)})` : `offset ${expected}` },
      );
    }
    for (let p = 0; p < scan.cuts.length; p++) {
      const cut = scan.cuts[p]!;
      const next = scan.cuts[p + 1];
      const firstVariant = p * step;
      const numVariants = Math.min(step, scan.count - firstVariant);
      partitions.push({
        path: bed,
        describe: `variants ${firstVariant}..${firstVariant + numVariants - 1}`,
        estimatedRows: numVariants,
        bimPath: bim,
        firstVariant,
        numVariants,
        nSamples,
        bimOffset: cut.offset,
        bimLength: (next ? next.offset : scan.size) - cut.offset,
        bimFirstLine: cut.line,
      });
    }
  }
  const ids = options.includeSampleIds ? sampleIds ?? [] : null;
  const meta: PlinkMeta = { sampleIds: ids, nSamples: sampleIds?.length ?? 0 };
  const schema = plinkSchema(options.includeSampleIds);
  if (contigs.size > 0) schema[0] = { ...schema[0]!, metadata: { [CONTIGS_METADATA]: [...contigs].map((c) => `<ID=${c}>`).join("\n") } };
  return { schema, sampleIds: ids, partitions, meta };
}

const decoder = new TextDecoder("utf-8");

/**
 * Decodes one partition into a VariantBatch (worker side): reads the partition's `.bed` bytes and
 * `.bim` lines only.
 */
export function readPlinkPartition(partition: PartitionSpec, meta: unknown, _options?: PlinkReadOptions): VariantBatch {
  const p = partition as PlinkPartition;
  const m = meta as PlinkMeta;
  const opts = _options ?? plinkDefaults;
  const nSamples = p.nSamples;
  const blockSize = bedBlockSize(nSamples);
  const n = p.numVariants;
  const offset = bedVariantOffset(p.firstVariant, nSamples);
  const bytes = readRange(p.path, offset, n * blockSize);
  if (bytes.length !== n * blockSize) {
    const full = blockSize > 0 ? Math.floor(bytes.length / blockSize) : 0;
    throw new GlowtsError("PLINK_BED", `.bed is truncated: variant block ${p.firstVariant + full} ends past the end of the file`, {
      file: p.path,
      record: `variant ${p.firstVariant + full} (offset ${offset + full * blockSize})`,
    });
  }
  const bimText = decoder.decode(readRange(p.bimPath, p.bimOffset, p.bimLength));
  const bim = parseBim(bimText, { delimiter: opts.bimDelimiter, firstLine: p.bimFirstLine, file: p.bimPath, expected: n });

  const start = new Float64Array(n);
  const end = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    start[i] = bim.basePair[i]! - 1;
    end[i] = start[i]! + bim.allele2[i]!.length;
  }
  // Calls are decoded only if something reads them: genotypeStates reads the packed bytes directly.
  const genotypes: Column = lazyGenotypes(nSamples, m.sampleIds, { kind: PLINK_BED, bytes, bytesPerVariant: bedBlockSize(nSamples), numRows: n }, decodePlinkCalls);
  return {
    numRows: n,
    columns: {
      contigName: col.strings(bim.contigName),
      names: { type: "list", child: col.strings(bim.variantId), width: 1 },
      position: col.doubles(bim.position),
      start: col.longs(start),
      end: col.longs(end),
      referenceAllele: col.strings(bim.allele2),
      alternateAlleles: { type: "list", child: col.strings(bim.allele1), width: 1 },
      genotypes,
    },
  };
}

/**
 * The `plink` format reader (Glow's `spark.read.format("plink")`).
 *
 * @returns rows with columns `contigName`, `names`, `position`, `start`, `end`, `referenceAllele`,
 *   `alternateAlleles`, `genotypes` (`sampleId` if `includeSampleIds`, `calls`).
 */
export const plinkReader: FormatReader<PlinkReadOptions> = {
  format: "plink",
  normalizeOptions: normalizePlinkOptions,
  plan: planPlink,
  readPartition: (partition, meta, options) => {
    try {
      return readPlinkPartition(partition, meta, options);
    } catch (e) {
      throw asGlowtsError(e, "PLINK_BED", { file: partition.path });
    }
  },
};
