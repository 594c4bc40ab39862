// The toEqualBatch matcher (test/setup/matchers.ts) on hand-made batches: equal batches pass, and
// each kind of difference (row count, column names, types, a value, NaN/-0) is listed.
import { describe, expect, it } from "vitest";
import type { VariantBatch } from "../../dist/core/column.js";
import { batchMismatches } from "./matchers.js";

function batch(start: number[], names: string[][], af: number[]): VariantBatch {
  const offsets = new Int32Array(names.length + 1);
  names.forEach((n, i) => (offsets[i + 1] = offsets[i]! + n.length));
  return {
    numRows: start.length,
    columns: {
      start: { type: "long", values: Float64Array.from(start) },
      names: { type: "list", child: { type: "string", values: names.flat() }, offsets },
      af: { type: "double", values: Float64Array.from(af) },
    },
  };
}

describe("toEqualBatch", () => {
  it("passes on equal batches (NaN equals NaN)", () => {
    expect(batch([1, 2], [["a"], ["b", "c"]], [0.5, NaN])).toEqualBatch(batch([1, 2], [["a"], ["b", "c"]], [0.5, NaN]));
  });

  it("lists every mismatch", () => {
    const got = batch([1, 3], [["a"], ["b"]], [0.5, -0]);
    const want = batch([1, 2], [["a"], ["b", "c"]], [0.5, 0]);
    expect(batchMismatches(got, want)).toEqual([
      "start[1]: got 3, expected 2",
      'names[1]: got ["b"], expected ["b","c"]',
      'af[1]: got "-0", expected 0',
    ]);
    expect(() => expect(got).toEqualBatch(want)).toThrow(/differ in 3 place/);
  });

  it("reports row counts, column names and types", () => {
    const a = batch([1], [["a"]], [0.5]);
    const b: VariantBatch = { numRows: 2, columns: { start: { type: "int", values: Int32Array.from([1, 2]) }, af: a.columns["af"]! } };
    expect(batchMismatches(a, b)).toEqual([
      "numRows: got 1, expected 2",
      "columns: got [start, names, af], expected [start, af]",
      "start: type long, expected int",
    ]);
  });
});
