/**
 * The per-variant SQL-style functions (`linearRegressionGwas`, `logisticRegressionGwas`) on the
 * samples whose phenotype is observed: a NaN phenotype drops that sample from the null model and
 * from every test, as plink2 and REGENIE do (Glow's Spark functions would propagate the NaN).
 */
import { covariateMatrix, type CovariateMatrixLike } from "./linear-regression.js";

/**
 * When `phenotypes` has NaN values: the observed samples' phenotypes, covariates (column-major
 * `{data, nRows, nCols}`) and offset, and a function that keeps the same samples of a genotype
 * vector; null when every phenotype is observed.
 */
export function observedSamples(
  phenotypes: ArrayLike<number>, covariates: CovariateMatrixLike, offset: ArrayLike<number> | null | undefined, caller: string,
): { phenotypes: Float64Array; covariates: { data: Float64Array; nRows: number; nCols: number }; offset: Float64Array | null; pick: (g: ArrayLike<number>) => ArrayLike<number> } | null {
  const n = phenotypes.length;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(phenotypes[i]!)) keep.push(i);
  if (keep.length === n) return null;
  const { data, k } = covariateMatrix(covariates, n, caller);
  const m = keep.length;
  const c = new Float64Array(m * k);
  for (let j = 0; j < k; j++) for (let r = 0; r < m; r++) c[j * m + r] = data[j * n + keep[r]!]!;
  return {
    phenotypes: Float64Array.from(keep, (i) => phenotypes[i]!),
    covariates: { data: c, nRows: m, nCols: k },
    offset: offset ? Float64Array.from(keep, (i) => offset[i]!) : null,
    // a genotype vector of the wrong length is passed through, so the inner function reports it
    pick: (g) => (g.length === n ? Float64Array.from(keep, (i) => g[i]!) : g),
  };
}
