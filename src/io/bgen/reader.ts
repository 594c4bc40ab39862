/**
 * The `bgen` data source: BGEN 1.1-1.3 (layouts 1 and 2; zlib, zstd or no compression; 1-32
 * bits; phased or unphased; any ploidy; multi-allelic), as Glow's `spark.read.format("bgen")`.
 *
 * `plan` reads each file's header (and sample identifier block, or an Oxford `.sample` file),
 * locates the variant blocks through the `.bgi` index or a header scan, prunes them to
 * `context.region`, and cuts byte-range partitions; `readPartition` reads and decodes one
 * partition in a worker.
 *
 * Schema: `contigName, start, end, names [variantId, rsid], referenceAllele, alternateAlleles,
 * genotypes<sampleId?, phased, calls?, ploidy, posteriorProbabilities>`.
 *
 * @example
 * ```ts
 * const df = glow.read("bgen", "example.bgen", { hardCallThreshold: 0.95 });
 * ```
 * @see Glow `core/src/main/scala/io/projectglow/bgen/BgenFileFormat.scala`
 */
import { existsSync, readFileSync } from "node:fs";
import { GlowtsError } from "../../core/errors.js";
import type { Field, VariantBatch } from "../../core/column.js";
import { RandomAccessFile } from "../files.js";
import type { FormatReader, PartitionSpec, PlanContext, SourcePlan } from "../../core/source.js";
import { withContext } from "./bytes.js";
import { ensureZstd, zstdReady } from "./decompress.js";
import { decodeBgenRuns, type BgenFileMeta, type BgenRunBytes } from "./decode.js";
import { checkBgenMagic, decodeBgenHeader, decodeSampleBlock, HEADER_PREFIX_BYTES, type BgenHeader } from "./header.js";
import { readBgiLocations, scanLocations, type VariantLocations } from "./locations.js";
import { normalizeBgenOptions, type BgenReadOptions } from "./options.js";
import {
  cutPartitions,
  DEFAULT_BYTES_PER_PARTITION,
  DEFAULT_VALUES_PER_PARTITION,
  type BgenPartitionSpec,
} from "./partitions.js";
import { readOxfordSampleFile } from "./sample-file.js";
import { genotypeField, genotypesField, variantFields } from "../../core/schema.js";

/** What `plan` hands to every `readPartition`. */
export interface BgenPlanMeta {
  files: BgenFileMeta[];
}

/** Glow's BGEN schema for the given choices. */
export function bgenSchema(hasSampleIds: boolean, hasHardCalls: boolean): Field[] {
  const g: Field[] = [];
  if (hasSampleIds) g.push(genotypeField("sampleId"));
  g.push(genotypeField("phased"));
  if (hasHardCalls) g.push(genotypeField("calls"));
  g.push(genotypeField("ploidy"), genotypeField("posteriorProbabilities"));
  return [
    ...variantFields("contigName", "start", "end", "names", "referenceAllele", "alternateAlleles"),
    genotypesField(g),
  ];
}

/** Reads and validates the header (and sample block) of an open BGEN file. */
export function readBgenHeader(raf: RandomAccessFile): { header: BgenHeader; head: Uint8Array } {
  try {
    const prefix = raf.read(0, HEADER_PREFIX_BYTES);
    if (prefix.length < HEADER_PREFIX_BYTES) {
      throw new GlowtsError("BGEN_TRUNCATED", `file too short for a BGEN header (${prefix.length} bytes)`, { record: "header" });
    }
    checkBgenMagic(prefix);
    const offset = (prefix[0]! | (prefix[1]! << 8) | (prefix[2]! << 16) | (prefix[3]! << 24)) >>> 0;
    if (offset + 4 > raf.size) {
      throw new GlowtsError("BGEN_TRUNCATED", `first variant offset ${offset + 4} lies beyond the end of the file (${raf.size} bytes)`, { record: "header" });
    }
    const head = raf.read(0, offset + 4);
    return { header: decodeBgenHeader(head), head };
  } catch (e) {
    throw withContext(e, "BGEN_CORRUPT", { file: raf.file });
  }
}

function partitionTargets(context: PlanContext, nSamples: number): { bytes: number; variants: number } {
  const bytes = context.bytesPerPartition && context.bytesPerPartition > 0 ? context.bytesPerPartition : DEFAULT_BYTES_PER_PARTITION;
  const byValues = Math.max(1, Math.floor(DEFAULT_VALUES_PER_PARTITION / Math.max(1, 3 * nSamples)));
  const asked = context.variantsPerPartition && context.variantsPerPartition > 0 ? context.variantsPerPartition : Infinity;
  return { bytes, variants: Math.min(asked, byValues) };
}

async function locate(raf: RandomAccessFile, header: BgenHeader, options: BgenReadOptions, context: PlanContext): Promise<VariantLocations> {
  const bgi = `${raf.file}.bgi`;
  if (options.useBgenIndex && existsSync(bgi)) {
    let bytes: Uint8Array | null = null;
    try { bytes = new Uint8Array(readFileSync(bgi)); } catch { bytes = null; }
    if (bytes) {
      const loc = await readBgiLocations(bytes, header, raf.size, context.region);
      if (typeof loc !== "string") return loc;
      console.warn(`glowts read('bgen'): ignoring index ${bgi}: ${loc}; scanning the file instead`);
    }
  }
  return scanLocations(raf, header, context.region);
}

async function planBgen(paths: string[], options: BgenReadOptions, context: PlanContext): Promise<SourcePlan> {
  // As Glow: files without the .bgen extension (e.g. .bgi/.sample next to them) are skipped.
  const files = paths.filter((p) => options.ignoreExtension || p.endsWith(".bgen"));
  if (files.length === 0 && paths.length > 0) {
    console.warn(`glowts read('bgen'): none of the ${paths.length} path(s) ends in .bgen (set ignoreExtension to read them anyway): ${paths.slice(0, 3).join(", ")}${paths.length > 3 ? ", ..." : ""}`);
  }
  let sampleFileIds: string[] | null = null;
  const metas: BgenFileMeta[] = [];
  const partitions: PartitionSpec[] = [];
  for (let fi = 0; fi < files.length; fi++) {
    const path = files[fi]!;
    const raf = new RandomAccessFile(path);
    try {
      const { header, head } = readBgenHeader(raf);
      let sampleIds: string[] | null = null;
      if (options.includeSampleIds) {
        if (header.hasSampleIds) {
          try { sampleIds = decodeSampleBlock(head, header); }
          catch (e) { throw withContext(e, "BGEN_CORRUPT", { file: path }); }
        } else if (options.sampleFilePath !== undefined) {
          sampleFileIds ??= readOxfordSampleFile(options.sampleFilePath, options.sampleIdColumn);
          if (sampleFileIds.length !== header.nSamples) {
            throw new GlowtsError(
              "BGEN_SAMPLE_FILE",
              `lists ${sampleFileIds.length} samples but ${path} has ${header.nSamples}`,
              { file: options.sampleFilePath },
            );
          }
          sampleIds = sampleFileIds;
        }
      }
      metas.push({
        path,
        layout: header.layout,
        compression: header.compression,
        nSamples: header.nSamples,
        nVariants: header.nVariants,
        sampleIds,
      });
      const loc = await locate(raf, header, options, context);
      partitions.push(...cutPartitions(path, fi, loc, partitionTargets(context, header.nSamples)));
    } finally {
      raf.close();
    }
  }
  const withIds = metas.find((m) => m.sampleIds !== null);
  const meta: BgenPlanMeta = { files: metas };
  return {
    schema: bgenSchema(withIds !== undefined, options.emitHardCalls),
    sampleIds: withIds ? withIds.sampleIds : null,
    partitions,
    meta,
  };
}

function readBgenPartition(partition: PartitionSpec, meta: unknown, options: BgenReadOptions): VariantBatch | Promise<VariantBatch> {
  const p = partition as BgenPartitionSpec;
  const m = meta as BgenPlanMeta;
  const file = m?.files?.[p.fileIndex];
  if (!file || !Array.isArray(p.runs) || p.runs.length % 4 !== 0) {
    throw new GlowtsError("INTERNAL", "bgen: malformed partition or plan meta", { file: partition.path });
  }
  // zstd blocks are decoded by WebAssembly, loaded once per thread.
  if (file.compression === 2 && !zstdReady()) return ensureZstd().then(() => readBgenPartition(partition, meta, options));
  const runs: BgenRunBytes[] = [];
  const raf = new RandomAccessFile(file.path);
  try {
    for (let i = 0; i < p.runs.length; i += 4) {
      const from = p.runs[i]!;
      const to = p.runs[i + 1]!;
      const bytes = raf.read(from, to - from);
      if (bytes.length !== to - from) {
        throw new GlowtsError("BGEN_TRUNCATED", `file ends at ${raf.size}, before the end of variant blocks ${from}..${to} (was it modified?)`, {
          file: file.path,
          record: `variant ${p.runs[i + 2]} (offset ${from})`,
        });
      }
      runs.push({ bytes, offset: from, firstVariant: p.runs[i + 2]!, count: p.runs[i + 3]! });
    }
  } finally {
    raf.close();
  }
  // Accept raw options too (normalizing is idempotent).
  const o = normalizeBgenOptions(options as unknown as Record<string, unknown>);
  return decodeBgenRuns(file, runs, { emitHardCalls: o.emitHardCalls, hardCallThreshold: o.hardCallThreshold });
}

/** The `bgen` {@link FormatReader}. */
export const bgenReader: FormatReader<BgenReadOptions> = {
  format: "bgen",
  normalizeOptions: (o) => normalizeBgenOptions(o),
  plan: (paths, options, context) => planBgen(paths, options, context ?? {}),
  readPartition: (partition, meta, options) => readBgenPartition(partition, meta, options),
};
