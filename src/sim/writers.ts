/**
 * The simulator's output: chunks of hard calls written through the frame writers (`io/writers/`
 * `plink.ts`, `bgen.ts`, `vcf.ts`), so that each format has one encoder. A chunk becomes a
 * `VariantBatch` in Glow's schema (diploid `calls`), encoded on the calling thread and appended to
 * the writer's sink; files appear only when complete.
 */
import type { Column, VariantBatch } from "../core/column.js";
import type { FormatWriter, FamSample, SerializedPart } from "../io/writers/part.js";

/** Variants to write: per-variant fields and alt-allele counts (variant-major, -1 = missing). */
export interface HardCallChunk {
  contigName: string[];
  /** 1-based positions. */
  position: ArrayLike<number>;
  id: string[];
  referenceAllele: string[];
  alternateAllele: string[];
  /** numVariants × numSamples alt-allele counts 0/1/2, -1 for missing. */
  dosages: Int8Array;
}

/** A sample as PLINK knows it. */
export type PlinkSample = FamSample;

/** A chunked writer of one format. */
export interface CohortWriter {
  write(chunk: HardCallChunk): Promise<void>;
  close(): Promise<void>;
  abort(): void;
}

function stringList(values: string[]): Column {
  const offsets = new Int32Array(values.length + 1);
  for (let i = 0; i < values.length; i++) offsets[i + 1] = i + 1;
  return { type: "list", child: { type: "string", values }, offsets };
}

/** A chunk as a batch in Glow's schema: diploid calls (alt count d → d alt alleles, unphased). */
export function hardCallBatch(chunk: HardCallChunk, sampleIds: string[], filters = false): VariantBatch {
  const m = chunk.id.length;
  const n = sampleIds.length;
  const start = new Float64Array(m);
  for (let v = 0; v < m; v++) start[v] = chunk.position[v]! - 1;
  const calls = new Int32Array(2 * m * n);
  for (let e = 0; e < m * n; e++) {
    const d = chunk.dosages[e]!;
    if (d < 0 || d > 2) { calls[2 * e] = -1; calls[2 * e + 1] = -1; }
    else { calls[2 * e] = d === 2 ? 1 : 0; calls[2 * e + 1] = d >= 1 ? 1 : 0; }
  }
  const columns: Record<string, Column> = {
    contigName: { type: "string", values: chunk.contigName },
    start: { type: "long", values: start },
    names: stringList(chunk.id),
    referenceAllele: { type: "string", values: chunk.referenceAllele },
    alternateAlleles: stringList(chunk.alternateAllele),
  };
  if (filters) columns["filters"] = stringList(new Array<string>(m).fill("PASS"));
  columns["genotypes"] = { type: "genotypes", nSamples: n, sampleIds, fields: { calls: { type: "list", child: { type: "int", values: calls }, width: 2 } } };
  return { numRows: m, columns };
}

type Encoder = (b: VariantBatch, options: Record<string, unknown>) => SerializedPart | Promise<SerializedPart>;

async function open(writer: FormatWriter, encode: Encoder, path: string, sampleIds: string[], options: Record<string, unknown>, extra: { famSamples?: FamSample[]; filters?: boolean } = {}): Promise<CohortWriter> {
  const { spec, sink } = await writer.prepare({ path, options, schema: null, sampleIds, ...(extra.famSamples ? { famSamples: extra.famSamples } : {}) });
  return {
    async write(chunk) { await sink.append(await encode(hardCallBatch(chunk, sampleIds, extra.filters), spec.options)); },
    async close() { try { await sink.commit(); } catch (e) { sink.abort(); throw e; } },
    abort() { sink.abort(); },
  };
}

/** `{prefix}.bed/.bim/.fam` with the samples' PLINK fields (sex, phenotype) in the `.fam`. */
export async function plinkCohortWriter(prefix: string, samples: PlinkSample[]): Promise<CohortWriter> {
  const { plinkWriter, encodePlinkPart } = await import("../io/writers/plink.js");
  return open(plinkWriter, encodePlinkPart, prefix, samples.map((s) => `${s.fid}_${s.iid}`), {}, { famSamples: samples });
}

/** A BGEN 1.2 file (layout 2, zlib). */
export async function bgenCohortWriter(path: string, sampleIds: string[], options: { bitsPerProbability?: 8 | 16 | 32; compressionLevel?: number } = {}): Promise<CohortWriter> {
  const { bgenWriter, encodeBgenPart } = await import("../io/writers/bgen.js");
  return open(bgenWriter, encodeBgenPart, path, sampleIds, { bitsPerProbability: options.bitsPerProbability ?? 8, compressionLevel: options.compressionLevel ?? 6 });
}

/** A VCF 4.2 of hard calls (GT only, FILTER PASS), BGZF-compressed for `.gz`/`.bgz` paths. */
export async function vcfCohortWriter(path: string, sampleIds: string[], contigs: { name: string; length?: number }[]): Promise<CohortWriter> {
  const { bigVcfWriter, encodeVcfPart } = await import("../io/writers/vcf.js");
  const header = [
    "##fileformat=VCFv4.2",
    "##source=glowts",
    ...contigs.map((c) => `##contig=<ID=${c.name}${c.length ? `,length=${c.length}` : ""}>`),
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
  ].join("\n");
  return open(bigVcfWriter, encodeVcfPart, path, sampleIds, { vcfHeader: header, compression: /\.(b?gz)$/.test(path) ? "bgzf" : "none" }, { filters: true });
}
