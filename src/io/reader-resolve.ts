/**
 * Reader lookup inside the engine's workers: a built-in format's reader module is imported when a
 * task first needs it (a worker decoding PLINK files never loads the VCF, BGEN or Parquet readers
 * and their libraries, ≈ 10 MB per worker), an external one from the module URL its task carries.
 * The calling thread plans with `./registry.ts`, which holds every built-in reader.
 */
import type { FormatReader } from "../core/source.js";

const builtinModules: Record<string, () => Promise<FormatReader<any>>> = {
  vcf: async () => (await import("./vcf/reader.js")).vcfReader,
  bgen: async () => (await import("./bgen/reader.js")).bgenReader,
  plink: async () => (await import("./plink/reader.js")).plinkReader,
  pgen: async () => (await import("./pgen/reader.js")).pgenReader,
  gff: async () => (await import("./gff/reader.js")).gffReader,
  parquet: async () => (await import("./parquet/reader.js")).parquetReader,
  memory: async () => (await import("./memory.js")).memoryReader,
};

const loaded = new Map<string, FormatReader<any>>();

/** Resolves a reader inside a worker: built-in (imported on first use), or imported from the task's module URL. */
export async function resolveReader(format: string, moduleUrl?: string, exportName?: string): Promise<FormatReader<any>> {
  const key = String(format).toLowerCase();
  const builtin = builtinModules[key];
  if (builtin) {
    let r = loaded.get(key);
    if (!r) { r = await builtin(); loaded.set(key, r); }
    return r;
  }
  // external formats (and the error for an unknown one) go through the registry, as on the calling thread
  const registry = await import("./registry.js");
  return registry.resolveReader(format, moduleUrl, exportName);
}
