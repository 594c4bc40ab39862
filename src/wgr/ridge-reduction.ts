/**
 * GloWGR level 0: `RidgeReduction` (Glow `py/wgr/ridge_reduction.py`; reference §2.4).
 */
import { GlowtsError } from "../core/errors.js";
import type { AlphaDict } from "./alphas.js";
import { formatAlphaList } from "./alphas.js";
import type { BlockMatrix, BlockRow, SampleBlocks } from "./block-matrix.js";
import { isBinary, prepareCovariates, prepareLabelsAndWarn, type LabelType, type WgrLogger } from "./labels.js";
import { choice, loggerOf, resolveAlphas, toBlockMatrix, type WgrCommonOptions } from "./options.js";
import { RidgeModel, WgrInputs, ridgeApply, type RidgeSolver } from "./ridge-stages.js";
import { ridgeFitParallel } from "./parallel.js";
import { toSampleTable, type SampleTable, type SampleTableLike } from "./sample-table.js";
import { MIME_BUNDLE, renderAs, type MimeBundle } from "../core/mime.js";
import { isStreamed, type StreamedBlockMatrix } from "./streamed-blocks.js";
import { ridgeApplyStreamed, ridgeReduceStreamed } from "./streaming-fit.js";

/** Options of {@link RidgeReduction} (Glow's keyword arguments in camelCase). */
export interface RidgeReductionOptions extends WgrCommonOptions {
  /** Add an all-ones `intercept` covariate as the first column. @defaultValue true */
  addIntercept?: boolean;
  /** Ridge penalties; generated from the number of headers when empty. @defaultValue [] */
  alphas?: number[];
  /** @defaultValue 'detect' */
  labelType?: LabelType;
  /** How the ridge systems are solved (see {@link RidgeSolver}). @defaultValue 'auto' */
  solver?: RidgeSolver;
  /** Worker threads for the fit (results do not depend on it). @defaultValue glow.config().workers */
  workers?: number;
}

/**
 * Reduces an N × M block matrix X₀ to an N × P block matrix X₁ by fitting, within each header
 * block, one ridge model per (alpha, label) with leave-one-sample-block-out cross fitting
 * (Glow's `RidgeReduction`).
 *
 * @example
 * ```ts
 * const reduction = new glow.wgr.RidgeReduction(blockDf, labelDf, sampleBlocks, covariateDf);
 * const reduced = await reduction.fitTransform();
 * ```
 * @see Glow `glow.wgr.RidgeReduction`; Mbatchou et al. (2021) Nat Genet 53:1097 (REGENIE)
 */
export class RidgeReduction {
  /**
   * The input block matrix (Glow's `block_df`): materialized, or streamed header block by header
   * block (from `blockVariantsAndSamples(..., { materialize: false })`; same results, bounded memory).
   */
  readonly blockDf: BlockMatrix | StreamedBlockMatrix;
  readonly sampleBlocks: SampleBlocks;
  /** The fitted model (Glow's `model_df`), after {@link fit}. */
  modelDf: RidgeModel | null = null;
  /** The reduced block matrix (Glow's `reduced_block_df`), after {@link transform}. */
  reducedBlockDf: BlockMatrix | null = null;

  private labelType: LabelType;
  private labelDf!: SampleTableLike;
  private labelTable!: SampleTable;
  private binary = false;
  /** Standardized labels (Glow's `_std_label_df`). */
  stdLabelTable!: SampleTable;
  private covDf!: SampleTableLike | null;
  /** Standardized covariates with the intercept (Glow's `_std_cov_df`). */
  stdCovTable!: SampleTable;
  private alphas!: AlphaDict;
  private readonly log: WgrLogger;
  /** How the ridge systems are solved. */
  solver: RidgeSolver;
  /** Worker threads for the fit (undefined: glow.config().workers). */
  workers: number | undefined;
  /** The streamed fit's reduced matrix, computed with the model it belongs to. */
  private streamedReduced: { model: RidgeModel; reduced: BlockMatrix } | null = null;

  constructor(
    blockDf: BlockMatrix | readonly BlockRow[] | StreamedBlockMatrix,
    labelDf: SampleTableLike,
    sampleBlocks: SampleBlocks,
    covDf: SampleTableLike | null = null,
    options: RidgeReductionOptions = {},
  ) {
    this.log = loggerOf(options);
    this.solver = choice(options.solver, ["auto", "inverse", "cholesky"] as const, "solver", "auto");
    this.workers = options.workers;
    this.blockDf = isStreamed(blockDf) ? blockDf : toBlockMatrix(blockDf, "RidgeReduction");
    this.sampleBlocks = sampleBlocks;
    this.labelType = choice(options.labelType, ["detect", "binary", "quantitative"] as const, "labelType", "detect");
    this.setLabelDf(labelDf);
    this.setCovDf(covDf, options.addIntercept ?? true);
    this.setAlphas(options.alphas ?? []);
  }

  /** Sets the labels (standardizing them and reporting the label type). */
  setLabelDf(labelDf: SampleTableLike): void {
    const t = toSampleTable(labelDf, "label DataFrame");
    if (t.columns.length === 0) throw new GlowtsError("LABEL", "RidgeReduction: the label DataFrame has no columns");
    this.binary = isBinary(t);
    this.stdLabelTable = prepareLabelsAndWarn(t, this.binary, this.labelType, this.log);
    this.labelDf = labelDf;
    this.labelTable = t;
  }

  /** The labels as given. */
  getLabelDf(): SampleTableLike {
    return this.labelDf;
  }

  /** The labels as a numeric table (raw values). */
  getLabelTable(): SampleTable {
    return this.labelTable;
  }

  setLabelType(labelType: LabelType): void {
    this.labelType = choice(labelType, ["detect", "binary", "quantitative"] as const, "labelType", "detect");
    this.stdLabelTable = prepareLabelsAndWarn(this.labelTable, this.binary, this.labelType, this.log);
  }

  getLabelType(): LabelType {
    return this.labelType;
  }

  /** Sets the covariates (standardized; intercept inserted first when `addIntercept`). */
  setCovDf(covDf: SampleTableLike | null, addIntercept: boolean): void {
    this.covDf = covDf;
    this.stdCovTable = prepareCovariates(toSampleTable(covDf, "covariate DataFrame"), this.labelTable, addIntercept);
  }

  getCovDf(): SampleTableLike | null {
    return this.covDf;
  }

  /** Sets the alphas (generated from the number of headers when empty). */
  setAlphas(alphas: number[]): void {
    this.alphas = resolveAlphas(alphas, this.blockDf, this.log);
  }

  getAlphas(): AlphaDict {
    return { ...this.alphas };
  }

  /** Whether every label is 0, 1 or missing. */
  isBinary(): boolean {
    return this.binary;
  }

  private inputs(): WgrInputs {
    return new WgrInputs(this.stdLabelTable, this.stdCovTable, this.sampleBlocks);
  }

  /**
   * Fits the per-block ridge models: map (XᵀX, XᵀY per header block × sample block), reduce
   * (leave one sample block out), solve (one coefficient column per alpha × label).
   * @returns the model (Glow's `model_df`)
   */
  async fit(): Promise<RidgeModel> {
    const inputs = this.inputs();
    if (isStreamed(this.blockDf)) {
      // Each header block is read once: fitted and applied in the same task (see streaming-fit.ts).
      const { model, reduced } = await ridgeReduceStreamed(this.blockDf, inputs, this.alphas, this.solver, this.workers);
      this.streamedReduced = { model, reduced };
      this.modelDf = model;
      return model;
    }
    this.modelDf = await ridgeFitParallel(this.blockDf, "reduction", inputs, this.alphas, this.solver, this.workers);
    return this.modelDf;
  }

  /**
   * Applies the fitted model: each (header block, sample block) becomes one reduced row per
   * (alpha, label), standardized per sample block by the next level.
   * @returns the reduced block matrix with columns header, size, values, header_block,
   *   sample_block, sort_key, mu, sig, alpha, label
   */
  async transform(): Promise<BlockMatrix> {
    if (!this.modelDf) throw new GlowtsError("NO_MODEL", "No model DataFrame found! Run fit() or provide a previously made model.");
    if (isStreamed(this.blockDf)) {
      const cached = this.streamedReduced;
      this.reducedBlockDf = cached && cached.model === this.modelDf
        ? cached.reduced
        : await ridgeApplyStreamed(this.blockDf, this.modelDf, this.inputs(), this.alphas);
      this.streamedReduced = null;
      return this.reducedBlockDf;
    }
    this.reducedBlockDf = ridgeApply(this.blockDf, this.modelDf, this.inputs(), this.alphas);
    return this.reducedBlockDf;
  }

  /** {@link fit} then {@link transform}. */
  async fitTransform(): Promise<BlockMatrix> {
    await this.fit();
    return this.transform();
  }

  toString(): string {
    return [
      `RidgeReduction: ${this.blockDf.numRows} block rows, ${this.stdLabelTable.columns.length} label(s) (${this.binary ? "binary" : "quantitative"}, labelType '${this.labelType}'), ` +
        `${this.stdCovTable.columns.length} covariate column(s), ${Object.keys(this.sampleBlocks).length} sample blocks`,
      `  alphas: ${formatAlphaList(this.alphas)}`,
      `  state: ${this.reducedBlockDf ? "fitted and transformed" : this.modelDf ? "fitted" : "not fitted"}`,
    ].join("\n");
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /** Jupyter rich display (label type, labels, covariates, alphas and the fit's state); rendered by `src/display/ridge-reduction.ts`. */
  [MIME_BUNDLE](): Promise<MimeBundle> {
    return renderAs("ridgeReduction", this);
  }
}
