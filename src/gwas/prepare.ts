/**
 * Shared preparation of the GWAS functions: options with Glow's defaults, validation (§1f of the
 * reference), sample alignment between genotypes and the phenotype / covariate / offset tables,
 * and the covariate matrix with its intercept.
 */
import { GlowtsError, keyword, optionError } from "../core/errors.js";
import { thinQR, isRankDeficient, type ThinQR } from "../linalg/qr.js";
import {
  alignRows, isEmptyTable, readCovariateMatrix, readOffsetTable, readSampleMatrix, sameIdSet,
  type OffsetTable, type SampleMatrix,
} from "./tables.js";

/** Options common to `linearRegression` and `logisticRegression` (Glow's names, camelCase). */
export interface GwasCommonOptions {
  /** Covariates indexed by sample id, no missing values. @defaultValue none (intercept only) */
  covariateDf?: unknown;
  /**
   * Offsets with the phenotype columns: indexed by sample, or with a `contigName` column for
   * per-contig (LOCO) offsets. @defaultValue none
   */
  offsetDf?: unknown;
  /** With LOCO offsets: the contigs to analyse (default: all contigs of `offsetDf`). */
  contigs?: string[] | null;
  /** Add an intercept column before the covariates. @defaultValue true */
  addIntercept?: boolean;
  /** The list<double> column of per-sample values to test. @defaultValue 'values' */
  valuesColumn?: string;
  /** 'float64' or 'float32' (inputs and outputs are rounded to float32). @defaultValue 'float64' */
  dt?: "float64" | "float32";
  /** Drop genotype samples that are not in `phenotypeDf` (needs sample ids). @defaultValue false */
  intersectSamples?: boolean;
  /** Sample ids of the `values` arrays (default: the frame's sample ids). */
  genotypeSampleIds?: string[] | null;
  /**
   * How missing phenotypes (NaN) are handled.
   * - `'exact'` (default): each trait is analysed on its own observed samples only — covariates
   *   projected on those samples, the null logistic model fitted on them, dof = n_trait − k − 1 —
   *   as `plink2 --glm` and REGENIE step 2 compute. Traits that share a missingness pattern share
   *   one projection, so many traits with few patterns cost few projections.
   * - `'glow'`: Glow's shortcut, for reproducing Glow's numbers: covariates projected with all
   *   samples, missing values counted as 0 when centring, dof from the total N. Its statistics are
   *   inflated when phenotypes are missing.
   * Without missing phenotypes both give the same results.
   * @defaultValue 'exact'
   */
  missingPhenotypes?: "exact" | "glow";
}

/** Everything computed from the sample tables that the per-batch kernels need. */
export interface PreparedSamples {
  /** Sample ids in analysis order (null entries never occur). */
  sampleIds: string[];
  /** Positions in each `values` row of the analysed samples, or null for all of them in order. */
  genotypeIndex: Int32Array | null;
  /** Expected length of each `values` row. */
  nValues: number;
  traits: string[];
  /** Raw phenotypes, trait-major p×n (NaN = missing). */
  y: Float64Array;
  /** Covariates with the intercept first when added, column-major n×k. */
  c: Float64Array;
  k: number;
  /** Number of covariate columns given by the user (without the intercept). */
  nUserCovariates: number;
  /** Offsets aligned to `sampleIds`, trait-major p×n, per contig (null key: all contigs). */
  offsets: { kind: "none" } | { kind: "single"; data: Float64Array } | { kind: "loco"; contigs: string[]; byContig: Map<string, Float64Array> };
  float32: boolean;
  valuesColumn: string;
  /** The option `missingPhenotypes`. */
  missingPhenotypes: "exact" | "glow";
  /** Traits whose non-missing values are all equal, described for an error message. */
  constantTraits: string[];
}

const COMMON_KEYS = ["covariateDf", "offsetDf", "contigs", "addIntercept", "valuesColumn", "dt", "intersectSamples", "genotypeSampleIds", "missingPhenotypes"];

/** Rejects option names that the function does not know. */
export function checkOptionNames(caller: string, options: Record<string, unknown>, extra: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!COMMON_KEYS.includes(key) && !extra.includes(key)) {
      optionError(caller, key, `is not an option of ${caller} (known: ${[...COMMON_KEYS, ...extra].join(", ")})`);
    }
  }
}

/**
 * A copy backed by a SharedArrayBuffer: the per-trait state is posted to every worker with each
 * partition task, and shared memory is passed by reference instead of being copied each time.
 */
export function toShared<T extends Float64Array | Uint8Array | Int32Array>(a: T): T {
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}

/** Rounds in place to float32 precision when asked. */
export function roundTo(a: Float64Array, float32: boolean): Float64Array {
  if (float32) for (let i = 0; i < a.length; i++) a[i] = Math.fround(a[i]!);
  return a;
}

/**
 * Validates the tables and aligns them to the genotype samples.
 * @throws GlowtsError `SAMPLE_MISMATCH`, `MISSING_COVARIATE`, `TOO_FEW_SAMPLES`, `OPTION`, `SAMPLE_TABLE`.
 */
export function prepareSamples(
  caller: string,
  phenotypeDf: unknown,
  options: GwasCommonOptions,
  frameSampleIds: readonly string[] | null,
): PreparedSamples {
  const addIntercept = options.addIntercept ?? true;
  if (typeof addIntercept !== "boolean") optionError(caller, "addIntercept", "must be a boolean");
  const valuesColumn = options.valuesColumn ?? "values";
  if (typeof valuesColumn !== "string") optionError(caller, "valuesColumn", "must be a column name");
  if (valuesColumn === "genotypes") optionError(caller, "valuesColumn", `should not be called "genotypes"`);
  const dt = keyword(caller, "dt", options.dt ?? "float64", ["float64", "float32"] as const);
  const float32 = dt === "float32";
  const intersect = options.intersectSamples ?? false;
  const missingPhenotypes = keyword(caller, "missingPhenotypes", options.missingPhenotypes ?? "exact", ["exact", "glow"] as const);

  if (isEmptyTable(phenotypeDf)) throw new GlowtsError("SAMPLE_TABLE", `${caller}: phenotypeDf is empty`);
  const phen = readSampleMatrix(phenotypeDf, `${caller}: phenotypeDf`);
  const cov: SampleMatrix | null = isEmptyTable(options.covariateDf) ? null : readCovariateMatrix(options.covariateDf, `${caller}: covariateDf`);
  const genoIds = options.genotypeSampleIds ?? frameSampleIds ?? null;

  if (cov) {
    for (let j = 0; j < cov.columns.length; j++) {
      const n = cov.ids.length;
      for (let i = 0; i < n; i++) {
        const v = cov.data[j * n + i]!;
        if (Number.isNaN(v)) {
          throw new GlowtsError("MISSING_COVARIATE", `${caller}: missing values are present in the covariateDf's ${cov.columns[j]} column`, { record: `sample ${cov.ids[i]}` });
        }
        if (!Number.isFinite(v)) {
          throw new GlowtsError("BAD_COVARIATE", `${caller}: covariateDf column '${cov.columns[j]}' has the value ${v} for sample '${cov.ids[i]}'`, { record: `sample ${cov.ids[i]}` });
        }
      }
    }
    if (!intersect && cov.ids.length !== phen.ids.length) {
      throw new GlowtsError("SAMPLE_MISMATCH", `${caller}: phenotypeDf and covariateDf must have the same number of rows (${phen.ids.length} != ${cov.ids.length})`);
    }
  }

  // Analysis order: the genotype order when known, else the phenotype order (Glow's positional rule).
  let sampleIds: string[];
  let genotypeIndex: Int32Array | null = null;
  let nValues: number;
  if (intersect) {
    if (!genoIds) optionError(caller, "genotypeSampleIds", "is required when intersectSamples is enabled (the frame has no sample ids)");
    const inPhen = new Set(phen.ids);
    const keep: number[] = [];
    genoIds.forEach((id, i) => { if (inPhen.has(id)) keep.push(i); });
    sampleIds = keep.map((i) => genoIds[i]!);
    if (cov) {
      const inCov = new Set(cov.ids);
      const lacking = sampleIds.find((id) => !inCov.has(id));
      if (lacking !== undefined) throw new GlowtsError("SAMPLE_MISMATCH", `${caller}: covariateDf has no row for sample '${lacking}'`, { record: `sample ${lacking}` });
    }
    if (keep.length !== genoIds.length) genotypeIndex = Int32Array.from(keep);
    nValues = genoIds.length;
  } else if (genoIds) {
    if (!sameIdSet(genoIds, phen.ids)) {
      const inPhen = new Set(phen.ids);
      const g = genoIds.find((id) => !inPhen.has(id));
      const inGeno = new Set(genoIds);
      const p = phen.ids.find((id) => !inGeno.has(id));
      const what = g !== undefined ? `genotype sample '${g}' is not in phenotypeDf` : `phenotypeDf sample '${p}' is not among the genotype samples`;
      throw new GlowtsError("SAMPLE_MISMATCH", `${caller}: sample ids do not line up (${genoIds.length} genotype samples, ${phen.ids.length} phenotype rows): ${what}; use intersectSamples to analyse the common samples`);
    }
    sampleIds = [...genoIds];
    nValues = genoIds.length;
  } else {
    sampleIds = [...phen.ids];
    nValues = phen.ids.length;
  }
  const n = sampleIds.length;
  if (n === 0) throw new GlowtsError("SAMPLE_MISMATCH", `${caller}: no sample is shared by the genotypes and phenotypeDf`);

  const traits = [...phen.columns];
  const p = traits.length;
  // Trait-major phenotypes aligned to the analysis order.
  const yCol = alignRows(phen, sampleIds, `${caller}: phenotypeDf`);
  const y = roundTo(yCol, float32); // column-major n×p is trait-major p×n

  const nUserCovariates = cov ? cov.columns.length : 0;
  const k = nUserCovariates + (addIntercept ? 1 : 0);
  const c = new Float64Array(n * k);
  if (addIntercept) c.fill(1, 0, n);
  if (cov) c.set(roundTo(alignRows(cov, sampleIds, `${caller}: covariateDf`), float32), addIntercept ? n : 0);

  const constantTraits: string[] = [];
  for (let j = 0; j < p; j++) {
    let present = 0;
    let first = NaN;
    let constant = true;
    for (let i = 0; i < n; i++) {
      const v = y[j * n + i]!;
      if (Number.isNaN(v)) continue;
      if (!Number.isFinite(v)) {
        throw new GlowtsError("BAD_PHENOTYPE", `${caller}: phenotypeDf column '${traits[j]}' has the value ${v} for sample '${sampleIds[i]}' (use NaN for a missing value)`, { record: `sample ${sampleIds[i]}` });
      }
      if (present === 0) first = v;
      else if (v !== first) constant = false;
      present++;
    }
    if (!(present > nUserCovariates)) {
      throw new GlowtsError("TOO_FEW_SAMPLES", `${caller}: there must be more non-missing samples than covariates (phenotype '${traits[j]}' has ${present} non-missing samples, ${nUserCovariates} covariates)`);
    }
    if (constant && present > 0) constantTraits.push(`'${traits[j]}' (${first} for all ${present} non-missing samples)`);
  }

  const offsets = prepareOffsets(caller, readOffsetTable(options.offsetDf, `${caller}: offsetDf`), sampleIds, traits, options.contigs ?? null, float32);
  return { sampleIds, genotypeIndex, nValues, traits, y, c, k, nUserCovariates, offsets, float32, valuesColumn, missingPhenotypes, constantTraits };
}

/**
 * Rejects a constant quantitative trait (its regression has no residual variance).
 * @throws GlowtsError `CONSTANT_TRAIT`
 */
export function checkNoConstantTrait(caller: string, s: PreparedSamples): void {
  if (s.constantTraits.length > 0) throw new GlowtsError("CONSTANT_TRAIT", `${caller}: phenotypeDf: phenotype ${s.constantTraits[0]} is constant`);
}

/** The samples of one missingness pattern: a {@link PreparedSamples} restricted to them. */
export interface PatternSamples extends PreparedSamples {
  /** Positions of `traits` among all the traits. */
  traitIndex: Int32Array;
}

/**
 * Splits the traits by missingness pattern (`missingPhenotypes: 'exact'`): each part holds the
 * traits observed on the same samples, restricted to those samples (phenotypes, covariates,
 * offsets, and the positions of the samples in the `values` rows). Without missing phenotypes, or
 * with `'glow'`, one part with everything (unchanged).
 */
export function splitByMissingness(s: PreparedSamples): PatternSamples[] {
  const n = s.sampleIds.length;
  const p = s.traits.length;
  const all = Int32Array.from({ length: p }, (_, j) => j);
  if (s.missingPhenotypes === "glow") return [{ ...s, traitIndex: all }];
  const groups = new Map<string, number[]>();
  for (let j = 0; j < p; j++) {
    let key = "";
    for (let i = 0; i < n; i++) key += Number.isNaN(s.y[j * n + i]!) ? "0" : "1";
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(j);
  }
  if (groups.size === 1 && !s.y.some((v) => Number.isNaN(v))) return [{ ...s, traitIndex: all }];
  const out: PatternSamples[] = [];
  for (const [key, traitList] of groups) {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (key.charCodeAt(i) === 49) rows.push(i);
    const m = rows.length;
    const pick = (a: Float64Array, blocks: number, idx: readonly number[]): Float64Array => {
      const o = new Float64Array(blocks * m);
      idx.forEach((b, bo) => { for (let r = 0; r < m; r++) o[bo * m + r] = a[b * n + rows[r]!]!; });
      return o;
    };
    const kIdx = Array.from({ length: s.k }, (_, t) => t);
    let offsets: PreparedSamples["offsets"] = s.offsets;
    if (offsets.kind === "single") offsets = { kind: "single", data: pick(offsets.data, traitList.length, traitList) };
    else if (offsets.kind === "loco") {
      const byContig = new Map<string, Float64Array>();
      for (const [c, d] of offsets.byContig) byContig.set(c, pick(d, traitList.length, traitList));
      offsets = { kind: "loco", contigs: offsets.contigs, byContig };
    }
    const gi = s.genotypeIndex;
    const genotypeIndex = m === n && !gi ? null : Int32Array.from(rows, (r) => (gi ? gi[r]! : r));
    out.push({
      ...s,
      sampleIds: rows.map((r) => s.sampleIds[r]!),
      genotypeIndex,
      traits: traitList.map((j) => s.traits[j]!),
      y: pick(s.y, traitList.length, traitList),
      c: pick(s.c, s.k, kIdx),
      offsets,
      traitIndex: Int32Array.from(traitList),
    });
  }
  return out;
}

function prepareOffsets(
  caller: string, t: OffsetTable, sampleIds: string[], traits: string[],
  contigs: string[] | null, float32: boolean,
): PreparedSamples["offsets"] {
  if (t.kind === "none") return { kind: "none" };
  const what = `${caller}: offsetDf`;
  const checkColumns = (m: SampleMatrix): void => {
    if (!sameIdSet(m.columns, traits)) {
      throw new GlowtsError("SAMPLE_MISMATCH", `${what}: phenotypeDf and offsetDf should have the same column names (offsetDf: ${m.columns.join(", ")}; phenotypeDf: ${traits.join(", ")})`);
    }
  };
  if (t.kind === "single") {
    checkColumns(t.matrix);
    return { kind: "single", data: roundTo(alignRows(t.matrix, sampleIds, what, traits), float32) };
  }
  const use = contigs ?? t.contigs;
  const byContig = new Map<string, Float64Array>();
  for (const contig of use) {
    const m = t.byContig.get(contig);
    if (!m) throw new GlowtsError("MISSING_CONTIG", `${what}: the LOCO offsets have no contig '${contig}' (they have ${t.contigs.join(", ")})`);
    checkColumns(m);
    const have = new Set(m.ids);
    const lacking = sampleIds.find((id) => !have.has(id));
    if (lacking !== undefined) {
      throw new GlowtsError("SAMPLE_MISMATCH", `${what}: when using per-contig offsets, the offsets for each contig should have the same samples as phenotypeDf (contig '${contig}' lacks sample '${lacking}')`);
    }
    byContig.set(contig, roundTo(alignRows(m, sampleIds, `${what} (contig ${contig})`, traits), float32));
  }
  return { kind: "loco", contigs: [...use], byContig };
}

/**
 * Thin QR of the covariate matrix.
 * @throws GlowtsError `SINGULAR` when the covariates (with the intercept) are collinear.
 */
export function covariateQR(caller: string, s: PreparedSamples): ThinQR {
  const qr = thinQR(s.c, s.sampleIds.length, s.k);
  if (s.k > 0 && isRankDeficient(qr)) {
    throw new GlowtsError("SINGULAR", `${caller}: the covariate matrix${s.k > s.nUserCovariates ? " (with the intercept)" : ""} is singular: its columns are linearly dependent`);
  }
  return qr;
}
