// subsetBedSamples (step 2 on .bed/.pgen codes, genotypes kept packed) against subsetSamples on the
// decoded states (the path it replaces): the same A1FREQ, MAC, N, INFO and per-trait columns, and
// meanSubstitute(genotypeStates(genotypes)) of its output equal to subsetSamples' `values`, bit for
// bit, for all samples, a subset, missing calls and block padding. Oracle: the decoded path.
import { describe, expect, it } from "vitest";
import { subsetBedSamples, subsetSamples } from "../../dist/cli/sample-subset.js";
import { lazyGenotypes, type Column, type VariantBatch } from "../../dist/core/column.js";
import { PLINK_BED } from "../../dist/core/encodings.js";
import { genotypeStatesColumn } from "../../dist/functions/genotype-states.js";
import { meanSubstituteColumn } from "../../dist/functions/mean-substitute.js";
import { bedBlockSize, decodeBedToCalls } from "../../dist/io/plink/bed-codec.js";
import { seeded } from "../helpers/seeded.js";

/** A batch of `rows` variants × `n` samples of random .bed codes (code 1 = missing with probability `miss`). */
function bedBatch(rows: number, n: number, miss: number, seed: number): VariantBatch {
  const rnd = seeded(seed);
  const bpv = bedBlockSize(n);
  const bytes = new Uint8Array(rows * bpv);
  for (let v = 0; v < rows; v++) {
    const maf = 0.02 + 0.45 * rnd();
    for (let s = 0; s < n; s++) {
      const alt = (rnd() < maf ? 1 : 0) + (rnd() < maf ? 1 : 0);
      const code = rnd() < miss ? 1 : alt === 2 ? 0 : alt === 1 ? 2 : 3;
      bytes[v * bpv + (s >> 2)]! |= code << ((s & 3) << 1);
    }
    if (n % 4) bytes[v * bpv + bpv - 1]! |= 0xff << ((n % 4) << 1) & 0xff; // padding codes set: must be ignored
  }
  const ids = Array.from({ length: n }, (_, i) => `s${i}`);
  const genotypes = lazyGenotypes(n, ids, { kind: PLINK_BED, bytes, bytesPerVariant: bpv, numRows: rows }, (e, ns) => ({
    calls: { type: "list", child: { type: "int", values: decodeBedToCalls(e.bytes, ns, e.numRows) }, width: 2 },
  }));
  return { numRows: rows, columns: { contigName: { type: "string", values: Array.from({ length: rows }, () => "1") }, genotypes } };
}

function values(c: Column): Float64Array {
  if (c.type !== "list" || c.child.type !== "double") throw new Error("expected list<double>");
  return c.child.values;
}

describe("subsetBedSamples = subsetSamples on the decoded states", () => {
  const cases: [string, number, number, (n: number) => number[]][] = [
    ["all samples", 37, 0.05, (n) => Array.from({ length: n }, (_, i) => i)],
    ["every third sample dropped", 41, 0.1, (n) => Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 1)],
    ["a subset without missing calls", 29, 0, (n) => Array.from({ length: n }, (_, i) => i).filter((i) => i % 2 === 0)],
  ];
  for (const [name, n, miss, keepOf] of cases) {
    it(name, () => {
      const batch = bedBatch(60, n, miss, n * 7 + 1);
      const keep = keepOf(n);
      const traits = [{ name: "T1", observed: keep.map((_, i) => i).filter((i) => i % 5 !== 0) }, { name: "T2", observed: keep.map((_, i) => i).filter((i) => i % 4 === 1) }];
      const decoded: VariantBatch = { numRows: batch.numRows, columns: { ...batch.columns, values: genotypeStatesColumn(batch.columns["genotypes"]!) } };
      const want = subsetSamples(decoded, { keep, traits });
      const got = subsetBedSamples(batch, { keep, traits });
      for (const k of ["A1FREQ", "MAC", "N", "INFO", "A1FREQ.T1", "N.T1", "INFO.T1", "A1FREQ.T2", "N.T2", "INFO.T2"]) {
        expect(Array.from((got.columns[k] as { values: ArrayLike<number> }).values), k).toEqual(Array.from((want.columns[k] as { values: ArrayLike<number> }).values));
      }
      const g = got.columns["genotypes"]!;
      expect(g.type).toBe("genotypes");
      expect((g as { nSamples: number }).nSamples).toBe(keep.length);
      expect((g as { sampleIds: string[] }).sampleIds).toEqual(keep.map((i) => `s${i}`));
      // the values the GWAS kernel decodes from the packed codes = subsetSamples' mean-imputed values
      const fused = values(meanSubstituteColumn(genotypeStatesColumn(g)));
      expect(Buffer.from(fused.buffer, fused.byteOffset, fused.byteLength).equals(Buffer.from(values(want.columns["values"]!).buffer))).toBe(true);
      expect(got.columns["values"]).toBeUndefined();
      expect(got.columns["contigName"]).toBe(batch.columns["contigName"]);
    });
  }
});
