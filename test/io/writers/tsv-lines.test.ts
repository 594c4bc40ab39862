// The TSV encoder's lines: doubles are formatted straight into the lines by one WebAssembly call
// (number-text.as `layOutRows`), the other cells are laid out from their bytes. Oracles:
// (1) the writer's stated cell rules, applied here cell by cell with String(v) (null → NA, NaN →
//     `NaN`, tab/newline/delimiter in text → space, booleans `true`/`false`); exact, byte for byte;
// (2) the plain-TypeScript twin (GLOWTS_KERNELS=js: no WebAssembly) for every column type,
//     including lists and structs; exact, byte for byte.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { VariantBatch } from "../../../dist/core/column.js";
import { seeded } from "../../helpers/seeded.js";

type Encode = (b: VariantBatch, o: Record<string, unknown>) => { numRows: number; streams: Record<string, Uint8Array>; info?: unknown };

async function encoder(js: boolean): Promise<{ encode: Encode; normalize: (o: Record<string, unknown>) => Record<string, unknown> }> {
  vi.resetModules();
  if (js) vi.stubEnv("GLOWTS_KERNELS", "js");
  else vi.stubEnv("GLOWTS_KERNELS", "");
  const m = await import("../../../dist/io/writers/tsv.js");
  // the path taken: the WebAssembly formatter is there, or not
  const text = await import("../../../dist/io/writers/number-text.js");
  expect(text.formatDoubles(new Float64Array([0.5])) === null).toBe(js);
  return { encode: m.encodeTsvPart as Encode, normalize: (o) => { const { splitValues: _v, splitFileNames: _f, ...enc } = m.normalizeTsvOptions(o); return enc as unknown as Record<string, unknown>; } };
}

afterEach(() => { vi.unstubAllEnvs(); vi.resetModules(); });

const dec = new TextDecoder();

/** Doubles of every kind the formatter meets or leaves to String: p-values, effects, integers, ±0, NaN, ±Infinity, subnormals, extremes. */
function doubles(n: number, rnd: () => number, special: boolean): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = rnd();
    v[i] = k < 0.3 ? (rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20)
      : k < 0.5 ? Math.floor(rnd() * 3e9)
      : k < 0.6 ? 10 ** -Math.floor(rnd() * 300) * rnd()
      : (rnd() - 0.5) * 2;
    if (special && rnd() < 0.05) v[i] = [NaN, Infinity, -Infinity, -0, 0, 5e-324, -2.2e-310, 1.7976931348623157e308, 1e21, 1e-7][Math.floor(rnd() * 10)]!;
  }
  return v;
}

function texts(n: number, rnd: () => number): (string | null)[] {
  const pool = ["rs1", "1", "A", "GT", "snp 7", "x\ty", "a\nb", "é", "Q1", "a,b", "", "chr22", "ÅÄ\tÖ"];
  return Array.from({ length: n }, () => (rnd() < 0.05 ? null : pool[Math.floor(rnd() * pool.length)]!));
}

function scalarBatch(n: number, seed: number): VariantBatch {
  const rnd = seeded(seed);
  const nulls = Uint8Array.from({ length: n }, () => (rnd() < 0.1 ? 1 : 0));
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + Math.floor(rnd() * 3);
  return {
    numRows: n,
    columns: {
      contigName: { type: "string", values: texts(n, rnd) },
      start: { type: "long", values: Float64Array.from({ length: n }, () => Math.floor(rnd() * 2.5e8)) },
      effect: { type: "double", values: doubles(n, rnd, false) },
      pvalue: { type: "double", values: doubles(n, rnd, true) },
      withNulls: { type: "double", values: doubles(n, rnd, false), nulls },
      count: { type: "int", values: Int32Array.from({ length: n }, () => Math.floor((rnd() - 0.5) * 2e9)), nulls: Uint8Array.from({ length: n }, () => (rnd() < 0.05 ? 1 : 0)) },
      flag: { type: "boolean", values: Uint8Array.from({ length: n }, () => (rnd() < 0.5 ? 1 : 0)) },
      phenotype: { type: "string", values: Array.from({ length: n }, (_, i) => `Y${i % 3}`) },
      alternateAlleles: { type: "list", child: { type: "string", values: texts(offsets[n]!, rnd) }, offsets, nulls: Uint8Array.from({ length: n }, () => (rnd() < 0.03 ? 1 : 0)) },
    },
  } as unknown as VariantBatch;
}

/** The stated rules, a cell at a time. */
function referenceLines(b: VariantBatch, delimiter: string, skip: string | null, rows: number[]): string {
  const names = Object.keys(b.columns).filter((n) => n !== skip);
  const cell = (name: string, i: number): string => {
    const c = b.columns[name] as unknown as { type: string; values: ArrayLike<unknown>; nulls?: Uint8Array; offsets?: Int32Array; child?: { values: (string | null)[] } };
    if (c.nulls && c.nulls[i]) return "NA";
    const clean = (t: string): string => t.replace(/[\t\n]/g, " ").split(delimiter).join(" ");
    if (c.type === "list") {
      // elements joined by commas; a null element is `null`; commas inside an element become spaces
      return c.child!.values.slice(c.offsets![i], c.offsets![i + 1]).map((e) => (e === null ? "null" : clean(e).replace(/,/g, " "))).join(",");
    }
    const v = c.values[i];
    switch (c.type) {
      case "string": return v === null ? "NA" : clean(v as string);
      case "boolean": return v ? "true" : "false";
      default: return Number.isNaN(v) ? "NaN" : String(v);
    }
  };
  return rows.map((i) => names.map((name) => cell(name, i)).join(delimiter) + "\n").join("");
}

describe("TSV lines", () => {
  it("equal the stated cell rules (String(v), NA, cleaned text) byte for byte, for tab, comma and multi-character delimiters", async () => {
    const { encode, normalize } = await encoder(false);
    for (const [n, seed, delimiter] of [[1, 1, "\t"], [7, 2, ","], [4190, 3, "\t"], [997, 4, "::"], [0, 5, "\t"]] as [number, number, string][]) {
      const b = scalarBatch(n, seed);
      const got = encode(b, normalize({ delimiter }));
      expect(dec.decode(got.streams["data"]), `n=${n} delimiter=${JSON.stringify(delimiter)}`).toBe(referenceLines(b, delimiter, null, Array.from({ length: n }, (_, i) => i)));
    }
  });

  it("with splitBy: each value's rows in order, at the byte ranges the part reports", async () => {
    const { encode, normalize } = await encoder(false);
    const b = scalarBatch(2001, 9);
    const got = encode(b, normalize({ splitBy: "phenotype" }));
    const data = got.streams["data"]!;
    const split = (got.info as { split: [string, number, number][] }).split;
    expect(split.map((s) => s[0])).toEqual(["Y0", "Y1", "Y2"]);
    for (const [k, off, len] of split) {
      const rows = Array.from({ length: b.numRows }, (_, i) => i).filter((i) => `Y${i % 3}` === k);
      expect(dec.decode(data.subarray(off, off + len))).toBe(referenceLines(b, "\t", "phenotype", rows));
    }
  });

  it("WebAssembly and the plain-TypeScript twin write the same bytes for every column type and option", async () => {
    const rnd = seeded(11);
    const n = 1500;
    const b = scalarBatch(n, 12);
    (b.columns as Record<string, unknown>)["fixedWidth"] = { type: "list", child: { type: "string", values: texts(2 * n, rnd) }, width: 2 };
    (b.columns as Record<string, unknown>)["stats"] = { type: "struct", fields: { mean: { type: "double", values: doubles(n, rnd, false) }, id: { type: "string", values: texts(n, rnd) } } };
    const optionSets: Record<string, unknown>[] = [{}, { delimiter: "," }, { delimiter: " | " }, { precision: 6, nullValue: "NA" }, { splitBy: "phenotype" }, { nullValue: "." }];
    const wasm = await encoder(false);
    const a = optionSets.map((o) => wasm.encode(b, wasm.normalize(o)));
    const js = await encoder(true);
    const c = optionSets.map((o) => js.encode(b, js.normalize(o)));
    for (let k = 0; k < optionSets.length; k++) {
      expect(dec.decode(a[k]!.streams["data"]), JSON.stringify(optionSets[k])).toBe(dec.decode(c[k]!.streams["data"]));
      expect(a[k]!.info).toEqual(c[k]!.info);
    }
  });
});
