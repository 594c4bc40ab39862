/**
 * GloWGR level 1 for quantitative labels: `RidgeRegression` (Glow `py/wgr/ridge_regression.py`;
 * reference §2.5–2.6).
 */
import { GlowtsError } from "../core/errors.js";
import { formatAlphaList, type AlphaDict } from "./alphas.js";
import type { BlockMatrix, BlockRow, SampleBlocks } from "./block-matrix.js";
import { prepareCovariates, prepareLabelsAndWarn, type WgrLogger } from "./labels.js";
import { LocoPredictions } from "./loco.js";
import { choice, loggerOf, pyList, resolveAlphas, toBlockMatrix, type WgrCommonOptions } from "./options.js";
import type { RidgeReduction } from "./ridge-reduction.js";
import {
  CrossValidation, RidgeModel, WgrInputs, checkReducedLabels, inferChromosomes, predictLevel1, ridgeCrossValidate, type RidgeSolver,
} from "./ridge-stages.js";
import { ridgeFitParallel } from "./parallel.js";
import { toSampleTable, type SampleTable, type SampleTableLike } from "./sample-table.js";
import { MIME_BUNDLE, renderAs, type MimeBundle } from "../core/mime.js";

/** Options of {@link RidgeRegression}. */
export interface RidgeRegressionOptions extends WgrCommonOptions {
  /** @defaultValue true */
  addIntercept?: boolean;
  /** Ridge penalties; generated from the reduced matrix when empty. @defaultValue [] */
  alphas?: number[];
  /** How the ridge systems are solved (see {@link RidgeSolver}). @defaultValue 'auto' */
  solver?: RidgeSolver;
  /** Worker threads for the fit (results do not depend on it). @defaultValue glow.config().workers */
  workers?: number;
}

/** What `fit()` returns: Glow's `(model_df, cv_df)`. */
export interface RidgeFitResult {
  modelDf: RidgeModel;
  cvDf: CrossValidation;
}

/**
 * Fits, per label, a ridge model on the reduced block matrix X₁ (all header blocks of that label
 * plus covariates), choosing the alpha with the best mean out-of-fold r² over sample blocks, and
 * predicts ŷ (in standardized label units, covariate terms included), optionally leaving one
 * chromosome out (Glow's `RidgeRegression`).
 *
 * @example
 * ```ts
 * const regression = glow.wgr.RidgeRegression.fromRidgeReduction(reduction);
 * const yHat = await regression.fitTransformLoco(); // danfo DataFrame: sample_id, contigName, labels
 * ```
 * @see Glow `glow.wgr.RidgeRegression`
 */
export class RidgeRegression {
  readonly reducedBlockDf: BlockMatrix;
  readonly sampleBlocks: SampleBlocks;
  modelDf: RidgeModel | null = null;
  cvDf: CrossValidation | null = null;
  /** The last prediction (`transform`: a sample × label table; `transformLoco`: per chromosome). */
  yHat: SampleTable | LocoPredictions | null = null;

  protected labelDf!: SampleTableLike;
  protected labelTable!: SampleTable;
  stdLabelTable!: SampleTable;
  protected covDf: SampleTableLike | null = null;
  stdCovTable!: SampleTable;
  protected alphas!: AlphaDict;
  protected log: WgrLogger;
  /** How the ridge systems are solved. */
  solver: RidgeSolver = "auto";
  /** Worker threads for the fit (undefined: glow.config().workers). */
  workers: number | undefined = undefined;

  constructor(
    reducedBlockDf: BlockMatrix | readonly BlockRow[],
    labelDf: SampleTableLike,
    sampleBlocks: SampleBlocks,
    covDf: SampleTableLike | null = null,
    options: RidgeRegressionOptions = {},
  ) {
    this.log = loggerOf(options);
    this.solver = choice(options.solver, ["auto", "inverse", "cholesky"] as const, "solver", "auto");
    this.workers = options.workers;
    this.reducedBlockDf = toBlockMatrix(reducedBlockDf, "RidgeRegression");
    this.sampleBlocks = sampleBlocks;
    this.setLabelDf(labelDf);
    this.setCovDf(covDf, options.addIntercept ?? true);
    this.setAlphas(options.alphas ?? []);
  }

  /**
   * A RidgeRegression over a RidgeReduction's output, reusing its standardized labels and
   * covariates (Glow's `from_ridge_reduction`).
   * @throws GlowtsError `NO_MODEL` when the reduction has not been transformed yet
   */
  static fromRidgeReduction(reduction: RidgeReduction, alphas: number[] = [], options: WgrCommonOptions & { solver?: RidgeSolver; workers?: number } = {}): RidgeRegression {
    if (!reduction.reducedBlockDf) throw new GlowtsError("NO_MODEL", "fromRidgeReduction: run reduction.fitTransform() (or fit() and transform()) first");
    const obj = Object.create(RidgeRegression.prototype) as RidgeRegression;
    obj.initFrom(reduction, alphas, options);
    return obj;
  }

  /** @internal */
  protected initFrom(reduction: RidgeReduction, alphas: number[], options: WgrCommonOptions & { solver?: RidgeSolver; workers?: number }): void {
    this.log = loggerOf(options);
    this.solver = choice(options.solver, ["auto", "inverse", "cholesky"] as const, "solver", reduction.solver);
    this.workers = options.workers ?? reduction.workers;
    (this as { reducedBlockDf: BlockMatrix }).reducedBlockDf = reduction.reducedBlockDf!;
    (this as { sampleBlocks: SampleBlocks }).sampleBlocks = reduction.sampleBlocks;
    this.modelDf = null;
    this.cvDf = null;
    this.yHat = null;
    this.labelDf = reduction.getLabelDf();
    this.labelTable = reduction.getLabelTable();
    this.stdLabelTable = reduction.stdLabelTable;
    this.covDf = reduction.getCovDf();
    this.stdCovTable = reduction.stdCovTable;
    this.setAlphas(alphas);
  }

  setLabelDf(labelDf: SampleTableLike): void {
    const t = toSampleTable(labelDf, "label DataFrame");
    this.stdLabelTable = prepareLabelsAndWarn(t, false, "quantitative", this.log);
    this.labelDf = labelDf;
    this.labelTable = t;
  }

  getLabelDf(): SampleTableLike {
    return this.labelDf;
  }

  setCovDf(covDf: SampleTableLike | null, addIntercept: boolean): void {
    this.covDf = covDf;
    this.stdCovTable = prepareCovariates(toSampleTable(covDf, "covariate DataFrame"), this.labelTable, addIntercept);
  }

  getCovDf(): SampleTableLike | null {
    return this.covDf;
  }

  setAlphas(alphas: number[]): void {
    this.alphas = resolveAlphas(alphas, this.reducedBlockDf, this.log);
  }

  getAlphas(): AlphaDict {
    return { ...this.alphas };
  }

  protected inputs(): WgrInputs {
    return new WgrInputs(this.stdLabelTable, this.stdCovTable, this.sampleBlocks);
  }

  /**
   * Fits one ridge model per (sample block, label) with leave-one-sample-block-out normal
   * equations and scores every alpha by mean out-of-fold r².
   * @returns `modelDf` (coefficients) and `cvDf` (best alpha per label: label, alpha, alpha_value, r2_mean)
   */
  async fit(): Promise<RidgeFitResult> {
    checkReducedLabels(this.reducedBlockDf, this.stdLabelTable);
    const inputs = this.inputs();
    this.modelDf = await ridgeFitParallel(this.reducedBlockDf, "regression", inputs, this.alphas, this.solver, this.workers);
    this.cvDf = ridgeCrossValidate(this.reducedBlockDf, this.modelDf, inputs, this.alphas);
    return { modelDf: this.modelDf, cvDf: this.cvDf };
  }

  protected checkFitted(): { model: RidgeModel; cv: CrossValidation } {
    if (!this.modelDf) throw new GlowtsError("NO_MODEL", "No model DataFrame found! Run fit() or provide a previously made model.");
    if (!this.cvDf) throw new GlowtsError("NO_MODEL", "No cross validation DataFrame found! Run fit() or provide a previously made cv DataFrame.");
    return { model: this.modelDf, cv: this.cvDf };
  }

  /** ŷ per sample and label as a typed table (what {@link transform} returns as a DataFrame). */
  async transformToTable(): Promise<SampleTable> {
    const { model, cv } = this.checkFitted();
    const y = predictLevel1(this.reducedBlockDf, model, cv, this.inputs());
    this.yHat = y;
    return y;
  }

  /**
   * Predicts every label with its best alpha.
   * @returns danfo DataFrame indexed by sample id (the label table's order), one float column per label
   */
  async transform(): Promise<import("danfojs").DataFrame> {
    return (await this.transformToTable()).toDanfo();
  }

  /** Glow's chromosome list for LOCO: the argument, or those inferred from the headers; sorted. */
  protected locoChromosomes(chromosomes: readonly string[] | undefined): string[] {
    let cs: string[];
    if (chromosomes && chromosomes.length) cs = [...chromosomes].map(String);
    else {
      cs = inferChromosomes(this.reducedBlockDf);
      this.log(`Inferred chromosomes: ${pyList(cs)}`);
    }
    return cs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** LOCO predictions as typed tables (what {@link transformLoco} returns as a DataFrame). */
  async transformLocoToTable(chromosomes?: readonly string[]): Promise<LocoPredictions> {
    const { model, cv } = this.checkFitted();
    const inputs = this.inputs();
    const cs = this.locoChromosomes(chromosomes);
    const tables = cs.map((c) => {
      this.log(`Generating predictions for chromosome ${c}.`);
      return predictLevel1(this.reducedBlockDf, model.dropChromosome(c), cv, inputs);
    });
    const loco = new LocoPredictions(cs, tables);
    this.yHat = loco;
    return loco;
  }

  /**
   * For each chromosome c, predicts with the same coefficients after dropping the columns of c
   * (`^chr_{c}_(alpha|block)`): no refit, no new alpha selection.
   * @param chromosomes chromosomes to predict (default: inferred from the reduced matrix)
   * @returns danfo DataFrame: index `${sample_id}|${contigName}`, columns sample_id, contigName and
   *   one float column per label; rows by chromosome then sample (see {@link LocoPredictions})
   */
  async transformLoco(chromosomes?: readonly string[]): Promise<import("danfojs").DataFrame> {
    return (await this.transformLocoToTable(chromosomes)).toDanfo();
  }

  /** {@link fit} then {@link transform}. */
  async fitTransform(): Promise<import("danfojs").DataFrame> {
    await this.fit();
    return this.transform();
  }

  /** {@link fit} then {@link transformLoco}. */
  async fitTransformLoco(chromosomes?: readonly string[]): Promise<import("danfojs").DataFrame> {
    await this.fit();
    return this.transformLoco(chromosomes);
  }

  toString(): string {
    return [
      `${this.constructor.name}: ${this.reducedBlockDf.numRows} reduced rows, ${this.stdLabelTable?.columns.length ?? this.labelTable.columns.length} label(s), ` +
        `${this.stdCovTable.columns.length} covariate column(s), ${Object.keys(this.sampleBlocks).length} sample blocks`,
      `  alphas: ${formatAlphaList(this.alphas)}`,
      this.cvDf ? this.cvDf.toString().split("\n").map((l) => "  " + l).join("\n") : "  state: not fitted",
    ].join("\n");
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /** Jupyter rich display (alphas, the best alpha per label and the cross-validated r² as tables and charts); rendered by `src/display/ridge-regression.ts`. */
  [MIME_BUNDLE](): Promise<MimeBundle> {
    return renderAs("ridgeRegression", this);
  }
}
