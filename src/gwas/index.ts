/**
 * `glow.gwas`: association tests of every variant against every trait (Glow's `glow.gwas` module
 * and its SQL regression functions).
 *
 * - {@link linearRegression}, {@link logisticRegression}: frame-level, batched over variants × traits.
 * - {@link linearRegressionGwas}, {@link logisticRegressionGwas}: Glow's per-variant SQL functions
 *   (`test: 'lrt' | 'firth'`), with prepared forms that reuse the null fit.
 * - `prepare*` / `*Partition`: the two layers under the frame functions (plain-data state, and the
 *   pure per-batch kernel that runs in the workers).
 */
export { linearRegression, logisticRegression } from "./api.js";
export type { GwasInputFrame } from "./api.js";
export {
  linearRegressionGwas, makeLinearRegressionGwas, prepareLinearRegression, linearRegressionPartition, linearRegressionBlock,
} from "./linear-regression.js";
export type { LinearRegressionOptions, LinearRegressionState, LinearRegressionPlan, CovariateMatrixLike } from "./linear-regression.js";
export { prepareLogisticRegression, logisticRegressionPartition, logisticRegressionBlock } from "./logistic-regression.js";
export type { LogisticRegressionOptions, LogisticRegressionState, LogisticRegressionPlan } from "./logistic-regression.js";
export type { PatternStates } from "./patterns.js";
export { logisticRegressionGwas, makeLogisticRegressionGwas } from "./logistic-gwas-function.js";
export type { LogitTestResult } from "./logistic-gwas-function.js";
export { fitFirth, nullFirthOffset, correctApproxFirth } from "./approx-firth.js";
export { fitLogisticNull } from "./logistic-null.js";
export type { GwasCommonOptions } from "./prepare.js";
