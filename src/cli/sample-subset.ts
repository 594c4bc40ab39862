/**
 * A `mapPartitions` function for the REGENIE command line: keeps the analysed samples of the
 * `values` column (alt-allele dosages; NaN, nulls or negative values are missing), mean-imputes
 * the missing ones over the analysed samples (as REGENIE), and adds the per-variant columns
 * `A1FREQ` (alt-allele frequency over the analysed, non-missing samples), `MAC` (minor allele
 * count over them), `N` (non-missing analysed samples) and `INFO`.
 *
 * `INFO` is REGENIE's imputation INFO for BGEN input (the IMPUTE info measure): with e_i the
 * expected dosage and v_i = E[g²] − e_i² the variance of sample i's genotype under its
 * probabilities (list column `dosageVariance`, see ./bgen-dosage.ts), INFO = 1 − Σv_i / (2nθ(1−θ))
 * over the n non-missing samples, θ = Σe_i / 2n; 1 when θ is 0 or 1 or when the frame has hard
 * calls only (no `dosageVariance`).
 *
 * With `traits` (trait name → positions, among the analysed samples, of the samples whose
 * phenotype is observed), also `A1FREQ.<trait>`, `N.<trait>` and `INFO.<trait>` over those
 * samples, which is what REGENIE reports per trait when phenotypes are missing.
 */
import type { Column, ListColumn, VariantBatch } from "../core/column.js";
import { listRange } from "../core/column.js";
import { GlowtsError } from "../core/errors.js";

/** Arguments: positions (in the file's sample order) of the analysed samples; per-trait observed samples. */
export interface SubsetArgs { keep: number[]; traits?: { name: string; observed: number[] }[] }

type NumList = Column & { values: ArrayLike<number>; nulls?: Uint8Array };

/** A1FREQ, N and INFO of one variant over the samples `idx` (all when null) of a row of dosages. */
function stats(d: Float64Array, v: Float64Array | null, o: number, n: number, idx: number[] | null, miss: Uint8Array): { freq: number; n: number; info: number } {
  let sum = 0, c = 0, vs = 0;
  const m = idx ? idx.length : n;
  for (let t = 0; t < m; t++) {
    const s = idx ? idx[t]! : t;
    if (miss[s]) continue;
    sum += d[o + s]!;
    if (v) vs += v[o + s]!;
    c++;
  }
  const theta = c ? sum / (2 * c) : NaN;
  const info = !v || theta === 0 || theta === 1 || !c ? 1 : 1 - vs / (2 * c * theta * (1 - theta));
  return { freq: theta, n: c, info };
}

export function subsetSamples(batch: VariantBatch, args: SubsetArgs): VariantBatch {
  const vc = batch.columns["values"] as ListColumn | undefined;
  if (!vc || vc.type !== "list") throw new GlowtsError("MAP_PARTITIONS", "subsetSamples: the frame has no list column 'values'");
  const child = vc.child as NumList;
  const varCol = batch.columns["dosageVariance"] as ListColumn | undefined;
  const varChild = varCol ? (varCol.child as NumList) : null;
  const keep = args.keep;
  const n = keep.length;
  const rows = batch.numRows;
  const out = new Float64Array(rows * n);
  const vout = varCol ? new Float64Array(rows * n) : null;
  const miss = new Uint8Array(n);
  const freq = new Float64Array(rows);
  const mac = new Float64Array(rows);
  const count = new Int32Array(rows);
  const info = new Float64Array(rows);
  const traits = args.traits ?? [];
  const per = traits.map(() => ({ freq: new Float64Array(rows), n: new Int32Array(rows), info: new Float64Array(rows) }));
  for (let i = 0; i < rows; i++) {
    const [a] = listRange(vc, i);
    const va = varCol ? listRange(varCol, i)[0] : 0;
    let sum = 0;
    let c = 0;
    const o = i * n;
    for (let s = 0; s < n; s++) {
      const k = a + keep[s]!;
      const v = child.values[k]!;
      if ((child.nulls && child.nulls[k]) || !(v >= 0)) { out[o + s] = NaN; miss[s] = 1; continue; }
      miss[s] = 0;
      out[o + s] = v;
      if (vout) vout[o + s] = varChild!.values[va + keep[s]!]!;
      sum += v;
      c++;
    }
    const all = stats(out, vout, o, n, null, miss);
    freq[i] = all.freq;
    info[i] = all.info;
    traits.forEach((t, j) => { const st = stats(out, vout, o, n, t.observed, miss); per[j]!.freq[i] = st.freq; per[j]!.n[i] = st.n; per[j]!.info[i] = st.info; });
    const mean = c ? sum / c : 0;
    for (let s = 0; s < n; s++) if (miss[s]) out[o + s] = mean;
    mac[i] = Math.min(sum, 2 * c - sum);
    count[i] = c;
  }
  const columns: Record<string, Column> = {
    ...batch.columns,
    values: { type: "list", child: { type: "double", values: out }, width: n },
    A1FREQ: { type: "double", values: freq },
    MAC: { type: "double", values: mac },
    N: { type: "int", values: count },
    INFO: { type: "double", values: info },
  };
  delete columns["dosageVariance"];
  traits.forEach((t, j) => {
    columns[`A1FREQ.${t.name}`] = { type: "double", values: per[j]!.freq };
    columns[`N.${t.name}`] = { type: "int", values: per[j]!.n };
    columns[`INFO.${t.name}`] = { type: "double", values: per[j]!.info };
  });
  return { numRows: rows, columns };
}
