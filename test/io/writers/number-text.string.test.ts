// The WebAssembly double formatter of the text writers writes exactly what String(v) writes
// (ECMAScript's Number::toString: shortest round trip, closest, ties to even; fixed notation for
// exponents in (−7, 21], else exponential), and leaves NaN, ±Infinity and subnormals to String().
// Oracle: V8's String(v). Tolerance: exact (byte for byte), on seeded random bit patterns, seeded
// random magnitudes, and the edges of every binary and decimal exponent.
import { describe, expect, it } from "vitest";
import { formatDoubles } from "../../../dist/io/writers/number-text.js";
import { encodeTsvPart, normalizeTsvOptions } from "../../../dist/io/writers/tsv.js";
import { seeded } from "../../helpers/seeded.js";

const dec = new TextDecoder();

/** The formatter's texts next to String(v): the mismatches (at most 10) and how many were left to String. */
function compare(values: Float64Array): { mismatches: string[]; leftOut: number } {
  const f = formatDoubles(values);
  expect(f).not.toBeNull();
  const mismatches: string[] = [];
  let leftOut = 0;
  for (let i = 0; i < values.length; i++) {
    const a = f!.starts[i]!, b = f!.starts[i + 1]!;
    if (a === b) { leftOut++; continue; }
    const got = dec.decode(f!.bytes.subarray(a, b));
    if (got !== String(values[i]) && mismatches.length < 10) mismatches.push(`${String(values[i])} written as ${got}`);
  }
  return { mismatches, leftOut };
}

describe("formatDoubles (WebAssembly Number::toString)", () => {
  it("equals String(v) on 1,000,000 random bit patterns", () => {
    const rnd = seeded(20261202);
    const words = new Uint32Array(2_000_000);
    for (let i = 0; i < words.length; i++) words[i] = Math.floor(rnd() * 4294967296);
    const values = new Float64Array(words.buffer);
    const { mismatches, leftOut } = compare(values);
    expect(mismatches).toEqual([]);
    // only NaN, ±Infinity and subnormals (about 1 in 1024 of random patterns) are left to String
    let special = 0;
    for (const v of values) if (!Number.isFinite(v) || (v !== 0 && Math.abs(v) < 2.2250738585072014e-308)) special++;
    expect(leftOut).toBe(special);
  });

  it("equals String(v) on random magnitudes 1e-30 .. 1e30 (effects, p-values, positions)", () => {
    const rnd = seeded(7);
    const values = new Float64Array(500_000);
    for (let i = 0; i < values.length; i++) values[i] = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 60 - 30);
    for (let i = 0; i < 100_000; i++) values[i] = Math.floor(rnd() * 3e8); // integers
    expect(compare(values)).toEqual({ mismatches: [], leftOut: 0 });
  });

  it("equals String(v) at the edges of every binary and decimal exponent", () => {
    const v: number[] = [0, -0, 1e21, 1e21 - 65536, 999999999999999900000, 1e-7, 1.0000000000000001e-7, 9.999999999999999e-8, 1e-6,
      Number.MAX_VALUE, -Number.MAX_VALUE, 2.2250738585072014e-308, Number.EPSILON, 0.1, 0.2, 0.30000000000000004, 2 ** 53, 2 ** 53 + 2, 123456789012345680000];
    for (let e = -1022; e <= 1023; e++) v.push(2 ** e, -(2 ** e), 2 ** e * 1.5, 2 ** e * (2 - 2 ** -52), 2 ** e * (1 + 2 ** -52));
    for (let e = -306; e <= 308; e++) {
      const x = Number(`1e${e}`);
      v.push(x, x * (1 + 2 ** -52), x * (1 - 2 ** -53), Number(`9.999999999999999e${e}`), Number(`5e${e}`), Number(`1.5e${e}`));
    }
    expect(compare(Float64Array.from(v.filter((x) => Number.isFinite(x))))).toEqual({ mismatches: [], leftOut: 0 });
    expect(compare(Float64Array.from([NaN, Infinity, -Infinity, 5e-324, -1e-310])).leftOut).toBe(5);
  });
});

describe("encodeTsvPart", () => {
  it("writes the cells as String(v), the strings and lists as before (cleaned when they hold a tab, newline, delimiter or comma)", () => {
    const o = normalizeTsvOptions({});
    const { splitValues: _s, splitFileNames: _f, ...enc } = o;
    const batch = {
      numRows: 3,
      columns: {
        s: { type: "string", values: ["a", "b\tc", null] },
        d: { type: "double", values: Float64Array.from([0.1, NaN, 1e-320]), nulls: Uint8Array.from([0, 0, 1]) },
        l: { type: "long", values: Float64Array.from([12345, -7, 1e21]) },
        i: { type: "int", values: Int32Array.from([1, -2, 2147483647]) },
        a: { type: "list", offsets: Int32Array.from([0, 2, 3, 3]), child: { type: "string", values: ["A", "C,G", "é"] } },
      },
    };
    const part = encodeTsvPart(batch as never, enc as never);
    expect(dec.decode(part.streams["data"])).toBe("a\t0.1\t12345\t1\tA,C G\nb c\tNaN\t-7\t-2\té\nNA\tNA\t1e+21\t2147483647\t\n");
  });
});
