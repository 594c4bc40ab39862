/**
 * Genotype encodings: the typed tags of a genotypes column still kept in its file encoding
 * (`GenotypesColumn.encoded`), with guards (as Arrow's `DataType.isX`). Kernels that read an
 * encoding directly test for it with its guard, never with a string comparison.
 */
import type { Column, EncodedGenotypes, GenotypesColumn } from "./column.js";

/** PLINK 1 `.bed`: 2 bits per sample, SNP-major, PLINK's codes (see `io/plink/bed-decode.ts`). */
export const PLINK_BED = "plink-bed" as const;

/** Every encoding tag glowts knows. */
export type GenotypeEncoding = typeof PLINK_BED;

/** Encoded genotypes of one kind. */
export type Encoded<K extends GenotypeEncoding> = EncodedGenotypes & { kind: K };

/** A genotypes column whose payload is still PLINK `.bed` bytes. */
export type PlinkBedGenotypes = GenotypesColumn & { encoded: Encoded<typeof PLINK_BED> };

/** True for encoded genotypes in PLINK `.bed` codes. */
export function isPlinkBed(e: EncodedGenotypes | undefined): e is Encoded<typeof PLINK_BED> {
  return e !== undefined && e.kind === PLINK_BED;
}

/** True for a genotypes column still holding PLINK `.bed` bytes. */
export function isPlinkBedColumn(c: Column | undefined): c is PlinkBedGenotypes {
  return c !== undefined && c.type === "genotypes" && isPlinkBed(c.encoded);
}
