/** Glow's transformers, registered by name for {@link transform}. */
import { registerTransformer } from "./registry.js";
import { splitMultiallelicsTransformer } from "./split-multiallelics-transformer.js";

registerTransformer(splitMultiallelicsTransformer);

export { transform, transformerNames, registerTransformer, type Transformer } from "./registry.js";
