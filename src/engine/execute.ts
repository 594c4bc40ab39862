/**
 * Runs one partition: decode with the format's reader, then apply the plan's operations in order.
 * The same code runs in the worker threads and, with `workers: 0`, on the calling thread.
 */
import { asGlowtsError, GlowtsError } from "../core/errors.js";
import type { VariantBatch } from "../core/column.js";
import { sliceBatch, takeBatch } from "../core/column.js";
import { evaluate, maskToIndices } from "./evaluate.js";
import { opsForCount, type PartitionTask, type PlanOp } from "../core/plan.js";
import { resolveReader } from "../io/reader-resolve.js";
import { overlapJoinBatch } from "./overlap-join.js";
import { explodeBatch, joinBatch, partialAggregate, sortBatch } from "./operations.js";
import type { SerializedPart } from "../io/writers/part.js";
import { serializePartition } from "../io/writers/part.js";

const metaCache = new Map<string, unknown>();

/** Serializes reader state once into shared memory for all tasks of a plan. */
export function shareMeta(meta: unknown): { id: string; bytes: SharedArrayBuffer } {
  const json = new TextEncoder().encode(JSON.stringify(meta ?? null));
  const bytes = new SharedArrayBuffer(json.length);
  new Uint8Array(bytes).set(json);
  return { id: `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`, bytes };
}

function taskMeta(task: PartitionTask): unknown {
  if (!task.sharedMeta) return task.meta;
  const { id, bytes } = task.sharedMeta;
  let m = metaCache.get(id);
  if (m === undefined) {
    m = JSON.parse(new TextDecoder().decode(new Uint8Array(bytes).slice()));
    if (metaCache.size > 16) metaCache.delete(metaCache.keys().next().value!);
    metaCache.set(id, m);
  }
  return m;
}

/** Decodes the partition and applies the ops. Errors carry the partition's file and range. */
export async function executePartition(task: PartitionTask): Promise<VariantBatch> {
  const ctx = { file: task.partition.path, record: task.partition.describe };
  const reader = await resolveReader(task.format, task.readerModule?.url, task.readerModule?.exportName);
  let batch: VariantBatch;
  try {
    batch = await reader.readPartition(task.partition, taskMeta(task), task.options);
  } catch (e) {
    throw asGlowtsError(e, "READ", ctx);
  }
  try {
    if (task.countOnly) {
      const b = await applyOps(batch, opsForCount(task.ops));
      return { numRows: b.numRows, columns: {} };
    }
    return await applyOps(batch, task.ops);
  } catch (e) {
    throw asGlowtsError(e, "EVAL", ctx);
  }
}

/** What a worker loads ahead of an action's first task (see {@link warmUp}). */
export interface WarmSpec {
  format: string;
  readerModule?: { url: string; exportName: string } | undefined;
  /** Module URLs of the plan's `mapPartitions` functions. */
  modules: string[];
}

/**
 * Loads the reader and the plan's function modules of an action about to run, so that a worker
 * thread starts while the calling thread is still planning (its first task then finds them
 * loaded). Failures are ignored here: the task that needs the module reports them.
 */
export async function warmUp(spec: WarmSpec): Promise<void> {
  await Promise.all([
    resolveReader(spec.format, spec.readerModule?.url, spec.readerModule?.exportName).catch(() => undefined),
    ...spec.modules.map((m) => import(m).catch(() => undefined)),
  ]);
}

/** Decodes the partition, applies the ops and encodes the result with the task's `serialize` spec. */
export async function executeSerialized(task: PartitionTask): Promise<SerializedPart> {
  const batch = await executePartition(task);
  try {
    return await serializePartition(batch, task.serialize!);
  } catch (e) {
    throw asGlowtsError(e, "WRITE", { file: task.partition.path, record: task.partition.describe });
  }
}

/** Applies plan operations to a decoded batch. */
export async function applyOps(batch: VariantBatch, ops: PlanOp[]): Promise<VariantBatch> {
  let b = batch;
  for (const op of ops) {
    switch (op.op) {
      case "withColumn": {
        const c = evaluate(op.expr, b);
        b = { numRows: b.numRows, columns: { ...b.columns, [op.name]: c } };
        break;
      }
      case "select": {
        const columns: VariantBatch["columns"] = {};
        for (const it of op.items) {
          if (it.expr.op === "fn" && it.expr.name === "expandStruct") {
            const c = evaluate(it.expr.args[0]!, b);
            if (c.type !== "struct") throw new GlowtsError("TYPE", `expand_struct: expected a struct, got ${c.type}`);
            for (const [k, f] of Object.entries(c.fields)) columns[k] = f;
          } else columns[it.name] = evaluate(it.expr, b);
        }
        b = { numRows: b.numRows, columns };
        break;
      }
      case "drop": {
        const columns = { ...b.columns };
        for (const n of op.names) delete columns[n];
        b = { numRows: b.numRows, columns };
        break;
      }
      case "filter": {
        const idx = maskToIndices(evaluate(op.expr, b));
        if (idx.length !== b.numRows) b = takeBatch(b, idx);
        break;
      }
      case "limit":
        if (b.numRows > op.n) b = sliceBatch(b, 0, op.n);
        break;
      case "explode":
        b = explodeBatch(b, op);
        break;
      case "join":
        b = joinBatch(b, op);
        break;
      case "overlapJoin":
        b = overlapJoinBatch(b, op);
        break;
      case "orderBy":
        // reached only where the batch holds all rows (the frame runs orderBy on the calling thread)
        b = sortBatch(b, op.keys);
        break;
      case "aggregate":
        b = partialAggregate(b, op);
        break;
      case "mapPartitions": {
        let mod: Record<string, unknown>;
        try { mod = (await import(op.module)) as Record<string, unknown>; }
        catch (e) { throw new GlowtsError("MAP_PARTITIONS", `cannot import ${op.module}: ${(e as Error).message}`); }
        const fn = mod[op.exportName];
        if (typeof fn !== "function") throw new GlowtsError("MAP_PARTITIONS", `${op.module} has no function export '${op.exportName}'`);
        const out = (await (fn as (b: VariantBatch, a: unknown, c?: unknown) => unknown)(b, op.args, op.fused ? { fused: op.fused } : undefined)) as VariantBatch;
        if (!out || typeof out !== "object" || typeof out.numRows !== "number" || typeof out.columns !== "object") {
          throw new GlowtsError("MAP_PARTITIONS", `${op.module}#${op.exportName} must return a VariantBatch {numRows, columns}`);
        }
        b = out;
        break;
      }
    }
  }
  return b;
}
