/**
 * Level 0 of the `regenie` preset ({@link regenieRidge}): the traits residualized on the covariates
 * and scaled, then each header block fitted on its own ({@link regenieLevel0Block}) and reduced to
 * its out-of-fold predictions. The result, {@link RegenieLevel0Predictions}, is all a level 1 needs (the
 * linear one in regenie-ridge.ts, or a logistic one): samples × blocks × λ × traits values.
 *
 * The block matrix may be materialized (Glow's `blockDf`, a {@link BlockMatrix}) or streamed (a
 * {@link StreamedBlockMatrix} from `blockVariantsAndSamples(..., { materialize: false })`, whose
 * header blocks are read from the source one at a time). Both go through the same per-block
 * function on the same values in the same order, so their predictions are bit-identical; with the
 * streamed source memory holds at most one header block per fit worker plus the predictions,
 * REGENIE's memory shape, instead of samples × variants. Header blocks run on the fit workers
 * (`glow.config().workers`, transferred, one per worker in flight) when the matrix is large enough.
 */
import { GlowtsError } from "../core/errors.js";
import { config } from "../engine/config.js";
import { progressFor, type ProgressCallback } from "../engine/progress.js";
import { invertLU } from "../linalg/ridge-kernels.js";
import type { BlockMatrix, BlockRow, SampleBlocks } from "./block-matrix.js";
import { toBlockMatrix, loggerOf, type WgrCommonOptions } from "./options.js";
import { PARALLEL_MIN_VALUES, runOnFitPool } from "./parallel.js";
import { regenieLevel0Block, releaseLevel0Workspace, type RegenieLevel0BlockTask, type RegenieLevel0Context } from "./regenie-level0-block.js";
import { toSampleTable, type SampleTableLike } from "./sample-table.js";
import { isStreamed, type StreamedBlockMatrix } from "./streamed-blocks.js";
import { isPackedBed } from "./packed-bed-blocks.js";
import type { PackedBedBlock } from "./packed-bed-values.js";

/** REGENIE's heritability grid (level 0 and level 1). */
export const REGENIE_HERITABILITY_GRID = [0.01, 0.25, 0.5, 0.75, 0.99] as const;

/** Options of {@link regenieLevel0}. */
export interface RegenieLevel0Options extends WgrCommonOptions {
  /** Heritabilities of the level-0 grid. @defaultValue [0.01, 0.25, 0.5, 0.75, 0.99] */
  level0Heritabilities?: readonly number[];
  /** Add an intercept to the covariates. @defaultValue true */
  addIntercept?: boolean;
  /**
   * Fit threads for the header blocks; 0 or 1: this thread. @defaultValue `glow.config().workers`,
   * used when the matrix has at least 4,000,000 values (a number given here is used at any size)
   */
  workers?: number;
  /**
   * Progress over the header blocks (`partitionsDone` / `partitionsTotal` count blocks, `rows`
   * variants): a callback, `false` for none. @defaultValue the terminal bar on a TTY (the notebook's
   * display in the kernel), when `glow.config().progress` is on
   */
  onProgress?: ProgressCallback | boolean;
}

/**
 * The level-0 output: the out-of-fold predictions of every header block for every λ and trait,
 * with what a level 1 needs to use them. Samples are in fold order ({@link ids}).
 */
export interface RegenieLevel0Predictions {
  /** Samples in fold order (the folds' sample lists concatenated). */
  ids: string[];
  /** Fold names ("1".."K"), in order. */
  folds: string[];
  /** Fold f is `ids[foldStart[f] .. foldStart[f + 1])`; K + 1 entries. */
  foldStart: number[];
  /** Trait names, in the label table's order. */
  traits: string[];
  /** Residualized unit-variance traits, trait j at `Y[j·n .. (j+1)·n)` (0 where missing). */
  Y: Float64Array;
  /** 1 where trait j is observed for sample s: `observed[j·n + s]`. */
  observed: Uint8Array;
  /** Residual sd of each trait after the covariates. */
  scale: Record<string, number>;
  /** Header block names, in block order. */
  blocks: string[];
  /** Chromosome of each header block. */
  blockChromosomes: string[];
  /** Level-0 ridge penalties, λ = m(1 − h²)/h². */
  lambda: number[];
  /** Level-0 heritabilities (same order as {@link lambda}). */
  heritability: number[];
  /**
   * Per trait, the predictions as a feature-major matrix: feature p = b·R + r (block b, λ index r)
   * at `predictions[j][p·n .. (p+1)·n)`; out of fold (each fold predicted by a fit on the others).
   * A block without variance after the covariates has zeros.
   */
  predictions: Float64Array[];
  /** Variants in the block matrix (m of the level-0 λ). */
  variants: number;
  /** Covariate columns, intercept included. */
  covariateColumns: number;
}

/** The chromosome in a header block name `chr_{contig}_block_{i}`. */
export function chromOfHeaderBlock(hb: string): string {
  const m = /^chr_(.+?)_block_/s.exec(hb);
  return m ? m[1]! : hb;
}

/** Least squares residuals of `y` (length n, masked) on C (n × k column-major). */
export function residualize(c: Float64Array, k: number, n: number, y: Float64Array, mask: Uint8Array | null): { res: Float64Array; dof: number } {
  const ctc = new Float64Array(k * k);
  const cty = new Float64Array(k);
  let nObs = 0;
  for (let s = 0; s < n; s++) {
    if (mask && !mask[s]) continue;
    nObs++;
    for (let a = 0; a < k; a++) {
      const ca = c[a * n + s]!;
      cty[a] += ca * y[s]!;
      for (let b = 0; b <= a; b++) ctc[a * k + b] += ca * c[b * n + s]!;
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) ctc[b * k + a] = ctc[a * k + b]!;
  const res = new Float64Array(n);
  if (k === 0) {
    for (let s = 0; s < n; s++) res[s] = mask && !mask[s] ? 0 : y[s]!;
    return { res, dof: nObs };
  }
  const inv = invertLU(ctc, k, "regenie residualize");
  const beta = new Float64Array(k);
  for (let a = 0; a < k; a++) { let t = 0; for (let b = 0; b < k; b++) t += inv[a * k + b]! * cty[b]!; beta[a] = t; }
  for (let s = 0; s < n; s++) {
    if (mask && !mask[s]) continue;
    let f = 0;
    for (let a = 0; a < k; a++) f += c[a * n + s]! * beta[a]!;
    res[s] = y[s]! - f;
  }
  return { res, dof: nObs - k };
}

/** One header block's values as full sample vectors (variant-major m × n, fold order), or its packed `.bed` bytes. */
interface BlockValues {
  index: number;
  name: string;
  values?: Float64Array | Float32Array;
  packed?: PackedBedBlock;
  m: number;
}

/** Header blocks of a materialized matrix, each assembled into fold-order vectors. */
function* materializedBlocks(bm: BlockMatrix, folds: string[], foldStart: number[]): Generator<BlockValues> {
  const n = foldStart[folds.length]!;
  const foldOfBlock = new Map(folds.map((f, i) => [f, i]));
  const hbOrder: string[] = [];
  const hbRows = new Map<string, Map<string, number[]>>(); // header block → header → rows
  for (let r = 0; r < bm.numRows; r++) {
    const hb = bm.headerBlock[r]!;
    let m = hbRows.get(hb);
    if (!m) { m = new Map(); hbRows.set(hb, m); hbOrder.push(hb); }
    const h = bm.header[r]!;
    let rs = m.get(h);
    if (!rs) { rs = []; m.set(h, rs); }
    rs.push(r);
  }
  for (let b = 0; b < hbOrder.length; b++) {
    const hb = hbOrder[b]!;
    const headers = [...hbRows.get(hb)!.entries()];
    const values = new Float64Array(headers.length * n);
    headers.forEach(([h, rows], v) => {
      const full = values.subarray(v * n, (v + 1) * n);
      for (const r of rows) {
        const f = foldOfBlock.get(bm.sampleBlock[r]!);
        if (f === undefined) throw new GlowtsError("SAMPLE_BLOCK", `sample block '${bm.sampleBlock[r]}' is not in sample_blocks`, { record: `header ${h}` });
        const vals = bm.values[r]!;
        const idx = bm.indices?.[r];
        const base = foldStart[f]!;
        const nf = foldStart[f + 1]! - base;
        if (idx) for (let t = 0; t < idx.length; t++) full[base + idx[t]!] = vals[t]!;
        else {
          if (vals.length !== nf) throw new GlowtsError("BLOCK_MATRIX", `values has ${vals.length} elements, sample block '${bm.sampleBlock[r]}' has ${nf} samples`, { record: `header ${h}` });
          full.set(vals, base);
        }
      }
    });
    yield { index: b, name: hb, values, m: headers.length };
  }
}

/** Header blocks of a streamed matrix, read from its source one at a time. */
async function* streamedBlocks(src: StreamedBlockMatrix, ids: readonly string[]): AsyncGenerator<BlockValues> {
  const same = ids.length === src.sampleIds.length && ids.every((s, i) => s === src.sampleIds[i]);
  if (!same) throw new GlowtsError("SAMPLE_BLOCK", "regenieRidge: with a streamed block matrix, sample_blocks must be the matrix's own (blockDf.sampleBlocks())");
  if (isPackedBed(src)) {
    // PLINK bytes: the fit decodes them (a quarter of a byte per genotype crosses the thread)
    for await (const { index, block, m } of src.packedHeaderBlocks()) yield { index, name: src.layout[index]!.name, packed: block, m };
    return;
  }
  for await (const { index, values } of src.headerBlockValues(true)) {
    const l = src.layout[index]!;
    yield { index, name: l.name, values, m: l.headers.length };
  }
}

/**
 * REGENIE's level 0 for quantitative traits (see the module description and {@link regenieRidge}).
 * @param blockDf `blockVariantsAndSamples`'s blockDf, materialized or streamed (raw values: mu/sig are
 *   recomputed after the covariates)
 * @param labelDf traits (sample × trait; NaN = missing)
 * @param sampleBlocks sample blocks = cross-validation folds
 * @param covDf covariates (no missing values), or null
 * @throws GlowtsError `LABEL` for a trait with fewer than k + 2 observed values or zero residual
 *   variance, `COVARIATE` for a missing covariate value of an analysed sample
 */
export async function regenieLevel0Predictions(
  blockDf: BlockMatrix | StreamedBlockMatrix | readonly BlockRow[],
  labelDf: SampleTableLike,
  sampleBlocks: SampleBlocks,
  covDf: SampleTableLike | null = null,
  options: RegenieLevel0Options = {},
): Promise<RegenieLevel0Predictions> {
  const log = loggerOf(options);
  const streamed = isStreamed(blockDf) ? blockDf : null;
  const bm = streamed ? null : toBlockMatrix(blockDf as BlockMatrix | readonly BlockRow[], "regenieRidge");
  const labels = toSampleTable(labelDf, "label DataFrame");
  const cov = toSampleTable(covDf, "covariate DataFrame");
  const h0 = options.level0Heritabilities ?? REGENIE_HERITABILITY_GRID;
  for (const h of h0) if (!(h > 0 && h < 1)) throw new GlowtsError("OPTION", `regenieRidge: heritabilities must be in (0, 1); got ${h}`, { option: "level0Heritabilities" });
  const folds = Object.keys(sampleBlocks).sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
  if (folds.length < 2) throw new GlowtsError("OPTION", "regenieRidge: needs at least 2 sample blocks (cross-validation folds)");
  // samples in fold order
  const ids: string[] = [];
  const foldStart: number[] = [];
  for (const f of folds) { foldStart.push(ids.length); ids.push(...sampleBlocks[f]!); }
  foldStart.push(ids.length);
  const n = ids.length;
  const K = folds.length;
  const labelPos = labels.positionsOf(ids, "label DataFrame");
  const q = labels.columns.length;

  // covariates (column-major n × k) with the intercept first
  const addIntercept = options.addIntercept ?? true;
  const covCols = cov.empty ? [] : cov.columns;
  const k = covCols.length + (addIntercept ? 1 : 0);
  const C = new Float64Array(k * n);
  let o = 0;
  if (addIntercept) { C.fill(1, 0, n); o = 1; }
  if (covCols.length) {
    const cp = cov.positionsOf(ids, "covariate DataFrame");
    covCols.forEach((name, j) => {
      const col = cov.column(j);
      for (let s = 0; s < n; s++) {
        const v = col[cp[s]!]!;
        if (!Number.isFinite(v)) throw new GlowtsError("COVARIATE", `covariate '${name}' is missing or not finite for sample '${ids[s]}'`, { record: `sample ${ids[s]}, column ${name}` });
        C[(j + o) * n + s] = v;
      }
    });
  }

  // traits: residualize on the observed samples, scale to unit variance (dof n_obs − k)
  const Y = new Float64Array(q * n); // row block q × n
  const observed = new Uint8Array(q * n);
  const scale: Record<string, number> = {};
  labels.columns.forEach((name, j) => {
    const col = labels.column(j);
    const y = new Float64Array(n);
    const mask = observed.subarray(j * n, (j + 1) * n);
    for (let s = 0; s < n; s++) { const v = col[labelPos[s]!]!; if (Number.isFinite(v)) { y[s] = v; mask[s] = 1; } }
    const { res, dof } = residualize(C, k, n, y, mask);
    if (dof < 2) throw new GlowtsError("LABEL", `trait '${name}' has ${dof + k} observed values for ${k} covariate column(s)`, { record: `column ${name}` });
    let ss = 0;
    for (let s = 0; s < n; s++) ss += res[s]! ** 2;
    const sd = Math.sqrt(ss / dof);
    if (!(sd > 0)) throw new GlowtsError("LABEL", `trait '${name}' has no variance left after the covariates`, { record: `column ${name}` });
    scale[name] = sd;
    for (let s = 0; s < n; s++) Y[j * n + s] = res[s]! / sd;
  });

  // the header blocks and the number of variants (the m of λ)
  let blocks: string[];
  let M: number;
  if (streamed) {
    blocks = streamed.headerBlockIds();
    M = streamed.header.length;
  } else {
    const seen = new Map<string, Set<string>>();
    for (let r = 0; r < bm!.numRows; r++) {
      const hb = bm!.headerBlock[r]!;
      let s = seen.get(hb);
      if (!s) seen.set(hb, (s = new Set()));
      s.add(bm!.header[r]!);
    }
    blocks = [...seen.keys()];
    M = 0;
    for (const s of seen.values()) M += s.size;
  }
  const lambda0 = h0.map((h) => (M * (1 - h)) / h);
  const R = lambda0.length;
  const ctcInv = k ? invertLU((() => {
    const a = new Float64Array(k * k);
    for (let x = 0; x < k; x++) for (let y = 0; y < k; y++) { let t = 0; for (let s = 0; s < n; s++) t += C[x * n + s]! * C[y * n + s]!; a[x * k + y] = t; }
    return a;
  })(), k, "regenie covariates") : new Float64Array(0);
  const Yf = folds.map((_, f) => {
    const nf = foldStart[f + 1]! - foldStart[f]!;
    const out = new Float64Array(q * nf);
    for (let j = 0; j < q; j++) out.set(Y.subarray(j * n + foldStart[f]!, j * n + foldStart[f + 1]!), j * nf);
    return out;
  });
  const ctx: RegenieLevel0Context = { n, C, k, ctcInv, Yf, q, foldStart, folds, lambda0 };

  const B = blocks.length;
  const W = Array.from({ length: q }, () => new Float64Array(B * R * n));
  const progress = progressFor("regenie level 0", options.onProgress, config().progress);
  const t0 = Date.now();
  let blocksDone = 0, variantsDone = 0;
  const store = (b: number, out: Float64Array | null, m: number): void => {
    blocksDone++;
    variantsDone += m;
    progress?.({ action: "regenie level 0", partitionsDone: blocksDone, partitionsTotal: B, rows: variantsDone, elapsedMs: Date.now() - t0, done: blocksDone === B });
    if (!out) return;
    for (let j = 0; j < q; j++) for (let r = 0; r < R; r++) W[j]!.set(out.subarray((j * R + r) * n, (j * R + r + 1) * n), (b * R + r) * n);
  };
  log(`regenie level 0: ${B} blocks, ${M} variants, ${K} folds, λ = ${lambda0.map((l) => l.toPrecision(4)).join(", ")}`);
  const source: AsyncIterable<BlockValues> | Iterable<BlockValues> = streamed ? streamedBlocks(streamed, ids) : materializedBlocks(bm!, folds, foldStart);
  const w = options.workers ?? config().workers;
  if (w <= 1 || B <= 1 || (options.workers === undefined && M * n < PARALLEL_MIN_VALUES)) {
    try {
      for await (const blk of source) store(blk.index, regenieLevel0Block({ kind: "regenie-level0", name: blk.name, values: blk.values, packed: blk.packed, m: blk.m, ctx }), blk.m);
    } finally {
      releaseLevel0Workspace();
    }
  } else {
    // one header block per worker in flight, its values moved (not copied) to the worker
    const inFlight = new Set<Promise<void>>();
    let failure: unknown;
    for await (const blk of source) {
      if (failure) break;
      const task: RegenieLevel0BlockTask = { kind: "regenie-level0", name: blk.name, values: blk.values, packed: blk.packed, m: blk.m, ctx };
      const moved = (blk.values ?? blk.packed!.bytes).buffer as ArrayBuffer;
      const p: Promise<void> = runOnFitPool<{ out?: Float64Array | null; error?: import("../core/errors.js").SerializedGlowtsError }>(
        task, w, `regenie level 0, header block ${blk.name}`, [moved],
      ).then((reply) => {
        if (reply.error) throw GlowtsError.fromJSON(reply.error);
        store(blk.index, reply.out ?? null, blk.m);
      }).catch((e: unknown) => { failure ??= e; }).finally(() => inFlight.delete(p));
      inFlight.add(p);
      while (inFlight.size >= w) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (failure) throw failure;
  }
  log(`regenie level 0: ${B} blocks fitted in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return {
    ids, folds, foldStart, traits: [...labels.columns], Y, observed, scale, blocks,
    blockChromosomes: blocks.map(chromOfHeaderBlock), lambda: lambda0, heritability: [...h0],
    predictions: W, variants: M, covariateColumns: k,
  };
}
