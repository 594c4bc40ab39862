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
import { executePartition, executeSerialized, warmUp, type WarmSpec } from "./execute.js";
import type { SerializedPart } from "../io/writers/part.js";
import { partTransferables } from "../io/writers/part.js";

export interface WorkerReply {
  batch?: VariantBatch;
  /** The partition encoded for `frame.write` (when the task asks for it). */
  part?: SerializedPart;
  error?: ReturnType<GlowtsError["toJSON"]>;
}

export default async function runPartition(task: PartitionTask): Promise<unknown> {
  try {
    let reply: WorkerReply;
    let list: ArrayBuffer[];
    if (task.serialize) {
      const part = await executeSerialized(task);
      reply = { part };
      list = partTransferables(part);
    } else {
      const batch = await executePartition(task);
      reply = { batch };
      list = transferables(batch);
    }
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

/** A no-op task: submitting it makes the pool start a thread (used to replace a dead worker). */
export function ping(): number {
  return 0;
}

/** Loads an action's reader and function modules before its first task (see `warmWorkers`). */
export async function warm(spec: WarmSpec): Promise<number> {
  await warmUp(spec);
  return 0;
}
