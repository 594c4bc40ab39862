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
 *
 * {@link subsetBedSamples} is the same for genotypes still in PLINK `.bed` codes (`--bed`,
 * `--pgen`): the statistics come from the 2-bit codes and the genotypes stay packed (the analysed
 * samples' codes repacked, or the column as read when every sample is analysed), so that the GWAS
 * kernel decodes `meanSubstitute(genotypeStates(genotypes))` itself — the values `subsetSamples`
 * would give, bit for bit — without a float64 copy of the partition.
 */
import type { Column, GenotypesColumn, ListColumn, VariantBatch } from "../core/column.js";
import { col, lazyGenotypes, listRange } from "../core/column.js";
import { isPlinkBedColumn } from "../core/encodings.js";
import { GlowtsError } from "../core/errors.js";
import { BED_BYTE_CALLED, BED_BYTE_CALLED_SUM, BED_CODE_MISSING, BED_CODE_STATES, bedBlockSize, decodeBedToCalls } from "../io/plink/bed-codec.js";

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

/** Per packed byte: (sum of its called samples' dosages) << 8 | (number of called samples), one lookup per byte. */
const BYTE_SUM_CALLED = Int32Array.from({ length: 256 }, (_, b) => (BED_BYTE_CALLED_SUM[b]! << 8) | BED_BYTE_CALLED[b]!);

/** True when `keep` is 0, 1, …, n − 1 (every sample of the file, in order). */
function isIdentity(keep: readonly number[], n: number): boolean {
  if (keep.length !== n) return false;
  for (let i = 0; i < n; i++) if (keep[i] !== i) return false;
  return true;
}

/** `calls` of repacked `.bed` codes (the decoder of a subset column: hard calls only). */
function decodeSubsetCalls(e: { bytes: Uint8Array; numRows: number }, nSamples: number): Record<string, Column> {
  return { calls: col.denseInts(decodeBedToCalls(e.bytes, nSamples, e.numRows), 2) };
}

/**
 * {@link subsetSamples} for a `genotypes` column in PLINK `.bed` codes (no `values` column needed):
 * adds `A1FREQ`, `MAC`, `N`, `INFO` (1: hard calls) and the per-trait columns, computed from the
 * codes of the analysed samples, and replaces `genotypes` by the analysed samples' codes (the same
 * column when they are all the file's samples in order). `meanSubstitute(genotypeStates(genotypes))`
 * of the result equals `subsetSamples`' `values`.
 */
export function subsetBedSamples(batch: VariantBatch, args: SubsetArgs): VariantBatch {
  const g = batch.columns["genotypes"];
  if (!isPlinkBedColumn(g)) throw new GlowtsError("MAP_PARTITIONS", "subsetBedSamples: the frame has no 'genotypes' column in PLINK .bed codes");
  const e = g.encoded;
  const rows = batch.numRows;
  const keep = args.keep;
  const n = keep.length;
  const ns = g.nSamples;
  const same = isIdentity(keep, ns);
  // the analysed samples' codes, packed (padding codes 0, ignored by every reader of the codes)
  const bpv = same ? e.bytesPerVariant : bedBlockSize(n);
  let bytes = e.bytes;
  if (!same) {
    bytes = new Uint8Array(rows * bpv);
    for (let i = 0; i < rows; i++) {
      const src = i * e.bytesPerVariant;
      const dst = i * bpv;
      for (let s = 0; s < n; s++) {
        const k = keep[s]!;
        const code = (e.bytes[src + (k >> 2)]! >> ((k & 3) << 1)) & 3;
        bytes[dst + (s >> 2)]! |= code << ((s & 3) << 1);
      }
    }
  }
  const freq = new Float64Array(rows);
  const mac = new Float64Array(rows);
  const count = new Int32Array(rows);
  const info = new Float64Array(rows).fill(1);
  const traits = args.traits ?? [];
  const per = traits.map(() => ({ freq: new Float64Array(rows), n: new Int32Array(rows), info: new Float64Array(rows).fill(1) }));
  const full = n >> 2;
  const rest = n & 3;
  for (let i = 0; i < rows; i++) {
    const o = i * bpv;
    let sum = 0;
    let c = 0;
    for (let j = 0; j < full; j++) { const t = BYTE_SUM_CALLED[bytes[o + j]!]!; sum += t >> 8; c += t & 255; }
    for (let k = 0; k < rest; k++) {
      const code = (bytes[o + full]! >> (k << 1)) & 3;
      if (code !== BED_CODE_MISSING) { sum += BED_CODE_STATES[code]!; c++; }
    }
    freq[i] = c ? sum / (2 * c) : NaN;
    mac[i] = Math.min(sum, 2 * c - sum);
    count[i] = c;
    for (let j = 0; j < traits.length; j++) {
      const obs = traits[j]!.observed;
      let ts = 0;
      let tc = 0;
      for (let t = 0; t < obs.length; t++) {
        const s = obs[t]!;
        const code = (bytes[o + (s >> 2)]! >> ((s & 3) << 1)) & 3;
        if (code !== BED_CODE_MISSING) { ts += BED_CODE_STATES[code]!; tc++; }
      }
      per[j]!.freq[i] = tc ? ts / (2 * tc) : NaN;
      per[j]!.n[i] = tc;
    }
  }
  const genotypes: GenotypesColumn = same ? g : lazyGenotypes(n, g.sampleIds ? keep.map((k) => g.sampleIds![k]!) : null, { kind: e.kind, bytes, bytesPerVariant: bpv, numRows: rows }, decodeSubsetCalls);
  const columns: Record<string, Column> = {
    ...batch.columns,
    genotypes,
    A1FREQ: { type: "double", values: freq },
    MAC: { type: "double", values: mac },
    N: { type: "int", values: count },
    INFO: { type: "double", values: info },
  };
  delete columns["values"];
  traits.forEach((t, j) => {
    columns[`A1FREQ.${t.name}`] = { type: "double", values: per[j]!.freq };
    columns[`N.${t.name}`] = { type: "int", values: per[j]!.n };
    columns[`INFO.${t.name}`] = { type: "double", values: per[j]!.info };
  });
  return { numRows: rows, columns };
}
