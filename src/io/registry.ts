/** Format name → reader. The engine's workers resolve readers through this table. */
import { GlowtsError } from "../errors.js";
import type { FormatReader } from "./source.js";
import { vcfReader } from "./vcf/reader.js";
import { bgenReader } from "./bgen/reader.js";
import { plinkReader } from "./plink/reader.js";

const readers: Record<string, FormatReader<any>> = {
  vcf: vcfReader,
  bgen: bgenReader,
  plink: plinkReader,
};

/** Formats `glow.read` understands. */
export function readerFormats(): string[] {
  return Object.keys(readers);
}

/** The reader for a format name (case-insensitive). */
export function getReader(format: string): FormatReader<any> {
  const r = readers[String(format).toLowerCase()];
  if (!r) {
    throw new GlowtsError("OPTION", `read: unknown format '${format}'; supported: ${readerFormats().join(", ")}`, { option: "format" });
  }
  return r;
}
