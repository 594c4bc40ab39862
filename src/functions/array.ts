/** Spark array functions used on variant rows: `size`, `array_distinct`, `array_min`/`max`. */
import { GlowtsError } from "../errors.js";
import type { Column, ListColumn } from "../frame/column.js";
import { columnLength, getValue, listRange, takeRows } from "../frame/column.js";

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
