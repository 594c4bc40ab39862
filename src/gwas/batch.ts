/**
 * Batch plumbing shared by the GWAS kernels: reading the `values` column of a VariantBatch into a
 * dense variants × samples block, grouping rows by contig for LOCO offsets, and assembling output
 * batches (the input's other columns repeated once per phenotype, phenotype-major, as Glow does).
 */
import { GlowtsError } from "../errors.js";
import { takeRows, type Column, type VariantBatch } from "../frame/column.js";

/**
 * The `values` column as an m×n row block (`x[v*n + s]`), keeping the samples in `index` (all when
 * null). Null elements become NaN.
 * @throws GlowtsError `VALUES` when the column is absent, not a numeric list, or a row has the
 * wrong length / is null.
 */
export function readValuesBlock(
  caller: string, batch: VariantBatch, column: string, nValues: number, index: Int32Array | null, float32: boolean,
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
    const out = src.slice(0, m * n);
    if (float32) for (let i = 0; i < out.length; i++) out[i] = Math.fround(out[i]!);
    return out;
  }
  const out = new Float64Array(m * n);
  const nulls = child.nulls;
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

/** Gathers rows `rows` of an m×n block into a new block. */
export function gatherBlock(x: Float64Array, n: number, rows: Int32Array): Float64Array {
  if (rows.length * n === x.length) {
    let identity = true;
    for (let i = 0; i < rows.length; i++) if (rows[i] !== i) { identity = false; break; }
    if (identity) return x;
  }
  const out = new Float64Array(rows.length * n);
  for (let i = 0; i < rows.length; i++) out.set(x.subarray(rows[i]! * n, rows[i]! * n + n), i * n);
  return out;
}

/**
 * The pass-through columns of the output: every input column except the values column and
 * `genotypes`, with row `order[i]` of the input at output row i.
 */
export function passThroughColumns(batch: VariantBatch, valuesColumn: string, order: Int32Array): Record<string, Column> {
  const out: Record<string, Column> = {};
  for (const [name, c] of Object.entries(batch.columns)) {
    if (name === valuesColumn || name === "genotypes" || c.type === "genotypes") continue;
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
