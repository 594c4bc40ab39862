/**
 * The VCF header facts a transformer needs inside a worker (INFO and FORMAT `Number` by ID), read
 * from the frame's source files once per worker. Frames from other formats have no INFO header.
 */
import { detectCompression } from "../io/bgzf.js";
import { readRange } from "../io/files.js";
import { parseVcfHeader, type VcfFieldDef } from "../io/vcf/header.js";
import { readVcfHeaderLines } from "../io/vcf/reader.js";

/** Where the frame's rows come from (its source node). */
export interface HeaderSource {
  format: string;
  paths: string[];
}

/** INFO and FORMAT definitions of the source, merged over its files (first definition wins). */
export interface SourceHeader {
  info: VcfFieldDef[];
  format: VcfFieldDef[];
  /** The header lines of the first file (up to and including `#CHROM`). */
  lines: string[];
}

const cache = new Map<string, SourceHeader | null>();

/** The merged VCF header of a source, or null when the source is not VCF. */
export function sourceHeader(src: HeaderSource | undefined): SourceHeader | null {
  if (!src || src.format !== "vcf" || src.paths.length === 0) return null;
  const key = src.paths.join("\n");
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const info = new Map<string, VcfFieldDef>();
  const format = new Map<string, VcfFieldDef>();
  let first: string[] = [];
  for (const [k, p] of src.paths.entries()) {
    const lines = readVcfHeaderLines(p, detectCompression(readRange(p, 0, 18)));
    if (k === 0) first = lines;
    const h = parseVcfHeader(lines, p);
    for (const d of h.info) if (!info.has(d.id)) info.set(d.id, d);
    for (const d of h.format) if (!format.has(d.id)) format.set(d.id, d);
  }
  const out: SourceHeader = { info: [...info.values()], format: [...format.values()], lines: first };
  cache.set(key, out);
  return out;
}
