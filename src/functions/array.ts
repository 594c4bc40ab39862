/** Spark array functions used on variant rows: `size`, `array_distinct`, `getItem`, `isin`/`arrays_overlap`, an array mean. */
import { GlowtsError } from "../core/errors.js";
import type { Column, ListColumn } from "../core/column.js";
import { columnLength, getValue, isNull, listRange, takeRows } from "../core/column.js";
import { registerFunction } from "../core/function-registry.js";

/** `size(array)`: the number of elements per row (-1 for a null array, as Spark). */
export function arraySizeColumn(c: Column): Column {
  if (c.type === "genotypes") {
    const n = columnLength(c);
    return { type: "int", values: new Int32Array(n).fill(c.nSamples) };
  }
  if (c.type !== "list") throw new GlowtsError("TYPE", `size: expected an array, got ${c.type}`);
  const n = columnLength(c);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (c.nulls && c.nulls[i]) { out[i] = -1; continue; }
    const [a, b] = listRange(c, i);
    out[i] = b - a;
  }
  return { type: "int", values: out };
}

/** `array_distinct(array)`: distinct elements per row, in first-seen order. */
export function arrayDistinctColumn(c: Column): ListColumn {
  if (c.type !== "list") throw new GlowtsError("TYPE", `array_distinct: expected an array, got ${c.type}`);
  const n = columnLength(c);
  const offsets = new Int32Array(n + 1);
  const keep: number[] = [];
  const child = c.child;
  const numeric = child.type === "double" || child.type === "int" || child.type === "long";
  for (let i = 0; i < n; i++) {
    const [a, b] = listRange(c, i);
    if (numeric && !child.nulls) {
      const vals = (child as { values: ArrayLike<number> }).values;
      const seen = new Set<number>();
      let sawNaN = false;
      for (let j = a; j < b; j++) {
        const v = vals[j]!;
        if (v !== v) { if (!sawNaN) { sawNaN = true; keep.push(j); } continue; }
        const key = v === 0 ? 0 : v; // -0 and 0 are equal
        if (!seen.has(key)) { seen.add(key); keep.push(j); }
      }
    } else {
      const seen = new Set<string>();
      for (let j = a; j < b; j++) {
        const key = JSON.stringify(getValue(child, j));
        if (!seen.has(key)) { seen.add(key); keep.push(j); }
      }
    }
    offsets[i + 1] = keep.length;
  }
  return { type: "list", child: takeRows(child, keep), offsets, nulls: c.nulls };
}

/** True where the scalar (or any element of the array) is one of `values`. */
export function isInColumn(c: Column, values: (string | number)[]): Column {
  const set = new Set<string | number>(values);
  const n = columnLength(c);
  const out = new Uint8Array(n);
  if (c.type === "list") {
    const child = c.child;
    for (let i = 0; i < n; i++) {
      const [a, b] = listRange(c, i);
      for (let j = a; j < b; j++) {
        const v = child.type === "string" ? child.values[j] : (child as { values: ArrayLike<number> }).values[j];
        if (v !== null && v !== undefined && set.has(v)) { out[i] = 1; break; }
      }
    }
    return { type: "boolean", values: out };
  }
  if (c.type === "genotypes" || c.type === "struct") throw new GlowtsError("TYPE", `isin: expected a scalar or an array, got ${c.type}`);
  for (let i = 0; i < n; i++) {
    if (isNull(c, i)) continue;
    const v = (c as { values: ArrayLike<number | string | null> }).values[i];
    if (v !== null && v !== undefined && set.has(v as string | number)) out[i] = 1;
  }
  return { type: "boolean", values: out };
}

/** Mean of each numeric array ignoring NaN and nulls (NaN when nothing is left). */
export function arrayMeanColumn(c: Column): Column {
  if (c.type !== "list" || (c.child.type !== "double" && c.child.type !== "int" && c.child.type !== "long")) {
    throw new GlowtsError("TYPE", "array_mean: expected an array of numbers");
  }
  const n = columnLength(c);
  const out = new Float64Array(n);
  const vals = c.child.values as ArrayLike<number>;
  const nulls = c.child.nulls;
  for (let i = 0; i < n; i++) {
    const [a, b] = listRange(c, i);
    let s = 0, k = 0;
    for (let j = a; j < b; j++) { const v = vals[j]!; if (v === v && !(nulls && nulls[j])) { s += v; k++; } }
    out[i] = k ? s / k : NaN;
  }
  return { type: "double", values: out };
}

/** Element `index` of each array (null when out of range), as Spark's `arr[index]`. */
export function arrayItem(c: Column, index: number): Column {
  if (c.type !== "list") throw new GlowtsError("TYPE", `getItem: expected an array, got ${c.type}`);
  const n = columnLength(c);
  const out = new Float64Array(n);
  const nulls = new Uint8Array(n);
  let anyNull = false;
  const child = c.child;
  if (child.type === "string") {
    const vals: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const [a, b] = listRange(c, i);
      vals[i] = index >= 0 && a + index < b ? child.values[a + index] ?? null : null;
    }
    return { type: "string", values: vals };
  }
  if (child.type !== "double" && child.type !== "long" && child.type !== "int" && child.type !== "boolean") {
    throw new GlowtsError("TYPE", "getItem: only arrays of scalars are supported");
  }
  for (let i = 0; i < n; i++) {
    const [a, b] = listRange(c, i);
    if (index < 0 || a + index >= b || (c.nulls && c.nulls[i]) || (child.nulls && child.nulls[a + index])) { nulls[i] = 1; anyNull = true; continue; }
    out[i] = child.values[a + index]!;
  }
  return { type: child.type === "int" || child.type === "boolean" ? "double" : child.type, values: out, nulls: anyNull ? nulls : undefined };
}

registerFunction("arraySize", { evaluate: ([a]) => arraySizeColumn(a!), type: () => "int" });
registerFunction("arrayDistinct", { evaluate: ([a]) => arrayDistinctColumn(a!), type: ([t]) => t! });
registerFunction("getItem", {
  evaluate: ([a], p) => arrayItem(a!, Number(p["index"])),
  type: ([t]) => (typeof t === "object" && "list" in t ? t.list : "double"),
});
registerFunction("isIn", { evaluate: ([a], p) => isInColumn(a!, p["values"] as (string | number)[]), type: () => "boolean" });
registerFunction("arrayMean", { evaluate: ([a]) => arrayMeanColumn(a!), type: () => "double" });
