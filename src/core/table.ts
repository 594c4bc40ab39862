/**
 * The one sample-table adapter: reads any table a user hands to glowts (a danfo DataFrame, GloWGR's
 * `SampleTable`, the plain `{index, columns, data}` of `io/sample-table`, or `{index, columns,
 * values}` with row arrays) column by column. GloWGR's labels, the GWAS phenotype/covariate/offset
 * tables and `tableToMatrix` all stand on it; each adds only its own rules (numeric conversion
 * with {@link cellToNumber}, a `sample_id` column, LOCO keys).
 */
import { GlowtsError } from "./errors.js";

/** The duck type of every accepted table (a danfo DataFrame has all of it). */
export interface TableLike {
  index?: ArrayLike<unknown>;
  columns: ArrayLike<string>;
  /**
   * Row arrays (`values[i][j]`, danfo's shape) or column-major numbers (`values[j*n + i]`,
   * GloWGR's), as `ArrayLike<ArrayLike<unknown>> | Float64Array`.
   */
  values?: unknown;
  /** Columns by name (`Record<string, ArrayLike<unknown>>`) or in `columns` order (an array of columns). */
  data?: unknown;
}

/** A table read column by column. */
export interface ColumnTable {
  /** The row keys (danfo's index: sample ids) as strings; null when the input has none. */
  index: string[] | null;
  columns: string[];
  nRows: number;
  /** The raw values of a column (`nRows` of them). */
  column(name: string): ArrayLike<unknown>;
  /**
   * Whether a column holds numbers by its declared type: a typed array, or a danfo dtype
   * (`float32`, `int32`, `boolean`); undefined when the input declares none (plain arrays).
   */
  declaredNumeric(name: string): boolean | undefined;
}

interface DanfoSurface {
  index: ArrayLike<unknown>;
  columns: string[];
  shape?: number[];
  dtypes?: unknown[];
  column(name: string): { values: ArrayLike<unknown> };
}

function isDanfo(t: object): t is DanfoSurface {
  return typeof (t as DanfoSurface).column === "function" && Array.isArray((t as DanfoSurface).columns);
}

/** True when `t` has the shape of a table ({@link TableLike} or a danfo DataFrame). */
export function isTableLike(t: unknown): t is TableLike {
  return typeof t === "object" && t !== null && "columns" in t && ("values" in t || "data" in t || isDanfo(t));
}

/** True for an absent table or one with no columns (Glow's `pd.DataFrame({})` default). */
export function isEmptyTable(t: unknown): boolean {
  if (t === undefined || t === null) return true;
  if (!isTableLike(t)) return false;
  return t.columns.length === 0;
}

/**
 * Reads a table column by column.
 *
 * @param t - a danfo DataFrame, a GloWGR `SampleTable`, `{index, columns, data}` or `{index, columns, values}`.
 * @param what - the table's name in errors (e.g. "label DataFrame").
 * @param code - the error code of the caller's family (`TABLE`, `SAMPLE_TABLE`).
 * @throws GlowtsError `code` when `t` is not a table, a named column has no data, or rows are ragged.
 */
export function columnTable(t: unknown, what: string, code = "TABLE"): ColumnTable {
  if (!isTableLike(t)) {
    throw new GlowtsError(code, `${what} must be a danfo DataFrame or {index, columns, values}; got ${t === null ? "null" : typeof t}`);
  }
  const columns = Array.from(t.columns, String);
  const pos = new Map(columns.map((c, j) => [c, j]));
  const index = t.index === undefined ? null : Array.from(t.index, (v) => String(v));
  const noColumn = (c: string): never => { throw new GlowtsError(code, `${what}: no data for column '${c}'`); };
  const vals = t.values;
  if (ArrayBuffer.isView(vals)) {
    // Column-major numbers (GloWGR's SampleTable).
    const flat = vals as Float64Array;
    const nRows = columns.length > 0 ? flat.length / columns.length : (index?.length ?? 0);
    if (!Number.isInteger(nRows)) throw new GlowtsError(code, `${what}: ${flat.length} values do not fill ${columns.length} columns`);
    return {
      index, columns, nRows,
      column: (c) => { const j = pos.get(c) ?? noColumn(c); return flat.subarray(j * nRows, (j + 1) * nRows); },
      declaredNumeric: () => true,
    };
  }
  if (t.data !== undefined && t.data !== null && !isDanfo(t)) {
    const data = t.data as Record<string, ArrayLike<unknown>> | ArrayLike<ArrayLike<unknown>>;
    const byPosition = Array.isArray(data);
    const get = (c: string): ArrayLike<unknown> => {
      const v = byPosition ? (data as ArrayLike<ArrayLike<unknown>>)[pos.get(c) ?? noColumn(c)] : (data as Record<string, ArrayLike<unknown>>)[c];
      return v ?? noColumn(c);
    };
    const nRows = columns.length > 0 ? get(columns[0]!).length : (index?.length ?? 0);
    return { index, columns, nRows, column: get, declaredNumeric: (c) => (ArrayBuffer.isView(get(c)) ? true : undefined) };
  }
  if (isDanfo(t)) {
    const nRows = t.shape?.[0] ?? index?.length ?? 0;
    const dtypes = t.dtypes?.map(String);
    return {
      index, columns, nRows,
      column: (c) => { if (!pos.has(c)) noColumn(c); return t.column(c).values; },
      declaredNumeric: (c) => {
        if (!dtypes) return undefined;
        const d = dtypes[pos.get(c) ?? noColumn(c)];
        return d === "float32" || d === "int32" || d === "boolean";
      },
    };
  }
  // Row arrays.
  const rows = (vals ?? []) as ArrayLike<ArrayLike<unknown>>;
  const nRows = rows.length;
  const raw = columns.map(() => new Array<unknown>(nRows));
  for (let i = 0; i < nRows; i++) {
    const r = rows[i]!;
    if (r.length !== columns.length) {
      throw new GlowtsError(code, `${what}: row ${i} has ${r.length} values for ${columns.length} columns`, { record: `row ${i}` });
    }
    for (let j = 0; j < columns.length; j++) raw[j]![i] = r[j];
  }
  return { index, columns, nRows, column: (c) => raw[pos.get(c) ?? noColumn(c)]!, declaredNumeric: () => undefined };
}
