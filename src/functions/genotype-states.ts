/**
 * Glow's `genotype_states`: per sample, the sum of the call integers (the alternate-allele count
 * for a biallelic site), or -1 when any call is negative (no-call) or the calls are empty.
 */
import { GlowtsError } from "../core/errors.js";
import type { Column, GenotypesColumn, ListColumn } from "../core/column.js";
import { registerFunction } from "../core/function-registry.js";
import { isPlinkBed } from "../core/encodings.js";
import { decodeBedStatesInto } from "../io/plink/bed-codec.js";

/**
 * Kernel: dense calls (`ploidy` ints per genotype) → states, written into `out`.
 * @param calls Int32Array of numGenotypes*ploidy call integers (-1 = no-call).
 */
export function genotypeStatesDense(calls: Int32Array, ploidy: number, out: Int32Array): Int32Array {
  const n = out.length;
  if (ploidy === 2) {
    for (let i = 0; i < n; i++) {
      const a = calls[2 * i]!;
      const b = calls[2 * i + 1]!;
      out[i] = a < 0 || b < 0 ? -1 : a + b;
    }
    return out;
  }
  if (ploidy === 0) { out.fill(-1); return out; }
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < ploidy; j++) {
      const c = calls[i * ploidy + j]!;
      if (c < 0) { s = -1; break; }
      s += c;
    }
    out[i] = s;
  }
  return out;
}

/** Kernel: ragged calls (offsets per genotype) → states. */
export function genotypeStatesRagged(calls: Int32Array, offsets: Int32Array, out: Int32Array): Int32Array {
  for (let i = 0; i < out.length; i++) {
    const a = offsets[i]!;
    const b = offsets[i + 1]!;
    if (b === a) { out[i] = -1; continue; }
    let s = 0;
    for (let j = a; j < b; j++) {
      const c = calls[j]!;
      if (c < 0) { s = -1; break; }
      s += c;
    }
    out[i] = s;
  }
  return out;
}

/**
 * Column kernel: the `genotypes` column → `array<int>` (dense list, width = number of samples).
 * @throws GlowtsError when the genotypes have no `calls` field.
 */
export function genotypeStatesColumn(g: Column): ListColumn {
  if (g.type !== "genotypes") throw new GlowtsError("TYPE", `genotype_states: expected a genotypes column, got ${g.type}`);
  const gc = g as GenotypesColumn;
  if (isPlinkBed(gc.encoded)) {
    // Fast path: states straight from the packed PLINK bytes (no calls materialized).
    const e = gc.encoded;
    const out = new Int32Array(e.numRows * gc.nSamples);
    decodeBedStatesInto(e.bytes, gc.nSamples, e.numRows, e.bytesPerVariant, out);
    return { type: "list", child: { type: "int", values: out }, width: gc.nSamples };
  }
  const calls = gc.fields["calls"];
  if (!calls || calls.type !== "list" || calls.child.type !== "int") {
    throw new GlowtsError("TYPE", "genotype_states: the genotypes have no calls field (for BGEN, read with emitHardCalls: true)");
  }
  const nGeno = calls.offsets ? calls.offsets.length - 1 : calls.width ? calls.child.values.length / calls.width : 0;
  const out = new Int32Array(nGeno);
  if (calls.offsets) genotypeStatesRagged(calls.child.values, calls.offsets, out);
  else genotypeStatesDense(calls.child.values, calls.width ?? 0, out);
  if (calls.nulls) for (let i = 0; i < nGeno; i++) if (calls.nulls[i]) out[i] = -1;
  return { type: "list", child: { type: "int", values: out }, width: gc.nSamples };
}

registerFunction("genotypeStates", { evaluate: ([g]) => genotypeStatesColumn(g!), type: () => ({ list: "int" }) });
