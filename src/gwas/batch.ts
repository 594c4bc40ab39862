/**
 * Batch plumbing shared by the GWAS kernels: reading the `values` column of a VariantBatch into a
 * dense variants × samples block, grouping rows by contig for LOCO offsets, and assembling output
 * batches (the input's other columns repeated once per phenotype, phenotype-major, as Glow does).
 */
import { isPlinkBedColumn } from "../core/encodings.js";
import { GlowtsError } from "../core/errors.js";
import { takeRows, type Column, type VariantBatch } from "../core/column.js";
import { genotypeStatesColumn } from "../functions/genotype-states.js";
import { meanSubstituteColumn } from "../functions/mean-substitute.js";
import { kernels, type Kernels } from "../linalg/kernels.js";
import { evaluate } from "../engine/evaluate.js";
import type { ExprNode } from "../core/expr.js";
import { BED_CODE_STATES } from "../io/plink/bed-codec.js";

/**
 * The `values` column as an m×n row block (`x[v*n + s]`), keeping the samples in `index` (all when
 * null). Null elements become NaN.
 * @param out where to write the block (e.g. a kernel workspace of ≥ m·n elements); a new array
 *   when omitted.
 * @throws GlowtsError `VALUES` when the column is absent, not a numeric list, or a row has the
 * wrong length / is null.
 */
export function readValuesBlock(
  caller: string, batch: VariantBatch, column: string, nValues: number, index: Int32Array | null, float32: boolean,
  out?: Float64Array,
): Float64Array {
  const c = batch.columns[column];
  if (!c) throw new GlowtsError("VALUES", `${caller}: the frame has no column '${column}' (columns: ${Object.keys(batch.columns).join(", ")})`);
  if (c.type !== "list") throw new GlowtsError("VALUES", `${caller}: column '${column}' must be an array of numbers; it is ${c.type}`);
  const child = c.child;
  if (child.type !== "double" && child.type !== "long" && child.type !== "int" && child.type !== "boolean") {
    throw new GlowtsError("VALUES", `${caller}: column '${column}' must be an array of numbers; its elements are ${child.type}`);
  }
  const m = batch.numRows;
  const n = index ? index.length : nValues;
  const src = child.values;
  if (!index && !c.offsets && !c.nulls && !child.nulls && c.width === nValues && src instanceof Float64Array) {
    // The common case (dense list<double>, all samples): one copy.
    if (src.length < m * n) throw new GlowtsError("VALUES", `${caller}: '${column}' holds ${src.length} values for ${m} rows of ${n}`);
    const block = out ? out.subarray(0, m * n) : new Float64Array(m * n);
    block.set(src.subarray(0, m * n));
    if (float32) for (let i = 0; i < block.length; i++) block[i] = Math.fround(block[i]!);
    return block;
  }
  return readValuesRows(caller, c, src, child.nulls, column, m, n, nValues, index, float32, out ? out.subarray(0, m * n) : new Float64Array(m * n));
}

/** The general case of {@link readValuesBlock}: ragged/nullable/non-double lists, sample subsets. */
function readValuesRows(
  caller: string, c: Column & { type: "list" }, src: ArrayLike<number>, nulls: Uint8Array | undefined, column: string,
  m: number, n: number, nValues: number, index: Int32Array | null, float32: boolean, out: Float64Array,
): Float64Array {
  for (let v = 0; v < m; v++) {
    if (c.nulls && c.nulls[v]) throw new GlowtsError("VALUES", `${caller}: '${column}' is null`, { record: `variant ${v} of the batch` });
    let a: number;
    let len: number;
    if (c.offsets) { a = c.offsets[v]!; len = c.offsets[v + 1]! - a; }
    else { len = c.width ?? 0; a = v * len; }
    if (len !== nValues) {
      throw new GlowtsError("VALUES", `${caller}: '${column}' has ${len} values but there are ${nValues} samples`, { record: `variant ${v} of the batch` });
    }
    const o = v * n;
    if (index) for (let s = 0; s < n; s++) out[o + s] = src[a + index[s]!]!;
    else if (src instanceof Float64Array) out.set(src.subarray(a, a + n), o);
    else for (let s = 0; s < n; s++) out[o + s] = src[a + s]!;
    if (nulls) {
      for (let s = 0; s < n; s++) if (nulls[a + (index ? index[s]! : s)]) out[o + s] = NaN;
    }
  }
  if (float32) for (let i = 0; i < out.length; i++) out[i] = Math.fround(out[i]!);
  return out;
}

/**
 * Row groups by contig in order of first appearance (Glow's `groupby('contigName', sort=False)`).
 * With `byContig` false a single group of all rows.
 */
export function contigGroups(caller: string, batch: VariantBatch, byContig: boolean): { contig: string | null; rows: Int32Array }[] {
  const m = batch.numRows;
  if (!byContig) return [{ contig: null, rows: Int32Array.from({ length: m }, (_, i) => i) }];
  const c = batch.columns["contigName"];
  if (!c || c.type !== "string") throw new GlowtsError("VALUES", `${caller}: per-contig offsets need a string column 'contigName'`);
  const groups = new Map<string, number[]>();
  for (let i = 0; i < m; i++) {
    const name = c.values[i];
    if (name === null || name === undefined) throw new GlowtsError("VALUES", `${caller}: contigName is null`, { record: `variant ${i} of the batch` });
    let g = groups.get(name);
    if (!g) groups.set(name, (g = []));
    g.push(i);
  }
  return [...groups].map(([contig, rows]) => ({ contig, rows: Int32Array.from(rows) }));
}

/** Gathers rows `rows` of an m×n block into a new block (or into `out`, ≥ rows.length·n elements). */
export function gatherBlock(x: Float64Array, n: number, rows: Int32Array, out?: Float64Array): Float64Array {
  if (rows.length * n === x.length && !out) {
    let identity = true;
    for (let i = 0; i < rows.length; i++) if (rows[i] !== i) { identity = false; break; }
    if (identity) return x;
  }
  const dst = out ? out.subarray(0, rows.length * n) : new Float64Array(rows.length * n);
  for (let i = 0; i < rows.length; i++) dst.set(x.subarray(rows[i]! * n, rows[i]! * n + n), i * n);
  return dst;
}

/** The first row when `rows` are consecutive (r, r+1, …), else -1 (also -1 for no rows). */
export function consecutiveStart(rows: Int32Array): number {
  if (rows.length === 0) return -1;
  const r0 = rows[0]!;
  for (let i = 1; i < rows.length; i++) if (rows[i] !== r0 + i) return -1;
  return r0;
}

/**
 * The pass-through columns of the output: every input column except the values column,
 * `genotypes` and `position` (the PLINK reader's genetic distance, 0 in most `.bim` files: a
 * result table does not carry it), with row `order[i]` of the input at output row i.
 */
export function passThroughColumns(batch: VariantBatch, valuesColumn: string, order: Int32Array): Record<string, Column> {
  const out: Record<string, Column> = {};
  for (const [name, c] of Object.entries(batch.columns)) {
    if (name === valuesColumn || name === "genotypes" || c.type === "genotypes" || name === "position") continue;
    out[name] = takeRows(c, order);
  }
  return out;
}

/** Float64 column with NaN stored as NaN and `nullWhereNaN` turning NaN into nulls. */
export function doubleColumn(values: Float64Array, float32: boolean, nullWhereNaN = false): Column {
  if (float32) for (let i = 0; i < values.length; i++) values[i] = Math.fround(values[i]!);
  if (!nullWhereNaN) return { type: "double", values };
  let nulls: Uint8Array | undefined;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i]!)) { nulls ??= new Uint8Array(values.length); nulls[i] = 1; }
  }
  return { type: "double", values, nulls };
}

// ------------------------------------------------------------------ fused values (fast path)

/**
 * The standard values column `meanSubstitute(genotypeStates(col(genotypesColumn)), missingValue)`,
 * computed by the GWAS kernels straight from the genotypes instead of by the plan (see
 * {@link standardValuesExpr} and {@link readFusedValuesBlock}).
 */
export interface FusedValues {
  genotypesColumn: string;
  missingValue: number;
}

interface FnNode { op: "fn"; name: string; args: unknown[]; params?: Record<string, unknown> }

function isFn(n: unknown, name: string): n is FnNode {
  return typeof n === "object" && n !== null && (n as FnNode).op === "fn" && (n as FnNode).name === name && Array.isArray((n as FnNode).args);
}

/**
 * Recognizes the values expression `meanSubstitute(genotypeStates(col(g)), missingValue)`; the
 * GWAS kernel then computes the same values from the genotypes itself ({@link readFusedValuesBlock}),
 * bit for bit, without materializing the int and double arrays.
 * @returns the fused description, or null for any other expression.
 */
export function standardValuesExpr(expr: unknown, valuesColumn: string): FusedValues | null {
  const ms = expr;
  if (!isFn(ms, "meanSubstitute") || ms.args.length !== 1) return null;
  const mv = ms.params?.["missingValue"] ?? -1;
  if (typeof mv !== "number") return null;
  const gs = ms.args[0];
  if (!isFn(gs, "genotypeStates") || gs.args.length !== 1) return null;
  const g = gs.args[0] as { op?: string; name?: string };
  if (!g || g.op !== "col" || typeof g.name !== "string" || g.name === valuesColumn) return null;
  return { genotypesColumn: g.name, missingValue: mv };
}

/** What the frame's fused-projection rule passes to a `fusable` mapPartitions (`frame/optimize.ts`). */
export interface FusedContext {
  fused?: { name: string; expr: unknown };
}

/**
 * Takes over the `withColumn` of the values column that the frame's optimizer handed to the GWAS
 * kernel: the standard `meanSubstitute(genotypeStates(g))` sets `fusedValues` on the state (the
 * kernel decodes the genotypes itself); any other expression, or a plan of several missingness
 * patterns, is evaluated here once, as the plan would.
 */
export function takeFusedValues<S extends { valuesColumn: string; fusedValues?: FusedValues | null }, P>(
  batch: VariantBatch, plan: P, states: (p: P) => S[], setStates: (p: P, f: (s: S) => S) => P, ctx: FusedContext | undefined,
): { batch: VariantBatch; plan: P } {
  const fused = ctx?.fused;
  if (!fused) return { batch, plan };
  const all = states(plan);
  const valuesColumn = all[0]!.valuesColumn;
  // Several missingness patterns read the values once each: for packed PLINK codes (missingValue −1)
  // each pattern's samples are decoded straight from the codes (Kernels.bedMeanSubstitutedSubset);
  // other genotypes compute the column once (as the plan would) and each pattern gathers its samples.
  const fv = fused.name === valuesColumn ? standardValuesExpr(fused.expr, valuesColumn) : null;
  if (fv && (all.length === 1 || (fv.missingValue === -1 && isPlinkBedColumn(batch.columns[fv.genotypesColumn])))) {
    return { batch, plan: setStates(plan, (s) => ({ ...s, fusedValues: fv })) };
  }
  const column = evaluate(fused.expr as ExprNode, batch);
  return { batch: { numRows: batch.numRows, columns: { ...batch.columns, [fused.name]: column } }, plan };
}

/**
 * `meanSubstitute(genotypeStates, missingValue)` of packed PLINK variants as an m×n f64 block,
 * following `meanSubstitute`'s rule literally (with missingValue ≠ −1 the state −1 is an ordinary
 * value). The default −1 has a faster kernel (`Kernels.bedMeanSubstituted`).
 */
export function meanSubstitutedStatesFromBed(
  bytes: Uint8Array, nSamples: number, numRows: number, bytesPerVariant: number, missingValue: number, out: Float64Array,
): Float64Array {
  const state = BED_CODE_STATES;
  for (let v = 0; v < numRows; v++) {
    const b0 = v * bytesPerVariant;
    const o = v * nSamples;
    let sum = 0;
    let count = 0;
    for (let s = 0; s < nSamples; s++) {
      const x = state[(bytes[b0 + (s >> 2)]! >> (2 * (s & 3))) & 3]!;
      out[o + s] = x;
      if (x !== missingValue) { sum += x; count++; }
    }
    const mean = count > 0 ? sum / count : missingValue;
    for (let s = 0; s < nSamples; s++) if (out[o + s] === missingValue) out[o + s] = mean;
  }
  return out;
}

/**
 * f64 elements a kernel workspace region needs to hold the packed genotypes that
 * {@link readFusedValuesBlock} converts (0 when the batch's genotypes are not packed PLINK bytes).
 */
export function fusedBytesLength(batch: VariantBatch, fused: FusedValues): number {
  const g = batch.columns[fused.genotypesColumn];
  if (!isPlinkBedColumn(g)) return 0;
  return Math.ceil((batch.numRows * g.encoded.bytesPerVariant) / 8);
}

/**
 * The packed PLINK genotypes of a batch when a fused plan can decode them with the kernels'
 * `bedMeanSubstituted` (missingValue −1, all samples in order), else null.
 */
export function packedGenotypes(
  batch: VariantBatch, fused: FusedValues, nValues: number, index: Int32Array | null,
): { bytes: Uint8Array; bytesPerVariant: number } | null {
  const g = batch.columns[fused.genotypesColumn];
  if (!isPlinkBedColumn(g)) return null;
  if (index || fused.missingValue !== -1 || g.nSamples !== nValues || g.encoded.numRows !== batch.numRows) return null;
  if (g.encoded.bytes.length < batch.numRows * g.encoded.bytesPerVariant) return null;
  return { bytes: g.encoded.bytes, bytesPerVariant: g.encoded.bytesPerVariant };
}

/**
 * The values block of a fused plan ({@link standardValuesExpr}): `meanSubstitute(genotypeStates(g))`
 * of the batch's genotypes column as an m×n row block, equal bit for bit to evaluating the
 * expression and then {@link readValuesBlock}. PLINK genotypes still in their packed encoding are
 * converted in one pass (by the kernels; `bytesRegion`, a workspace region of
 * {@link fusedBytesLength} elements of `K`'s workspace, keeps the kernels' inputs in their
 * memory); any other genotypes go through the column functions themselves.
 * @throws GlowtsError `VALUES` when the genotypes column is absent, and the column functions' errors.
 */
export function readFusedValuesBlock(
  caller: string, batch: VariantBatch, fused: FusedValues, nValues: number, index: Int32Array | null, float32: boolean,
  out?: Float64Array, bytesRegion?: Float64Array, K: Kernels = kernels(),
): Float64Array {
  const g = batch.columns[fused.genotypesColumn];
  if (!g) throw new GlowtsError("VALUES", `${caller}: the frame has no column '${fused.genotypesColumn}' (columns: ${Object.keys(batch.columns).join(", ")})`);
  const m = batch.numRows;
  // packed codes: all samples (either missingValue), or a sample subset (e.g. one missingness
  // pattern's samples; missingValue −1) decoded straight from the codes
  if (isPlinkBedColumn(g) && g.nSamples === nValues && g.encoded.numRows === m && (!index || fused.missingValue === -1)) {
    const e = g.encoded;
    const n = index ? index.length : nValues;
    const block = out ? out.subarray(0, m * n) : new Float64Array(m * n);
    if (fused.missingValue === -1) {
      let bytes = e.bytes.subarray(0, m * e.bytesPerVariant);
      if (bytesRegion) { const view = K.bytesView(bytesRegion, bytes.length); view.set(bytes); bytes = view; }
      if (index) K.bedMeanSubstitutedSubset(bytes, nValues, m, e.bytesPerVariant, index, block);
      else K.bedMeanSubstituted(bytes, nValues, m, e.bytesPerVariant, block);
    } else {
      meanSubstitutedStatesFromBed(e.bytes, nValues, m, e.bytesPerVariant, fused.missingValue, block);
    }
    if (float32) for (let i = 0; i < block.length; i++) block[i] = Math.fround(block[i]!);
    return block;
  }
  const values = meanSubstituteColumn(genotypeStatesColumn(g), fused.missingValue);
  const tmp: VariantBatch = { numRows: m, columns: { values } };
  return readValuesBlock(caller, tmp, "values", nValues, index, float32, out);
}
