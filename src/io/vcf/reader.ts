/**
 * The VCF data source: `glow.read("vcf", path, options)`.
 *
 * Reads VCF 4.x as plain text, gzip or BGZF (detected from the bytes, not the extension), one file
 * or many (all with the same samples). Plain and BGZF files are cut into partitions by bytes /
 * blocks; a gzip file is one partition. With a pushed-down region and a `.tbi` next to a BGZF file,
 * only the index chunks overlapping the region are read. Output follows Glow's VCF schema
 * (see {@link vcfSchema}).
 *
 * @example
 * ```ts
 * const df = glow.read("vcf", "calls.vcf.gz", { validationStringency: "strict" });
 * const rows = await df.filter(glow.col("contigName").eq("20")).collect();
 * ```
 * @see Glow `sc/vcf/VCFFileFormat.scala`, `VCFLineToInternalRowConverter.scala`, `TabixIndexHelper.scala`
 */
import { existsSync } from "node:fs";
import { gunzipSync, constants as zconst } from "node:zlib";
import { GlowtsError, asGlowtsError } from "../../core/errors.js";
import type { Field, VariantBatch } from "../../core/column.js";
import { RandomAccessFile, readRange } from "../files.js";
import type { FormatReader, PartitionSpec, PlanContext, RegionHint, SourcePlan } from "../../core/source.js";
import { detectCompression, findBgzfBlock, formatVirtualOffset, type Compression } from "../bgzf.js";
import { readTabixIndex, tabixChunks, TABIX_MAX_POSITION, type TabixChunk } from "../tabix.js";
import { VcfBatchDecoder, type VcfDecoderSpec } from "./decoder.js";
import { mergeFieldDefs, parseStructuredMeta, parseVcfHeader, vcfSchema, type VcfFieldDef, type VcfHeader } from "./header.js";
import { CONTIGS_METADATA } from "../../core/schema.js";
import { normalizeVcfOptions, type VcfReadOptions } from "./options.js";
import { bgzfChunkSegment, bgzfRangeSegment, forEachLine, gzipSegment, plainSegment, type TextSegment } from "./text-source.js";

export type { VcfReadOptions } from "./options.js";

/** Default partition size for BGZF files (compressed bytes). */
export const DEFAULT_BGZF_PARTITION_BYTES = 4 << 20;
/** Default partition size for uncompressed files. */
export const DEFAULT_PLAIN_PARTITION_BYTES = 16 << 20;

/** What `plan` hands to every `readPartition` call. */
export interface VcfPlanMeta {
  info: VcfFieldDef[];
  format: VcfFieldDef[];
  nSamples: number;
  sampleIds: string[] | null;
  region?: RegionHint | undefined;
}

/** A VCF partition (plain data). */
export interface VcfPartition extends PartitionSpec {
  kind: "plain" | "gzip" | "bgzf" | "tabix" | "empty";
  /** plain: byte range; bgzf: block range (compressed offsets). */
  start?: number;
  end?: number;
  /** tabix: `[beg, end)` virtual offsets. */
  chunks?: [number, number][];
}

/** Files a VCF read ignores when a directory or glob is given (indexes). */
function isIndexFile(p: string): boolean {
  return /\.(tbi|csi)$/i.test(p);
}

/**
 * Reads the header text of a VCF (plain, gzip or BGZF): the lines up to and including `#CHROM`.
 * Decompresses only a prefix of the file (growing it until the header is complete).
 */
export function readVcfHeaderLines(file: string, compression: Compression): string[] {
  let size = 1 << 16;
  for (;;) {
    const raw = readRange(file, 0, size);
    const whole = raw.length < size;
    let text: Uint8Array;
    if (compression === "none") text = raw;
    else {
      try {
        text = gunzipSync(raw, { finishFlush: zconst.Z_SYNC_FLUSH });
      } catch (e) {
        throw new GlowtsError(compression === "bgzf" ? "BGZF_FORMAT" : "GZIP_FORMAT", `cannot decompress the VCF header (${e instanceof Error ? e.message : String(e)})`, { file });
      }
    }
    const end = headerEnd(text);
    if (end >= 0 || whole) {
      const bytes = end >= 0 ? text.subarray(0, end) : text;
      const s = new TextDecoder().decode(bytes);
      const lines = s.split("\n");
      if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
      return lines;
    }
    size *= 4;
  }
}

/** Byte position just after the `#CHROM` line, the start of the first data line, or -1 if not reached. */
function headerEnd(t: Uint8Array): number {
  let p = 0;
  while (p < t.length) {
    if (t[p] !== 35) return p;
    const nl = t.indexOf(10, p);
    if (nl < 0) return -1;
    if (t[p + 1] === 67 && t[p + 2] === 72 && t[p + 3] === 82 && t[p + 4] === 79 && t[p + 5] === 77) return nl + 1;
    p = nl + 1;
  }
  return -1;
}

function describeBytes(kind: string, a: number, b: number): string {
  return `${kind} ${a}..${b}`;
}

/** Cuts a plain file into byte ranges. */
function plainPartitions(path: string, size: number, target: number): VcfPartition[] {
  const out: VcfPartition[] = [];
  if (size === 0) return [{ path, kind: "plain", start: 0, end: 0, describe: "bytes 0..0" }];
  for (let s = 0; s < size; s += target) {
    const e = Math.min(size, s + target);
    out.push({ path, kind: "plain", start: s, end: e, describe: describeBytes("bytes", s, e) });
  }
  return out;
}

/** Cuts a BGZF file at block boundaries near multiples of `target` compressed bytes. */
function bgzfPartitions(path: string, target: number): VcfPartition[] {
  const raf = new RandomAccessFile(path);
  try {
    const size = raf.size;
    const cuts = [0];
    let x = target;
    while (x < size) {
      const c = findBgzfBlock(raf, x);
      if (c >= size) break;
      if (c > cuts[cuts.length - 1]!) cuts.push(c);
      x = Math.max(x + target, c + 1);
    }
    // Do not leave a tail partition holding only the EOF block.
    if (cuts.length > 1 && size - cuts[cuts.length - 1]! <= 64) cuts.pop();
    return cuts.map((c, i) => {
      const e = i + 1 < cuts.length ? cuts[i + 1]! : size;
      return { path, kind: "bgzf" as const, start: c, end: e, describe: describeBytes("bgzf blocks", c, e) };
    });
  } finally {
    raf.close();
  }
}

/** Groups merged tabix chunks into partitions of about `target` compressed bytes. */
function tabixPartitions(path: string, chunks: TabixChunk[], target: number): VcfPartition[] {
  const out: VcfPartition[] = [];
  let group: [number, number][] = [];
  let bytes = 0;
  const flush = (): void => {
    if (group.length === 0) return;
    const first = group[0]!;
    const last = group[group.length - 1]!;
    out.push({
      path,
      kind: "tabix",
      chunks: group,
      describe: `tabix ${group.length} chunk(s) ${formatVirtualOffset(first[0])}..${formatVirtualOffset(last[1])}`,
    });
    group = [];
    bytes = 0;
  };
  for (const c of chunks) {
    group.push([c.beg, c.end]);
    bytes += Math.max(1, Math.floor(c.end / 65536) - Math.floor(c.beg / 65536));
    if (bytes >= target) flush();
  }
  flush();
  return out;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Plans a VCF read: reads every file's header, checks that all files have the same samples, merges
 * the INFO/FORMAT definitions into Glow's schema, and cuts the files into partitions (using the
 * tabix index when a region is pushed down).
 * @throws GlowtsError `VCF_HEADER` (malformed or incompatible headers), `VCF_SAMPLES` (files with
 *   different samples), `BGZF_FORMAT`/`GZIP_FORMAT`, `TABIX_FORMAT`
 */
export async function planVcf(paths: string[], options: VcfReadOptions, context: PlanContext = {}): Promise<SourcePlan> {
  const files = paths.filter((p) => !isIndexFile(p));
  if (files.length === 0) {
    // Only index files: an empty frame, as Glow ("Do not break when reading index file").
    return {
      schema: vcfSchema([], [], options),
      sampleIds: options.includeSampleIds ? [] : null,
      partitions: [{ path: paths[0] ?? "", kind: "empty", describe: "no VCF file (index files only)" } satisfies VcfPartition],
      meta: { info: [], format: [], nSamples: 0, sampleIds: options.includeSampleIds ? [] : null } satisfies VcfPlanMeta,
    };
  }
  const headers: VcfHeader[] = [];
  const kinds: Compression[] = [];
  for (const f of files) {
    const kind = detectCompression(readRange(f, 0, 18));
    kinds.push(kind);
    headers.push(parseVcfHeader(readVcfHeaderLines(f, kind), f, options.validationStringency));
  }
  const samples = headers[0]!.sampleIds;
  for (let i = 1; i < files.length; i++) {
    if (!sameList(samples, headers[i]!.sampleIds)) {
      throw new GlowtsError(
        "VCF_SAMPLES",
        `read(vcf): all files must have the same samples in the same order; ${files[i]} has ${headers[i]!.sampleIds.length} sample(s) that differ from the ${samples.length} of ${files[0]}`,
        { file: files[i] },
      );
    }
  }
  const info = mergeFieldDefs(headers.map((h) => h.info), files, "INFO");
  const format = mergeFieldDefs(headers.map((h) => h.format), files, "FORMAT");
  const schema: Field[] = vcfSchema(info, format, options);
  const contigs = [...new Map(headers.flatMap((h) => h.contigs ?? []).map((c) => [parseStructuredMeta(c)?.get("ID") ?? c, c])).values()];
  if (contigs.length > 0) schema[0] = { ...schema[0]!, metadata: { ...schema[0]!.metadata, [CONTIGS_METADATA]: contigs.join("\n") } };

  const region = context.region;
  const partitions: VcfPartition[] = [];
  for (let i = 0; i < files.length; i++) {
    const path = files[i]!;
    const kind = kinds[i]!;
    if (kind === "gzip") {
      // A tabix index is only ever made for BGZF: a gzip file beside its .tbi has a damaged first
      // block header (or is not the file the index was made for). bcftools rejects it too.
      if (options.useTabixIndex && region?.contigName !== undefined && existsSync(`${path}.tbi`)) {
        throw new GlowtsError("BGZF_FORMAT", `has a tabix index (${path}.tbi) but its first block is not a BGZF block (damaged header?)`, { file: path });
      }
      partitions.push({ path, kind: "gzip", describe: "gzip (whole file)" });
    } else if (kind === "none") {
      const size = new RandomAccessFile(path);
      const n = size.size;
      size.close();
      partitions.push(...plainPartitions(path, n, context.bytesPerPartition ?? DEFAULT_PLAIN_PARTITION_BYTES));
    } else {
      const target = context.bytesPerPartition ?? DEFAULT_BGZF_PARTITION_BYTES;
      const tbi = `${path}.tbi`;
      if (options.useTabixIndex && region?.contigName !== undefined && existsSync(tbi)) {
        const index = await readTabixIndex(tbi);
        const beg = region.start === undefined ? 0 : Math.max(0, region.start);
        const end = region.end === undefined ? TABIX_MAX_POSITION : Math.min(TABIX_MAX_POSITION, region.end);
        const chunks = end > beg ? tabixChunks(index, region.contigName, beg, end) : [];
        partitions.push(...tabixPartitions(path, chunks, target));
      } else {
        partitions.push(...bgzfPartitions(path, target));
      }
    }
  }
  if (partitions.length === 0) partitions.push({ path: files[0]!, kind: "empty", describe: "no data overlaps the region" });

  const meta: VcfPlanMeta = {
    info,
    format,
    nSamples: samples.length,
    sampleIds: options.includeSampleIds ? samples : null,
    region: options.useFilterParser && region ? { ...region } : undefined,
  };
  return { schema, sampleIds: options.includeSampleIds ? samples : null, partitions, meta };
}

/**
 * Decodes one VCF partition into a batch (in a worker).
 * @throws GlowtsError naming the file and the line (1-based line number when the partition starts
 *   at the file start, else the byte or virtual offset of the line)
 */
export async function readVcfPartition(partition: PartitionSpec, meta: unknown, options: VcfReadOptions): Promise<VariantBatch> {
  const p = partition as VcfPartition;
  const m = meta as VcfPlanMeta;
  const spec: VcfDecoderSpec = {
    file: p.path,
    info: m.info,
    format: m.format,
    nSamples: m.nSamples,
    sampleIds: m.sampleIds,
    flattenInfoFields: options.flattenInfoFields,
    stringency: options.validationStringency,
    region: m.region,
  };
  const decoder = new VcfBatchDecoder(spec);
  try {
    const segments: TextSegment[] = [];
    switch (p.kind) {
      case "empty":
        break;
      case "gzip":
        segments.push(await gzipSegment(p.path));
        break;
      case "plain":
        segments.push(plainSegment(p.path, p.start ?? 0, p.end ?? 0));
        break;
      case "bgzf":
        segments.push(bgzfRangeSegment(p.path, p.start ?? 0, p.end ?? 0));
        break;
      case "tabix":
        for (const [beg, end] of p.chunks ?? []) segments.push(bgzfChunkSegment(p.path, beg, end));
        break;
      default:
        throw new GlowtsError("VCF_READ", `unknown VCF partition kind '${String((p as { kind: unknown }).kind)}'`, { file: p.path });
    }
    let reserved = false;
    let dropped = 0;
    let firstDropped = "";
    const expectedColumns = m.nSamples > 0 ? 9 + m.nSamples : 8;
    for (const seg of segments) {
      decoder.locate = seg.locate;
      const span = Math.min(seg.limit, seg.text.length);
      forEachLine(seg, (t, a, b, lineNo, unterminated) => {
        if (t[a] === 35) return;
        let cols = 1;
        for (let q = t.indexOf(9, a); q >= 0 && q < b; q = t.indexOf(9, q + 1)) cols++;
        // Columns missing (a cut file, a short line): bcftools rejects these lines. A line of 8
        // columns (no FORMAT) is a sites-only record, as in Glow.
        // Under strict stringency a line of 8 columns in a file with samples is short too (bcftools
        // refuses to write such a record); otherwise it is a sites-only record as in Glow, even
        // as a last line without a newline (Glow's line cases).
        const short = cols < 8 || (cols < expectedColumns && (cols > 8 || options.validationStringency === "strict"));
        const where = lineNo > 0 ? `line ${lineNo}` : seg.locate(a);
        if (short && unterminated) {
          throw new GlowtsError("VCF_TRUNCATED", `the last line has no newline and is not a complete record (${cols} of ${expectedColumns} columns): the file looks truncated`, { file: p.path, record: where });
        }
        // Sample columns missing: strict throws (in the decoder), lenient warns naming the line
        // and drops it, silent drops it (one notice per partition, below).
        if (short && cols === 8 && options.validationStringency === "strict") {
          throw new GlowtsError("VCF_PARSE", `line has no FORMAT and sample columns, the header has ${m.nSamples} samples`, { file: p.path, record: where });
        }
        if (short && cols > 8 && options.validationStringency !== "strict") {
          dropped++;
          if (firstDropped === "") firstDropped = where;
          if (options.validationStringency === "lenient") {
            if (dropped <= 10) console.warn(`glowts: ${p.path} ${where}: line has ${cols - 9} sample columns, the header has ${m.nSamples} samples: line dropped`);
            else if (dropped === 11) console.warn(`glowts: ${p.path}: further lines with missing sample columns in this partition dropped without notice`);
          }
          return;
        }
        if (!reserved && m.nSamples > 0) {
          // Size the genotype arrays from the first record's length.
          reserved = true;
          decoder.reserve(((span - a) / (b - a + 1)) * 1.1 + 1);
        }
        decoder.addLine(t, a, b, lineNo);
      });
    }
    if (dropped > 0 && options.validationStringency === "silent") {
      console.warn(`glowts: ${p.path}: ${dropped} line(s) with missing sample columns dropped (first: ${firstDropped}); validationStringency "lenient" names each, "strict" rejects them`);
    }
    return decoder.finish();
  } catch (e) {
    throw asGlowtsError(e, "VCF_READ", { file: p.path, record: p.describe });
  }
}

/** The `vcf` format reader (registered as `vcf`). */
export const vcfReader: FormatReader<VcfReadOptions> = {
  format: "vcf",
  normalizeOptions: normalizeVcfOptions,
  plan: planVcf,
  readPartition: readVcfPartition,
};
