/**
 * Glow's variant schema, each field declared once (as sgkit's `variables.py` declares each array):
 * the readers assemble their schemas from these declarations, so a name or a type is written in one
 * place. Source: Glow's `VariantSchemas` (docs "Variant data sources"; /work/shared/docs/glow-reference.md).
 */
import type { DataType, Field } from "./column.js";

/** Variant-level (row) fields of Glow's schema. */
export const VARIANT_FIELDS = {
  contigName: "string",
  start: "long",
  end: "long",
  names: { list: "string" },
  referenceAllele: "string",
  alternateAlleles: { list: "string" },
  qual: "double",
  filters: { list: "string" },
  splitFromMultiAllelic: "boolean",
  /** PLINK's genetic position (centimorgans) from the `.bim` file. */
  position: "double",
} as const satisfies Record<string, DataType>;

/**
 * Metadata key on the `contigName` field: the contigs the source declares (its `##contig=<...>`
 * header values, or the contig names of a `.pvar`/`.bim`), one per line, in the source's order. The
 * VCF writers emit one `##contig` line per entry.
 */
export const CONTIGS_METADATA = "contigs";

/** Per-sample fields of the `genotypes` array that several formats share. */
export const GENOTYPE_FIELDS = {
  sampleId: "string",
  phased: "boolean",
  calls: { list: "int" },
  ploidy: "int",
  posteriorProbabilities: { list: "double" },
  /** ALT allele dosage in [0, 2] (PLINK 2 `.pgen` dosages; null = missing). */
  dosage: "double",
} as const satisfies Record<string, DataType>;

export type VariantFieldName = keyof typeof VARIANT_FIELDS;
export type GenotypeFieldName = keyof typeof GENOTYPE_FIELDS;

function fieldOf(name: string, type: DataType): Field {
  return { name, type: structuredClone(type) as DataType };
}

/** Variant fields in the given order (fresh objects: callers may add metadata). */
export function variantFields(...names: VariantFieldName[]): Field[] {
  return names.map((n) => fieldOf(n, VARIANT_FIELDS[n] as DataType));
}

/** One genotype field (fresh object). */
export function genotypeField(name: GenotypeFieldName): Field {
  return fieldOf(name, GENOTYPE_FIELDS[name] as DataType);
}

/** The `genotypes` column of a schema with the given per-sample fields. */
export function genotypesField(fields: Field[]): Field {
  return { name: "genotypes", type: { genotypes: fields } };
}
