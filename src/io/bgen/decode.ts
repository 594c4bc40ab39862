/**
 * Decodes runs of consecutive BGEN variant blocks into one columnar {@link VariantBatch}
 * (Glow's BGEN schema). Pure: takes bytes, does no I/O.
 */
import { GlowtsError } from "../../core/errors.js";
import type { Column, GenotypesColumn, ListColumn, VariantBatch } from "../../core/column.js";
import { withContext } from "./bytes.js";
import type { BgenCompression } from "./header.js";
import {
  decodeGenotypesInto,
  inspectLayout1,
  inspectLayout2,
  type GenotypeBlockInfo,
  type GenotypeSink,
  type SinkCursor,
} from "./probabilities.js";
import { decodeVariantHeader, genotypeBlockData, type BgenLayoutInfo } from "./variant.js";

/** Per-file facts shared by all partitions of a file (plain data, posted to workers). */
export interface BgenFileMeta {
  path: string;
  layout: 1 | 2;
  compression: BgenCompression;
  nSamples: number;
  nVariants: number;
  /** Sample ids to attach to genotypes (null: none, or `includeSampleIds` is false). */
  sampleIds: string[] | null;
}

/** A run of consecutive variant blocks: their bytes and where they sit in the file. */
export interface BgenRunBytes {
  bytes: Uint8Array;
  /** File offset of `bytes[0]`. */
  offset: number;
  /** Index (0-based, file order) of the first variant in the run. */
  firstVariant: number;
  /** Number of variant blocks the run must hold exactly. */
  count: number;
}

/** Decoding choices (Glow options). */
export interface BgenDecodeOptions {
  emitHardCalls: boolean;
  hardCallThreshold: number;
}

const INT32_LIMIT = 0x7fffffff;

/**
 * Decodes runs of variant blocks of one file.
 * @returns a batch with columns `contigName, start, end, names, referenceAllele,
 * alternateAlleles, genotypes{phased, calls?, ploidy, posteriorProbabilities}` (sample ids on
 * the genotypes column when `file.sampleIds` is set).
 * @throws GlowtsError naming the file and the variant (index and byte offset) on bad input.
 */
export function decodeBgenRuns(file: BgenFileMeta, runs: BgenRunBytes[], options: BgenDecodeOptions): VariantBatch {
  const info: BgenLayoutInfo = { layout: file.layout, compression: file.compression, nSamples: file.nSamples };
  const contigs: string[] = [];
  const positions: number[] = [];
  const names: string[] = [];
  const refs: string[] = [];
  const alts: string[] = [];
  const altEnds: number[] = [0];
  const blocks: Uint8Array[] = [];
  const infos: GenotypeBlockInfo[] = [];
  let maxStored = 0;
  let totalProbs = 0;
  let totalCalls = 0;

  // Pass 1: parse headers, decompress and validate every block, count outputs.
  for (const run of runs) {
    let at = 0;
    for (let v = 0; v < run.count; v++) {
      const record = `variant ${run.firstVariant + v} (offset ${run.offset + at})`;
      try {
        if (at >= run.bytes.length) {
          throw new GlowtsError("BGEN_TRUNCATED", `file ends before this variant (expected ${run.count} variants in bytes ${run.offset}..${run.offset + run.bytes.length})`);
        }
        const h = decodeVariantHeader(run.bytes, at, info);
        const d = genotypeBlockData(run.bytes, h.blockStart, h.next, info);
        const gi = file.layout === 2 ? inspectLayout2(d, file.nSamples, h.alleles.length) : inspectLayout1(d, file.nSamples);
        contigs.push(h.contigName);
        positions.push(h.position);
        names.push(h.variantId, h.rsid);
        refs.push(h.alleles[0]!);
        for (let i = 1; i < h.alleles.length; i++) alts.push(h.alleles[i]!);
        altEnds.push(alts.length);
        blocks.push(d);
        infos.push(gi);
        if (gi.storedCount > maxStored) maxStored = gi.storedCount;
        totalProbs += gi.probCount;
        totalCalls += gi.ploidySum;
        at = h.next;
      } catch (e) {
        throw withContext(e, "BGEN_CORRUPT", { file: file.path, record });
      }
    }
    if (at !== run.bytes.length) {
      throw new GlowtsError(
        "BGEN_CORRUPT",
        `variant blocks end at offset ${run.offset + at} but the index/scan expected ${run.offset + run.bytes.length}`,
        { file: file.path, record: `variant ${run.firstVariant + run.count - 1}` },
      );
    }
  }

  const numRows = infos.length;
  const n = file.nSamples;
  const elements = numRows * n;
  if (totalProbs > INT32_LIMIT || totalCalls > INT32_LIMIT || elements > INT32_LIMIT) {
    throw new GlowtsError("BGEN_TOO_LARGE", `partition of ${numRows} variants × ${n} samples is too large to decode at once; use a smaller bytesPerPartition`, { file: file.path });
  }

  // Dense lists when every (variant, sample) has the same length, ragged otherwise.
  let probWidth = numRows > 0 ? infos[0]!.uniformWidth : 0;
  let ploidyWidth = numRows > 0 ? infos[0]!.uniformPloidy : 2;
  for (const gi of infos) {
    if (gi.uniformWidth !== probWidth) probWidth = -1;
    if (gi.uniformPloidy !== ploidyWidth) ploidyWidth = -1;
  }
  // A dense list of width 0 would not carry its row count: use (all-zero) offsets instead.
  if (probWidth === 0) probWidth = -1;
  if (ploidyWidth === 0) ploidyWidth = -1;
  const emit = options.emitHardCalls;
  const sink: GenotypeSink = {
    phased: new Uint8Array(elements),
    ploidy: new Int32Array(elements),
    probs: new Float64Array(totalProbs),
    probOffsets: probWidth < 0 ? new Int32Array(elements + 1) : null,
    calls: emit ? new Int32Array(totalCalls) : null,
    callOffsets: emit && ploidyWidth < 0 ? new Int32Array(elements + 1) : null,
  };
  const cur: SinkCursor = { element: 0, probPos: 0, callPos: 0 };
  const scratch = new Uint32Array(maxStored);

  // Pass 2: decode straight into the column buffers.
  let row = 0;
  for (const run of runs) {
    for (let v = 0; v < run.count; v++, row++) {
      try {
        decodeGenotypesInto(blocks[row]!, infos[row]!, sink, cur, scratch, options.hardCallThreshold);
      } catch (e) {
        throw withContext(e, "BGEN_CORRUPT", { file: file.path, record: `variant ${run.firstVariant + v}` });
      }
      blocks[row] = EMPTY; // release the decompressed block early
    }
  }

  const start = new Float64Array(numRows);
  const end = new Float64Array(numRows);
  for (let i = 0; i < numRows; i++) {
    start[i] = positions[i]! - 1;
    end[i] = start[i]! + refs[i]!.length;
  }
  const fields: Record<string, Column> = {
    phased: { type: "boolean", values: sink.phased },
  };
  if (sink.calls) fields["calls"] = listColumn({ type: "int", values: sink.calls }, sink.callOffsets, ploidyWidth);
  fields["ploidy"] = { type: "int", values: sink.ploidy };
  fields["posteriorProbabilities"] = listColumn({ type: "double", values: sink.probs }, sink.probOffsets, probWidth);
  const genotypes: GenotypesColumn = { type: "genotypes", nSamples: n, sampleIds: file.sampleIds, fields };
  return {
    numRows,
    columns: {
      contigName: { type: "string", values: contigs },
      start: { type: "long", values: start },
      end: { type: "long", values: end },
      names: { type: "list", child: { type: "string", values: names }, width: 2 },
      referenceAllele: { type: "string", values: refs },
      alternateAlleles: { type: "list", child: { type: "string", values: alts }, offsets: Int32Array.from(altEnds) },
      genotypes,
    },
  };
}

const EMPTY = new Uint8Array(0);

function listColumn(child: Column, offsets: Int32Array | null, width: number): ListColumn {
  return offsets ? { type: "list", child, offsets } : { type: "list", child, width };
}
