/**
 * Genotype blocking (Glow `block_variants_and_samples`, `VariantSampleBlockMaker.makeVariantAndSampleBlocks
 * / makeSampleBlocks`; reference §2.1).
 */
import { GlowtsError } from "../core/errors.js";
import { isNull, listRange, type Column, type ListColumn, type VariantBatch } from "../core/column.js";
import { compareStrings } from "./alphas.js";
import { BlockMatrix, BlockMatrixBuilder, type SampleBlocks } from "./block-matrix.js";

/** One variant's blocking input: Glow's coordinates plus its `values` (one per sample; NaN = null). */
export interface BlockVariantInput {
  contigName: string;
  start: number;
  referenceAllele: string;
  alternateAlleles: string[];
  values: Float64Array;
  /** Optional null mask of `values` (1 = null), skipped by mean/sd as Spark does. */
  nulls?: Uint8Array | null;
}

/** The fields that order and name a variant in a block matrix. */
export type VariantKey = Pick<BlockVariantInput, "contigName" | "start" | "referenceAllele" | "alternateAlleles">;

/** What {@link blockVariantsAndSamples} returns: Glow's `(block_df, sample_blocks)`. */
export interface BlockedVariants {
  blockDf: BlockMatrix;
  sampleBlocks: SampleBlocks;
}

/**
 * Sample block boundaries: block k = 1..K covers `[round(f·(k−1)), round(f·k))` with f = N/K and
 * Spark's HALF_UP rounding (e.g. 2504 samples in 10 blocks: 250, 251, 250, 251, 250, 250, 251, 250, 251, 250).
 * @returns `[start, end)` per block, blocks in order "1".."K"
 */
export function sampleBlockRanges(nSamples: number, sampleBlockCount: number): [number, number][] {
  const f = nSamples / sampleBlockCount;
  const out: [number, number][] = [];
  for (let k = 1; k <= sampleBlockCount; k++) out.push([roundHalfUp((k - 1) * f), roundHalfUp(k * f)]);
  return out;
}

/** Spark's `round(x)` on a non-negative double (HALF_UP). */
function roundHalfUp(x: number): number {
  return Math.round(x);
}

/**
 * Glow's `makeSampleBlocks` applied to the sample-id list (`__get_index_map`): block id "k" → ids.
 */
export function makeSampleBlocks(sampleIds: readonly string[], sampleBlockCount: number): SampleBlocks {
  const out: SampleBlocks = {};
  sampleBlockRanges(sampleIds.length, sampleBlockCount).forEach(([a, b], k) => (out[String(k + 1)] = sampleIds.slice(a, b)));
  return out;
}

/** Glow's `__validate_sample_ids`: non-empty and unique. */
export function validateSampleIds(sampleIds: readonly string[]): void {
  if (sampleIds.some((s) => !s)) throw new GlowtsError("SAMPLE_IDS", "Cannot have empty sample IDs.");
  if (new Set(sampleIds).size !== sampleIds.length) throw new GlowtsError("SAMPLE_IDS", "Cannot have duplicated sample IDs.");
}

/** Spark's `size(array_distinct(values)) > 1` (NaN equals NaN; a null counts as one value). */
export function hasTwoDistinct(v: Float64Array, nulls: Uint8Array | null | undefined): boolean {
  let first: number | undefined;
  let sawNull = false;
  for (let i = 0; i < v.length; i++) {
    if (nulls && nulls[i]) {
      sawNull = true;
      if (first !== undefined) return true;
      continue;
    }
    const x = v[i]!;
    if (first === undefined) {
      first = x;
      if (sawNull) return true;
    } else if (!(x === first || (Number.isNaN(x) && Number.isNaN(first)))) return true;
  }
  return false;
}

/** Glow's `array_summary_stats` mean and sample sd (Welford updates, nulls skipped). */
export function arrayMeanAndSd(v: Float64Array, nulls?: Uint8Array | null): [number, number] {
  let count = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < v.length; i++) {
    if (nulls && nulls[i]) continue;
    const x = v[i]!;
    count++;
    const delta = x - mean;
    const deltaN = delta / count;
    mean += deltaN;
    m2 += delta * (delta - deltaN);
  }
  if (count === 0) return [NaN, NaN];
  return [mean, Math.sqrt(m2 / (count - 1))];
}

/** Spark ordering of (start, referenceAllele, alternateAlleles). */
export function compareVariants(a: VariantKey, b: VariantKey): number {
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  const r = compareStrings(a.referenceAllele, b.referenceAllele);
  if (r !== 0) return r;
  const n = Math.min(a.alternateAlleles.length, b.alternateAlleles.length);
  for (let i = 0; i < n; i++) {
    const c = compareStrings(a.alternateAlleles[i]!, b.alternateAlleles[i]!);
    if (c !== 0) return c;
  }
  return a.alternateAlleles.length - b.alternateAlleles.length;
}

/**
 * Blocks variants (pure; the core of {@link blockVariantsAndSamples}): validates the value counts,
 * drops variants with fewer than two distinct values, computes header (`contig:start:ref:alts`),
 * sort_key (= start as int), mu and sample sd over all samples, slices the samples into
 * `sampleBlockCount` HALF_UP blocks and numbers header blocks `chr_{contig}_block_{i}` every
 * `variantsPerBlock` variants of a contig in (start, ref, alts) order.
 * @returns `{ blockDf, sampleBlocks }`
 * @throws GlowtsError `BLOCKING` for inconsistent value counts or bad arguments; `SAMPLE_IDS` for empty/duplicate ids
 */
export function blockVariantRows(
  variants: Iterable<BlockVariantInput>, sampleIds: readonly string[], variantsPerBlock: number, sampleBlockCount: number,
): BlockedVariants {
  checkBlockArgs(variantsPerBlock, sampleBlockCount, sampleIds.length);
  const acc = new BlockAccumulator(sampleIds, variantsPerBlock, sampleBlockCount);
  for (const v of variants) acc.add(v);
  return acc.finish();
}

/** Validates the blocking arguments. */
export function checkBlockArgs(variantsPerBlock: number, sampleBlockCount: number, nSamples: number): void {
  if (!Number.isInteger(variantsPerBlock) || variantsPerBlock < 1) throw new GlowtsError("OPTION", `variantsPerBlock must be a positive integer; got ${variantsPerBlock}`, { option: "variantsPerBlock" });
  if (!Number.isInteger(sampleBlockCount) || sampleBlockCount < 1) throw new GlowtsError("OPTION", `sampleBlockCount must be a positive integer; got ${sampleBlockCount}`, { option: "sampleBlockCount" });
  if (sampleBlockCount > nSamples) throw new GlowtsError("OPTION", `sampleBlockCount (${sampleBlockCount}) exceeds the number of samples (${nSamples}): some sample blocks would be empty`, { option: "sampleBlockCount" });
}

/** Glow's header of a variant: `contig:start:ref:alt1:alt2…`. */
export function variantHeader(v: VariantKey): string {
  return [v.contigName, String(v.start), v.referenceAllele, ...v.alternateAlleles].join(":");
}

/** Glow's header block name: `chr_{contig}_block_{i}`. */
export function headerBlockName(contig: string, i: number): string {
  return `chr_${contig}_block_${i}`;
}

/** Streaming accumulator behind {@link blockVariantRows} and {@link blockVariantsAndSamples}. */
class BlockAccumulator {
  private readonly byContig = new Map<string, { v: BlockVariantInput; mu: number; sig: number; seq: number }[]>();
  private expected = -1;
  private seen = 0;
  private seq = 0;

  constructor(private readonly sampleIds: readonly string[], private readonly variantsPerBlock: number, private readonly sampleBlockCount: number) {}

  add(v: BlockVariantInput): void {
    const index = this.seen++;
    if (this.expected < 0) {
      this.expected = v.values.length;
      if (this.expected !== this.sampleIds.length) {
        throw new GlowtsError("BLOCKING", `Number of values does not match between DataFrame (${this.expected}) and sample ID list (${this.sampleIds.length}).`);
      }
      validateSampleIds(this.sampleIds);
    } else if (v.values.length !== this.expected) {
      throw new GlowtsError(
        "BLOCKING",
        `At least one row has an inconsistent number of values (expected ${this.expected}). Please verify that each row contains the same number of values.`,
        { record: `variant ${index} (${v.contigName}:${v.start})` },
      );
    }
    if (!hasTwoDistinct(v.values, v.nulls)) return;
    const [mu, sig] = arrayMeanAndSd(v.values, v.nulls);
    let list = this.byContig.get(v.contigName);
    if (!list) this.byContig.set(v.contigName, (list = []));
    list.push({ v, mu, sig, seq: this.seq++ });
  }

  finish(): BlockedVariants {
    if (this.expected < 0) throw new GlowtsError("BLOCKING", "DataFrame has no values.");
    const ranges = sampleBlockRanges(this.sampleIds.length, this.sampleBlockCount);
    const b = new BlockMatrixBuilder();
    for (const [contig, list] of this.byContig) {
      list.sort((x, y) => compareVariants(x.v, y.v) || x.seq - y.seq);
      list.forEach(({ v, mu, sig }, i) => {
        const headerBlock = headerBlockName(contig, Math.floor(i / this.variantsPerBlock));
        const header = variantHeader(v);
        const sortKey = v.start | 0;
        let vals = v.values;
        if (v.nulls) {
          vals = Float64Array.from(vals);
          for (let s = 0; s < vals.length; s++) if (v.nulls[s]) vals[s] = NaN;
        }
        ranges.forEach(([lo, hi], k) => {
          b.add({ header, size: hi - lo, values: vals.subarray(lo, hi), header_block: headerBlock, sample_block: String(k + 1), sort_key: sortKey, mu, sig });
        });
      });
    }
    return { blockDf: b.build(), sampleBlocks: makeSampleBlocks(this.sampleIds, this.sampleBlockCount) };
  }
}

/** The per-variant inputs of a batch (Glow's variant schema with a `values` column). */
export function* batchVariants(batch: VariantBatch, offset = 0): Generator<BlockVariantInput> {
  const c = batch.columns;
  const need = (name: string): Column => {
    const x = c[name];
    if (!x) throw new GlowtsError("BLOCKING", `blockVariantsAndSamples: the frame has no '${name}' column (columns: ${Object.keys(c).join(", ")})`);
    return x;
  };
  const contig = need("contigName");
  const start = need("start");
  const ref = need("referenceAllele");
  const alts = need("alternateAlleles");
  const values = need("values");
  if (values.type !== "list") throw new GlowtsError("BLOCKING", "blockVariantsAndSamples: 'values' must be an array<double> column");
  const child = values.child;
  if (child.type !== "double" && child.type !== "int" && child.type !== "long") throw new GlowtsError("BLOCKING", "blockVariantsAndSamples: 'values' must be an array<double> column");
  if (contig.type !== "string" || ref.type !== "string") throw new GlowtsError("BLOCKING", "blockVariantsAndSamples: contigName and referenceAllele must be strings");
  if (start.type !== "long" && start.type !== "double" && start.type !== "int") throw new GlowtsError("BLOCKING", "blockVariantsAndSamples: start must be numeric");
  for (let i = 0; i < batch.numRows; i++) {
    if (isNull(values, i)) throw new GlowtsError("BLOCKING", "values is null", { record: `variant ${offset + i}` });
    const [a, b] = listRange(values as ListColumn, i);
    let vals: Float64Array;
    if (child.values instanceof Float64Array) vals = child.values.subarray(a, b);
    else vals = Float64Array.from(child.values.subarray(a, b));
    const nulls = child.nulls ? child.nulls.subarray(a, b) : null;
    yield {
      contigName: contig.values[i] ?? "",
      start: start.values[i]!,
      referenceAllele: ref.values[i] ?? "",
      alternateAlleles: alternateAllelesOf(alts, i),
      values: vals,
      nulls: nulls && nulls.some((x) => x === 1) ? nulls : null,
    };
  }
}

/** The alternate alleles of row `i` (a list or a single string column). */
export function alternateAllelesOf(alts: Column, i: number): string[] {
  if (alts.type === "string") return alts.values[i] === null ? [] : [alts.values[i]!];
  if (alts.type !== "list" || alts.child.type !== "string") return [];
  if (isNull(alts, i)) return [];
  const [a, b] = listRange(alts, i);
  const out: string[] = [];
  for (let k = a; k < b; k++) {
    const s = alts.child.values[k];
    if (s !== null && s !== undefined) out.push(s);
  }
  return out;
}

/** Anything that yields variant batches (a VariantFrame). */
export interface BatchSource {
  partitions(): AsyncIterable<VariantBatch>;
}

/**
 * Glow's `block_variants_and_samples`: turns a variant frame with a `values` column (e.g.
 * `meanSubstitute(genotypeStates("genotypes"))`) into the blocked genotype matrix and the sample
 * block mapping.
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
 * ```
 * @see Glow `glow.wgr.block_variants_and_samples`
 */
export async function blockVariantsMaterialized(
  frame: BatchSource, sampleIds: readonly string[], variantsPerBlock: number, sampleBlockCount: number,
): Promise<BlockedVariants> {
  checkBlockArgs(variantsPerBlock, sampleBlockCount, sampleIds.length);
  const acc = new BlockAccumulator(sampleIds, variantsPerBlock, sampleBlockCount);
  let offset = 0;
  for await (const batch of frame.partitions()) {
    for (const v of batchVariants(batch, offset)) acc.add(v);
    offset += batch.numRows;
  }
  return acc.finish();
}
