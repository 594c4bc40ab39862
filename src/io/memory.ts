/**
 * The `memory` source: a frame over batches that are already in memory (or produced by any
 * `partitions()` iterable), so that code holding columnar batches gets a lazy `VariantFrame` with
 * its transforms and actions. Each batch is one partition; it travels to the workers inside its
 * partition spec (structured clone). Used through `VariantFrame.fromPartitions`.
 */
import { GlowtsError } from "../core/errors.js";
import type { Column, DataType, Field, VariantBatch } from "../core/column.js";
import type { FormatReader, PartitionSpec, SourcePlan } from "../core/source.js";

/** What a memory frame is made from. */
export interface PartitionSource {
  partitions(): AsyncIterable<VariantBatch> | Iterable<VariantBatch>;
  sampleIds?(): Promise<string[] | null> | string[] | null;
}

const sources = new Map<string, PartitionSource>();
let nextId = 0;

/** Registers a source for the calling thread's plans; returns the `id` option of the frame. */
export function registerMemorySource(src: PartitionSource): string {
  const id = `memory-${process.pid}-${nextId++}`;
  sources.set(id, src);
  return id;
}

function columnType(c: Column): DataType {
  if (c.type === "list") return { list: columnType(c.child) };
  if (c.type === "struct") return { struct: Object.entries(c.fields).map(([name, f]) => ({ name, type: columnType(f) })) };
  if (c.type === "genotypes") return { genotypes: [] };
  return c.type as DataType;
}

interface MemoryOptions { id: string }

export const memoryReader: FormatReader<MemoryOptions> = {
  format: "memory",
  normalizeOptions(options) {
    if (typeof options["id"] !== "string") throw new GlowtsError("OPTION", "memory source: missing id");
    return { id: options["id"] };
  },
  async plan(_paths, options): Promise<SourcePlan> {
    const src = sources.get(options.id);
    if (!src) throw new GlowtsError("OPTION", `memory source ${options.id} is not registered in this thread`);
    const partitions: PartitionSpec[] = [];
    let schema: Field[] = [];
    let i = 0;
    for await (const batch of src.partitions() as AsyncIterable<VariantBatch>) {
      if (i === 0) schema = Object.entries(batch.columns).map(([name, c]) => ({ name, type: columnType(c) }));
      partitions.push({ path: "(memory)", describe: `batch ${i++}`, estimatedRows: batch.numRows, batch });
    }
    const sampleIds = src.sampleIds ? await src.sampleIds() : null;
    return { schema, sampleIds: sampleIds ?? null, partitions, meta: null };
  },
  readPartition(partition) {
    return partition["batch"] as VariantBatch;
  },
};
