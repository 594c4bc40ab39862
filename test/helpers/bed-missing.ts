// Missing calls written into PLINK .bed bytes for tests: a seeded Lehmer generator (16807 mod 2^31 − 1)
// picks each genotype with probability `rate`; one variant may be made missing for every sample.

/**
 * Sets genotypes of `bytes` (a whole .bed, magic included) to the missing code 01, in place.
 * @returns how many genotypes were set
 */
export function markMissingCalls(
  bytes: Uint8Array, nSamples: number, nVariants: number, options: { seed: number; rate: number; allMissingVariant?: number },
): number {
  const bpv = Math.ceil(nSamples / 4);
  let s = options.seed;
  let set = 0;
  for (let v = 0; v < nVariants; v++) for (let i = 0; i < nSamples; i++) {
    s = (s * 16807) % 2147483647;
    if (v === options.allMissingVariant || s / 2147483647 < options.rate) {
      const at = 3 + v * bpv + (i >> 2);
      const shift = 2 * (i & 3);
      bytes[at] = (bytes[at]! & ~(3 << shift)) | (1 << shift);
      set++;
    }
  }
  return set;
}
