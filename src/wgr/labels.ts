/**
 * Label and covariate preparation (Glow `model_functions._is_binary`, `_prepare_labels_and_warn`,
 * `_fill_na_and_standardize`, `_prepare_covariates`; reference §2.2).
 */
import { GlowtsError } from "../core/errors.js";
import { SampleTable } from "./sample-table.js";

/** How labels are treated. */
export type LabelType = "detect" | "binary" | "quantitative";

/** Where GloWGR's progress messages go (Glow prints them). @defaultValue console.log */
export type WgrLogger = (message: string) => void;

/** numpy's pairwise summation of `x[o], x[o+1], … x[o+n-1]` (add.reduce on contiguous doubles). */
export function pairwiseSum(x: Float64Array, o: number, n: number): number {
  if (n < 8) {
    let res = -0;
    for (let i = 0; i < n; i++) res += x[o + i]!;
    return res;
  }
  if (n <= 128) {
    let r0 = x[o]!, r1 = x[o + 1]!, r2 = x[o + 2]!, r3 = x[o + 3]!;
    let r4 = x[o + 4]!, r5 = x[o + 5]!, r6 = x[o + 6]!, r7 = x[o + 7]!;
    let i = 8;
    const end = n - (n % 8);
    for (; i < end; i += 8) {
      r0 += x[o + i]!; r1 += x[o + i + 1]!; r2 += x[o + i + 2]!; r3 += x[o + i + 3]!;
      r4 += x[o + i + 4]!; r5 += x[o + i + 5]!; r6 += x[o + i + 6]!; r7 += x[o + i + 7]!;
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += x[o + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(x, o, n2) + pairwiseSum(x, o + n2, n - n2);
}

/**
 * Glow's `_is_binary`: every value is 0, 1 or missing (NaN).
 */
export function isBinary(t: SampleTable): boolean {
  for (const v of t.values) if (!(v === 0 || v === 1 || Number.isNaN(v))) return false;
  return true;
}

/** Number of values of a column that are neither 0, 1 nor missing. */
function nonBinaryCount(c: Float64Array): number {
  let k = 0;
  for (const v of c) if (!(v === 0 || v === 1 || Number.isNaN(v))) k++;
  return k;
}

/**
 * Glow's `_fill_na_and_standardize`: per column, NaN → column mean, then `(x − mean) / sd` where
 * mean and sd (ddof = 1) are those of the non-missing values (pandas `mean()`/`std()`).
 * @throws GlowtsError `ZERO_STD` listing the columns with zero standard deviation, or
 *   `TOO_FEW_VALUES` for a column with fewer than two non-missing values
 */
export function fillNaAndStandardize(t: SampleTable, what = "label"): SampleTable {
  const n = t.numRows;
  const out = new Float64Array(t.values.length);
  const zero: string[] = [];
  const tmp = new Float64Array(n);
  t.columns.forEach((name, j) => {
    const c = t.column(j);
    let count = 0;
    for (let i = 0; i < n; i++) {
      const v = c[i]!;
      if (Number.isNaN(v)) tmp[i] = 0;
      else { tmp[i] = v; count++; }
    }
    if (count < 2) {
      throw new GlowtsError("TOO_FEW_VALUES", `Column '${name}' of the ${what} DataFrame has ${count} non-missing value(s); its standard deviation is undefined`);
    }
    const mean = pairwiseSum(tmp, 0, n) / count;
    for (let i = 0; i < n; i++) {
      const v = c[i]!;
      tmp[i] = Number.isNaN(v) ? 0 : (mean - v) ** 2;
    }
    const sd = Math.sqrt(pairwiseSum(tmp, 0, n) / (count - 1));
    if (sd === 0) { zero.push(name); return; }
    const o = j * n;
    for (let i = 0; i < n; i++) {
      const v = Number.isNaN(c[i]!) ? mean : c[i]!;
      out[o + i] = (v - mean) / sd;
    }
  });
  if (zero.length) throw new GlowtsError("ZERO_STD", `Column(s) [${zero.map((z) => `'${z}'`).join(", ")}] have zero std. dev.!`);
  return new SampleTable([...t.index], [...t.columns], out);
}

/**
 * Glow's `_prepare_labels_and_warn`: reports the treatment chosen and returns the standardized
 * labels (binary labels are standardized too, for the level-0 reduction).
 * @throws GlowtsError `OPTION` for an unknown label type; `NOT_BINARY` (Glow's TypeError
 *   "Binary label DataFrame expected!") when `labelType` is 'binary' and some column is not,
 *   after logging Glow's per-column warning
 */
export function prepareLabelsAndWarn(labels: SampleTable, binary: boolean, labelType: string, log: WgrLogger): SampleTable {
  const lt = labelType.toLowerCase();
  if (lt === "detect") {
    log(binary
      ? "The label DataFrame is binary. Reduction/regression for binary phenotypes will be applied."
      : "The label DataFrame is quantitative. Reduction/regression for quantitative phenotypes will be applied.");
    return fillNaAndStandardize(labels);
  }
  if (lt === "quantitative") {
    log("Reduction/regression for quantitative phenotypes will be applied.");
    return fillNaAndStandardize(labels);
  }
  if (lt === "binary") {
    if (binary) {
      log("Reduction/regression for binary phenotypes will be applied.");
      return fillNaAndStandardize(labels);
    }
    labels.columns.forEach((name, j) => {
      const k = nonBinaryCount(labels.column(j));
      if (k !== 0) log(`Warning: Column ${name} is not binary. It has ${k} non-binary value(s).`);
    });
    throw new GlowtsError("NOT_BINARY", "Binary label DataFrame expected!");
  }
  throw new GlowtsError("OPTION", `label_type should be "quantitative", "binary", or "detect". Found ${labelType}.`, { option: "labelType" });
}

/**
 * Glow's `_prepare_covariates`: an empty table plus `addIntercept` gives the single column
 * `intercept` = 1 (indexed like the labels); otherwise the covariates are standardized like labels
 * and `intercept` is inserted as the first column.
 * @throws GlowtsError `SHAPE` when a non-empty covariate table does not have as many rows as the labels
 */
export function prepareCovariates(cov: SampleTable, labels: SampleTable, addIntercept: boolean): SampleTable {
  if (cov.empty) {
    if (!addIntercept) return new SampleTable([], []);
    const v = new Float64Array(labels.numRows).fill(1);
    return new SampleTable([...labels.index], ["intercept"], v);
  }
  if (labels.numRows !== cov.numRows) {
    throw new GlowtsError("SHAPE", `cov_df must be either empty of have the same number of rows as label_df (${labels.numRows} != ${cov.numRows}`);
  }
  const std = fillNaAndStandardize(cov, "covariate");
  if (!addIntercept) return std;
  if (std.columns.includes("intercept")) throw new GlowtsError("SHAPE", "cannot insert 'intercept': the covariate DataFrame already has a column named 'intercept'");
  const n = std.numRows;
  const v = new Float64Array(n * (std.columns.length + 1));
  v.fill(1, 0, n);
  v.set(std.values, n);
  return new SampleTable([...std.index], ["intercept", ...std.columns], v);
}
