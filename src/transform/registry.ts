/**
 * `glow.transform(name, frame, options)`: Glow's transformers by name. Each transformer lives in
 * its own module and runs per partition in the workers (as a `mapPartitions` step of the lazy plan).
 */
import { GlowtsError } from "../core/errors.js";
import type { VariantFrame } from "../frame/variant-frame.js";
import { camelKeys } from "../functions/columns.js";

/** A transformer: checks its options on the calling thread and extends the frame's plan. */
export interface Transformer {
  /** Glow's name, e.g. `split_multiallelics`. */
  name: string;
  /** Option names (camelCase) it accepts; others are rejected. */
  options: readonly string[];
  /** Returns the lazy transformed frame. */
  apply(frame: VariantFrame, options: Record<string, unknown>): VariantFrame;
}

const transformers = new Map<string, Transformer>();

/** Registers a transformer under its name (used by the built-in modules). */
export function registerTransformer(t: Transformer): void {
  transformers.set(t.name.toLowerCase(), t);
}

/** Names of the registered transformers. */
export function transformerNames(): string[] {
  return [...transformers.keys()];
}

/**
 * Applies a Glow transformer: `split_multiallelics`, `normalize_variants`, `lift_over_variants`,
 * `pipe`, `pipe_cleanup` (Glow's names; camelCase aliases such as `splitMultiallelics` also work). Option keys may
 * be Glow's snake_case (`reference_genome_path`) or camelCase (`referenceGenomePath`); `pipe`'s
 * prefixed keys (`env_*`, `in_*`, `out_*`) keep their suffix as given.
 *
 * @param name the transformer
 * @param frame the input frame
 * @param options the transformer's options
 * @returns a lazy frame: nothing runs until an action
 * @throws GlowtsError `OPTION` for an unknown transformer or option, or a missing required option
 * @example
 * ```ts
 * const split = glow.transform("split_multiallelics", glow.read("vcf", "in.vcf"));
 * const norm = glow.transform("normalize_variants", split, { referenceGenomePath: "ref.fa" });
 * ```
 */
export function transform(name: string, frame: VariantFrame, options: Record<string, unknown> = {}): VariantFrame {
  const key = String(name).replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
  const t = transformers.get(key);
  if (!t) throw new GlowtsError("OPTION", `transform: unknown transformer '${name}'; known: ${transformerNames().join(", ")}`, { option: "name" });
  if (options === null || typeof options !== "object") throw new GlowtsError("OPTION", `${t.name}: options must be an object`);
  const opts = camelKeys(Object.fromEntries(Object.entries(options).filter(([k]) => !/^(env|in|out)_/.test(k))));
  for (const [k, v] of Object.entries(options)) if (/^(env|in|out)_/.test(k)) opts[k] = v;
  for (const k of Object.keys(opts)) {
    if (/^(env|in|out)[_A-Z]/.test(k) && t.options.includes("*prefixed")) continue;
    if (!t.options.includes(k)) {
      throw new GlowtsError("OPTION", `${t.name}: unknown option '${k}'; options: ${t.options.filter((o) => o !== "*prefixed").join(", ")}`, { option: k });
    }
  }
  return t.apply(frame, opts);
}
