/**
 * Glow's `mean_substitute(array, missingValue = -1)`: replaces NaN, null or `missingValue` with the
 * mean of the remaining values of the row; if every value is missing they all become `missingValue`.
 */
import { GlowtsError } from "../core/errors.js";
import type { Column, ListColumn } from "../core/column.js";
import { listRange } from "../core/column.js";
import { registerFunction } from "../core/function-registry.js";

/** Kernel over one row `[from, to)` of `values` (modified into `out`). */
export function meanSubstituteRow(values: ArrayLike<number>, from: number, to: number, missingValue: number, out: Float64Array, outFrom: number): void {
  let sum = 0;
  let count = 0;
  for (let i = from; i < to; i++) {
    const v = values[i]!;
    if (v === v && v !== missingValue) { sum += v; count++; }
  }
  const mean = count > 0 ? sum / count : missingValue;
  for (let i = from; i < to; i++) {
    const v = values[i]!;
    out[outFrom + i - from] = v === v && v !== missingValue ? v : mean;
  }
}

/** Column kernel: list<int|double> → list<double>. */
export function meanSubstituteColumn(c: Column, missingValue = -1): ListColumn {
  if (c.type !== "list" || (c.child.type !== "int" && c.child.type !== "double" && c.child.type !== "long")) {
    throw new GlowtsError("TYPE", `mean_substitute: expected an array of numbers, got ${c.type === "list" ? `array<${c.child.type}>` : c.type}`);
  }
  const child = c.child;
  const src = child.values;
  const out = new Float64Array(src.length);
  if (child.nulls) {
    // nulls count as missing: copy with NaN for nulls first
    const tmp = Float64Array.from(src as ArrayLike<number>);
    for (let i = 0; i < tmp.length; i++) if (child.nulls[i]) tmp[i] = NaN;
    return run(tmp);
  }
  return run(src);

  function run(vals: ArrayLike<number>): ListColumn {
    const lc = c as ListColumn;
    const rows = lc.offsets ? lc.offsets.length - 1 : lc.width ? vals.length / lc.width : 0;
    for (let r = 0; r < rows; r++) {
      const [a, b] = listRange(lc, r);
      meanSubstituteRow(vals, a, b, missingValue, out, a);
    }
    return { type: "list", child: { type: "double", values: out }, offsets: lc.offsets, width: lc.offsets ? undefined : lc.width, nulls: lc.nulls };
  }
}

registerFunction("meanSubstitute", {
  evaluate: ([a], p) => meanSubstituteColumn(a!, typeof p["missingValue"] === "number" ? (p["missingValue"] as number) : -1),
  type: () => ({ list: "double" }),
});
