/**
 * The worker pools (piscina) and the ordered, bounded scheduler that runs a plan's partitions.
 *
 * Partitions are submitted to the pool with at most `workers * inflightPerWorker` in flight; their
 * results are yielded in partition order. The first failure aborts the action's remaining tasks
 * (queued ones are dropped, running ones have their worker stopped) and rejects the action with
 * the worker's GlowtsError (file and record included).
 *
 * Workers that die (a user function calling `process.exit`, heap exhaustion under the
 * `workerHeapMb` cap) are replaced: the task they ran rejects with a GlowtsError naming its
 * partition, and the next task gets a fresh thread. Actions take an `AbortSignal` and a
 * `timeoutMs`; either stops the running workers (they are replaced) and rejects the action with a
 * GlowtsError naming the partition that was still running. Idle workers never keep node alive.
 */
import { Piscina } from "piscina";
import { GlowtsError, type GlowtsErrorContext } from "../core/errors.js";
import type { VariantBatch } from "../core/column.js";
import type { PartitionTask } from "../core/plan.js";
import { config, workerHeapCap } from "./config.js";
import { executePartition, executeSerialized, type WarmSpec } from "./execute.js";
import type { SerializedPart } from "../io/writers/part.js";
import type { ProgressCallback } from "./progress.js";
import type { WorkerReply } from "./worker.js";

/** How an action can be stopped from outside. */
export interface StopOptions {
  /** Stops the action when aborted: running workers are stopped and replaced, the action rejects with `ABORTED`. */
  signal?: AbortSignal | undefined;
  /** Stops the action after this many milliseconds (code `TIMEOUT`). */
  timeoutMs?: number | undefined;
}

/**
 * One action's stop switch: the caller's signal, its timeout and the action's own failure abort
 * the same controller, whose signal every task of the action carries.
 */
export class ActionStop {
  private readonly ac = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private readonly onOuter: (() => void) | undefined;
  /** Why the action was stopped from outside (undefined while running or after an internal abort). */
  cause: "timeout" | "signal" | undefined;

  constructor(private readonly caller: string, private readonly options: StopOptions = {}) {
    const { signal, timeoutMs } = options;
    if (timeoutMs !== undefined && !(typeof timeoutMs === "number" && timeoutMs > 0)) {
      throw new GlowtsError("OPTION", `${caller}: option 'timeoutMs' must be a positive number of milliseconds; got ${String(timeoutMs)}`, { option: "timeoutMs" });
    }
    if (signal) {
      if (signal.aborted) { this.cause = "signal"; this.ac.abort(); }
      else {
        this.onOuter = () => { this.cause ??= "signal"; this.ac.abort(); };
        signal.addEventListener("abort", this.onOuter, { once: true });
      }
    }
    if (timeoutMs !== undefined && !this.ac.signal.aborted) {
      this.timer = setTimeout(() => { this.cause ??= "timeout"; this.ac.abort(); }, timeoutMs);
    }
  }

  /** The signal given to every task of the action. */
  get signal(): AbortSignal { return this.ac.signal; }

  /** True when stopped from outside (signal or timeout). */
  get stopped(): boolean { return this.cause !== undefined; }

  /** Stops the action's remaining tasks (after a failure). */
  abort(): void { this.ac.abort(); }

  /** The error an outside stop rejects with, naming the partition (or group) still running. */
  error(what: string | undefined, context: GlowtsErrorContext = {}): GlowtsError {
    const at = what ? ` while ${what} was running` : "";
    if (this.cause === "timeout") {
      return new GlowtsError("TIMEOUT", `${this.caller} did not finish within timeoutMs = ${this.options.timeoutMs} ms${at}; its worker was stopped and replaced`, context);
    }
    const reason = this.options.signal?.reason;
    const why = reason instanceof Error ? reason.message : reason !== undefined ? String(reason) : "the signal was aborted";
    return new GlowtsError("ABORTED", `${this.caller} was aborted${at} (${why}); its worker was stopped and replaced`, context);
  }

  /** Rejects when the action is stopped from outside (for work on the calling thread). */
  race<T>(p: Promise<T>, what: string | undefined, context: GlowtsErrorContext): Promise<T> {
    if (this.stopped) return Promise.reject(this.error(what, context));
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => { if (this.stopped) reject(this.error(what, context)); };
      this.ac.signal.addEventListener("abort", onAbort, { once: true });
      p.then(resolve, reject).finally(() => this.ac.signal.removeEventListener("abort", onAbort));
    });
  }

  /** Releases the timer and the listener on the caller's signal. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.onOuter) this.options.signal?.removeEventListener("abort", this.onOuter);
  }
}

/** Node's message for a worker killed by its heap cap. */
function isOutOfMemory(e: unknown): boolean {
  const err = e as { code?: string; message?: string } | null;
  return err?.code === "ERR_WORKER_OUT_OF_MEMORY" || /out of memory/i.test(err?.message ?? "");
}

/**
 * A piscina pool of worker threads that survives its workers: dead workers are replaced, tasks
 * can be stopped, and every thread runs under a heap cap (`glow.config({ workerHeapMb })`).
 * Used by the partition engine and by GloWGR's fit workers.
 */
export class WorkerPool {
  private pool: Piscina | undefined;
  private size = 0;
  private heapMb = 0;
  private youngMb: number | undefined;

  /** @param filename URL of the worker module (its default export runs a task; it must export `ping`). */
  constructor(private readonly filename: string) {}

  private get(size: number): Piscina {
    const heapMb = workerHeapCap(size);
    const youngMb = config().workerYoungGenerationMb;
    if (this.pool && this.size === size && this.heapMb === heapMb && this.youngMb === youngMb) return this.pool;
    if (this.pool) void this.pool.destroy();
    this.pool = new Piscina({
      filename: this.filename,
      minThreads: 0,
      maxThreads: size,
      idleTimeout: 2000,
      resourceLimits: { maxOldGenerationSizeMb: heapMb, ...(youngMb !== undefined ? { maxYoungGenerationSizeMb: youngMb } : {}) },
    });
    // A worker that fails with no task (e.g. one stopped after its task was aborted) is only removed.
    this.pool.on("error", () => undefined);
    this.size = size;
    this.heapMb = heapMb;
    this.youngMb = youngMb;
    return this.pool;
  }

  /**
   * Runs one task on a pool of `size` threads. A worker that dies rejects with a GlowtsError
   * (`WORKER_EXIT`, `WORKER_OUT_OF_MEMORY`) carrying `context`; one stopped through `stop`
   * rejects with `stop.error(...)`. Either way the thread is replaced for the next task.
   */
  async run<R>(task: unknown, size: number, context: GlowtsErrorContext & { what?: string }, stop?: ActionStop, transferList?: ArrayBuffer[]): Promise<R> {
    try {
      return await this.runOnce<R>(task, size, context, stop, transferList);
    } catch (e) {
      // A task can land on a thread that piscina is still stopping (after another action's task was
      // aborted); it then fails with a worker exit it did not cause. Run it once more on a fresh
      // thread: a task that kills its worker itself (process.exit) fails again and is reported.
      if (!(e instanceof GlowtsError) || e.code !== "WORKER_EXIT" || stop?.signal.aborted || transferList) throw e;
      return this.runOnce<R>(task, size, context, stop, transferList);
    }
  }

  private async runOnce<R>(task: unknown, size: number, context: GlowtsErrorContext & { what?: string }, stop?: ActionStop, transferList?: ArrayBuffer[]): Promise<R> {
    const p = this.get(size);
    const { what, ...ctx } = context;
    try {
      return (await p.run(task, { ...(stop ? { signal: stop.signal } : {}), ...(transferList ? { transferList } : {}) })) as R;
    } catch (e) {
      if (e instanceof GlowtsError) throw e;
      const name = (e as Error | null)?.name;
      if (name === "AbortError" || stop?.signal.aborted) {
        if (stop?.stopped) throw stop.error(what, ctx);
        throw new GlowtsError("ABORTED", `${what ?? "task"} was cancelled after another task of the action failed`, ctx);
      }
      this.replaceDead(p);
      if (isOutOfMemory(e)) {
        const cap = `its heap cap of ${this.heapMb} MB, glow.config({ workerHeapMb })`;
        throw new GlowtsError("WORKER_OUT_OF_MEMORY", `the worker ran out of memory (${cap}) while ${what ?? "a task"} was running; the worker was replaced`, ctx);
      }
      const msg = (e as Error | null)?.message ?? String(e);
      if (/worker exited/i.test(msg)) {
        throw new GlowtsError("WORKER_EXIT", `${msg} while ${what ?? "a task"} was running (a user function called process.exit?); the worker was replaced`, ctx);
      }
      throw new GlowtsError("WORKER", `worker failed: ${msg}`, ctx);
    }
  }

  /**
   * After a worker died, piscina starts a new thread only when a task is submitted: if tasks are
   * queued (e.g. another action's) and no thread is left, a no-op task starts one.
   */
  private replaceDead(p: Piscina): void {
    if (this.pool !== p) return;
    if (p.queueSize > 0 || p.threads.length === 0) void p.run(null, { name: "ping" }).catch(() => undefined);
  }

  /**
   * Starts the pool's `size` threads now and has each load what `spec` names (one `warm` task per
   * thread; queued tasks of the action follow on the same threads). Failures are ignored.
   */
  warm(spec: WarmSpec, size: number): void {
    const p = this.get(size);
    for (let i = 0; i < size; i++) void p.run(spec, { name: "warm" }).catch(() => undefined);
  }

  /** The pool's threads (for tests and diagnostics). */
  get threads(): number { return this.pool?.threads.length ?? 0; }

  /** Stops the threads (they also stop by themselves after 2 s idle and never keep node alive). */
  async destroy(): Promise<void> {
    const p = this.pool;
    this.pool = undefined;
    this.size = 0;
    if (p) await p.destroy();
  }
}

const partitionPool = new WorkerPool(new URL("./worker.js", import.meta.url).href);

const shutdownHooks: (() => Promise<void> | void)[] = [];

/** Registers work to do on `glow.shutdown()` (other pools, e.g. GloWGR's fit workers). */
export function onShutdown(hook: () => Promise<void> | void): void {
  shutdownHooks.push(hook);
}

/** Stops the worker threads (they also stop by themselves after 2 s idle). */
export async function shutdown(): Promise<void> {
  await partitionPool.destroy();
  for (const h of shutdownHooks) await h();
}

/**
 * Starts the partition workers of an action that is about to run (`workers` threads) and has them
 * load its reader and function modules while the calling thread plans (reads headers, prepares
 * the GWAS state): the start-up of the threads overlaps the planning instead of following it.
 */
export function warmWorkers(workers: number, spec: WarmSpec): void {
  if (workers > 0) partitionPool.warm(spec, workers);
}

/** Number of live partition worker threads (for tests). */
export function partitionWorkerThreads(): number {
  return partitionPool.threads;
}

export interface RunOptions extends StopOptions {
  workers?: number | undefined;
  onProgress?: ProgressCallback | undefined;
  action?: string | undefined;
  /** Stop scheduling new partitions once this many rows were produced (for limit/head). */
  rowLimit?: number | undefined;
}

function partitionName(t: PartitionTask): string {
  return `partition #${t.partition.index ?? "?"} (${t.partition.describe})`;
}

/** Runs tasks and yields their batches in order. */
export function runTasks(tasks: PartitionTask[], options: RunOptions = {}): AsyncGenerator<VariantBatch> {
  return runOrdered(tasks, options, executePartition, (r) => r.batch);
}

/**
 * Runs tasks that carry a `serialize` spec and yields their encoded partitions in order (the bytes
 * are produced in the workers; at most `workers * inflightPerWorker` partitions are held at once).
 */
export function runSerializedTasks(tasks: PartitionTask[], options: RunOptions = {}): AsyncGenerator<SerializedPart> {
  return runOrdered(tasks, options, executeSerialized, (r) => r.part);
}

async function* runOrdered<R extends { numRows: number }>(
  tasks: PartitionTask[], options: RunOptions, local: (t: PartitionTask) => Promise<R>, pick: (r: WorkerReply) => R | undefined,
): AsyncGenerator<R> {
  const cfg = config();
  const workers = options.workers ?? cfg.workers;
  const action = options.action ?? "run";
  const stop = new ActionStop(action, options);
  const t0 = Date.now();
  let rows = 0;
  let done = 0;
  const report = (final: boolean): void => {
    options.onProgress?.({
      action,
      partitionsDone: done,
      partitionsTotal: tasks.length,
      rows,
      elapsedMs: Date.now() - t0,
      done: final,
    });
  };
  const ctx = (t: PartitionTask): GlowtsErrorContext => ({ file: t.partition.path, record: t.partition.describe });
  if (workers === 0 || tasks.length === 0) {
    try {
      for (const t of tasks) {
        if (options.rowLimit !== undefined && rows >= options.rowLimit) break;
        const b = await stop.race(local(t), partitionName(t), ctx(t));
        rows += b.numRows;
        done++;
        report(false);
        yield b;
      }
      report(true);
    } finally {
      stop.dispose();
    }
    return;
  }
  const maxInflight = Math.max(1, workers * Math.max(1, cfg.inflightPerWorker));
  const inflight: Promise<R>[] = [];
  let next = 0;
  let failed = false;
  const submit = (t: PartitionTask): Promise<R> => {
    const pr = partitionPool.run<WorkerReply>(t, workers, { ...ctx(t), what: partitionName(t) }, stop).then((reply) => {
      if (reply.error) throw GlowtsError.fromJSON(reply.error);
      const r = pick(reply);
      if (!r) throw new GlowtsError("WORKER", "worker returned no result", ctx(t));
      return r;
    });
    pr.catch(() => undefined); // handled where awaited; avoids unhandled-rejection crashes meanwhile
    return pr;
  };
  try {
    if (stop.stopped) throw stop.error(tasks[0] ? partitionName(tasks[0]) : undefined, tasks[0] ? ctx(tasks[0]) : {});
    while (next < tasks.length && inflight.length < maxInflight) inflight.push(submit(tasks[next++]!));
    while (inflight.length > 0) {
      const head = inflight.shift()!;
      let b: R;
      try {
        // Surface a failure of any in-flight task promptly, not only of the head.
        b = await Promise.race([head, ...inflight.map((q) => q.then(() => new Promise<never>(() => {})))]);
      } catch (e) {
        failed = true;
        throw e;
      }
      rows += b.numRows;
      done++;
      report(false);
      const limitReached = options.rowLimit !== undefined && rows >= options.rowLimit;
      if (!limitReached) while (next < tasks.length && inflight.length < maxInflight) inflight.push(submit(tasks[next++]!));
      yield b;
      if (stop.stopped) { failed = true; throw stop.error(undefined, {}); }
      if (limitReached) break;
    }
    report(true);
  } finally {
    // After a failure or a stop, the action's other tasks are dropped (queued) or stopped (running,
    // their workers replaced) so that none of them occupies the pool for the next action. After an
    // early stop of a successful action (limit reached), tasks in flight finish and are dropped.
    if (failed) stop.abort();
    for (const q of inflight) q.catch(() => undefined);
    stop.dispose();
  }
}
