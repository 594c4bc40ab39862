/**
 * Variant normalization (Tan et al. 2015, as `bcftools norm -f` and Glow's `VariantNormalizer`):
 * left-align indels against the reference and trim to the most parsimonious representation.
 */
import { GlowtsError } from "../core/errors.js";
import { openFasta, type IndexedFasta } from "../io/fasta.js";

/** Glow's `normalizationStatus` struct. */
export interface NormalizationStatus {
  changed: boolean;
  /** Null on success; why the variant was left as it was otherwise. */
  errorMessage: string | null;
}

/** Glow's `normalizationResult` struct (also the value of `normalizeVariant`). */
export interface NormalizationResult {
  start: number;
  end: number;
  referenceAllele: string;
  alternateAlleles: string[];
  normalizationStatus: NormalizationStatus;
}

const SYMBOLIC = /[<>*[\].]/;
const WINDOW = 100;

/**
 * Normalizes one variant: repeatedly drops a common last base (extending every allele one base to
 * the left from the reference when one becomes empty), then drops common first bases while every
 * allele keeps at least one base. Symbolic alleles (`<DEL>`, `*`, breakends) and variants
 * without alternate alleles are returned unchanged.
 *
 * @param start 0-based start; `end` is recomputed as `start + len(ref)` when the variant changes
 * @param reference an opened reference genome
 */
export function normalizeAlleles(contig: string, start: number, end: number, ref: string, alts: readonly string[], reference: IndexedFasta): NormalizationResult {
  const unchanged = (errorMessage: string | null): NormalizationResult => ({
    start, end, referenceAllele: ref, alternateAlleles: [...alts], normalizationStatus: { changed: false, errorMessage },
  });
  if (alts.length === 0 || ref.length === 0) return unchanged(null);
  if (alts.some((a) => a.length === 0 || SYMBOLIC.test(a)) || SYMBOLIC.test(ref)) return unchanged(null);
  if (!reference.has(contig)) return unchanged(`contig '${contig}' is not in the reference genome ${reference.file}`);
  let al = [ref, ...alts].map((a) => a.toUpperCase());
  if (al.slice(1).every((a) => a === al[0])) return unchanged(null);
  let s = start;
  // Reference bases to the left of s, fetched in windows: win covers [winStart, s).
  let winStart = s, win = "";
  const baseBefore = (pos: number): string => {
    if (pos < winStart) { const from = Math.max(0, pos + 1 - WINDOW); win = reference.fetch(contig, from, winStart) + win; winStart = from; }
    return win[pos - winStart] ?? "";
  };
  for (;;) {
    let moved = false;
    const last = al[0]![al[0]!.length - 1];
    if (al.every((a) => a.length > 0 && a[a.length - 1] === last)) { al = al.map((a) => a.slice(0, -1)); moved = true; }
    if (al.some((a) => a.length === 0)) {
      if (s === 0) break;
      const b = baseBefore(s - 1);
      if (b === "") break;
      al = al.map((a) => b + a);
      s--;
      moved = true;
    }
    if (!moved) break;
  }
  if (al.some((a) => a.length === 0)) return unchanged("cannot left-align past the start of the contig");
  while (al.every((a) => a.length >= 2 && a[0] === al[0]![0])) { al = al.map((a) => a.slice(1)); s++; }
  const changed = s !== start || al[0] !== ref.toUpperCase() || al.slice(1).some((a, i) => a !== alts[i]!.toUpperCase());
  if (!changed) return unchanged(null);
  return { start: s, end: s + al[0]!.length, referenceAllele: al[0]!, alternateAlleles: al.slice(1), normalizationStatus: { changed: true, errorMessage: null } };
}

/**
 * Glow's `normalize_variant(contigName, start, end, refAllele, altAlleles, refGenomePathString)`
 * for plain values. @throws GlowtsError `FILE_NOT_FOUND` / `FASTA_INDEX` for the reference
 */
export function normalizeVariant(contig: string, start: number, end: number, ref: string, alts: readonly string[], referenceGenomePath: string): NormalizationResult {
  if (typeof referenceGenomePath !== "string" || referenceGenomePath === "") throw new GlowtsError("OPTION", "normalize_variant: referenceGenomePath is required", { option: "referenceGenomePath" });
  return normalizeAlleles(contig, start, end, ref, alts, openFasta(referenceGenomePath));
}
