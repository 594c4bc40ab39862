/**
 * Hard calls from genotype posterior probabilities, exactly as Glow's `hard_calls` SQL function
 * and BGEN reader (`io.projectglow.sql.expressions.HardCalls.getHardCalls`).
 *
 * - Phased (diploid): for each of the two haplotypes h, the call is the allele j whose
 *   probability `p[h*numAlleles + j]` is `>= threshold` and strictly greatest (ties keep the
 *   lower allele); -1 when none qualifies or the probability is absent.
 * - Unphased (diploid): the genotype index i with `p[i] >= threshold` and strictly greatest is
 *   mapped to alleles through colex order (00, 01, 11, 02, 12, 22, 03, ...); `[-1, -1]` when
 *   none qualifies (including an empty array for a missing sample).
 *
 * Only diploid calls are defined: the BGEN reader emits `ploidy` × -1 for other ploidies.
 */

/**
 * Writes the two hard calls for probabilities `probs[from, from + numProbs)` into
 * `out[at]`, `out[at + 1]`. The typed-array kernel behind {@link hardCallsFromProbabilities}.
 */
export function hardCallsInto(
  probs: ArrayLike<number>,
  from: number,
  numProbs: number,
  numAlleles: number,
  phased: boolean,
  threshold: number,
  out: { [i: number]: number },
  at: number,
): void {
  if (phased) {
    for (let h = 0; h < 2; h++) {
      let max = 0;
      let call = -1;
      for (let j = 0; j < numAlleles; j++) {
        const k = h * numAlleles + j;
        const p = k < numProbs ? probs[from + k]! : -1;
        if (p >= threshold && p > max) {
          max = p;
          call = j;
        }
      }
      out[at + h] = call;
    }
    return;
  }
  let maxP = 0;
  let idx = -1;
  for (let i = 0; i < numProbs; i++) {
    const p = probs[from + i]!;
    if (p >= threshold && p > maxP) {
      maxP = p;
      idx = i;
    }
  }
  if (idx === -1) {
    out[at] = -1;
    out[at + 1] = -1;
    return;
  }
  // The higher allele is the largest i with triangle(i) = i(i+1)/2 <= idx.
  let sum = 0;
  let i = 0;
  while (sum + i + 1 <= idx) {
    i++;
    sum += i;
  }
  out[at] = idx - sum;
  out[at + 1] = i;
}

/**
 * Glow's `hard_calls(probabilities, numAlts, phased, threshold)`: diploid hard calls from
 * posterior probabilities (colex order when unphased, per haplotype when phased).
 *
 * @param probabilities genotype (unphased) or haplotype (phased) posterior probabilities.
 * @param numAlts number of alternate alleles (the number of alleles minus one).
 * @param phased whether `probabilities` are per haplotype.
 * @param threshold minimum probability for a call. @defaultValue 0.9
 * @returns `[call1, call2]`, -1 for no call.
 * @example
 * ```ts
 * hardCallsFromProbabilities([0.05, 0.05, 0.9], 1, false); // [1, 1]
 * hardCallsFromProbabilities([0.0, 1.0, 0.95, 0.05], 1, true); // [1, 0]
 * ```
 * @see Glow `core/src/main/scala/io/projectglow/sql/expressions/VariantUtilExprs.scala` (HardCalls)
 */
export function hardCallsFromProbabilities(
  probabilities: ArrayLike<number>,
  numAlts: number,
  phased: boolean,
  threshold = 0.9,
): [number, number] {
  const out: [number, number] = [-1, -1];
  hardCallsInto(probabilities, 0, probabilities.length, numAlts + 1, phased, threshold, out, 0);
  return out;
}
