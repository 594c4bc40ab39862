/**
 * The fast BED kernels against the call-level decoding they must agree with (Glow's code→calls
 * table, glow-reference.md §1a: 00→[1,1], 01→[-1,-1], 10→[0,1], 11→[0,0]; sample 0 in the lowest
 * two bits). Tolerance: exact.
 */
import { describe, expect, it } from "vitest";
import {
  BED_CODE_CALLS,
  bedBlockSize,
  bedExpectedSize,
  checkBedMagic,
  decodeBedToCalls,
  decodeBedToGenotypeStates,
} from "../../../dist/io/plink/bed-codec.js";

/** Straightforward reference: one sample at a time, bit arithmetic, no lookup table. */
function naiveCalls(bytes: Uint8Array, nSamples: number, nVariants: number, byteOffset = 0): number[] {
  const out: number[] = [];
  const bs = Math.ceil(nSamples / 4);
  for (let v = 0; v < nVariants; v++) {
    for (let s = 0; s < nSamples; s++) {
      const code = (bytes[byteOffset + v * bs + (s >> 2)]! >> (2 * (s % 4))) & 3;
      out.push(...BED_CODE_CALLS[code]!);
    }
  }
  return out;
}

/** Glow's genotype_states on calls: sum of the calls, -1 if any call is missing. */
function statesFromCalls(calls: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < calls.length; i += 2) out.push(calls[i]! < 0 || calls[i + 1]! < 0 ? -1 : calls[i]! + calls[i + 1]!);
  return out;
}

function randomBytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; b[i] = x >>> 24; }
  return b;
}

describe("decodeBedToCalls / decodeBedToGenotypeStates (oracle: Glow's 2-bit code table)", () => {
  it("the code table is Glow's: 0→[1,1], 1→[-1,-1], 2→[0,1], 3→[0,0]", () => {
    // One byte 0b11_10_01_00 holds codes 0,1,2,3 for samples 0..3 (sample 0 = lowest bits).
    expect(Array.from(decodeBedToCalls(new Uint8Array([0b11100100]), 4, 1))).toEqual([1, 1, -1, -1, 0, 1, 0, 0]);
    expect(Array.from(decodeBedToGenotypeStates(new Uint8Array([0b11100100]), 4, 1))).toEqual([2, -1, 1, 0]);
  });

  it("every byte value and sample count 0..9: LUT calls = naive calls; states = genotype_states(calls)", () => {
    for (let nSamples = 0; nSamples <= 9; nSamples++) {
      const bs = bedBlockSize(nSamples);
      const nVariants = bs === 0 ? 3 : Math.ceil(256 / bs) + 1;
      const bytes = new Uint8Array(nVariants * bs + 5);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + nSamples) & 255; // covers all 256 values
      for (const off of [0, 5 - (nSamples % 3)]) {
        if (off + nVariants * bs > bytes.length) continue;
        const calls = decodeBedToCalls(bytes, nSamples, nVariants, undefined, off);
        expect(Array.from(calls)).toEqual(naiveCalls(bytes, nSamples, nVariants, off));
        const expected = statesFromCalls(calls);
        expect(Array.from(decodeBedToGenotypeStates(bytes, nSamples, nVariants, undefined, off))).toEqual(expected);
        expect(Array.from(decodeBedToGenotypeStates(bytes, nSamples, nVariants, new Float64Array(nVariants * nSamples), off))).toEqual(expected);
      }
    }
  });

  it("padding bits of the last byte are ignored", () => {
    // 5 samples: byte 2 of the block only holds sample 4 in its low bits.
    const a = decodeBedToGenotypeStates(new Uint8Array([0x1b, 0x03]), 5, 1);
    const b = decodeBedToGenotypeStates(new Uint8Array([0x1b, 0xff]), 5, 1);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it("large random block: Int8 and Float64 outputs agree with the call-based decoding", () => {
    const nSamples = 1003;
    const nVariants = 64;
    const bytes = randomBytes(nVariants * bedBlockSize(nSamples), 7);
    const expected = statesFromCalls(decodeBedToCalls(bytes, nSamples, nVariants));
    const i8 = decodeBedToGenotypeStates(bytes, nSamples, nVariants);
    expect(i8).toBeInstanceOf(Int8Array);
    expect(Array.from(i8)).toEqual(expected);
    expect(Array.from(decodeBedToGenotypeStates(bytes, nSamples, nVariants, new Float64Array(nSamples * nVariants)))).toEqual(expected);
  });

  it("rejects short input and short output with RangeError", () => {
    expect(() => decodeBedToCalls(new Uint8Array(2), 9, 1)).toThrow(RangeError);
    expect(() => decodeBedToGenotypeStates(new Uint8Array(3), 9, 1, new Int8Array(8))).toThrow(RangeError);
  });

  it("magic classification and expected size", () => {
    expect(checkBedMagic(new Uint8Array([0x6c, 0x1b, 0x01]))).toBe("snp-major");
    expect(checkBedMagic(new Uint8Array([0x6c, 0x1b, 0x00]))).toBe("individual-major");
    expect(checkBedMagic(new Uint8Array([0x6c, 0x1c, 0x01]))).toBe("bad-magic");
    expect(checkBedMagic(new Uint8Array([0x6c]))).toBe("too-short");
    expect(bedExpectedSize(5, 5)).toBe(13); // Glow's five-samples-five-variants test.bed is 13 bytes
  });
});
