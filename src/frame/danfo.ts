/**
 * A columnar batch as a danfo.js DataFrame (`toDanfo()` of frames and result tables).
 *
 * danfo infers a column's dtype from its values, which turns numeric-looking ids (`"22"`, `"1"`) into
 * numbers and cannot hold JavaScript arrays (an array cell is read as its first element). So the
 * dtypes are set from glowts' column types, and each cell is a scalar danfo can hold:
 *
 * | glowts column | danfo dtype | cell |
 * | --- | --- | --- |
 * | `string` (ids, alleles, contig names) | `string` | the text, missing = `null` |
 * | `double`, `long` | `float32` (the label: values stay doubles) | the number, missing = `NaN` |
 * | `int` | `int32`, or `float32` when it has missing values | the number, missing = `NaN` |
 * | `boolean` | `boolean`, or `string` (`"true"`/`"false"`/`null`) when it has missing values | |
 * | struct | one column per field, `struct.field` | as above |
 * | list | `string` | JSON text (`["C","G"]`, `[0.25,0.5]`); numeric lists longer than 16: `[5000 values]` |
 * | genotypes | `int32` | `genotypes.nSamples` |
 *
 * Missing numbers are NaN, which danfo counts as missing (`isNa`, `describe()`'s `count`).
 * danfo is imported lazily: it is slow to load.
 */
import { getValue, type Column, type VariantBatch } from "../core/column.js";

/** danfo's dtype names. */
export type DanfoDtype = "string" | "float32" | "int32" | "boolean";

/** Columns and their dtypes, ready for `new dfd.DataFrame(columns, { dtypes })`. */
export interface DanfoColumns {
  columns: Record<string, (string | number | boolean | null)[]>;
  dtypes: Record<string, DanfoDtype>;
}

/** Longest numeric list written out in full; longer ones are summarised as `[n values]`. */
export const MAX_LIST_CELL = 16;

/** Flattens a batch into danfo-ready scalar columns with dtypes from the column types. */
export function danfoColumns(b: VariantBatch): DanfoColumns {
  const out: DanfoColumns = { columns: {}, dtypes: {} };
  for (const [name, c] of Object.entries(b.columns)) addColumn(out, name, c, b.numRows);
  return out;
}

function addColumn(out: DanfoColumns, name: string, c: Column, n: number): void {
  const put = (dtype: DanfoDtype, values: (string | number | boolean | null)[]): void => {
    out.columns[name] = values;
    out.dtypes[name] = dtype;
  };
  switch (c.type) {
    case "genotypes":
      out.columns[`${name}.nSamples`] = new Array<number>(n).fill(c.nSamples);
      out.dtypes[`${name}.nSamples`] = "int32";
      return;
    case "struct":
      for (const [f, fc] of Object.entries(c.fields)) {
        if (c.nulls) addColumn(out, `${name}.${f}`, maskStruct(fc, c.nulls), n);
        else addColumn(out, `${name}.${f}`, fc, n);
      }
      return;
    case "string":
      put("string", Array.from({ length: n }, (_, i) => c.values[i] ?? null));
      return;
    case "double":
    case "long":
    case "int": {
      const vals = new Array<number>(n);
      let missing = false;
      for (let i = 0; i < n; i++) {
        if (c.nulls && c.nulls[i]) { vals[i] = NaN; missing = true; } else vals[i] = c.values[i]!;
      }
      put(c.type === "int" && !missing ? "int32" : "float32", vals);
      return;
    }
    case "boolean": {
      const missing = c.nulls ? c.nulls.some((x) => x === 1) : false;
      if (!missing) { put("boolean", Array.from(c.values, (x) => x === 1)); return; }
      put("string", Array.from({ length: n }, (_, i) => (c.nulls![i] ? null : c.values[i] === 1 ? "true" : "false")));
      return;
    }
    case "list": {
      const vals = new Array<string | null>(n);
      for (let i = 0; i < n; i++) vals[i] = listCell(getValue(c, i) as unknown[] | null);
      put("string", vals);
      return;
    }
  }
}

/** A struct field with the struct's own nulls applied (a null struct makes every field missing). */
function maskStruct(c: Column, nulls: Uint8Array): Column {
  switch (c.type) {
    case "string": return { type: "string", values: c.values.map((v, i) => (nulls[i] ? null : v)) };
    case "double": case "long": case "int": case "boolean": case "list": case "struct": {
      const m = new Uint8Array(nulls.length);
      for (let i = 0; i < m.length; i++) m[i] = nulls[i] || (c.nulls ? c.nulls[i]! : 0) ? 1 : 0;
      return { ...c, nulls: m } as Column;
    }
    case "genotypes": return c;
  }
}

function listCell(v: unknown[] | null): string | null {
  if (v === null) return null;
  if (v.length > MAX_LIST_CELL && v.every((x) => typeof x === "number" || x === null)) return `[${v.length} values]`;
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : x));
}

/**
 * The batch as a danfo DataFrame (see the module comment for the column mapping).
 * @returns a `danfojs` DataFrame; an empty batch gives an empty frame with the column names.
 */
export async function batchToDanfo(b: VariantBatch): Promise<import("danfojs").DataFrame> {
  const dfd = await import("danfojs");
  const { columns, dtypes } = danfoColumns(b);
  const names = Object.keys(columns);
  if (b.numRows === 0) return new dfd.DataFrame([], { columns: names });
  return new dfd.DataFrame(columns, { columns: names, dtypes: names.map((k) => dtypes[k]!) });
}
