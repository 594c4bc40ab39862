/**
 * The worker pool (piscina) and the ordered, bounded scheduler that runs a plan's partitions.
 *
 * Partitions are submitted to the pool with at most `workers * inflightPerWorker` in flight; their
 * results are yielded in partition order. The first failure aborts the remaining tasks and rejects
 * the action with the worker's GlowtsError (file and record included).
 */
import { Piscina } from "piscina";
import { GlowtsError } from "../core/errors.js";
import type { VariantBatch } from "../core/column.js";
import type { PartitionTask } from "../core/plan.js";
import { config } from "./config.js";
import { executePartition } from "./execute.js";
import type { ProgressCallback } from "./progress.js";
import type { WorkerReply } from "./worker.js";

let pool: Piscina | undefined;
let poolSize = 0;

function getPool(size: number): Piscina {
  if (pool && poolSize === size) return pool;
  if (pool) void pool.destroy();
  pool = new Piscina({
    filename: new URL("./worker.js", import.meta.url).href,
    minThreads: 0,
    maxThreads: size,
    idleTimeout: 2000,
  });
  poolSize = size;
  return pool;
}

const shutdownHooks: (() => Promise<void> | void)[] = [];

/** Registers work to do on `glow.shutdown()` (other pools, e.g. GloWGR's fit workers). */
export function onShutdown(hook: () => Promise<void> | void): void {
  shutdownHooks.push(hook);
}

/** Stops the worker threads (they also stop by themselves after 2 s idle). */
export async function shutdown(): Promise<void> {
  const p = pool;
  pool = undefined;
  poolSize = 0;
  if (p) await p.destroy();
  for (const h of shutdownHooks) await h();
}

export interface RunOptions {
  workers?: number | undefined;
  onProgress?: ProgressCallback | undefined;
  action?: string | undefined;
  /** Stop scheduling new partitions once this many rows were produced (for limit/head). */
  rowLimit?: number | undefined;
}

/** Runs tasks and yields their batches in order. */
export async function* runTasks(tasks: PartitionTask[], options: RunOptions = {}): AsyncGenerator<VariantBatch> {
  const cfg = config();
  const workers = options.workers ?? cfg.workers;
  const t0 = Date.now();
  let rows = 0;
  let done = 0;
  const report = (final: boolean): void => {
    options.onProgress?.({
      action: options.action ?? "run",
      partitionsDone: done,
      partitionsTotal: tasks.length,
      rows,
      elapsedMs: Date.now() - t0,
      done: final,
    });
  };
  if (workers === 0 || tasks.length === 0) {
    for (const t of tasks) {
      if (options.rowLimit !== undefined && rows >= options.rowLimit) break;
      const b = await executePartition(t);
      rows += b.numRows;
      done++;
      report(false);
      yield b;
    }
    report(true);
    return;
  }
  const p = getPool(workers);
  const maxInflight = Math.max(1, workers * Math.max(1, cfg.inflightPerWorker));
  const inflight: Promise<VariantBatch>[] = [];
  let next = 0;
  const submit = (t: PartitionTask): Promise<VariantBatch> => {
    const pr = (p.run(t) as Promise<WorkerReply>).then(
      (reply) => {
        if (reply.error) throw GlowtsError.fromJSON(reply.error);
        if (!reply.batch) throw new GlowtsError("WORKER", "worker returned no batch", { file: t.partition.path, record: t.partition.describe });
        return reply.batch;
      },
      (e: unknown) => {
        if (e instanceof GlowtsError) throw e;
        throw new GlowtsError("WORKER", `worker failed: ${(e as Error)?.message ?? String(e)}`, { file: t.partition.path, record: t.partition.describe });
      },
    );
    pr.catch(() => undefined); // handled where awaited; avoids unhandled-rejection crashes meanwhile
    return pr;
  };
  try {
    while (next < tasks.length && inflight.length < maxInflight) inflight.push(submit(tasks[next++]!));
    while (inflight.length > 0) {
      const head = inflight.shift()!;
      // Surface a failure of any in-flight task promptly, not only of the head.
      const b = await Promise.race([head, ...inflight.map((q) => q.then(() => new Promise<never>(() => {})))]);
      rows += b.numRows;
      done++;
      report(false);
      const limitReached = options.rowLimit !== undefined && rows >= options.rowLimit;
      if (!limitReached) while (next < tasks.length && inflight.length < maxInflight) inflight.push(submit(tasks[next++]!));
      yield b;
      if (limitReached) break;
    }
    report(true);
  } finally {
    // Tasks still in flight (after a failure or an early stop) run to completion and their results
    // are dropped: aborting running piscina tasks races with their replies.
    for (const q of inflight) q.catch(() => undefined);
  }
}
