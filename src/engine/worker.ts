/**
 * Entry point of the piscina worker threads: decodes and transforms one partition and returns the
 * batch with its buffers in the transfer list (no copy). Errors come back as plain data so that
 * file/record context survives the thread boundary.
 */
import { Piscina } from "piscina";
import { GlowtsError, asGlowtsError } from "../core/errors.js";
import type { PartitionTask } from "../core/plan.js";
import type { VariantBatch } from "../core/column.js";
import { transferables } from "../core/column.js";
import { executePartition } from "./execute.js";

export interface WorkerReply {
  batch?: VariantBatch;
  error?: ReturnType<GlowtsError["toJSON"]>;
}

export default async function runPartition(task: PartitionTask): Promise<unknown> {
  try {
    const batch = await executePartition(task);
    const reply: WorkerReply = { batch };
    const list = transferables(batch);
    const movable = {
      get [Piscina.transferableSymbol]() { return list; },
      get [Piscina.valueSymbol]() { return reply; },
    };
    return Piscina.move(movable as never);
  } catch (e) {
    const err = asGlowtsError(e, "WORKER", { file: task.partition.path, record: task.partition.describe });
    return { error: err.toJSON() } satisfies WorkerReply;
  }
}
