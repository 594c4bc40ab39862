/** Glow's transformers, registered by name for {@link transform}. */
import { registerTransformer } from "./registry.js";
import { splitMultiallelicsTransformer } from "./split-multiallelics-transformer.js";
import { normalizeVariantsTransformer } from "./normalize-variants-transformer.js";
import { pipeTransformer } from "./pipe-transformer.js";
import { pipeCleanupTransformer } from "./pipe-cleanup-transformer.js";
import { liftOverVariantsTransformer } from "./lift-over-variants-transformer.js";

registerTransformer(splitMultiallelicsTransformer);
registerTransformer(normalizeVariantsTransformer);
registerTransformer(pipeTransformer);
registerTransformer(pipeCleanupTransformer);
registerTransformer(liftOverVariantsTransformer);

export { transform, transformerNames, registerTransformer, type Transformer } from "./registry.js";
export { normalizeVariant, type NormalizationResult, type NormalizationStatus } from "../functions/normalize-alleles.js";
