/**
 * Sample-level numeric tables (labels, covariates, predictions) as GloWGR uses them internally:
 * a sample-id index, column names and column-major Float64Array values. Conversion from and to danfo
 * DataFrames (indexed by sample id, as pandas DataFrames are in Glow) lives here.
 */
import { GlowtsError } from "../core/errors.js";
import { cellToNumber } from "../core/numbers.js";
import { columnTable, isTableLike, type TableLike } from "../core/table.js";
import { formatNumber } from "../linalg/ridge-matrix.js";

/** A numeric table indexed by sample id; `values[j*n + i]` is row i of column j (n = index length). */
export class SampleTable {
  readonly index: string[];
  readonly columns: string[];
  readonly values: Float64Array;
  private positions: Map<string, number> | undefined;

  constructor(index: string[], columns: string[], values?: Float64Array) {
    this.index = index;
    this.columns = columns;
    this.values = values ?? new Float64Array(index.length * columns.length);
    if (this.values.length !== index.length * columns.length) {
      throw new GlowtsError("TABLE", `SampleTable: ${this.values.length} values for ${index.length} rows × ${columns.length} columns`);
    }
  }

  /** Number of rows. */
  get numRows(): number {
    return this.index.length;
  }

  /** True when the table has no columns (Glow's `df.empty` for a covariate table). */
  get empty(): boolean {
    return this.columns.length === 0 || this.index.length === 0;
  }

  /** Column `j` (or by name) as a view. */
  column(j: number | string): Float64Array {
    const k = typeof j === "string" ? this.columns.indexOf(j) : j;
    if (k < 0 || k >= this.columns.length) throw new GlowtsError("TABLE", `SampleTable: no column ${String(j)}`);
    const n = this.index.length;
    return this.values.subarray(k * n, (k + 1) * n);
  }

  /** Row position of a sample id, or -1. */
  position(id: string): number {
    if (!this.positions) {
      this.positions = new Map();
      this.index.forEach((s, i) => {
        if (!this.positions!.has(s)) this.positions!.set(s, i);
      });
    }
    return this.positions.get(id) ?? -1;
  }

  /**
   * Row positions of `ids` (Glow's `.loc[ids]`).
   * @throws GlowtsError `SAMPLE_IDS` naming the first missing ids
   */
  positionsOf(ids: readonly string[], what = "table"): Int32Array {
    const out = new Int32Array(ids.length);
    const missing: string[] = [];
    ids.forEach((id, i) => {
      const p = this.position(id);
      if (p < 0) missing.push(id);
      out[i] = p;
    });
    if (missing.length) {
      throw new GlowtsError(
        "SAMPLE_IDS",
        `${missing.length} sample id(s) of the sample blocks are not in the ${what} index: ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", …" : ""}`,
      );
    }
    return out;
  }

  /** Value at (sample id, column). */
  get(id: string, column: string): number {
    const i = this.position(id);
    const j = this.columns.indexOf(column);
    if (i < 0 || j < 0) return NaN;
    return this.values[j * this.index.length + i]!;
  }

  /** A copy with the same index and columns. */
  clone(): SampleTable {
    return new SampleTable([...this.index], [...this.columns], Float64Array.from(this.values));
  }

  /** The table as a danfo DataFrame indexed by sample id (columns in order). */
  async toDanfo(): Promise<import("danfojs").DataFrame> {
    const dfd = await import("danfojs");
    const data: Record<string, number[]> = {};
    this.columns.forEach((c, j) => (data[c] = Array.from(this.column(j))));
    return new dfd.DataFrame(data, { index: [...this.index] });
  }

  toString(maxRows = 10): string {
    const n = this.index.length;
    const head = `SampleTable ${n} samples × ${this.columns.length} columns`;
    if (n === 0 || this.columns.length === 0) return `${head} (empty)`;
    const rows = n <= maxRows ? [...Array(n).keys()] : [...Array(Math.ceil(maxRows / 2)).keys(), -1, ...Array.from({ length: Math.floor(maxRows / 2) }, (_, k) => n - Math.floor(maxRows / 2) + k)];
    const cols = this.columns.slice(0, 8);
    const cells = [["sample_id", ...cols]];
    for (const i of rows) cells.push(i < 0 ? ["⋮", ...cols.map(() => "")] : [this.index[i]!, ...cols.map((_, j) => formatNumber(this.values[j * n + i]!))]);
    const w = cells[0]!.map((_, k) => Math.max(...cells.map((r) => r[k]!.length)));
    return [head, ...cells.map((r) => r.map((v, k) => (k === 0 ? v.padEnd(w[k]!) : v.padStart(w[k]!))).join("  "))].join("\n");
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/** What GloWGR accepts as a label or covariate table (see `core/table.ts`). */
export type SampleTableLike = SampleTable | TableLike;

/**
 * Converts a danfo DataFrame (index = sample ids), a plain `{index, columns, data}` object or a
 * SampleTable into a SampleTable (read through the one adapter, `core/table.ts`). Index values
 * become strings (Glow's tests cast ids to `str`); `null`/`undefined`/missing texts become NaN.
 * @throws GlowtsError `TABLE` for non-numeric values, naming the column and sample
 */
export function toSampleTable(t: SampleTableLike | null | undefined, what = "table"): SampleTable {
  if (t === null || t === undefined) return new SampleTable([], []);
  if (t instanceof SampleTable) return t;
  if (!isTableLike(t)) throw new GlowtsError("TABLE", `${what}: expected a danfo DataFrame indexed by sample id`);
  const tab = columnTable(t, what, "TABLE");
  // An empty danfo frame has no columns to keep; a plain object keeps its (empty) columns.
  if (tab.columns.length === 0 || (tab.nRows === 0 && !("data" in t))) return new SampleTable([], []);
  const index = tab.index ?? [];
  const columns = tab.columns;
  const n = index.length;
  const values = new Float64Array(n * columns.length);
  columns.forEach((c, j) => {
    const col = tab.column(c);
    if (col.length !== n) throw new GlowtsError("TABLE", `${what}: column '${c}' has ${col.length} values for ${n} samples`);
    for (let i = 0; i < n; i++) {
      const x = cellToNumber(col[i]);
      if (x === undefined) throw new GlowtsError("TABLE", `${what}: column '${c}' has a non-numeric value ${JSON.stringify(col[i])} for sample ${index[i]}`, { record: `sample ${index[i]}` });
      values[j * n + i] = x;
    }
  });
  return new SampleTable(index, columns, values);
}
