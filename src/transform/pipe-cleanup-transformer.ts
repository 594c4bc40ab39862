/** Glow's `pipe_cleanup`: Glow drops its cached piped RDDs; glowts caches nothing, so the frame is returned unchanged. */
import type { VariantFrame } from "../frame/variant-frame.js";
import type { Transformer } from "./registry.js";

/** Glow's `pipe_cleanup` (no options): returns the frame unchanged (no piped results are cached). */
export const pipeCleanupTransformer: Transformer = {
  name: "pipe_cleanup",
  options: [],
  apply(frame: VariantFrame): VariantFrame {
    return frame;
  },
};
