// Custom matchers, installed for every test file by vitest.config.ts (setupFiles).
//
// `expect(received).toEqualBatch(expected)`: two VariantBatches are equal when they have the same
// number of rows, the same column names in the same order, the same column types, and every value
// (`getValue`: lists as arrays, structs as objects, genotypes as per-sample objects) is equal —
// numbers with Object.is (NaN equals NaN, -0 differs from 0), as strict as toEqual on the values.
// On failure it lists every mismatch (up to 50), as Arrow's `toEqualTable` does.
import { expect } from "vitest";
import type { VariantBatch } from "../../dist/core/column.js";
import { getValue } from "../../dist/core/column.js";

const MAX_LISTED = 50;

function same(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

function show(v: unknown): string {
  const s = JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : Object.is(x, -0) ? "-0" : x));
  return s === undefined ? String(v) : s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/** Every difference between two batches, in column then row order. */
export function batchMismatches(got: VariantBatch, want: VariantBatch): string[] {
  const out: string[] = [];
  if (got.numRows !== want.numRows) out.push(`numRows: got ${got.numRows}, expected ${want.numRows}`);
  const gn = Object.keys(got.columns), wn = Object.keys(want.columns);
  if (!same(gn, wn)) out.push(`columns: got [${gn.join(", ")}], expected [${wn.join(", ")}]`);
  const n = Math.min(got.numRows, want.numRows);
  for (const name of wn) {
    const g = got.columns[name], w = want.columns[name]!;
    if (!g) continue;
    if (g.type !== w.type) { out.push(`${name}: type ${g.type}, expected ${w.type}`); continue; }
    for (let i = 0; i < n; i++) {
      const a = getValue(g, i), b = getValue(w, i);
      if (!same(a, b)) out.push(`${name}[${i}]: got ${show(a)}, expected ${show(b)}`);
    }
  }
  return out;
}

expect.extend({
  toEqualBatch(received: VariantBatch, expected: VariantBatch) {
    const problems = batchMismatches(received, expected);
    const listed = problems.slice(0, MAX_LISTED);
    return {
      pass: problems.length === 0,
      message: () => problems.length === 0
        ? "expected the batches to differ"
        : `batches differ in ${problems.length} place(s):\n  ${listed.join("\n  ")}${problems.length > MAX_LISTED ? `\n  … (+${problems.length - MAX_LISTED} more)` : ""}`,
    };
  },
});

declare module "vitest" {
  interface Assertion<T> {
    /** The batch equals `expected` column by column and row by row (every mismatch listed). */
    toEqualBatch(expected: VariantBatch): T;
  }
  interface AsymmetricMatchersContaining {
    toEqualBatch(expected: VariantBatch): unknown;
  }
}
