/** Format name → reader. The engine's workers resolve readers through this table. */
import { GlowtsError } from "../core/errors.js";
import type { FormatReader } from "../core/source.js";
import { vcfReader } from "./vcf/reader.js";
import { bgenReader } from "./bgen/reader.js";
import { plinkReader } from "./plink/reader.js";
import { pgenReader } from "./pgen/reader.js";
import { gffReader } from "./gff/reader.js";
import { parquetReader } from "./parquet/reader.js";
import { memoryReader } from "./memory.js";

const builtins: Record<string, FormatReader<any>> = {
  vcf: vcfReader,
  bgen: bgenReader,
  plink: plinkReader,
  pgen: pgenReader,
  gff: gffReader,
  parquet: parquetReader,
  memory: memoryReader,
};

/** A reader registered at run time: loaded from an ES module so that worker threads can load it too. */
export interface ExternalReader {
  moduleUrl: string;
  exportName: string;
  reader: FormatReader<any>;
}
const external = new Map<string, ExternalReader>();

/** Formats `glow.read` understands. */
export function readerFormats(): string[] {
  return [...Object.keys(builtins), ...external.keys()];
}

/**
 * Registers a custom data source: `moduleUrl` (a file URL) must export a {@link FormatReader} as
 * `exportName`. Workers import the same module to decode partitions.
 */
export async function registerFormat(format: string, moduleUrl: string, exportName = "reader"): Promise<void> {
  const mod = (await import(moduleUrl)) as Record<string, unknown>;
  const r = mod[exportName] as FormatReader<any> | undefined;
  if (!r || typeof r.plan !== "function" || typeof r.readPartition !== "function") {
    throw new GlowtsError("OPTION", `registerFormat: ${moduleUrl} has no FormatReader export '${exportName}'`);
  }
  external.set(format.toLowerCase(), { moduleUrl, exportName, reader: r });
}

/** The external registration of a format, if any (tasks carry it to the workers). */
export function externalReader(format: string): ExternalReader | undefined {
  return external.get(format.toLowerCase());
}

/** The reader for a format name (case-insensitive). */
export function getReader(format: string): FormatReader<any> {
  const key = String(format).toLowerCase();
  const r = builtins[key] ?? external.get(key)?.reader;
  if (!r) {
    throw new GlowtsError("OPTION", `read: unknown format '${format}'; supported: ${readerFormats().join(", ")}`, { option: "format" });
  }
  return r;
}

/** Resolves a reader inside a worker: built-in, or imported from the task's module URL. */
export async function resolveReader(format: string, moduleUrl?: string, exportName?: string): Promise<FormatReader<any>> {
  const key = String(format).toLowerCase();
  if (builtins[key]) return builtins[key]!;
  if (moduleUrl) {
    const cached = external.get(key);
    if (cached && cached.moduleUrl === moduleUrl) return cached.reader;
    await registerFormat(key, moduleUrl, exportName);
    return external.get(key)!.reader;
  }
  return getReader(format);
}
