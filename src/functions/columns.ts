/**
 * Column helpers shared by the transformers: every transformer output is built by gathering rows
 * and list elements of the input (no JS objects per row), plus small builders for new columns.
 */
import type { BooleanColumn, Column, ListColumn, StringColumn, VariantBatch } from "../core/column.js";
import { columnLength, listRange, takeRows } from "../core/column.js";
import { GlowtsError } from "../core/errors.js";

/**
 * A list column whose row `r` is the child elements `picks[r]` (absolute indices into
 * `list.child`), or null when `picks[r]` is null.
 */
export function gatherList(list: ListColumn, picks: readonly (readonly number[] | null)[]): ListColumn {
  const n = picks.length;
  const offsets = new Int32Array(n + 1);
  const flat: number[] = [];
  let nulls: Uint8Array | undefined;
  for (let r = 0; r < n; r++) {
    const p = picks[r];
    if (p === null || p === undefined) { nulls ??= new Uint8Array(n); nulls[r] = 1; }
    else for (const j of p) flat.push(j);
    offsets[r + 1] = flat.length;
  }
  return { type: "list", child: takeRows(list.child, flat), offsets, nulls };
}

/** A ragged `array<int>` column from JS arrays (null rows allowed). */
export function intLists(rows: readonly (readonly number[] | null)[]): ListColumn {
  const n = rows.length;
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let r = 0; r < n; r++) { total += rows[r]?.length ?? 0; offsets[r + 1] = total; }
  const values = new Int32Array(total);
  let nulls: Uint8Array | undefined;
  for (let r = 0; r < n; r++) {
    const row = rows[r];
    if (!row) { nulls ??= new Uint8Array(n); nulls[r] = 1; continue; }
    values.set(row, offsets[r]!);
  }
  return { type: "list", child: { type: "int", values }, offsets, nulls };
}

/** A boolean column from JS values (null allowed). */
export function booleans(values: readonly (boolean | null)[]): BooleanColumn {
  const n = values.length;
  const v = new Uint8Array(n);
  let nulls: Uint8Array | undefined;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (x === null || x === undefined) { nulls ??= new Uint8Array(n); nulls[i] = 1; } else v[i] = x ? 1 : 0;
  }
  return { type: "boolean", values: v, nulls };
}

/** A string column. */
export function strings(values: (string | null)[]): StringColumn {
  return { type: "string", values };
}

/** The named list column of a batch, or a `TYPE` error naming the caller. */
export function listColumn(batch: VariantBatch, name: string, caller: string): ListColumn {
  const c = batch.columns[name];
  if (!c || c.type !== "list") throw new GlowtsError("TYPE", `${caller}: needs an array column '${name}'`);
  return c;
}

/** The named string column of a batch, or a `TYPE` error naming the caller. */
export function stringColumn(batch: VariantBatch, name: string, caller: string): StringColumn {
  const c = batch.columns[name];
  if (!c || c.type !== "string") throw new GlowtsError("TYPE", `${caller}: needs a string column '${name}'`);
  return c;
}

/** Row `i` of a list-of-strings column as a JS array. */
export function stringListAt(c: ListColumn, i: number): string[] {
  if (c.child.type !== "string") throw new GlowtsError("TYPE", "expected an array of strings");
  const [a, b] = listRange(c, i);
  return c.child.values.slice(a, b).map((s) => s ?? "");
}

/** A numeric (long/int/double) column's value at `i`, or null. */
export function numberAt(c: Column | undefined, i: number): number | null {
  if (!c || (c.type !== "long" && c.type !== "double" && c.type !== "int")) return null;
  if (c.nulls && c.nulls[i]) return null;
  return c.values[i]!;
}

/** Number of rows of a column (0 when absent). */
export function rowsOf(c: Column | undefined): number {
  return c ? columnLength(c) : 0;
}

/** Converts Glow's snake_case option keys (`split_info_fields`) to camelCase (`splitInfoFields`). */
export function camelKeys(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) out[k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = v;
  return out;
}
