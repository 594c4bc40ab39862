/**
 * The stages of GloWGR's linear ridge models as pure functions over block matrices and sample
 * tables (Glow `ridge_udfs.map_normal_eqn / reduce_normal_eqn / solve_normal_eqn / apply_model /
 * score_models`, `model_functions.assemble_block / evaluate_coefficients / new_headers /
 * cross_validation`; reference §2.4–2.6).
 *
 * Two grouping modes share the same stages:
 * - `reduction` (RidgeReduction): one group per (header_block, sample_block) — plus label when the
 *   input is itself a reduced matrix —, Y = all labels (or that label);
 * - `regression` (RidgeRegression): one group per (sample_block, label) across all header blocks.
 */
import { GlowtsError } from "../core/errors.js";
import { choleskySolve, crossRowsWith, gramRows, invertLU, matMul, meanAndPopulationSd, predictRows } from "../linalg/ridge-kernels.js";
import { alphaIndex, compareStrings, sortedAlphaNames, type AlphaDict } from "./alphas.js";
import { BlockMatrix, BlockMatrixBuilder, type SampleBlocks } from "./block-matrix.js";
import { SampleTable } from "./sample-table.js";
import { RidgeModel, locoPattern, type RidgeModelBlock } from "./ridge-model.js";
import { CrossValidation } from "./cross-validation.js";

export { RidgeModel, locoPattern, CrossValidation, type RidgeModelBlock };

/** How rows are grouped: see the module description. */
export type GroupMode = "reduction" | "regression";

const SEP = "\u0000";

/**
 * Labels, covariates and sample blocks of one model, with the sample-id lookups cached per block.
 * `labels` are the standardized labels for the linear models (raw 0/1 labels for the logistic
 * level 1); `cov` the standardized covariates with the intercept first (may be empty).
 */
export class WgrInputs {
  private readonly labelPos = new Map<string, Int32Array>();
  private readonly covPos = new Map<string, Int32Array>();

  constructor(readonly labels: SampleTable, readonly cov: SampleTable, readonly sampleBlocks: SampleBlocks) {}

  /** Number of covariate columns (intercept included). */
  get nCov(): number {
    return this.cov.empty ? 0 : this.cov.columns.length;
  }

  /** Sample ids of a sample block. @throws GlowtsError `SAMPLE_BLOCK` when unknown */
  ids(sampleBlock: string): string[] {
    const ids = this.sampleBlocks[sampleBlock];
    if (!ids) throw new GlowtsError("SAMPLE_BLOCK", `sample block '${sampleBlock}' of the block matrix is not in sample_blocks (${Object.keys(this.sampleBlocks).slice(0, 10).join(", ")})`);
    return ids;
  }

  /** Positions of a block's samples in the label table. */
  labelPositions(sampleBlock: string): Int32Array {
    let p = this.labelPos.get(sampleBlock);
    if (!p) this.labelPos.set(sampleBlock, (p = this.labels.positionsOf(this.ids(sampleBlock), "label DataFrame")));
    return p;
  }

  /** Positions of a block's samples in the covariate table (null without covariates). */
  covPositions(sampleBlock: string): Int32Array | null {
    if (this.nCov === 0) return null;
    let p = this.covPos.get(sampleBlock);
    if (!p) this.covPos.set(sampleBlock, (p = this.cov.positionsOf(this.ids(sampleBlock), "covariate DataFrame")));
    return p;
  }
}

/** The design matrix X = [C | Z] of one group, transposed (p × n row block). */
export interface Design {
  sampleBlock: string;
  /** Samples (rows of X) after masking. */
  n: number;
  /** Columns of X: covariates then block rows. */
  p: number;
  nCov: number;
  headers: string[];
  sortKeys: number[];
  /** `xt[j*n + s]` = X[s, j]. */
  xt: Float64Array;
}

/**
 * Glow's `assemble_block` with covariates prepended: column j of Z is `(values − mu)/sig` of block
 * row `rows[j]` (sparse rows expanded with zeros first); C holds the covariate rows of the block's
 * samples. `mask` (1 = keep) drops samples, as Glow's `row_mask` for missing binary labels.
 * @throws GlowtsError `BLOCK_MATRIX` for a zero `sig` or inconsistent sizes
 */
export function assembleDesign(
  bm: BlockMatrix, rows: readonly number[], sampleBlock: string, inputs: WgrInputs,
  options: { includeCov?: boolean; mask?: Uint8Array | null } = {},
): Design {
  const ids = inputs.ids(sampleBlock);
  const nAll = rows.length ? bm.size[rows[0]!]! : ids.length;
  if (nAll !== ids.length) {
    throw new GlowtsError("BLOCK_MATRIX", `sample block '${sampleBlock}' has ${ids.length} sample ids but its rows have size ${nAll}`, { record: `header ${bm.header[rows[0]!]}` });
  }
  const mask = options.mask ?? null;
  let keep: Int32Array | null = null;
  if (mask) {
    const k: number[] = [];
    for (let s = 0; s < nAll; s++) if (mask[s]) k.push(s);
    keep = Int32Array.from(k);
  }
  const n = keep ? keep.length : nAll;
  const covPos = options.includeCov === false ? null : inputs.covPositions(sampleBlock);
  const nCov = covPos ? inputs.nCov : 0;
  const p = nCov + rows.length;
  const xt = new Float64Array(p * n);
  const headers: string[] = [];
  const sortKeys: number[] = [];
  if (covPos) {
    const cov = inputs.cov;
    const cn = cov.numRows;
    for (let j = 0; j < nCov; j++) {
      headers.push(cov.columns[j]!);
      sortKeys.push(j - nCov);
      const o = j * n;
      for (let s = 0; s < n; s++) xt[o + s] = cov.values[j * cn + covPos[keep ? keep[s]! : s]!]!;
    }
  }
  const full = keep ? new Float64Array(nAll) : null;
  for (let c = 0; c < rows.length; c++) {
    const r = rows[c]!;
    if (bm.size[r] !== nAll) throw new GlowtsError("BLOCK_MATRIX", `rows of one block have different sizes (${bm.size[r]} vs ${nAll})`, { record: `header ${bm.header[r]}, sample block ${sampleBlock}` });
    const mu = bm.mu[r]!;
    const sig = bm.sig[r]!;
    if (sig === 0) throw new GlowtsError("BLOCK_MATRIX", "Standard deviation cannot be 0.", { record: `header ${bm.header[r]}, sample block ${sampleBlock}` });
    headers.push(bm.header[r]!);
    sortKeys.push(bm.sortKey[r]!);
    const o = (nCov + c) * n;
    const vals = bm.values[r]!;
    const idx = bm.indices?.[r];
    if (idx) {
      const dense = full ?? new Float64Array(nAll);
      dense.fill(0);
      for (let k = 0; k < idx.length; k++) dense[idx[k]!] = vals[k]!;
      for (let s = 0; s < n; s++) xt[o + s] = (dense[keep ? keep[s]! : s]! - mu) / sig;
    } else {
      if (vals.length !== nAll) throw new GlowtsError("BLOCK_MATRIX", `values has ${vals.length} elements, size is ${nAll}`, { record: `header ${bm.header[r]}, sample block ${sampleBlock}` });
      if (keep) for (let s = 0; s < n; s++) xt[o + s] = (vals[keep[s]!]! - mu) / sig;
      else for (let s = 0; s < n; s++) xt[o + s] = (vals[s]! - mu) / sig;
    }
  }
  return { sampleBlock, n, p, nCov, headers, sortKeys, xt };
}

/**
 * Glow's `slice_label_rows`: the label rows of a sample block as a q × n row block
 * (`which` = 'all' for every label, else one label), with `mask` applied.
 */
export function sliceLabels(inputs: WgrInputs, which: string, sampleBlock: string, mask?: Uint8Array | null): { yt: Float64Array; names: string[]; n: number } {
  const labels = inputs.labels;
  const pos = inputs.labelPositions(sampleBlock);
  const names = which === "all" ? [...labels.columns] : [which];
  const cols = names.map((nm) => {
    const j = labels.columns.indexOf(nm);
    if (j < 0) throw new GlowtsError("LABEL", `label '${nm}' of the block matrix is not a column of the label DataFrame`);
    return j;
  });
  let n = pos.length;
  if (mask) { n = 0; for (let s = 0; s < pos.length; s++) if (mask[s]) n++; }
  const yt = new Float64Array(names.length * n);
  const ln = labels.numRows;
  cols.forEach((j, q) => {
    let k = 0;
    for (let s = 0; s < pos.length; s++) {
      if (mask && !mask[s]) continue;
      yt[q * n + k++] = labels.values[j * ln + pos[s]!]!;
    }
  });
  return { yt, names, n };
}

// ------------------------------------------------------------------------------------------ map

/** XᵀX and XᵀY of one group (Glow's `normal_eqn_struct` rows, gathered as matrices). */
export interface NormalEquations {
  headerBlock: string;
  sampleBlock: string;
  /** The label of the group, or 'all'. */
  label: string;
  headers: string[];
  sortKeys: number[];
  nCov: number;
  /** Label columns of `xty`. */
  labelNames: string[];
  /** p × p, row-major. */
  xtx: Float64Array;
  /** p × q, row-major. */
  xty: Float64Array;
}

/** Key of a group in the given mode. */
function groupKey(bm: BlockMatrix, mode: GroupMode, i: number): string {
  if (mode === "regression") {
    if (!bm.label) throw new GlowtsError("BLOCK_MATRIX", "a regression needs a reduced block matrix (with a label column); run RidgeReduction.transform first");
    return bm.sampleBlock[i] + SEP + bm.label[i]!;
  }
  return bm.headerBlock[i] + SEP + bm.sampleBlock[i] + (bm.label ? SEP + bm.label[i]! : "");
}

/** Parses a group key into (header_block, sample_block, label) as Glow's `parse_header_block_sample_block_label`. */
function parseKey(mode: GroupMode, key: string, labelled: boolean): { headerBlock: string; sampleBlock: string; label: string } {
  const parts = key.split(SEP);
  if (mode === "regression") return { headerBlock: "all", sampleBlock: parts[0]!, label: parts[1]! };
  return { headerBlock: parts[0]!, sampleBlock: parts[1]!, label: labelled ? parts[2]! : "all" };
}

/** The groups of a block matrix, rows sorted by (sort_key, header). */
export function groupRows(bm: BlockMatrix, mode: GroupMode): { key: string; headerBlock: string; sampleBlock: string; label: string; rows: number[] }[] {
  const groups = bm.groupBy((i) => groupKey(bm, mode, i));
  return [...groups].map(([key, rows]) => ({ key, ...parseKey(mode, key, bm.hasLabel), rows }));
}

/** Glow's `map_normal_eqn` for one group. */
export function mapNormalEqn(
  bm: BlockMatrix, rows: readonly number[], group: { headerBlock: string; sampleBlock: string; label: string }, inputs: WgrInputs,
): NormalEquations {
  const d = assembleDesign(bm, rows, group.sampleBlock, inputs);
  const y = sliceLabels(inputs, group.label, group.sampleBlock);
  return {
    ...group,
    headers: d.headers,
    sortKeys: d.sortKeys,
    nCov: d.nCov,
    labelNames: y.names,
    xtx: gramRows(d.xt, d.p, d.n),
    xty: crossRowsWith(d.xt, d.p, y.yt, y.names.length, d.n),
  };
}

/** Map over every group of a block matrix. */
export function ridgeMap(bm: BlockMatrix, mode: GroupMode, inputs: WgrInputs): NormalEquations[] {
  return groupRows(bm, mode).map((g) => mapNormalEqn(bm, g.rows, g, inputs));
}

/** Key of the reduce step: everything but the sample block. */
function reduceKey(ne: { headerBlock: string; label: string }): string {
  return ne.headerBlock + SEP + ne.label;
}

/**
 * Glow's `reduce_normal_eqn` (leave-one-block-out): for the groups that differ only by sample
 * block, replaces each XᵀX, XᵀY by the sum over all sample blocks minus its own.
 * With `inPlace` the input arrays are overwritten (used by the streaming fit to bound memory).
 * @throws GlowtsError `BLOCK_MATRIX` when the sample blocks of a header block have different headers
 */
export function reduceNormalEqn(group: readonly NormalEquations[], inPlace = false): NormalEquations[] {
  if (group.length === 0) return [];
  const first = group[0]!;
  for (const g of group) {
    if (g.headers.length !== first.headers.length || g.headers.some((h, i) => h !== first.headers[i])) {
      throw new GlowtsError("BLOCK_MATRIX", `header block '${first.headerBlock}': sample blocks '${first.sampleBlock}' and '${g.sampleBlock}' have different headers`);
    }
  }
  const sumX = new Float64Array(first.xtx.length);
  const sumY = new Float64Array(first.xty.length);
  for (const g of group) {
    for (let i = 0; i < sumX.length; i++) sumX[i] += g.xtx[i]!;
    for (let i = 0; i < sumY.length; i++) sumY[i] += g.xty[i]!;
  }
  return group.map((g) => {
    const xtx = inPlace ? g.xtx : new Float64Array(sumX.length);
    const xty = inPlace ? g.xty : new Float64Array(sumY.length);
    for (let i = 0; i < xtx.length; i++) xtx[i] = sumX[i]! - g.xtx[i]!;
    for (let i = 0; i < xty.length; i++) xty[i] = sumY[i]! - g.xty[i]!;
    return inPlace ? g : { ...g, xtx, xty };
  });
}

/** Reduce over all groups (grouped by header block and label). */
export function ridgeReduce(nes: readonly NormalEquations[]): NormalEquations[] {
  const byKey = new Map<string, NormalEquations[]>();
  for (const ne of nes) {
    const k = reduceKey(ne);
    let g = byKey.get(k);
    if (!g) byKey.set(k, (g = []));
    g.push(ne);
  }
  const out: NormalEquations[] = [];
  for (const g of byKey.values()) out.push(...reduceNormalEqn(g));
  return out;
}

// ---------------------------------------------------------------------------------------- solve

/**
 * How the ridge systems are solved. `inverse`: Glow's arithmetic, an explicit inverse times XᵀY
 * (scipy.linalg.inv); `cholesky`: a Cholesky factorization and triangular solves (the same
 * math, ~6× fewer flops for large blocks; agrees with the inverse to ~1e-13 relative on
 * well-conditioned ridge systems); `auto`: the inverse up to {@link AUTO_INVERSE_MAX_COLUMNS}
 * columns, Cholesky above.
 */
export type RidgeSolver = "auto" | "inverse" | "cholesky";

/** Largest block (columns of X) solved with the explicit inverse under `solver: 'auto'`. */
export const AUTO_INVERSE_MAX_COLUMNS = 256;

/**
 * Glow's `solve_normal_eqn` / `evaluate_coefficients`: for each alpha in sorted-name order,
 * `B(a) = inv(XᵀX + diag([1]*nCov ++ [a]*m)) · XᵀY` (covariates penalized with 1, an explicit
 * inverse as scipy.linalg.inv unless `solver` says otherwise); columns are alpha-major
 * `product(alpha_names, label_names)`.
 */
export function solveNormalEqn(ne: NormalEquations, alphas: AlphaDict, solver: RidgeSolver = "auto"): RidgeModelBlock {
  const names = sortedAlphaNames(alphas);
  const p = ne.headers.length;
  const q = ne.labelNames.length;
  const k = names.length * q;
  const coef = new Float64Array(p * k);
  const useInverse = solver === "inverse" || (solver === "auto" && p <= AUTO_INVERSE_MAX_COLUMNS);
  const a = new Float64Array(p * p);
  const diag = new Float64Array(p);
  names.forEach((name, ai) => {
    const alpha = alphas[name]!;
    for (let i = 0; i < p; i++) diag[i] = i < ne.nCov ? 1 : alpha;
    let b: Float64Array | null = null;
    if (!useInverse) b = choleskySolve(ne.xtx, diag, p, ne.xty, q, a);
    if (!b) {
      a.set(ne.xtx);
      for (let i = 0; i < p; i++) a[i * p + i] += diag[i]!;
      const inv = invertLU(a, p, `solve_normal_eqn (${ne.headerBlock}, sample block ${ne.sampleBlock}, ${name})`);
      b = matMul(inv, p, p, ne.xty, q);
    }
    for (let i = 0; i < p; i++) for (let c = 0; c < q; c++) coef[i * k + ai * q + c] = b[i * q + c]!;
  });
  const alphaNames: string[] = [];
  const labelNames: string[] = [];
  for (const nm of names) for (const l of ne.labelNames) { alphaNames.push(nm); labelNames.push(l); }
  return {
    headerBlock: ne.headerBlock, sampleBlock: ne.sampleBlock, label: ne.label,
    headers: ne.headers, sortKeys: ne.sortKeys, nCov: ne.nCov,
    alphaNames, labelNames, coefficients: coef,
  };
}

/** Solve every reduced group. */
export function ridgeSolve(nes: readonly NormalEquations[], alphas: AlphaDict, solver: RidgeSolver = "auto"): RidgeModel {
  return new RidgeModel(nes.map((ne) => solveNormalEqn(ne, alphas, solver)));
}

/**
 * Map → reduce → solve, streamed one reduce group (header block, or label at level 1) at a time so
 * that only that group's XᵀX matrices are alive at once.
 */
export function ridgeFit(bm: BlockMatrix, mode: GroupMode, inputs: WgrInputs, alphas: AlphaDict, solver: RidgeSolver = "auto"): RidgeModel {
  const buckets = new Map<string, ReturnType<typeof groupRows>>();
  for (const g of groupRows(bm, mode)) {
    const k = reduceKey(g);
    let b = buckets.get(k);
    if (!b) buckets.set(k, (b = []));
    b.push(g);
  }
  const blocks: RidgeModelBlock[] = [];
  for (const bucket of buckets.values()) {
    const nes = bucket.map((g) => mapNormalEqn(bm, g.rows, g, inputs));
    for (const ne of reduceNormalEqn(nes, true)) blocks.push(solveNormalEqn(ne, alphas, solver));
  }
  return new RidgeModel(blocks);
}

// ---------------------------------------------------------------------------------------- apply

/**
 * Rows of a group that the model block uses, in the model's order (Glow's right join of the block
 * rows with the model on header: block rows without a model row are dropped).
 * @throws GlowtsError `BLOCK_MATRIX` when a model header has no block row
 */
function matchRows(bm: BlockMatrix, groupRows: readonly number[], mb: RidgeModelBlock): number[] {
  const byHeader = new Map<string, number>();
  for (const r of groupRows) byHeader.set(bm.header[r]!, r);
  const out: number[] = [];
  for (let i = mb.nCov; i < mb.headers.length; i++) {
    const r = byHeader.get(mb.headers[i]!);
    if (r === undefined) throw new GlowtsError("BLOCK_MATRIX", `model header '${mb.headers[i]}' has no row in sample block '${mb.sampleBlock}' of the block matrix`);
    out.push(r);
  }
  return out;
}

/** X·B for a group under a model block: k × n row block of predictions. */
export function predictGroup(
  bm: BlockMatrix, groupRows: readonly number[], mb: RidgeModelBlock, inputs: WgrInputs,
  options: { includeCov?: boolean; mask?: Uint8Array | null; columns?: readonly number[] } = {},
): { pt: Float64Array; n: number; k: number } {
  const includeCov = options.includeCov !== false && mb.nCov > 0;
  const rows = matchRows(bm, groupRows, mb);
  const d = assembleDesign(bm, rows, mb.sampleBlock, inputs, { includeCov, mask: options.mask ?? null });
  if (includeCov && d.nCov !== mb.nCov) throw new GlowtsError("BLOCK_MATRIX", `the model has ${mb.nCov} covariates, the inputs ${d.nCov}`);
  const kAll = mb.alphaNames.length;
  const cols = options.columns ?? [...Array(kAll).keys()];
  const k = cols.length;
  // coefficient rows used: covariates (if included) then the block rows
  const skip = includeCov ? 0 : mb.nCov;
  const p = mb.headers.length - skip;
  const b = new Float64Array(p * k);
  for (let i = 0; i < p; i++) for (let c = 0; c < k; c++) b[i * k + c] = mb.coefficients[(i + skip) * kAll + cols[c]!]!;
  return { pt: predictRows(d.xt, p, d.n, b, k), n: d.n, k };
}

/**
 * Glow's `new_headers`: the header block, sort keys and headers of a reduction's output columns.
 * `chr_{c}_block_{i}` → `chr_{c}_block_{i}_{alpha}_label_{L}` in header block `chr_{c}` with sort
 * key `i*nAlpha + j`; `chr_{c}` → `chr_{c}_{alpha}_label_{L}` in header block `all` (sort key from a
 * deterministic hash of c, where Glow uses Python's randomized `hash`); `all` → `{alpha}_label_{L}`.
 */
export function newHeaders(headerBlock: string, nAlphas: number, columns: readonly { alpha: string; label: string }[]): { headerBlock: string; sortKeys: number[]; headers: string[] } {
  const mBlock = /^chr_(.*)_block_([0-9]+)$/s.exec(headerBlock);
  const mChr = /^chr_(.*)$/s.exec(headerBlock);
  let inner: number;
  let prefix: string;
  let newBlock: string;
  if (mBlock) {
    inner = Number(mBlock[2]);
    prefix = `chr_${mBlock[1]}_block_${inner}_`;
    newBlock = `chr_${mBlock[1]}`;
  } else if (mChr) {
    inner = chromosomeSortIndex(mChr[1]!);
    prefix = `chr_${mChr[1]}_`;
    newBlock = "all";
  } else if (headerBlock === "all") {
    inner = 0;
    prefix = "";
    newBlock = "all";
  } else {
    throw new GlowtsError("BLOCK_MATRIX", `Header block ${headerBlock} does not match expected pattern.`);
  }
  return {
    headerBlock: newBlock,
    sortKeys: columns.map((c) => inner * nAlphas + alphaIndex(c.alpha)),
    headers: columns.map((c) => `${prefix}${c.alpha}_label_${c.label}`),
  };
}

/** Deterministic 8-digit index of a chromosome name (numbers map to themselves, others FNV-1a). */
export function chromosomeSortIndex(c: string): number {
  if (/^[0-9]{1,7}$/.test(c)) return Number(c);
  let h = 0x811c9dc5;
  for (let i = 0; i < c.length; i++) {
    h ^= c.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 1e8;
}

/**
 * Glow's `apply_model` over a whole block matrix (RidgeReduction.transform): every group is
 * predicted with its model block; each output column becomes a reduced row with the block-local
 * mean and population sd as mu/sig.
 */
export function ridgeApply(bm: BlockMatrix, model: RidgeModel, inputs: WgrInputs, alphas: AlphaDict): BlockMatrix {
  const out = new BlockMatrixBuilder();
  const nAlphas = Object.keys(alphas).length;
  for (const g of groupRows(bm, "reduction")) {
    const mb = model.get(g.headerBlock, g.sampleBlock, g.label);
    if (!mb) continue; // Glow's right join: groups without a model produce nothing
    const { pt, n, k } = predictGroup(bm, g.rows, mb, inputs);
    const cols = mb.alphaNames.map((a, i) => ({ alpha: a, label: mb.labelNames[i]! }));
    const nh = newHeaders(g.headerBlock, nAlphas, cols);
    for (let c = 0; c < k; c++) {
      const values = pt.subarray(c * n, (c + 1) * n);
      const [mu, sig] = meanAndPopulationSd(values, 0, n);
      out.add({
        header: nh.headers[c]!, size: n, values, header_block: nh.headerBlock, sample_block: g.sampleBlock,
        sort_key: nh.sortKeys[c]!, mu, sig, alpha: cols[c]!.alpha, label: cols[c]!.label,
      });
    }
  }
  return out.build();
}

// ------------------------------------------------------------------------------- cross validation

/**
 * Averages per-block scores and picks the best alpha per label (Glow's `cross_validation`):
 * r² → highest mean, log-loss → lowest mean; ties go to the larger alpha value.
 */
export function summarizeScores(
  metric: "r2" | "log_loss", scores: { sampleBlock: string; label: string; alpha: string; score: number }[],
  alphas: AlphaDict, labelOrder: readonly string[],
): CrossValidation {
  const names = sortedAlphaNames(alphas);
  const means: CrossValidation["means"] = [];
  const best: CrossValidation["best"] = [];
  for (const label of labelOrder) {
    const rows: CrossValidation["means"] = [];
    for (const a of names) {
      let s = 0;
      let c = 0;
      for (const r of scores) if (r.label === label && r.alpha === a) { s += r.score; c++; }
      if (c === 0) continue;
      rows.push({ label, alpha: a, alphaValue: alphas[a]!, mean: s / c });
    }
    if (rows.length === 0) continue;
    means.push(...rows);
    let b = rows[0]!;
    for (const r of rows.slice(1)) {
      const better = metric === "r2" ? r.mean > b.mean : r.mean < b.mean;
      if (better || (r.mean === b.mean && r.alphaValue > b.alphaValue)) b = r;
    }
    best.push(b);
  }
  return new CrossValidation(metric, scores, means, best);
}

/** Glow's `r_squared`: 1 − Σ(y − ŷ)² / Σ(y − mean y)² for each prediction column. */
export function rSquared(pt: Float64Array, k: number, y: Float64Array, n: number): Float64Array {
  let mean = 0;
  for (let s = 0; s < n; s++) mean += y[s]!;
  mean /= n;
  let tot = 0;
  for (let s = 0; s < n; s++) tot += (y[s]! - mean) ** 2;
  const out = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let res = 0;
    const o = c * n;
    for (let s = 0; s < n; s++) res += (y[s]! - pt[o + s]!) ** 2;
    out[c] = 1 - res / tot;
  }
  return out;
}

/**
 * Glow's `score_models` with metric r2 over a reduced block matrix (RidgeRegression.fit's CV),
 * then the best alpha per label.
 */
export function ridgeCrossValidate(bm: BlockMatrix, model: RidgeModel, inputs: WgrInputs, alphas: AlphaDict): CrossValidation {
  const scores: CrossValidation["scores"] = [];
  for (const g of groupRows(bm, "regression")) {
    const mb = model.get("all", g.sampleBlock, g.label);
    if (!mb) continue;
    const { pt, n, k } = predictGroup(bm, g.rows, mb, inputs);
    const y = sliceLabels(inputs, g.label, g.sampleBlock);
    const r2 = rSquared(pt, k, y.yt, n);
    for (let c = 0; c < k; c++) scores.push({ sampleBlock: g.sampleBlock, label: g.label, alpha: mb.alphaNames[c]!, score: r2[c]! });
  }
  return summarizeScores("r2", scores, alphas, inputs.labels.columns);
}

/**
 * Level-1 predictions with each label's best alpha (Glow's `apply_model_df` + `flatten_prediction_df`):
 * ŷ_k = [C_k | W_k] · B_k(best) per sample block, flattened to a sample × label table in the
 * label table's order (samples outside every sample block are NaN). With `includeCov: false`
 * the covariate terms are left out (the logistic 'linear' response).
 */
export function predictLevel1(
  bm: BlockMatrix, model: RidgeModel, cv: CrossValidation, inputs: WgrInputs,
  options: { includeCov?: boolean; response?: (pt: Float64Array) => void } = {},
): SampleTable {
  const labels = inputs.labels;
  const n = labels.numRows;
  const out = new Float64Array(n * labels.columns.length).fill(NaN);
  for (const g of groupRows(bm, "regression")) {
    const mb = model.get("all", g.sampleBlock, g.label);
    if (!mb) continue;
    const best = cv.best.find((b) => b.label === g.label);
    if (!best) continue;
    const col = mb.alphaNames.findIndex((a, i) => a === best.alpha && mb.labelNames[i] === g.label);
    if (col < 0) continue;
    const { pt } = predictGroup(bm, g.rows, mb, inputs, { includeCov: options.includeCov, columns: [col] });
    options.response?.(pt);
    const j = labels.columns.indexOf(g.label);
    if (j < 0) continue;
    const pos = inputs.labelPositions(g.sampleBlock);
    for (let s = 0; s < pos.length; s++) out[j * n + pos[s]!] = pt[s]!;
  }
  return new SampleTable([...labels.index], [...labels.columns], out);
}

/**
 * Glow's `infer_chromosomes`: distinct `^chr_(.+?)_(alpha|block)` captures of the headers
 * (rows that do not match give the empty string, as Spark's regexp_extract), sorted.
 */
export function inferChromosomes(bm: BlockMatrix): string[] {
  const s = new Set<string>();
  for (const h of bm.header) {
    const m = /^chr_(.+?)_(alpha|block)/s.exec(h);
    s.add(m ? m[1]! : "");
  }
  return [...s].sort(compareStrings);
}

/** Ensures a reduced block matrix and a label table agree before a level-1 fit. */
export function checkReducedLabels(bm: BlockMatrix, labels: SampleTable): void {
  if (!bm.label) throw new GlowtsError("BLOCK_MATRIX", "the block matrix has no label column: level-1 models need the output of RidgeReduction.transform()");
  const missing = bm.labels().filter((l) => !labels.columns.includes(l));
  if (missing.length) throw new GlowtsError("LABEL", `labels of the reduced block matrix are not in the label DataFrame: ${missing.join(", ")}`);
}

export { SEP as GROUP_SEPARATOR };
