/** `glow.leftOverlapJoin` / `glow.leftSemiOverlapJoin`: Glow's overlap joins as functions. */
import type { VariantFrame } from "./variant-frame.js";

type Table = Parameters<VariantFrame["overlapJoin"]>[0];

/** Glow's `left_overlap_join(left, right)`: see {@link VariantFrame.overlapJoin}. */
export function leftOverlapJoin(left: VariantFrame, right: Table, options: Record<string, string> = {}): VariantFrame {
  return left.overlapJoin(right, "left", options);
}

/** Glow's `left_semi_overlap_join(left, right)`: see {@link VariantFrame.overlapJoin}. */
export function leftSemiOverlapJoin(left: VariantFrame, right: Table, options: Record<string, string> = {}): VariantFrame {
  return left.overlapJoin(right, "semi", options);
}
