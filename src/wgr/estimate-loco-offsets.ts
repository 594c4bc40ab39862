/**
 * Glow's one-stop `estimate_loco_offsets` (reference §1e).
 */
import type { BlockMatrix, BlockRow, SampleBlocks } from "./block-matrix.js";
import type { LabelType } from "./labels.js";
import type { LocoPredictions } from "./loco.js";
import { LogisticRidgeRegression } from "./logistic-ridge-regression.js";
import type { WgrCommonOptions } from "./options.js";
import { RidgeReduction } from "./ridge-reduction.js";
import { RidgeRegression } from "./ridge-regression.js";
import type { SampleTableLike } from "./sample-table.js";
import type { RidgeSolver } from "./ridge-stages.js";
import { LocoPredictions as Loco } from "./loco.js";
import { choice } from "./options.js";
import { regenieRidge } from "./regenie-ridge.js";
import { isBinary } from "./labels.js";
import { SampleTable, toSampleTable } from "./sample-table.js";
import { compareStrings } from "./alphas.js";
import type { StreamedBlockMatrix } from "./streamed-blocks.js";

/** Options of {@link estimateLocoOffsets} (Glow's keyword arguments in camelCase). */
export interface EstimateLocoOffsetsOptions extends WgrCommonOptions {
  /** @defaultValue true */
  addIntercept?: boolean;
  /** Level-0 alphas (generated when empty). @defaultValue [] */
  reductionAlphas?: number[];
  /** Level-1 alphas (generated when empty). @defaultValue [] */
  regressionAlphas?: number[];
  /** @defaultValue 'detect' */
  labelType?: LabelType;
  /** Chromosomes to predict (inferred when empty). @defaultValue [] */
  chromosomes?: string[];
  /** How the linear ridge systems are solved. @defaultValue 'auto' */
  solver?: RidgeSolver;
  /** Worker threads for the ridge fits. @defaultValue glow.config().workers */
  workers?: number;
  /**
   * `'glow'`: Glow's math (the default, bit-exact with Glow). `'regenie'`: REGENIE's step 1 for
   * quantitative labels ({@link regenieRidge}: covariates regressed out of traits and genotypes,
   * λ = m(1−h²)/h², fold-specific level 1), the genetic part only (no covariate term), in units of
   * the label residualized on the covariates and scaled to unit variance — the scale on which
   * `glow.gwas` subtracts `offsetDf` (and REGENIE's `.loco` scale). Binary labels always use Glow's
   * logistic level 1. @defaultValue 'glow'
   */
  preset?: "glow" | "regenie";
}

/**
 * Runs `RidgeReduction.fitTransform()`, then — when the labels are binary (every value 0, 1 or
 * missing, whatever `labelType` says, as in Glow) — `LogisticRidgeRegression.fitTransformLoco('linear')`,
 * otherwise `RidgeRegression.fitTransformLoco()`.
 * @returns LOCO offsets as typed tables; `.toDanfo()` gives Glow's DataFrame layout (index
 *   `${sample_id}|${contigName}`, columns sample_id, contigName, one float column per label)
 * @see Glow `glow.wgr.estimate_loco_offsets`
 */
export async function estimateLocoOffsetsToTable(
  blockDf: BlockMatrix | readonly BlockRow[] | StreamedBlockMatrix,
  labelDf: SampleTableLike,
  sampleBlocks: SampleBlocks,
  covDf: SampleTableLike | null = null,
  options: EstimateLocoOffsetsOptions = {},
): Promise<LocoPredictions> {
  const common: WgrCommonOptions = options.log === undefined ? {} : { log: options.log };
  const preset = choice(options.preset, ["glow", "regenie"] as const, "preset", "glow");
  if (preset === "regenie" && options.labelType !== "binary" && !isBinary(toSampleTable(labelDf, "label DataFrame"))) {
    const bm = "materialize" in blockDf && typeof blockDf.materialize === "function" ? await blockDf.materialize() : (blockDf as BlockMatrix | readonly BlockRow[]);
    const r = await regenieRidge(bm, labelDf, sampleBlocks, covDf, common);
    const cs = options.chromosomes && options.chromosomes.length ? options.chromosomes.map(String) : r.chromosomes;
    return new Loco([...cs].sort(compareStrings), [...cs].sort(compareStrings).map((c) => {
      // in units of the residualized unit-variance trait: the scale glow.gwas subtracts offsets on
      const t = r.chromosomes.includes(c) ? r.loco.forChromosome(c) : r.full;
      return new SampleTable([...t.index], [...t.columns], Float64Array.from(t.values));
    }));
  }
  const reduction = new RidgeReduction(blockDf, labelDf, sampleBlocks, covDf, {
    ...common,
    addIntercept: options.addIntercept ?? true,
    alphas: options.reductionAlphas ?? [],
    labelType: options.labelType ?? "detect",
    solver: options.solver ?? "auto",
    ...(options.workers === undefined ? {} : { workers: options.workers }),
  });
  await reduction.fitTransform();
  if (reduction.isBinary()) {
    const regression = LogisticRidgeRegression.fromRidgeReduction(reduction, options.regressionAlphas ?? [], common);
    await regression.fit();
    return regression.transformLocoToTable("linear", options.chromosomes ?? []);
  }
  const regression = RidgeRegression.fromRidgeReduction(reduction, options.regressionAlphas ?? [], common);
  await regression.fit();
  return regression.transformLocoToTable(options.chromosomes ?? []);
}

/**
 * Glow's `estimate_loco_offsets`: the WGR predictors to use as GWAS offsets, one row per
 * (sample, chromosome).
 * @returns danfo DataFrame: index `${sample_id}|${contigName}`, columns sample_id, contigName and one
 *   float column per label (rows by chromosome, then by the label table's sample order)
 * @example
 * ```ts
 * const offsets = await glow.wgr.estimateLocoOffsets(blockDf, labelDf, sampleBlocks, covariateDf);
 * ```
 */
export async function estimateLocoOffsets(
  blockDf: BlockMatrix | readonly BlockRow[] | StreamedBlockMatrix,
  labelDf: SampleTableLike,
  sampleBlocks: SampleBlocks,
  covDf: SampleTableLike | null = null,
  options: EstimateLocoOffsetsOptions = {},
): Promise<import("danfojs").DataFrame> {
  return (await estimateLocoOffsetsToTable(blockDf, labelDf, sampleBlocks, covDf, options)).toDanfo();
}
