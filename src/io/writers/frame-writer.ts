/**
 * `frame.write(format, path, options)`: runs the frame's plan with a `serialize` step, so each
 * partition is encoded in a worker, and appends the encoded partitions in order as they arrive
 * (at most `workers × inflightPerWorker` partitions are held at once, whatever the number of
 * variants). The output appears only when complete; a failure removes what was started.
 */
import { GlowtsError } from "../../core/errors.js";
import type { Field, VariantBatch } from "../../core/column.js";
import type { FormatWriter, SerializedPart, SerializeSpec } from "./part.js";
import { serializePartition } from "./part.js";

/** The output formats of `frame.write`. */
export type WriteFormat = "vcf" | "bigvcf" | "bgen" | "bigbgen" | "plink" | "parquet" | "tsv";

const writers: Record<string, () => Promise<FormatWriter>> = {
  tsv: async () => (await import("./tsv.js")).tsvWriter,
  parquet: async () => (await import("../parquet/writer.js")).parquetWriter,
  vcf: async () => (await import("./vcf.js")).shardedVcfWriter,
  bigvcf: async () => (await import("./vcf.js")).bigVcfWriter,
  bgen: async () => (await import("./bgen.js")).bgenWriter,
  bigbgen: async () => (await import("./bgen.js")).bgenWriter,
  plink: async () => (await import("./plink.js")).plinkWriter,
};

/** What `writeFrame` needs of a frame (a `VariantFrame` has all of it). */
export interface WritableFrame {
  partitions(options?: Record<string, unknown>): AsyncIterable<VariantBatch>;
  schema?(): Promise<Field[]>;
  sampleIds?(): Promise<string[] | null> | string[] | null;
  /** Runs the plan with the encoder in the workers (absent: encode on the calling thread). */
  serializedPartitions?(spec: SerializeSpec, options: Record<string, unknown>): AsyncIterable<SerializedPart>;
}

const ACTION_OPTIONS = ["workers", "onProgress"];

/**
 * Writes a frame in one of Glow's output formats.
 * @returns the number of rows written
 */
export async function writeFrame(frame: WritableFrame, format: string, path: string, options: Record<string, unknown> = {}): Promise<number> {
  const key = String(format).toLowerCase();
  const load = writers[key];
  if (!load) throw new GlowtsError("OPTION", `write: format must be one of ${Object.keys(writers).join(", ")}; got '${String(format)}'`, { option: "format" });
  if (typeof path !== "string" || path === "") throw new GlowtsError("OPTION", "write: path must be a non-empty string", { option: "path" });
  const action: Record<string, unknown> = {};
  const formatOptions: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (v === undefined) continue;
    if (ACTION_OPTIONS.includes(k)) action[k] = v; else formatOptions[k] = v;
  }
  let schema: Field[] | null = null;
  if (frame.schema) {
    const s = await frame.schema();
    schema = s.some((f) => f.name.startsWith("(schema after mapPartitions")) ? null : s;
  }
  const sampleIds = frame.sampleIds ? await frame.sampleIds() : null;
  const writer = await load();
  const { spec, sink } = await writer.prepare({ path, options: formatOptions, schema, sampleIds });
  let rows = 0;
  try {
    const parts: AsyncIterable<SerializedPart> = frame.serializedPartitions
      ? frame.serializedPartitions(spec, { ...action, action: "write" })
      : (async function* () { for await (const b of frame.partitions()) yield await serializePartition(b, spec); })();
    for await (const p of parts) {
      await sink.append(p);
      rows += p.numRows;
    }
    await sink.commit();
  } catch (e) {
    sink.abort();
    throw e;
  }
  return rows;
}
