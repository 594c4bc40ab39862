/**
 * GloWGR level 1 for binary labels: `LogisticRidgeRegression` (Glow
 * `py/wgr/logistic_ridge_regression.py`; reference §2.7).
 */
import { GlowtsError } from "../core/errors.js";
import { formatAlphaList, type AlphaDict } from "./alphas.js";
import type { BlockMatrix, BlockRow, SampleBlocks } from "./block-matrix.js";
import { isBinary, prepareCovariates, prepareLabelsAndWarn, type WgrLogger } from "./labels.js";
import { LocoPredictions } from "./loco.js";
import { fitCovariateBetas, logisticCrossValidate, logisticMap, logisticReduce, logisticSolve, sigmoidInPlace } from "./logistic-stages.js";
import { choice, loggerOf, pyList, resolveAlphas, toBlockMatrix, type WgrCommonOptions } from "./options.js";
import type { RidgeReduction } from "./ridge-reduction.js";
import type { RidgeFitResult } from "./ridge-regression.js";
import { CrossValidation, RidgeModel, WgrInputs, checkReducedLabels, inferChromosomes, predictLevel1 } from "./ridge-stages.js";
import { toSampleTable, type SampleTable, type SampleTableLike } from "./sample-table.js";
import { MIME_BUNDLE, renderAs, type MimeBundle } from "../core/mime.js";

/** Options of {@link LogisticRidgeRegression}. */
export interface LogisticRidgeRegressionOptions extends WgrCommonOptions {
  /** @defaultValue true */
  addIntercept?: boolean;
  /** Ridge penalties; generated from the reduced matrix when empty. @defaultValue [] */
  alphas?: number[];
}

/** Output scale of the logistic level-1 predictions. */
export type LogisticResponse = "linear" | "sigmoid";

/**
 * Fits, per label, a ridge-penalized logistic model on the reduced block matrix X₁ with covariate
 * effects frozen at a covariate-only fit, by one IRLS step from leave-one-sample-block-out
 * L-BFGS-B fits; chooses alpha by mean out-of-fold log-loss. `transform('linear')` gives the
 * linear predictor *without* covariate terms (what GWAS uses as offsets), `'sigmoid'` the
 * probabilities (Glow's `LogisticRidgeRegression`).
 *
 * @example
 * ```ts
 * const regression = glow.wgr.LogisticRidgeRegression.fromRidgeReduction(reduction);
 * const yHat = await regression.fitTransformLoco(); // linear scale, covariates excluded
 * ```
 * @see Glow `glow.wgr.LogisticRidgeRegression`
 */
export class LogisticRidgeRegression {
  readonly reducedBlockDf: BlockMatrix;
  readonly sampleBlocks: SampleBlocks;
  modelDf: RidgeModel | null = null;
  cvDf: CrossValidation | null = null;
  yHat: SampleTable | LocoPredictions | null = null;
  /** Covariate-only logistic coefficients per label (Glow's `beta_cov_dict`), after {@link fit}. */
  betaCov: Map<string, Float64Array> | null = null;

  private labelDf!: SampleTableLike;
  /** Raw 0/1 labels (NaN = missing). */
  labelTable!: SampleTable;
  private covDf: SampleTableLike | null = null;
  stdCovTable!: SampleTable;
  private alphas!: AlphaDict;
  private log: WgrLogger;

  constructor(
    reducedBlockDf: BlockMatrix | readonly BlockRow[],
    labelDf: SampleTableLike,
    sampleBlocks: SampleBlocks,
    covDf: SampleTableLike | null = null,
    options: LogisticRidgeRegressionOptions = {},
  ) {
    this.log = loggerOf(options);
    this.reducedBlockDf = toBlockMatrix(reducedBlockDf, "LogisticRidgeRegression");
    this.sampleBlocks = sampleBlocks;
    this.setLabelDf(labelDf);
    this.setCovDf(covDf, options.addIntercept ?? true);
    this.setAlphas(options.alphas ?? []);
  }

  /**
   * A LogisticRidgeRegression over a RidgeReduction's output, reusing its raw labels and
   * standardized covariates (Glow's `from_ridge_reduction`).
   */
  static fromRidgeReduction(reduction: RidgeReduction, alphas: number[] = [], options: WgrCommonOptions = {}): LogisticRidgeRegression {
    if (!reduction.reducedBlockDf) throw new GlowtsError("NO_MODEL", "fromRidgeReduction: run reduction.fitTransform() (or fit() and transform()) first");
    const obj = Object.create(LogisticRidgeRegression.prototype) as LogisticRidgeRegression;
    obj.log = loggerOf(options);
    (obj as { reducedBlockDf: BlockMatrix }).reducedBlockDf = reduction.reducedBlockDf;
    (obj as { sampleBlocks: SampleBlocks }).sampleBlocks = reduction.sampleBlocks;
    obj.modelDf = null;
    obj.cvDf = null;
    obj.yHat = null;
    obj.betaCov = null;
    obj.labelDf = reduction.getLabelDf();
    obj.labelTable = reduction.getLabelTable();
    obj.covDf = reduction.getCovDf();
    obj.stdCovTable = reduction.stdCovTable;
    obj.setAlphas(alphas);
    return obj;
  }

  /**
   * Sets the labels; they must be binary.
   * @throws GlowtsError `NOT_BINARY` otherwise
   */
  setLabelDf(labelDf: SampleTableLike): void {
    const t = toSampleTable(labelDf, "label DataFrame");
    prepareLabelsAndWarn(t, isBinary(t), "binary", this.log);
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

  private inputs(): WgrInputs {
    return new WgrInputs(this.labelTable, this.stdCovTable, this.sampleBlocks);
  }

  /**
   * Fits the covariate-only model per label, then per (sample block, label, alpha) the
   * L-BFGS-B ridge-logistic fit, XᵀGX and Xᵀ(p−y); reduces them leaving one sample block out and
   * takes one Newton step; scores every alpha by mean out-of-fold log-loss.
   * @returns `modelDf` and `cvDf` (label, alpha, alpha_value, log_loss_mean)
   */
  async fit(): Promise<RidgeFitResult> {
    checkReducedLabels(this.reducedBlockDf, this.labelTable);
    const inputs = this.inputs();
    this.betaCov = fitCovariateBetas(inputs);
    this.modelDf = logisticSolve(logisticReduce(logisticMap(this.reducedBlockDf, inputs, this.alphas, this.betaCov)), this.alphas);
    this.cvDf = logisticCrossValidate(this.reducedBlockDf, this.modelDf, inputs, this.alphas);
    return { modelDf: this.modelDf, cvDf: this.cvDf };
  }

  private checkFitted(): { model: RidgeModel; cv: CrossValidation } {
    if (!this.modelDf) throw new GlowtsError("NO_MODEL", "No model DataFrame found! Run fit() or provide a previously made model.");
    if (!this.cvDf) throw new GlowtsError("NO_MODEL", "No cross validation DataFrame found! Run fit() or provide a previously made cv DataFrame.");
    return { model: this.modelDf, cv: this.cvDf };
  }

  private predict(model: RidgeModel, cv: CrossValidation, response: LogisticResponse, inputs: WgrInputs): SampleTable {
    if (response === "linear") return predictLevel1(this.reducedBlockDf, model, cv, inputs, { includeCov: false });
    return predictLevel1(this.reducedBlockDf, model, cv, inputs, { includeCov: true, response: sigmoidInPlace });
  }

  private response(r: string | undefined): LogisticResponse {
    try {
      return choice(r, ["linear", "sigmoid"] as const, "response", "linear");
    } catch {
      throw new GlowtsError("OPTION", `response must be either "linear" or "sigmoid", received "${r}"`, { option: "response" });
    }
  }

  /** Predictions as a typed sample × label table (what {@link transform} returns as a DataFrame). */
  async transformToTable(response: LogisticResponse = "linear"): Promise<SampleTable> {
    const r = this.response(response);
    const { model, cv } = this.checkFitted();
    if (r === "linear") this.log("Warning: Ignoring any covariates for linear response");
    const y = this.predict(model, cv, r, this.inputs());
    this.yHat = y;
    return y;
  }

  /**
   * Predicts every label with its best alpha.
   * @param response 'linear' (default: W·β without covariate terms, every sample) or 'sigmoid'
   *   (σ([C|W]·β))
   * @returns danfo DataFrame indexed by sample id, one float column per label
   */
  async transform(response: LogisticResponse = "linear"): Promise<import("danfojs").DataFrame> {
    return (await this.transformToTable(response)).toDanfo();
  }

  /** LOCO predictions as typed tables. Accepts `(chromosomes)` as a shorthand for `('linear', chromosomes)`. */
  async transformLocoToTable(response: LogisticResponse | readonly string[] = "linear", chromosomes?: readonly string[]): Promise<LocoPredictions> {
    if (Array.isArray(response)) return this.transformLocoToTable("linear", response as readonly string[]);
    const r = this.response(response as string);
    const { model, cv } = this.checkFitted();
    let cs: string[];
    if (chromosomes && chromosomes.length) cs = [...chromosomes].map(String);
    else {
      cs = inferChromosomes(this.reducedBlockDf);
      this.log(`Inferred chromosomes: ${pyList(cs)}`);
    }
    cs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (r === "linear") this.log("Warning: Ignoring any covariates for linear response");
    const inputs = this.inputs();
    const tables = cs.map((c) => {
      this.log(`Generating predictions for chromosome ${c}.`);
      return this.predict(model.dropChromosome(c), cv, r, inputs);
    });
    const loco = new LocoPredictions(cs, tables);
    this.yHat = loco;
    return loco;
  }

  /**
   * Leave-one-chromosome-out predictions with the same coefficients (Glow's `transform_loco`).
   * @returns danfo DataFrame with index `${sample_id}|${contigName}`, columns sample_id, contigName
   *   and one float column per label (see {@link LocoPredictions})
   */
  async transformLoco(response: LogisticResponse | readonly string[] = "linear", chromosomes?: readonly string[]): Promise<import("danfojs").DataFrame> {
    return (await this.transformLocoToTable(response, chromosomes)).toDanfo();
  }

  /** {@link fit} then {@link transform}. */
  async fitTransform(response: LogisticResponse = "linear"): Promise<import("danfojs").DataFrame> {
    await this.fit();
    return this.transform(response);
  }

  /** {@link fit} then {@link transformLoco}. */
  async fitTransformLoco(response: LogisticResponse | readonly string[] = "linear", chromosomes?: readonly string[]): Promise<import("danfojs").DataFrame> {
    await this.fit();
    return this.transformLoco(response, chromosomes);
  }

  toString(): string {
    return [
      `LogisticRidgeRegression: ${this.reducedBlockDf.numRows} reduced rows, ${this.labelTable.columns.length} binary label(s), ` +
        `${this.stdCovTable.columns.length} covariate column(s), ${Object.keys(this.sampleBlocks).length} sample blocks`,
      `  alphas: ${formatAlphaList(this.alphas)}`,
      this.cvDf ? this.cvDf.toString().split("\n").map((l) => "  " + l).join("\n") : "  state: not fitted",
    ].join("\n");
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /** Jupyter rich display (alphas, covariate-only fits, the best alpha per label and the cross-validated log-loss); rendered by `src/display/ridge-regression.ts`. */
  [MIME_BUNDLE](): Promise<MimeBundle> {
    return renderAs("logisticRidgeRegression", this);
  }
}
