/**
 * The contract between a file format and the execution engine.
 *
 * A format module exports a {@link FormatReader}. On the calling thread, `plan` inspects the
 * files (headers, indexes) and cuts them into {@link PartitionSpec}s; in a worker thread,
 * `readPartition` decodes one partition into a columnar {@link VariantBatch}. Everything in a
 * `PartitionSpec` and in the `meta` returned by `plan` must be structured-clonable (plain data),
 * because it is posted to the workers.
 */
import type { Field, VariantBatch } from "./column.js";

/** A region pushed down from filters on contigName/start/end (0-based, half-open). */
export interface RegionHint {
  contigName?: string | undefined;
  /** Rows with end > start are wanted. */
  start?: number | undefined;
  /** Rows with start < end are wanted. */
  end?: number | undefined;
}

/** One unit of parallel work: a byte or variant range of one file. Format-specific fields allowed. */
export interface PartitionSpec {
  /** The file this partition reads. */
  path: string;
  /** Position of this partition in the frame's order. Set by the engine. */
  index?: number;
  /** Human-readable description for explain(), e.g. `bytes 0..1048576` or `variants 0..4095`. */
  describe: string;
  /** Estimated number of variants (for progress), if known. */
  estimatedRows?: number | undefined;
  [key: string]: unknown;
}

/** What `plan` returns: the schema, the sample ids, the partitions and reader state for workers. */
export interface SourcePlan {
  schema: Field[];
  /** Sample ids in genotype order (null when the source has no sample ids). */
  sampleIds: string[] | null;
  partitions: PartitionSpec[];
  /** Plain data passed to every `readPartition` call of this plan (parsed headers, ...). */
  meta: unknown;
}

export interface PlanContext {
  /** Region wanted by the plan's filters, if any: a reader may use an index to skip data. */
  region?: RegionHint | undefined;
  /** Target number of variants per partition when the reader cuts by variant count. */
  variantsPerPartition?: number | undefined;
  /** Target compressed bytes per partition when the reader cuts by bytes. */
  bytesPerPartition?: number | undefined;
}

export interface FormatReader<O = Record<string, unknown>> {
  /** Format name as given to `glow.read` (e.g. `vcf`, `bgen`, `plink`). */
  readonly format: string;
  /** Optional: maps a user's path to the file(s) to expand (e.g. a PLINK 2 prefix to its `.pgen`). */
  resolvePath?(path: string): string;
  /** Fills in Glow's defaults and validates option values. Throws GlowtsError `OPTION`. */
  normalizeOptions(options: Record<string, unknown>): O;
  /** Inspects the files (on the calling thread) and cuts them into partitions. */
  plan(paths: string[], options: O, context: PlanContext): Promise<SourcePlan>;
  /** Decodes one partition (in a worker). Throws GlowtsError naming file and record on bad input. */
  readPartition(partition: PartitionSpec, meta: unknown, options: O): Promise<VariantBatch> | VariantBatch;
}
