/** `glow.read`: the entry point of every variant data source. */
import { GlowtsError } from "../core/errors.js";
import { VariantFrame } from "./variant-frame.js";
import { expandPaths } from "../io/files.js";
import { getReader } from "../io/registry.js";

/**
 * Reads variant data lazily: nothing is decoded until an action runs.
 *
 * @param format `vcf`, `bgen`, `plink`, `gff`, `parquet` (Glow's data source names) or `pgen` (PLINK 2)
 * @param path a file, a list of files, a directory or a glob
 * @param options the format's options with Glow's names in camelCase and Glow's defaults, e.g.
 *   `includeSampleIds`, `hardCallThreshold`, `sampleFilePath`, `sampleIdColumn`, `mergeFidIid`,
 *   `useBgenIndex`, `useTabixIndex`
 * @returns a {@link VariantFrame} in Glow's variant schema
 * @throws GlowtsError `FILE_NOT_FOUND` when no file matches; `OPTION` for an unknown format or option
 * @example
 * ```ts
 * const df = glow.read("bgen", "example.bgen", { hardCallThreshold: 0.9 });
 * await df.show(5);
 * ```
 */
export function read(format: string, path: string | string[], options: Record<string, unknown> = {}): VariantFrame {
  const reader = getReader(format);
  if (options === null || typeof options !== "object") throw new GlowtsError("OPTION", "read: options must be an object");
  const given = Array.isArray(path) ? path : [path];
  const paths = expandPaths(reader.resolvePath ? given.map((p) => reader.resolvePath!(p)) : given, `read(${reader.format})`);
  // Validate options eagerly so that a typo fails at the call, not at the first action.
  reader.normalizeOptions({ ...options });
  return new VariantFrame({ format: reader.format, paths, options: { ...options } });
}
