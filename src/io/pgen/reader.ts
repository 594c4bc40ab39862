/**
 * The `pgen` data source: PLINK 2 `.pgen` with `{prefix}.pvar` (or `.pvar.zst`) and `{prefix}.psam` (or the `.bim`
 * and `.fam` of `plink2 --make-bpgen`) (glowts' addition; Glow v1 has no PGEN reader, REGENIE and
 * PLINK 2 read it).
 *
 * `plan` reads the `.psam` (sample ids), the `.pgen` header (record types, lengths and offsets,
 * which make random access cheap) and scans the `.pvar` once to cut variant-range partitions. A
 * worker reads its records (from the last non-LD-compressed record before the range, the reference
 * of LD-compressed records) and its `.pvar` lines.
 *
 * Output schema: `contigName, start (POS-1), end (start + len(REF)), names [ID], referenceAllele
 * (REF), alternateAlleles (ALT), [qual, filters] when the .pvar has QUAL/FILTER, [position] (cM)
 * when it has CM, INFO_<key> per `##INFO` line when it has INFO, genotypes<sampleId?, calls,
 * dosage?>`. PLINK 2's REF/ALT are the real REF/ALT (unlike PLINK 1's A1/A2). `dosage` (ALT allele
 * dosage in [0, 2], null when missing) is present when some record stores dosages; samples without
 * a stored dosage get their hard call's. Hard calls are kept in PLINK 1 `.bed` codes (`PLINK_BED`),
 * so `genotypeStates` and the GWAS kernels read the packed bytes directly (for a multiallelic
 * variant the codes count non-REF alleles, Glow's `genotype_states`); calls involving ALT2 or later
 * (the multiallelic track) are applied when `calls` is decoded. Hard-call phase and phased dosages
 * are read past (calls are unphased, alleles in increasing order).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { GlowtsError, asGlowtsError, optionError } from "../../core/errors.js";
import type { Column, Field, VariantBatch } from "../../core/column.js";
import { col, lazyGenotypes, type EncodedGenotypes } from "../../core/column.js";
import type { FormatReader, PartitionSpec, PlanContext, SourcePlan } from "../../core/source.js";
import { CONTIGS_METADATA, genotypeField, genotypesField, variantFields } from "../../core/schema.js";
import { PLINK_BED } from "../../core/encodings.js";
// fzstd for .pvar.zst: plink2 writes it as streamed zstd frames without a content size, which the
// BGEN decoder's libzstd path (io/bgen/decompress.ts, exact sizes only) does not take. A corrupt
// .pvar.zst fails the text parse or the variant count check against the .pgen.
import { decompress as zstdDecompress } from "fzstd";
import { expandPaths, readRange, RandomAccessFile } from "../files.js";
import { decodeBedToCalls } from "../plink/bed-codec.js";
import { hasDosage, isLdCompressed, parsePgenHeader, PgenFormatError, PgenRecordDecoder } from "./codec.js";
import { infoFieldName, parsePsam, parsePvarHeader, parsePvarRecords, type PvarLayout } from "./text.js";

/** Options of the `pgen` reader (the `plink` reader's names and defaults). */
export interface PgenReadOptions {
  /** Include `sampleId` in each genotype. @defaultValue true */
  includeSampleIds: boolean;
  /** Sample id = `FID_IID` (true) or `IID` (false); a `.psam` without FID gives `IID`. @defaultValue true */
  mergeFidIid: boolean;
}

/** Defaults of {@link PgenReadOptions}. */
export const pgenDefaults: Readonly<PgenReadOptions> = Object.freeze({ includeSampleIds: true, mergeFidIid: true });

/** Default target of packed hard-call bytes per partition. */
export const PGEN_DEFAULT_BYTES_PER_PARTITION = 1 << 20;
/** Upper bound on variants per partition. */
export const PGEN_MAX_VARIANTS_PER_PARTITION = 65536;

const CALLER = "read pgen";

function parseBool(name: string, v: unknown): boolean {
  if (typeof v === "boolean") return v;
  if (typeof v === "string" && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === "true";
  return optionError(CALLER, name, `must be [true, false]; provided: ${String(v)}`);
}

/** Fills the defaults in and validates `pgen` options (names are case-insensitive). */
export function normalizePgenOptions(options: Record<string, unknown> = {}): PgenReadOptions {
  const out: PgenReadOptions = { ...pgenDefaults };
  const known: Record<string, keyof PgenReadOptions> = { includesampleids: "includeSampleIds", mergefidiid: "mergeFidIid" };
  for (const [k, v] of Object.entries(options ?? {})) {
    if (v === undefined) continue;
    const key = known[k.toLowerCase()];
    if (!key) optionError(CALLER, k, `is not a pgen option; known: ${Object.values(known).join(", ")}`);
    out[key!] = parseBool(key!, v);
  }
  return out;
}

/** The `{prefix}` of a `.pgen` path (or the path itself when it is a prefix). */
export function pgenPrefix(path: string): string {
  return path.toLowerCase().endsWith(".pgen") ? path.slice(0, -5) : path;
}

/** A `pgen` partition: a variant range of one `.pgen` and its `.pvar` lines. */
export interface PgenPartition extends PartitionSpec {
  pvarPath: string;
  firstVariant: number;
  numVariants: number;
  nSamples: number;
  /** First record to decode: the LD reference of the range when it starts with LD-compressed records. */
  anchor: number;
  /** File offset of the anchor's record. */
  byteStart: number;
  /** Record types and lengths of variants `anchor..firstVariant+numVariants-1`. */
  types: Uint8Array;
  lengths: Float64Array;
  pvarOffset: number;
  pvarLength: number;
  /** The partition's `.pvar` lines when the `.pvar` is compressed (decompressed once by `plan`). */
  pvarInline?: string | undefined;
  pvarFirstLine: number;
  layout: PvarLayout;
}

/** Plain data shared by all partitions of a plan. */
export interface PgenMeta {
  sampleIds: string[] | null;
  dosage: boolean;
}

function isFile(p: string): boolean {
  try { return existsSync(p) && statSync(p).isFile(); } catch { return false; }
}

function requireFile(file: string, what: string, pgen: string): void {
  if (isFile(file)) return;
  throw new GlowtsError("FILE_NOT_FOUND", `PLINK 2 ${what} file not found (read next to ${pgen})`, { file });
}

/** The schema of a `pgen` frame. */
export function pgenSchema(layout: PvarLayout, includeSampleIds: boolean, dosage: boolean): Field[] {
  const fields = variantFields("contigName", "start", "end", "names", "referenceAllele", "alternateAlleles");
  if (layout.qual >= 0) fields.push(...variantFields("qual"));
  if (layout.filter >= 0) fields.push(...variantFields("filters"));
  if (layout.cm >= 0) fields.push(...variantFields("position"));
  for (const d of layout.infoDefs) {
    fields.push({ name: infoFieldName(d.id), type: d.isArray ? { list: d.elementType } : d.elementType, metadata: { vcf_header_count: d.count, vcf_header_description: d.description } });
  }
  const g: Field[] = [];
  if (includeSampleIds) g.push(genotypeField("sampleId"));
  g.push(genotypeField("calls"));
  if (dosage) g.push(genotypeField("dosage"));
  fields.push(genotypesField(g));
  return fields;
}

/** Line starts of every `step`-th record of a `.pvar` (after its header). */
function scanPvar(text: Buffer, layout: PvarLayout, step: number): { count: number; cuts: { offset: number; line: number }[]; contigs: string[] } {
  const cuts: { offset: number; line: number }[] = [];
  const contigs = new Set<string>();
  let last = "";
  let count = 0;
  let line = layout.dataLine;
  let pos = layout.dataOffset;
  const n = text.length;
  while (pos < n) {
    let e = text.indexOf(0x0a, pos);
    if (e < 0) e = n;
    let k = pos;
    while (k < e && (text[k] === 0x20 || text[k] === 0x09 || text[k] === 0x0d)) k++;
    if (k < e && text[k] !== 0x23) {
      if (count % step === 0) cuts.push({ offset: pos, line });
      count++;
      if (layout.chrom === 0) {
        let q = k;
        while (q < e && text[q] !== 0x20 && text[q] !== 0x09 && text[q] !== 0x0d) q++;
        if (q - k !== last.length || text.toString("latin1", k, q) !== last) { last = text.toString("utf8", k, q); contigs.add(last); }
      }
    }
    pos = e + 1;
    line++;
  }
  return { count, cuts, contigs: [...contigs] };
}

function sameIds(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function variantError(file: string, e: unknown, variant?: number): GlowtsError {
  if (e instanceof PgenFormatError) {
    const v = e.variant ?? variant;
    return new GlowtsError("PGEN", e.message, { file, record: v !== undefined ? `variant ${v}` : undefined });
  }
  return asGlowtsError(e, "PGEN", { file });
}

/** Resolves the `.pgen` files of the given paths (a prefix or a `.pgen`; companions dropped). */
/** A PLINK 2 prefix (`x` with `x.pgen` next to it) stands for its `.pgen`. */
export function resolvePgenPath(p: string): string {
  return !p.toLowerCase().endsWith(".pgen") && !/[*?[]/.test(p) && !isFile(p) && isFile(`${p}.pgen`) ? `${p}.pgen` : p;
}

function selectPgens(paths: string[]): string[] {
  const all = expandPaths(paths.map(resolvePgenPath), CALLER);
  const pgens = all.filter((p) => p.toLowerCase().endsWith(".pgen"));
  return pgens.length > 0 ? pgens : all;
}

async function planPgen(paths: string[], options: PgenReadOptions, context: PlanContext): Promise<SourcePlan> {
  const pgens = selectPgens(paths);
  let sampleIds: string[] | null = null;
  let firstPsam = "";
  let anyDosage = false;
  let layout0: PvarLayout | null = null;
  let contigs: string[] = [];
  const partitions: PgenPartition[] = [];
  for (const pgen of pgens) {
    const prefix = pgenPrefix(pgen);
    // plink2 --make-bpgen writes PLINK 1 companions (.bim/.fam) beside the .pgen.
    // `--make-pgen vzs` writes a Zstandard-compressed .pvar.zst.
    const pvar = isFile(`${prefix}.pvar`) ? `${prefix}.pvar` : isFile(`${prefix}.pvar.zst`) ? `${prefix}.pvar.zst` : isFile(`${prefix}.bim`) ? `${prefix}.bim` : `${prefix}.pvar`;
    const zst = pvar.endsWith(".zst");
    const psam = !isFile(`${prefix}.psam`) && isFile(`${prefix}.fam`) ? `${prefix}.fam` : `${prefix}.psam`;
    requireFile(psam, ".psam", pgen);
    requireFile(pvar, ".pvar", pgen);
    const f = new RandomAccessFile(pgen);
    let header;
    try {
      header = parsePgenHeader((o, l) => f.read(o, l), f.size);
    } catch (e) {
      throw variantError(pgen, e);
    } finally {
      f.close();
    }
    let psamText: string;
    try { psamText = readFileSync(psam, "utf8"); } catch (e) { throw asGlowtsError(e, "FILE_NOT_FOUND", { file: psam }); }
    const samples = parsePsam(psamText, { mergeFidIid: options.mergeFidIid, file: psam });
    if (samples.sampleIds.length !== header.nSamples) {
      throw new GlowtsError("PGEN", `the .pgen header has ${header.nSamples} samples, the .psam lists ${samples.sampleIds.length}`, { file: pgen, record: `.psam ${psam}` });
    }
    if (sampleIds === null) {
      sampleIds = samples.sampleIds;
      firstPsam = psam;
    } else if (!sameIds(sampleIds, samples.sampleIds)) {
      throw new GlowtsError("SAMPLE_MISMATCH", `${CALLER}: the samples differ from those of ${firstPsam}; all files of one frame must share one sample list`, { file: psam });
    }
    let pvarText: Buffer;
    try {
      pvarText = zst ? Buffer.from(zstdDecompress(readFileSync(pvar))) : readFileSync(pvar);
    } catch (e) {
      throw asGlowtsError(e, "PGEN_PVAR", { file: pvar });
    }
    const layout = parsePvarHeader(pvarText.subarray(0, Math.min(pvarText.length, 1 << 20)).toString("utf8"), pvar);
    if (layout0 === null) layout0 = layout;
    else if (JSON.stringify(pgenSchema(layout, true, false)) !== JSON.stringify(pgenSchema(layout0, true, false))) {
      throw new GlowtsError("SCHEMA_MISMATCH", `${CALLER}: the .pvar columns or ##INFO lines differ from the first file's`, { file: pvar });
    }
    const n = header.nSamples;
    const genoBytes = Math.max(1, Math.ceil(n / 4));
    let step: number;
    if (context.variantsPerPartition !== undefined) {
      if (!Number.isFinite(context.variantsPerPartition) || context.variantsPerPartition < 1) {
        throw new GlowtsError("OPTION", `${CALLER}: variantsPerPartition must be >= 1, got ${context.variantsPerPartition}`, { option: "variantsPerPartition" });
      }
      step = Math.floor(context.variantsPerPartition);
    } else {
      step = Math.max(1, Math.min(PGEN_MAX_VARIANTS_PER_PARTITION, Math.floor((context.bytesPerPartition ?? PGEN_DEFAULT_BYTES_PER_PARTITION) / genoBytes)));
    }
    const scan = scanPvar(pvarText, layout, step);
    if (contigs.length === 0) contigs = layout.contigs.length > 0 ? layout.contigs : scan.contigs.map((c) => `<ID=${c}>`);
    if (scan.count !== header.nVariants) {
      throw new GlowtsError("PGEN", `the .pgen header has ${header.nVariants} variants, the .pvar has ${scan.count} variant lines`, {
        file: pgen, record: `variant ${Math.min(scan.count, header.nVariants)}`,
      });
    }
    for (let i = 0; i < header.nVariants; i++) if (hasDosage(header.types[i]!)) { anyDosage = true; break; }
    for (let p = 0; p < scan.cuts.length; p++) {
      const cut = scan.cuts[p]!;
      const next = scan.cuts[p + 1];
      const first = p * step;
      const num = Math.min(step, header.nVariants - first);
      let anchor = first;
      while (anchor > 0 && isLdCompressed(header.types[anchor]!)) anchor--;
      partitions.push({
        path: pgen,
        describe: `variants ${first}..${first + num - 1}`,
        estimatedRows: num,
        pvarPath: pvar,
        firstVariant: first,
        numVariants: num,
        nSamples: n,
        anchor,
        byteStart: header.offsets[anchor]!,
        types: header.types.slice(anchor, first + num),
        lengths: header.lengths.slice(anchor, first + num),
        pvarOffset: cut.offset,
        pvarLength: (next ? next.offset : pvarText.length) - cut.offset,
        pvarInline: zst ? pvarText.toString("utf8", cut.offset, next ? next.offset : pvarText.length) : undefined,
        pvarFirstLine: cut.line,
        layout,
      });
    }
  }
  const ids = options.includeSampleIds ? sampleIds ?? [] : null;
  const meta: PgenMeta = { sampleIds: ids, dosage: anyDosage };
  const layout = layout0 ?? parsePvarHeader("#CHROM\tPOS\tID\tREF\tALT\n");
  const schema = pgenSchema(layout, options.includeSampleIds, anyDosage);
  if (contigs.length > 0) schema[0] = { ...schema[0]!, metadata: { [CONTIGS_METADATA]: contigs.join("\n") } };
  return { schema, sampleIds: ids, partitions, meta };
}

const decoder = new TextDecoder("utf-8");

/** Decodes one partition (worker side): its records and its `.pvar` lines only. */
export function readPgenPartition(partition: PartitionSpec, meta: unknown): VariantBatch {
  const p = partition as PgenPartition;
  const m = meta as PgenMeta;
  const n = p.nSamples;
  const rows = p.numVariants;
  const skip = p.firstVariant - p.anchor;
  let total = 0;
  for (let i = 0; i < p.lengths.length; i++) total += p.lengths[i]!;
  const bytes = readRange(p.path, p.byteStart, total);
  const pvarText = p.pvarInline ?? decoder.decode(readRange(p.pvarPath, p.pvarOffset, p.pvarLength));
  const pv = parsePvarRecords(pvarText, p.layout, { firstLine: p.pvarFirstLine, file: p.pvarPath, expected: rows });
  // Calls with ALT2 or later (multiallelic track): (row, sample, allele, allele), applied to `calls`.
  const patches: number[] = [];
  let row = 0;
  const multi = { numAlts: 1, patch: (s: number, a0: number, a1: number): void => { patches.push(row, s, a0, a1); } };
  const dec = new PgenRecordDecoder(n);
  const gb = dec.genoBytes;
  const bed = new Uint8Array(rows * gb);
  const dosage = m.dosage ? new Float64Array(rows * n) : null;
  let pos = 0;
  for (let i = 0; i < p.types.length; i++) {
    const v = p.anchor + i;
    const len = p.lengths[i]!;
    if (pos + len > bytes.length) throw new GlowtsError("PGEN", `file is truncated: the record of variant ${v} ends past the end of the file`, { file: p.path, record: `variant ${v}` });
    const r = i - skip;
    try {
      if (r < 0) {
        if (i === 0) dec.decode(p.types[i]!, bytes, pos, len, null, 0, null, 0);
      } else {
        row = r;
        multi.numAlts = pv.numAlts[r]!;
        dec.decode(p.types[i]!, bytes, pos, len, bed, r * gb, dosage, r * n, multi);
      }
    } catch (e) {
      throw variantError(p.path, e, v);
    }
    pos += len;
  }
  const decode = (e: EncodedGenotypes, nSamples: number): Record<string, Column> => {
    const calls = decodeBedToCalls(e.bytes, nSamples, e.numRows);
    for (let k = 0; k < patches.length; k += 4) {
      const at = (patches[k]! * nSamples + patches[k + 1]!) * 2;
      calls[at] = patches[k + 2]!;
      calls[at + 1] = patches[k + 3]!;
    }
    const out: Record<string, Column> = { calls: col.denseInts(calls, 2) };
    if (dosage) {
      let nulls: Uint8Array | undefined;
      for (let k = 0; k < dosage.length; k++) if (Number.isNaN(dosage[k]!)) { nulls ??= new Uint8Array(dosage.length); nulls[k] = 1; }
      out["dosage"] = col.doubles(dosage, nulls);
    }
    return out;
  };
  const genotypes = lazyGenotypes(n, m.sampleIds, { kind: PLINK_BED, bytes: bed, bytesPerVariant: gb, numRows: rows }, decode);
  return { numRows: rows, columns: { ...pv.columns, genotypes } };
}

/**
 * The `pgen` format reader (`glow.read("pgen", prefixOrPgen)`).
 *
 * @returns rows with `contigName, start, end, names, referenceAllele, alternateAlleles`, the `.pvar`'s
 *   optional `qual, filters, position, INFO_*`, and `genotypes<sampleId?, calls, dosage?>`.
 */
export const pgenReader: FormatReader<PgenReadOptions> = {
  format: "pgen",
  resolvePath: resolvePgenPath,
  normalizeOptions: normalizePgenOptions,
  plan: planPgen,
  readPartition: (partition, meta) => {
    try {
      return readPgenPartition(partition, meta);
    } catch (e) {
      throw asGlowtsError(e, "PGEN", { file: partition.path });
    }
  },
};
