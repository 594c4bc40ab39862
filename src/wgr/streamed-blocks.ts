/**
 * A block matrix that is never held whole: Glow's `block_variants_and_samples` layout computed in a
 * first pass over the frame (which variants, in which header block, in which order), then the
 * genotype values read again, header block by header block, when a model needs them.
 *
 * This is REGENIE's memory shape for GloWGR's level 0: a fit holds one header block at a time per
 * worker (variants per block × samples values), never samples × variants. Each header block yielded
 * by {@link StreamedBlockMatrix.headerBlocks} is exactly the rows the materialized
 * {@link blockVariantsMaterialized} would hold for that header block (same values, mu, sig, order),
 * so models fitted on it are bit-identical.
 */
import { GlowtsError } from "../core/errors.js";
import type { VariantBatch } from "../core/column.js";
import {
  arrayMeanAndSd, batchVariants, blockVariantsMaterialized, checkBlockArgs, compareVariants, headerBlockName,
  makeSampleBlocks, sampleBlockRanges, validateSampleIds, variantHeader, type BatchSource, type BlockedVariants,
} from "./blocking.js";
import { BlockMatrix, BlockMatrixBuilder, type SampleBlocks } from "./block-matrix.js";
import { MIME_BUNDLE, escapeHtml, makeBundle, type MimeBundle } from "../core/mime.js";

/** Module and export that compute the blocking keys of a partition inside the workers. */
const KEYS_MODULE = new URL("./block-keys.js", import.meta.url).href;

/** A frame the streamed blocking can read: its partitions, and a worker-side map over them. */
export interface StreamableFrame extends BatchSource {
  mapPartitions?(modulePath: string, exportName?: string, args?: unknown): BatchSource;
}

/** One header block of the layout: its variants in Glow's order. */
export interface HeaderBlockLayout {
  /** `chr_{contig}_block_{i}`. */
  name: string;
  /** Row numbers (in frame order, counting every row) of its variants, in Glow's order. */
  rows: Int32Array;
  headers: string[];
  sortKeys: Int32Array;
}

/** Options of the streamed form of {@link blockVariantsAndSamples}. */
export interface BlockingOptions {
  /**
   * `false`: do not hold the block matrix; return a {@link StreamedBlockMatrix} that RidgeReduction,
   * RidgeRegression and estimateLocoOffsets fit header block by header block (bounded memory).
   * @defaultValue true (Glow's behaviour: the whole `block_df` in memory)
   */
  materialize?: boolean;
}

/** `{ blockDf, sampleBlocks }` with a streamed `blockDf`. */
export interface StreamedBlockedVariants {
  blockDf: StreamedBlockMatrix;
  sampleBlocks: SampleBlocks;
}

/**
 * Glow's `block_df` without its values in memory: the layout (headers, header blocks, sample
 * blocks) is known; the values are read from the frame again, one header block at a time.
 * Build it with `blockVariantsAndSamples(frame, ids, variantsPerBlock, sampleBlockCount, { materialize: false })`.
 */
export class StreamedBlockMatrix {
  /** Number of rows the materialized matrix would have (variants × sample blocks). */
  readonly numRows: number;
  /** One header per variant kept (Glow's `header` column without the sample-block repetition). */
  readonly header: string[];
  /** The header block of each entry of {@link header}. */
  readonly headerBlock: string[];
  /** The sample block ids, "1".."K". */
  readonly sampleBlock: string[];

  constructor(
    private readonly frame: BatchSource,
    readonly sampleIds: readonly string[],
    readonly variantsPerBlock: number,
    readonly sampleBlockCount: number,
    /** Header blocks in the order of the materialized matrix. */
    readonly layout: readonly HeaderBlockLayout[],
    /** Rows read by the first pass (all rows of the frame, kept or not). */
    readonly frameRows: number,
  ) {
    this.header = layout.flatMap((b) => b.headers);
    this.headerBlock = layout.flatMap((b) => b.headers.map(() => b.name));
    this.sampleBlock = Array.from({ length: sampleBlockCount }, (_, k) => String(k + 1));
    this.numRows = this.header.length * sampleBlockCount;
  }

  /** True: this matrix streams (see {@link BlockMatrix} for the materialized one). */
  get streamed(): true {
    return true;
  }

  /** Distinct header blocks, in order. */
  headerBlockIds(): string[] {
    return this.layout.map((b) => b.name);
  }

  /** Distinct sample block ids, in order. */
  sampleBlockIds(): string[] {
    return [...this.sampleBlock];
  }

  /** The sample block mapping (Glow's `sample_blocks`). */
  sampleBlocks(): SampleBlocks {
    return makeSampleBlocks(this.sampleIds, this.sampleBlockCount);
  }

  /**
   * Reads the frame once more and yields each header block as a small {@link BlockMatrix} (the
   * rows the materialized matrix holds for it, in its order) together with its position in
   * {@link layout}. Header blocks come as soon as all their variants have been read: in layout
   * order for a frame sorted by position within each contig; memory holds only the header blocks
   * not yet complete.
   */
  async *headerBlocks(): AsyncGenerator<{ index: number; block: BlockMatrix }> {
    const ranges = sampleBlockRanges(this.sampleIds.length, this.sampleBlockCount);
    for await (const { index, values, mu, sig } of this.headerBlockValues()) yield { index, block: this.assemble(index, values, mu, sig, ranges) };
  }

  /**
   * Like {@link headerBlocks}, without the per-sample-block rows: each header block's values as one
   * variant-major buffer (`values[pos·n + s]`, variant `pos` of the layout, sample `s` of
   * {@link sampleIds}; NaN where missing) with each variant's mean and sample sd. The buffer is
   * the caller's (nothing else holds it): it may be overwritten or transferred.
   * @param float32IfExact hold a header block as a Float32Array while every value of it is exactly
   *   a float32 (genotype states, hard calls: half the memory, the same numbers); a block with any
   *   other value is a Float64Array
   */
  headerBlockValues(float32IfExact: true): AsyncGenerator<{ index: number; values: Float64Array | Float32Array; mu: Float64Array; sig: Float64Array }>;
  headerBlockValues(float32IfExact?: false): AsyncGenerator<{ index: number; values: Float64Array; mu: Float64Array; sig: Float64Array }>;
  async *headerBlockValues(float32IfExact = false): AsyncGenerator<{ index: number; values: Float64Array | Float32Array; mu: Float64Array; sig: Float64Array }> {
    const n = this.sampleIds.length;
    const totalRows = this.frameRows;
    const blockOf = new Int32Array(totalRows).fill(-1);
    const posOf = new Int32Array(totalRows);
    this.layout.forEach((b, bi) => b.rows.forEach((r, pos) => { blockOf[r] = bi; posOf[r] = pos; }));
    const pending = new Map<number, { values: Float64Array | Float32Array; mu: Float64Array; sig: Float64Array; filled: number }>();
    let offset = 0;
    for await (const batch of this.frame.partitions()) {
      if (offset + batch.numRows > totalRows) throw changedError(`it has more than ${totalRows} rows`);
      let i = 0;
      const completed: number[] = [];
      for (const v of batchVariants(batch, offset)) {
        const row = offset + i++;
        const bi = blockOf[row]!;
        if (bi < 0) continue;
        if (v.values.length !== n) throw changedError(`row ${row} has ${v.values.length} values, not ${n}`);
        const size = this.layout[bi]!.rows.length;
        let p = pending.get(bi);
        if (!p) pending.set(bi, (p = { values: float32IfExact ? new Float32Array(size * n) : new Float64Array(size * n), mu: new Float64Array(size), sig: new Float64Array(size), filled: 0 }));
        const pos = posOf[row]!;
        const [mu, sig] = arrayMeanAndSd(v.values, v.nulls);
        p.mu[pos] = mu;
        p.sig[pos] = sig;
        if (p.values instanceof Float32Array && !float32Exact(v.values)) p.values = Float64Array.from(p.values);
        const dst = p.values.subarray(pos * n, pos * n + n);
        dst.set(v.values);
        if (v.nulls) for (let s = 0; s < n; s++) if (v.nulls[s]) dst[s] = NaN;
        if (++p.filled === size) completed.push(bi);
      }
      offset += batch.numRows;
      for (const bi of completed) {
        const p = pending.get(bi)!;
        pending.delete(bi);
        yield { index: bi, values: p.values, mu: p.mu, sig: p.sig };
      }
    }
    if (offset !== totalRows || pending.size > 0) throw changedError(`it has ${offset} rows, the first pass read ${totalRows}`);
  }

  /** The rows of header block `bi` as the materialized matrix holds them. */
  private assemble(bi: number, values: Float64Array, mu: Float64Array, sig: Float64Array, ranges: [number, number][]): BlockMatrix {
    const l = this.layout[bi]!;
    const n = this.sampleIds.length;
    const b = new BlockMatrixBuilder();
    for (let pos = 0; pos < l.rows.length; pos++) {
      ranges.forEach(([lo, hi], k) => {
        b.add({
          header: l.headers[pos]!, size: hi - lo, values: values.subarray(pos * n + lo, pos * n + hi), header_block: l.name,
          sample_block: String(k + 1), sort_key: l.sortKeys[pos]!, mu: mu[pos]!, sig: sig[pos]!,
        });
      });
    }
    return b.build();
  }

  /** The whole block matrix in memory (Glow's `block_df`), equal to the materialized blocking. */
  async materialize(): Promise<BlockMatrix> {
    const parts: BlockMatrix[] = new Array(this.layout.length);
    for await (const { index, block } of this.headerBlocks()) parts[index] = block;
    return concatBlockMatrices(parts);
  }

  toString(): string {
    return `StreamedBlockMatrix ${this.numRows} rows: ${this.header.length} headers in ${this.layout.length} header block(s) × ${this.sampleBlockCount} sample block(s) (values read per header block)`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /** Jupyter rich display: the layout (the values are not in memory). */
  [MIME_BUNDLE](): MimeBundle {
    const text = this.toString();
    return makeBundle(`<p><b>StreamedBlockMatrix</b> ${escapeHtml(text.replace(/^StreamedBlockMatrix /, ""))}</p>`, text, "model");
  }
}

/** True when every value is exactly a float32 (NaN included). */
function float32Exact(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) { const v = x[i]!; if (v !== Math.fround(v) && v === v) return false; }
  return true;
}

function changedError(what: string): GlowtsError {
  return new GlowtsError("BLOCKING", `the frame changed between the two passes of the streamed blocking: ${what}`);
}

/** Rows of several block matrices, one after the other. */
export function concatBlockMatrices(parts: readonly BlockMatrix[]): BlockMatrix {
  const withLabel = parts.some((p) => p.hasLabel);
  const anySparse = parts.some((p) => p.indices !== null);
  return new BlockMatrix({
    header: parts.flatMap((p) => p.header),
    size: Int32Array.from(parts.flatMap((p) => Array.from(p.size))),
    values: parts.flatMap((p) => p.values),
    indices: anySparse ? parts.flatMap((p) => p.indices ?? p.values.map(() => null)) : null,
    headerBlock: parts.flatMap((p) => p.headerBlock),
    sampleBlock: parts.flatMap((p) => p.sampleBlock),
    sortKey: Float64Array.from(parts.flatMap((p) => Array.from(p.sortKey))),
    mu: Float64Array.from(parts.flatMap((p) => Array.from(p.mu))),
    sig: Float64Array.from(parts.flatMap((p) => Array.from(p.sig))),
    alpha: withLabel ? parts.flatMap((p) => p.alpha ?? []) : null,
    label: withLabel ? parts.flatMap((p) => p.label ?? []) : null,
  });
}

/** Blocking keys of one variant row (what the first pass keeps). */
export interface KeyRow {
  row: number;
  contigName: string;
  start: number;
  referenceAllele: string;
  alternateAlleles: string[];
}

/**
 * The first pass: which rows are kept (two distinct values), their keys, and Glow's order and
 * header blocks. Runs `block-keys.ts` in the workers when the frame can (only keys come back),
 * otherwise computes the keys from the batches on this thread.
 */
async function layoutOf(frame: StreamableFrame, sampleIds: readonly string[], variantsPerBlock: number): Promise<{ layout: HeaderBlockLayout[]; rows: number }> {
  const keysFrame = frame.mapPartitions ? frame.mapPartitions(KEYS_MODULE, "blockKeys", { nSamples: sampleIds.length }) : null;
  const byContig = new Map<string, KeyRow[]>();
  let offset = 0;
  let expected = -1;
  const add = (k: KeyRow): void => {
    let list = byContig.get(k.contigName);
    if (!list) byContig.set(k.contigName, (list = []));
    list.push(k);
  };
  const checkCount = (count: number, row: number, k: { contigName: string; start: number }): void => {
    if (expected < 0) {
      expected = count;
      if (expected !== sampleIds.length) throw new GlowtsError("BLOCKING", `Number of values does not match between DataFrame (${expected}) and sample ID list (${sampleIds.length}).`);
      validateSampleIds(sampleIds);
    } else if (count !== expected) {
      throw new GlowtsError("BLOCKING", `At least one row has an inconsistent number of values (expected ${expected}). Please verify that each row contains the same number of values.`, { record: `variant ${row} (${k.contigName}:${k.start})` });
    }
  };
  if (keysFrame) {
    for await (const b of keysFrame.partitions()) {
      readKeyBatch(b, offset, checkCount, add);
      offset += b.numRows;
    }
  } else {
    const { hasTwoDistinct } = await import("./blocking.js");
    for await (const b of frame.partitions()) {
      let i = 0;
      for (const v of batchVariants(b, offset)) {
        const row = offset + i++;
        checkCount(v.values.length, row, v);
        if (hasTwoDistinct(v.values, v.nulls)) add({ row, contigName: v.contigName, start: v.start, referenceAllele: v.referenceAllele, alternateAlleles: v.alternateAlleles });
      }
      offset += b.numRows;
    }
  }
  if (expected < 0) throw new GlowtsError("BLOCKING", "DataFrame has no values.");
  return { layout: layoutOfKeys(byContig, variantsPerBlock), rows: offset };
}

/**
 * Glow's order and header blocks from the kept variants' keys, by contig (contigs in first-seen
 * order): within a contig by (start, ref, alts), then row; `variantsPerBlock` per header block.
 */
export function layoutOfKeys(byContig: Map<string, KeyRow[]>, variantsPerBlock: number): HeaderBlockLayout[] {
  const layout: HeaderBlockLayout[] = [];
  for (const [contig, list] of byContig) {
    list.sort((x, y) => compareVariants(x, y) || x.row - y.row);
    for (let a = 0, bi = 0; a < list.length; a += variantsPerBlock, bi++) {
      const chunk = list.slice(a, a + variantsPerBlock);
      layout.push({
        name: headerBlockName(contig, bi),
        rows: Int32Array.from(chunk, (k) => k.row),
        headers: chunk.map(variantHeader),
        sortKeys: Int32Array.from(chunk, (k) => k.start | 0),
      });
    }
  }
  return layout;
}

/** Reads the columns `block-keys.ts` returns. */
function readKeyBatch(
  b: VariantBatch, offset: number,
  checkCount: (count: number, row: number, k: { contigName: string; start: number }) => void,
  add: (k: KeyRow) => void,
): void {
  const c = b.columns;
  const contig = c["contigName"], start = c["start"], ref = c["referenceAllele"], alts = c["alternateAlleles"], kept = c["kept"], count = c["valueCount"];
  if (contig?.type !== "string" || ref?.type !== "string" || start?.type !== "long" || !alts || kept?.type !== "boolean" || count?.type !== "int") {
    throw new GlowtsError("BLOCKING", "blocking keys: unexpected columns from the workers");
  }
  for (let i = 0; i < b.numRows; i++) {
    const row = offset + i;
    const k = { contigName: contig.values[i] ?? "", start: start.values[i]! };
    checkCount(count.values[i]!, row, k);
    if (!kept.values[i]) continue;
    const altList = alts.type === "list" && alts.child.type === "string"
      ? (alts.child.values.slice(alts.offsets![i]!, alts.offsets![i + 1]!) as string[])
      : [];
    add({ row, contigName: k.contigName, start: k.start, referenceAllele: ref.values[i] ?? "", alternateAlleles: altList });
  }
}

/**
 * Glow's `block_variants_and_samples`: turns a variant frame with a `values` column (e.g.
 * `meanSubstitute(genotypeStates("genotypes"))`) into the blocked genotype matrix and the sample
 * block mapping.
 *
 * With `{ materialize: false }` the values are not held: `blockDf` is a {@link StreamedBlockMatrix}
 * (the layout from one pass over the frame; the values read again per header block when a model is
 * fitted), which `RidgeReduction`, `estimateLocoOffsets` and `glowts step1` fit in memory bounded by
 * a header block per worker plus the level-0 predictions (samples × header blocks × alphas × labels)
 * instead of samples × variants. The fitted models and predictions are bit-identical.
 *
 * @param frame variant frame with contigName, start, referenceAllele, alternateAlleles, values
 * @param sampleIds the sample ids, in the order of `values`
 * @param variantsPerBlock variants per header block (Glow recommends 1000)
 * @param sampleBlockCount number of sample blocks (Glow recommends 10)
 * @returns `{ blockDf, sampleBlocks }`: blockDf has columns header, size, values, header_block,
 *   sample_block, sort_key, mu, sig; sampleBlocks maps "1".."K" to sample ids
 * @example
 * ```ts
 * const { blockDf, sampleBlocks } = await glow.wgr.blockVariantsAndSamples(variants, sampleIds, 1000, 10);
 * // bounded memory (biobank sizes):
 * const streamed = await glow.wgr.blockVariantsAndSamples(variants, sampleIds, 1000, 10, { materialize: false });
 * ```
 * @see Glow `glow.wgr.block_variants_and_samples`
 */
export async function blockVariantsAndSamples(
  frame: StreamableFrame, sampleIds: readonly string[], variantsPerBlock: number, sampleBlockCount: number, options: { materialize: false },
): Promise<StreamedBlockedVariants>;
export async function blockVariantsAndSamples(
  frame: StreamableFrame, sampleIds: readonly string[], variantsPerBlock: number, sampleBlockCount: number, options?: { materialize?: true },
): Promise<BlockedVariants>;
export async function blockVariantsAndSamples(
  frame: StreamableFrame, sampleIds: readonly string[], variantsPerBlock: number, sampleBlockCount: number, options?: BlockingOptions,
): Promise<BlockedVariants | StreamedBlockedVariants>;
export async function blockVariantsAndSamples(
  frame: StreamableFrame, sampleIds: readonly string[], variantsPerBlock: number, sampleBlockCount: number, options: BlockingOptions = {},
): Promise<BlockedVariants | StreamedBlockedVariants> {
  if (options.materialize !== false) return blockVariantsMaterialized(frame, sampleIds, variantsPerBlock, sampleBlockCount);
  checkBlockArgs(variantsPerBlock, sampleBlockCount, sampleIds.length);
  const { layout, rows } = await layoutOf(frame, sampleIds, variantsPerBlock);
  const blockDf = new StreamedBlockMatrix(frame, sampleIds, variantsPerBlock, sampleBlockCount, layout, rows);
  return { blockDf, sampleBlocks: blockDf.sampleBlocks() };
}

/** True for a {@link StreamedBlockMatrix}. */
export function isStreamed(x: unknown): x is StreamedBlockMatrix {
  return x instanceof StreamedBlockMatrix;
}
