/** Cutting BGEN variant locations into partitions (pure). */
import type { PartitionSpec } from "../../core/source.js";
import type { VariantLocations } from "./locations.js";

/** Default target of compressed bytes per partition. */
export const DEFAULT_BYTES_PER_PARTITION = 4 << 20;
/** Decoded genotype values (≈ probabilities) a partition aims not to exceed by default. */
export const DEFAULT_VALUES_PER_PARTITION = 1 << 24;

/** A BGEN partition: runs of consecutive variant blocks of one file. */
export interface BgenPartitionSpec extends PartitionSpec {
  /** Index of the file in the plan's `meta.files`. */
  fileIndex: number;
  /** Flat `[from, to, firstVariant, count]` quadruples, one per run of adjacent blocks. */
  runs: number[];
}

/** Limits for one partition. */
export interface CutTargets {
  bytes: number;
  variants: number;
}

/**
 * Groups variants (in file order) into partitions of about `targets.bytes` compressed bytes
 * and at most `targets.variants` variants. Adjacent blocks with consecutive ordinals merge
 * into one run, so an unpruned file gives one run per partition.
 */
export function cutPartitions(path: string, fileIndex: number, loc: VariantLocations, targets: CutTargets): BgenPartitionSpec[] {
  const out: BgenPartitionSpec[] = [];
  let runs: number[] = [];
  let bytes = 0;
  let count = 0;
  const flush = (): void => {
    if (count === 0) return;
    const first = runs[2]!;
    const last = runs[runs.length - 2]! + runs[runs.length - 1]! - 1;
    const from = runs[0]!;
    const to = runs[runs.length - 3]!;
    const describe = `${path} variants ${first}..${last} (bytes ${from}..${to}${runs.length > 4 ? `, ${runs.length / 4} runs` : ""})`;
    out.push({ path, fileIndex, runs, describe, estimatedRows: count });
    runs = [];
    bytes = 0;
    count = 0;
  };
  for (let i = 0; i < loc.starts.length; i++) {
    if (count > 0 && (bytes >= targets.bytes || count >= targets.variants)) flush();
    const s = loc.starts[i]!;
    const e = loc.ends[i]!;
    const o = loc.ordinals[i]!;
    const r = runs.length - 4;
    if (r >= 0 && runs[r + 1] === s && runs[r + 2]! + runs[r + 3]! === o) {
      runs[r + 1] = e;
      runs[r + 3] = runs[r + 3]! + 1;
    } else {
      runs.push(s, e, o, 1);
    }
    bytes += e - s;
    count++;
  }
  flush();
  return out;
}
