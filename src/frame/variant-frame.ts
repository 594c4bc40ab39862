/**
 * The lazy, partitioned VariantFrame: `glow.read` returns one; transforms (`withColumn`, `select`,
 * `filter`, `limit`, `mapPartitions`) return new frames with a longer plan; actions (`count`,
 * `collect`, `head`, `toArrow`, `toDanfo`, `show`, iteration) run the plan partition by partition
 * on the worker pool.
 */
import { pathToFileURL } from "node:url";
import * as path from "node:path";
import type { Table } from "apache-arrow";
import { GlowtsError, asGlowtsError } from "../core/errors.js";
import type { DataType, Field, VariantBatch } from "../core/column.js";
import { concatBatches, getValue, sliceBatch } from "../core/column.js";
import type { ColLike, ExprNode } from "../core/expr.js";
import { Col, exprName, exprToString, toCol } from "../core/expr.js";
import { exprType } from "../engine/evaluate.js";
import { DeferredArgs, type PartitionTask, type PlanOp, type SourceNode } from "../core/plan.js";
import { physicalOps } from "./optimize.js";
import { registerMemorySource, type PartitionSource } from "../io/memory.js";
import type { AggregateOp, AggregateSpec, JoinTable, SortKey } from "../engine/operations.js";
import { AggregateCombiner, checkAggregate, explodeSchema, joinSchema } from "../engine/operations.js";
import { AggregateExpr, SortOrder } from "../core/sort-aggregate.js";
import { overlapJoinSchema } from "../engine/overlap-join.js";
import type { IntervalTable } from "../core/plan.js";
import { batchToText, schemaToText } from "./text.js";
import type { RegionHint, SourcePlan } from "../core/source.js";
import { externalReader, getReader } from "../io/registry.js";
import { config } from "../engine/config.js";
import { runSerializedTasks, runTasks, warmWorkers } from "../engine/pool.js";
import type { SerializedPart, SerializeSpec } from "../io/writers/part.js";
import type { WriteFormat } from "../io/writers/frame-writer.js";
import { applyOps, shareMeta } from "../engine/execute.js";
import type { ProgressCallback } from "../engine/progress.js";
import { progressFor } from "../engine/progress.js";

/** Options of every action. */
export interface ActionOptions {
  /** Worker threads for this action (0 = calling thread). @defaultValue glow.config().workers */
  workers?: number;
  /** A progress callback, or false to silence the default display. */
  onProgress?: ProgressCallback | boolean;
  /**
   * Stops the action when aborted: running workers are stopped (and replaced) and the action
   * rejects with a GlowtsError `ABORTED` naming the partition that was running.
   */
  signal?: AbortSignal;
  /** Stops the action after this many milliseconds (GlowtsError `TIMEOUT`, same handling). */
  timeoutMs?: number;
}

interface Resolved {
  plan: SourcePlan;
  /** The reader state in shared memory (made on first use). */
  shared?: { id: string; bytes: SharedArrayBuffer };
  options: Record<string, unknown>;
  region: RegionHint | undefined;
}

/** Options of {@link VariantFrame.mapPartitions}. */
export interface MapPartitionsOptions {
  /** A column the function computes itself when a `withColumn` of it comes right before. */
  fusable?: string;
}

/** A row as plain JS values (Glow's schema; longs as numbers). */
export type VariantRow = Record<string, unknown>;

export class VariantFrame {
  /** @internal */
  readonly source: SourceNode;
  /** @internal */
  readonly ops: readonly PlanOp[];
  private resolved: Promise<Resolved> | undefined;

  /** @internal Use `glow.read`. */
  constructor(source: SourceNode, ops: readonly PlanOp[] = [], resolved?: Promise<Resolved>) {
    this.source = source;
    this.ops = ops;
    this.resolved = resolved;
  }

  private with(op: PlanOp): VariantFrame {
    // The source plan (headers, partitions) can be shared unless the new op changes the pushdown region.
    const reuse = op.op !== "filter" ? this.resolved : undefined;
    return new VariantFrame(this.source, [...this.ops, op], reuse);
  }

  // ---------------------------------------------------------------- transforms

  /** Adds or replaces a column computed by an expression. */
  withColumn(name: string, expr: Col): VariantFrame {
    return this.with({ op: "withColumn", name, expr: expr.node });
  }

  /** Keeps the given columns or expressions (named by `alias` or Spark's naming). */
  select(...cols: (ColLike | ColLike[])[]): VariantFrame {
    const flat = cols.flat();
    if (flat.length === 0) throw new GlowtsError("OPTION", "select: give at least one column");
    return this.with({ op: "select", items: flat.map((c) => { const e = toCol(c); return { name: exprName(e.node), expr: e.node }; }) });
  }

  /** Removes columns. */
  drop(...names: string[]): VariantFrame {
    return this.with({ op: "drop", names });
  }

  /** Keeps rows where the condition is true (null counts as false). */
  filter(condition: Col): VariantFrame {
    return this.with({ op: "filter", expr: condition.node });
  }

  /** Alias of {@link VariantFrame.filter} (Spark's `where`). */
  where(condition: Col): VariantFrame {
    return this.filter(condition);
  }

  /** The first `n` rows. */
  limit(n: number): VariantFrame {
    if (!Number.isInteger(n) || n < 0) throw new GlowtsError("OPTION", `limit: n must be a non-negative integer, got ${n}`);
    return this.with({ op: "limit", n });
  }

  /**
   * Runs a user function over each partition in the workers (Glow's mapInPandas analogue).
   * The function is `export function name(batch: VariantBatch, args): VariantBatch` in an ES module;
   * when the module also exports `nameSchema(schema: Field[], args): Field[] | null`, `schema()`
   * uses it to describe the output.
   * @param modulePath path (relative to the working directory) or URL of the module
   * @param exportName the exported function's name @defaultValue "default"
   * @param args plain data passed as the second argument, or a function computing it (called once,
   *   on the calling thread, when the first action runs; its error rejects the action)
   * @param options `fusable`: a column the function can compute itself; a `withColumn` of it
   *   right before is then handed to the function as its third argument `{ fused: {name, expr} }`
   *   instead of being evaluated (see `optimize.ts`)
   */
  mapPartitions(modulePath: string, exportName = "default", args: unknown = null, options: MapPartitionsOptions = {}): VariantFrame {
    const url = /^[a-z]+:/i.test(modulePath) ? modulePath : pathToFileURL(path.resolve(modulePath)).href;
    const a = typeof args === "function" ? new DeferredArgs(args as () => unknown) : args;
    return this.with({ op: "mapPartitions", module: url, exportName, args: a, ...(options.fusable !== undefined ? { fusable: options.fusable } : {}) });
  }

  /**
   * A frame over batches already in memory, or produced by any object with `partitions()` (each
   * batch is one partition) and optionally `sampleIds()`. The batches are read when the frame is
   * first planned (on the first action).
   */
  static fromPartitions(source: PartitionSource): VariantFrame {
    return new VariantFrame({ format: "memory", paths: ["(memory)"], options: { id: registerMemorySource(source) } });
  }

  /**
   * One row per element of an array column (Spark's `explode`; rows with a null or empty array are
   * dropped), the other columns repeated. Exploding `genotypes` gives one row per (variant, sample)
   * with a struct of `sampleId` and the genotype fields. Lazy, per partition: memory grows with
   * the partition's rows × elements.
   * @param column the array (or genotypes) column
   * @param as the name of the element column @defaultValue column
   */
  explode(column: string, as: string = column): VariantFrame {
    return this.with({ op: "explode", column, as });
  }

  /**
   * Joins each row with the rows of a danfo DataFrame (a broadcast hash join: the table is sent to
   * every worker, so it should be small — a phenotype or annotation table; memory: the table once
   * per worker). The key is the frame's column `on` and the table's column of the same name, or its
   * index when it has none. Lazy.
   * @param how `inner` keeps matching rows, `left` every row (nulls where nothing matches) @defaultValue "inner"
   */
  join(table: DanfoLike, on: string, how: "inner" | "left" = "inner"): VariantFrame {
    if (how !== "inner" && how !== "left") throw new GlowtsError("OPTION", `join: how must be 'inner' or 'left', got '${String(how)}'`, { option: "how" });
    return this.with({ op: "join", on, how, table: danfoToJoinTable(table, on) });
  }

  /**
   * Glow's `left_overlap_join` (`how: "left"`) or `left_semi_overlap_join` (`how: "semi"`) with an
   * interval table (a danfo DataFrame, broadcast to the workers; or a frame, collected once with
   * `toDanfo` when the first action runs, so its arrays arrive as JSON text): a row matches an interval when the
   * contigs are equal and `start < right.end && right.start < end` (half-open). Left rows appear
   * once per overlapping interval, with nulls when none (semi: once, without the table's columns).
   * Options name the columns: `leftContig`/`leftStart`/`leftEnd` (default `contigName`, `start`,
   * `end`) and `rightContig`/`rightStart`/`rightEnd` (same defaults).
   */
  overlapJoin(table: DanfoLike | VariantFrame, how: "left" | "semi" = "left", options: Record<string, string> = {}): VariantFrame {
    if (how !== "left" && how !== "semi") throw new GlowtsError("OPTION", `overlapJoin: how must be 'left' or 'semi', got '${String(how)}'`, { option: "how" });
    const o = { leftContig: "contigName", leftStart: "start", leftEnd: "end", rightContig: "contigName", rightStart: "start", rightEnd: "end", ...options };
    if (table instanceof VariantFrame) {
      // A frame on the right is collected (as toDanfo: arrays as JSON text) once, when the first action runs.
      const right = table;
      const deferred = new DeferredArgs(async () => intervalTableOf((await right.toDanfo({ onProgress: false })) as unknown as DanfoLike, o));
      return this.with({ op: "overlapJoin", how, leftContig: o.leftContig, leftStart: o.leftStart, leftEnd: o.leftEnd, table: deferred });
    }
    return this.with({ op: "overlapJoin", how, leftContig: o.leftContig, leftStart: o.leftStart, leftEnd: o.leftEnd, table: intervalTableOf(table, o) });
  }

  /**
   * Sorts the rows (Spark's `orderBy`; `glow.functions.desc(col)` for descending). A sort needs
   * every row: the plan up to here runs on the workers, the rows are gathered on the calling
   * thread (memory: all rows of the frame at this point), sorted, and the rest of the plan runs
   * there. Stable; nulls first ascending and last descending.
   */
  orderBy(...keys: (ColLike | SortOrder)[]): VariantFrame {
    if (keys.length === 0) throw new GlowtsError("OPTION", "orderBy: give at least one column");
    const sk: SortKey[] = keys.map((k) => (k instanceof SortOrder ? { expr: k.col.node, ascending: k.ascending } : { expr: toCol(k).node, ascending: true }));
    return this.with({ op: "orderBy", keys: sk });
  }

  /** Alias of {@link VariantFrame.orderBy}. */
  sort(...keys: (ColLike | SortOrder)[]): VariantFrame { return this.orderBy(...keys); }

  /**
   * Groups rows by key columns for {@link GroupedFrame.agg} (Spark's `groupBy`). The aggregation
   * runs as partial aggregates in the workers, combined on the calling thread: memory is one
   * accumulator per group, not the rows.
   */
  groupBy(...keys: ColLike[]): GroupedFrame {
    return new GroupedFrame(this, keys.map((k) => toCol(k)));
  }

  /** @internal Runs an aggregate op: partials in the workers, combined here. */
  async runAggregate(op: AggregateOp, options: ActionOptions = {}): Promise<AggregateCombiner> {
    const frame = new VariantFrame(this.source, [...this.ops, op], this.resolved);
    const comb = new AggregateCombiner(op);
    for await (const b of frame.partitions({ ...options, action: "aggregate" })) comb.add(b);
    return comb;
  }

  /**
   * @internal Sample QC aggregate (`glow.functions.sampleCallSummaryStats` & co.): one row per sample
   * as a danfo DataFrame indexed by sample id. Memory: one accumulator per sample.
   */
  async sampleAggregate(op: AggregateOp, finish: (p: VariantBatch) => Record<string, ArrayLike<number> | (string | null)[]>, options: ActionOptions = {}): Promise<import("danfojs").DataFrame> {
    const comb = await this.runAggregate(op, options);
    const p = comb.samplePartial();
    if (!p || p.numRows === 0) throw new GlowtsError("EMPTY", "sample QC: the frame has no genotypes");
    const cols = finish(p);
    const ids = cols["sampleId"] as (string | null)[];
    const index = ids.map((id, i) => id ?? `sample_${i + 1}`);
    const data: Record<string, unknown[]> = {};
    for (const [k, v] of Object.entries(cols)) if (k !== "sampleId") data[k] = Array.from(v as ArrayLike<number>);
    const dfd = await import("danfojs");
    return new dfd.DataFrame(data, { index });
  }

  // ---------------------------------------------------------------- planning

  private resolve(): Promise<Resolved> {
    if (!this.resolved) {
      const reader = getReader(this.source.format);
      const region = regionHint(this.ops);
      this.resolved = (async () => {
        const options = reader.normalizeOptions({ ...this.source.options });
        const cfg = config();
        const plan = await reader.plan(this.source.paths, options, {
          region,
          variantsPerPartition: cfg.variantsPerPartition,
          bytesPerPartition: cfg.bytesPerPartition,
        });
        plan.partitions.forEach((p, i) => (p.index = i));
        return { plan, options, region };
      })();
      this.resolved.catch(() => undefined);
    }
    return this.resolved;
  }

  /** The output schema (reads file headers, not data). */
  async schema(): Promise<Field[]> {
    const { plan } = await this.resolve();
    let schema = plan.schema;
    for (const op of this.ops) {
      switch (op.op) {
        case "withColumn": {
          const t = exprType(op.expr, schema);
          const i = schema.findIndex((f) => f.name === op.name);
          schema = i >= 0 ? schema.map((f, j) => (j === i ? { name: op.name, type: t } : f)) : [...schema, { name: op.name, type: t }];
          break;
        }
        case "select": {
          const next: Field[] = [];
          for (const it of op.items) {
            const t = exprType(it.expr, schema);
            if (it.expr.op === "fn" && it.expr.name === "expandStruct" && typeof t === "object" && "struct" in t) next.push(...t.struct);
            else next.push({ name: it.name, type: t });
          }
          schema = next;
          break;
        }
        case "drop":
          schema = schema.filter((f) => !op.names.includes(f.name));
          break;
        case "filter":
          exprType(op.expr, schema);
          break;
        case "explode":
          schema = explodeSchema(schema, op);
          break;
        case "join":
          schema = joinSchema(schema, op);
          break;
        case "overlapJoin":
          schema = overlapJoinSchema(schema, op.table instanceof DeferredArgs ? { ...op, table: (await op.table.resolve()) as IntervalTable } : { ...op, table: op.table });
          break;
        case "orderBy":
          op.keys.forEach((k) => exprType(k.expr, schema));
          break;
        case "aggregate":
          checkAggregate(schema, op);
          break;
        case "mapPartitions": {
          // A module may describe its output: `export function <exportName>Schema(schema, args): Field[] | null`.
          const mod = (await import(op.module).catch(() => ({}))) as Record<string, unknown>;
          const describe = mod[`${op.exportName}Schema`];
          const next = typeof describe === "function" ? (describe as (s: Field[], a: unknown) => Field[] | null)(schema, op.args) : null;
          if (!next) return schema.concat([{ name: "(schema after mapPartitions is known only at run time)", type: "string" as DataType }]);
          schema = next;
          break;
        }
        default:
          break;
      }
    }
    return schema;
  }

  /** Sample ids of the source, in genotype order (null when the source has none). */
  async sampleIds(): Promise<string[] | null> {
    return (await this.resolve()).plan.sampleIds;
  }

  /** Number of partitions the source is cut into. */
  async numPartitions(): Promise<number> {
    return (await this.resolve()).plan.partitions.length;
  }

  /** Prints the plan and the partitions, as Glow's `explain()` (prints once; returns nothing). */
  explain(): Promise<void>;
  /** The text {@link explain} prints, without printing it (`print` = false). */
  explain(print: false): Promise<string>;
  explain(print?: boolean): Promise<string | void>;
  async explain(print = true): Promise<string | void> {
    const { plan, region } = await this.resolve();
    const lines: string[] = ["== glowts plan =="];
    const ops = [...this.ops].reverse();
    let depth = 0;
    for (const op of ops) lines.push(`${"  ".repeat(depth++)}${describeOp(op)}`);
    lines.push(`${"  ".repeat(depth)}Scan ${this.source.format} [${this.source.paths.length} file(s): ${this.source.paths.slice(0, 3).join(", ")}${this.source.paths.length > 3 ? ", …" : ""}]`
      + (region ? ` pushed region ${JSON.stringify(region)}` : ""));
    lines.push("", `== partitions (${plan.partitions.length}) ==`);
    for (const p of plan.partitions.slice(0, 20)) lines.push(`  #${p.index}: ${displayPath(p.path)} ${p.describe}`);
    if (plan.partitions.length > 20) lines.push(`  … ${plan.partitions.length - 20} more`);
    lines.push("", `== samples: ${plan.sampleIds ? plan.sampleIds.length : "none"}; workers: ${config().workers} ==`);
    const text = lines.join("\n");
    if (!print) return text;
    console.log(text);
  }

  // ---------------------------------------------------------------- actions

  /**
   * One task per partition of the plan, running `ops` (after the optimizer's rules) in the workers;
   * JSON-able reader state goes once into shared memory instead of being cloned into every task.
   */
  private async tasksFor(ops: readonly PlanOp[], workersOption: number | undefined, extra: Partial<PartitionTask>): Promise<PartitionTask[]> {
    const workers = workersOption ?? config().workers;
    const ext = externalReader(this.source.format);
    // the worker threads start (and load the reader and the plan's functions) while this thread plans
    warmWorkers(workers, {
      format: this.source.format,
      readerModule: ext ? { url: ext.moduleUrl, exportName: ext.exportName } : undefined,
      modules: [...new Set(ops.flatMap((op) => (op.op === "mapPartitions" ? [op.module] : [])))],
    });
    const resolved = await this.resolve();
    const { plan, options: readerOptions } = resolved;
    let sharedMeta: Resolved["shared"];
    if (workers > 0 && plan.partitions.length > 1 && isJsonSafe(plan.meta)) sharedMeta = resolved.shared ??= shareMeta(plan.meta);
    const physical = await physicalOps(ops);
    return plan.partitions.map((partition) => ({
      format: this.source.format,
      options: readerOptions,
      partition,
      meta: sharedMeta ? undefined : plan.meta,
      sharedMeta,
      ops: physical,
      readerModule: ext ? { url: ext.moduleUrl, exportName: ext.exportName } : undefined,
      ...extra,
    }));
  }

  /**
   * Iterates over the partitions' batches, in order, running the plan on the worker pool.
   *
   * `limit(n)` is global (Spark's semantics): the operations before the first limit run in the
   * workers (each partition keeps at most n rows), the first n rows in partition order are kept,
   * and the operations after the limit run on those rows on the calling thread.
   */
  async *partitions(options: ActionOptions & { action?: string } = {}): AsyncGenerator<VariantBatch> {
    const cut = barrierIndex(this.ops);
    if (cut >= 0) {
      // Everything before the barrier runs on the pool; the rows are gathered here and the rest
      // of the plan (the sort, or what follows a global limit) runs on this thread.
      const before = new VariantFrame(this.source, this.ops.slice(0, cut));
      const parts: VariantBatch[] = [];
      // (the rows are needed after the barrier, so not a count-only run)
      for await (const b of before.partitions({ ...options, action: options.action === "count" ? "collect" : options.action })) parts.push(b);
      if (parts.length === 0) return;
      yield await applyOps(concatBatches(parts), await physicalOps(this.ops.slice(cut)));
      return;
    }
    const li = this.ops.findIndex((op) => op.op === "limit");
    const limitOp = li >= 0 ? (this.ops[li] as Extract<PlanOp, { op: "limit" }>) : undefined;
    // Before the first limit everything runs in the workers, and each partition keeps at most n rows.
    const tasks = await this.tasksFor(li >= 0 ? this.ops.slice(0, li + 1) : this.ops, options.workers, {
      // count(): the workers send back counts only, unless rows must continue on this thread
      countOnly: options.action === "count" && (li < 0 || li === this.ops.length - 1) ? true : undefined,
    });
    const onProgress = progressFor(options.action ?? "partitions", options.onProgress, config().progress);
    const stream = runTasks(tasks, {
      workers: options.workers, onProgress, action: options.action, rowLimit: limitOp?.n,
      signal: options.signal, timeoutMs: options.timeoutMs,
    });
    if (!limitOp) { yield* stream; return; }
    yield* globalLimit(stream, limitOp.n, this.ops.slice(li + 1));
  }

  /** `for await (const batch of frame)` iterates over partition batches. */
  [Symbol.asyncIterator](): AsyncGenerator<VariantBatch> {
    return this.partitions();
  }

  /** Number of rows. */
  async count(options: ActionOptions = {}): Promise<number> {
    let n = 0;
    for await (const b of this.partitions({ ...options, action: "count" })) n += b.numRows;
    return n;
  }

  /** All rows as one columnar batch. */
  async collectBatch(options: ActionOptions = {}): Promise<VariantBatch> {
    const parts: VariantBatch[] = [];
    for await (const b of this.partitions({ ...options, action: options.onProgress ? "collect" : "collect" })) parts.push(b);
    if (parts.length === 0) return { numRows: 0, columns: {} };
    return concatBatches(parts);
  }

  /** All rows as plain objects. */
  async collect(options: ActionOptions = {}): Promise<VariantRow[]> {
    const rows: VariantRow[] = [];
    for await (const b of this.partitions({ ...options, action: "collect" })) rows.push(...batchRows(b));
    return rows;
  }

  /** The first `n` rows as plain objects. @defaultValue n = 1 */
  async head(n = 1, options: ActionOptions = {}): Promise<VariantRow[]> {
    return this.limit(n).collect(options);
  }

  /** The rows as an Apache Arrow Table (Glow's schema; genotypes as list<struct>). */
  async toArrow(options: ActionOptions = {}): Promise<Table> {
    const parts: VariantBatch[] = [];
    for await (const b of this.partitions({ ...options, action: "toArrow" })) parts.push(b);
    if (parts.length === 0) throw new GlowtsError("EMPTY", "toArrow: the frame has no partitions");
    // loaded here: apache-arrow costs ≈ 20 MB of memory to a program that never converts
    const { batchesToArrow } = await import("./arrow.js");
    return batchesToArrow(parts);
  }

  /**
   * The rows as a danfo DataFrame with flattened columns: ids, alleles and contig names as strings,
   * numbers with missing values as NaN, structs as `struct.field`, arrays as JSON text (numeric arrays
   * longer than 16 as `[n values]`), the genotypes as `genotypes.nSamples` (see `src/frame/danfo.ts`).
   * Intended for looking at variant-level data.
   */
  async toDanfo(options: ActionOptions = {}): Promise<import("danfojs").DataFrame> {
    const { batchToDanfo } = await import("./danfo.js");
    return batchToDanfo(await this.collectBatch(options));
  }

  /**
   * Writes the rows in one of Glow's formats, partition by partition (each partition is encoded in
   * a worker and appended in order; memory does not grow with the number of rows). The output
   * appears only when complete; on failure nothing is left behind.
   *
   * - `vcf`: Glow's sharded writer, a folder with one VCF per partition (`part-00000.vcf[.gz]`);
   *   options `compression` (none | gzip | bgzf), `vcfHeader` ('infer' | header text | a VCF path),
   *   `sampleIds`.
   * - `bigvcf`: one VCF; compression from the extension (`.gz`/`.bgz`: BGZF) or `compression`;
   *   `tabixIndex: true` also writes `<path>.tbi`.
   * - `bgen` (alias `bigbgen`): one BGEN 1.2 file, layout 2; `bitsPerProbability` (16; 8/16/32),
   *   `compression` ('zlib' | 'zstd'), `bgenIndex: true` also writes `<path>.bgi`,
   *   `maximumInferredPloidy` (10), `defaultInferredPloidy` (2), `defaultInferredPhasing` (false).
   * - `plink`: `<prefix>.bed/.bim/.fam` from the `calls` (path is the prefix or the `.bed` path).
   * - `parquet`: Glow's schema (genotypes included), one row group per partition.
   * - `tsv`: delimited text (`delimiter`, `header`, `nullValue`, `precision`, `splitBy`).
   *
   * @returns the number of rows written
   */
  async write(format: WriteFormat, path: string, options: Record<string, unknown> & ActionOptions = {}): Promise<number> {
    const { writeFrame } = await import("../io/writers/frame-writer.js");
    return writeFrame(this, format, path, options as Record<string, unknown>);
  }

  /** @internal Runs the plan with an encoder in the workers (`frame.write`). */
  async *serializedPartitions(spec: SerializeSpec, options: ActionOptions & { action?: string } = {}): AsyncGenerator<SerializedPart> {
    if (this.ops.some((op) => op.op === "limit") || barrierIndex(this.ops) >= 0) {
      // A global row limit or a barrier (sort, aggregation, join) runs on the calling thread: encode there too.
      const { serializePartition } = await import("../io/writers/part.js");
      for await (const b of this.partitions(options)) yield await serializePartition(b, spec);
      return;
    }
    const tasks = await this.tasksFor(this.ops, options.workers, { serialize: spec });
    const onProgress = progressFor(options.action ?? "write", options.onProgress, config().progress);
    yield* runSerializedTasks(tasks, { workers: options.workers, onProgress, action: options.action });
  }

  /** Prints the first `n` rows as a text table, as Glow's `show()` (prints once; returns nothing). */
  show(n?: number): Promise<void>;
  /** The text {@link show} prints, without printing it (`print` = false). */
  show(n: number, print: false): Promise<string>;
  show(n?: number, print?: boolean): Promise<string | void>;
  async show(n = 20, print = true): Promise<string | void> {
    const b = await this.limit(n).collectBatch({ onProgress: false });
    const text = b.numRows === 0 && Object.keys(b.columns).length === 0 ? "(no rows)" : batchToText(b, n);
    if (!print) return text;
    console.log(text);
  }

  /** Prints the schema Spark-style, as Glow's `printSchema()` (prints once; returns nothing). */
  printSchema(): Promise<void>;
  /** The text {@link printSchema} prints, without printing it (`print` = false). */
  printSchema(print: false): Promise<string>;
  printSchema(print?: boolean): Promise<string | void>;
  async printSchema(print = true): Promise<string | void> {
    const text = schemaToText(await this.schema());
    if (!print) return text;
    console.log(text);
  }

  toString(): string {
    return `VariantFrame(${this.source.format}: ${this.source.paths.join(", ")}${this.ops.length ? `; ${this.ops.map(describeOp).join(" → ")}` : ""})`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/** The part of a danfo DataFrame `join` reads. */
export interface DanfoLike {
  columns: string[];
  index: (string | number)[];
  dtypes: string[];
  column(name: string): { values: unknown[] };
}

/** The intervals and other columns of a danfo interval table (right side of an overlap join). */
function intervalTableOf(table: DanfoLike, o: { rightContig: string; rightStart: string; rightEnd: string }): IntervalTable {
  for (const n of [o.rightContig, o.rightStart, o.rightEnd]) {
    if (!table.columns.includes(n)) throw new GlowtsError("COLUMN", `overlapJoin: the interval table has no column '${n}'; columns: ${table.columns.join(", ")}`);
  }
  const vals = (n: string) => (table.column(n).values as unknown[]).map((v) => (v === undefined || v === null ? null : v));
  const interval = new Set([o.rightContig, o.rightStart, o.rightEnd]);
  const all = danfoToJoinTable(table, o.rightContig);
  return {
    contig: vals(o.rightContig).map((v) => (v === null ? null : String(v))),
    start: vals(o.rightStart).map((v) => (v === null ? null : Number(v))),
    end: vals(o.rightEnd).map((v) => (v === null ? null : Number(v))),
    columns: all.columns.filter((c) => !interval.has(c.name)),
  };
}

function danfoToJoinTable(t: DanfoLike, on: string): JoinTable {
  const names = t.columns;
  const keyCol = names.includes(on) ? (t.column(on).values as (string | number | null)[]) : t.index.map((x) => x);
  const columns: JoinTable["columns"] = [];
  names.forEach((name, i) => {
    if (name === on) return;
    const dt = t.dtypes[i] ?? "string";
    const values = t.column(name).values as (string | number | boolean | null)[];
    const type = dt === "string" ? "string" : dt === "boolean" ? "boolean" : "double";
    columns.push({ name, type, values: values.map((v) => (v === undefined ? null : v)) });
  });
  return { keys: keyCol.map((k) => (k === undefined ? null : k)), columns };
}

/**
 * The grouped rows of {@link VariantFrame.groupBy}; `agg` runs the aggregation (an action: its
 * result has one row per group, so it comes back as a danfo DataFrame).
 */
export class GroupedFrame {
  constructor(private readonly frame: VariantFrame, private readonly keys: Col[]) {}

  /**
   * Aggregates each group with `glow.functions.count()`, `count(col)`, `sum(col)`, `mean(col)`:
   * one row per group (in order of first appearance), the key columns then the aggregates (named
   * Spark-style, `count`, `sum(x)`, `avg(x)`, or by `.alias`). Memory: one accumulator per group.
   */
  async agg(...aggs: AggregateExpr[]): Promise<import("danfojs").DataFrame> {
    if (aggs.length === 0) throw new GlowtsError("OPTION", "agg: give at least one aggregate (glow.functions.count/sum/mean)");
    const op: AggregateOp = { op: "aggregate", kind: "groupBy", keys: this.keys.map((k) => k.node), keyNames: this.keys.map((k) => k.name), aggs: aggs.map((a) => a.spec) };
    const comb = await this.frame.runAggregate(op);
    const dfd = await import("danfojs");
    return new dfd.DataFrame(comb.groupColumns());
  }

  /** Rows per group (Spark's `groupBy().count()`). */
  async count(): Promise<import("danfojs").DataFrame> {
    return this.agg(new AggregateExpr({ fn: "count", name: "count" }));
  }
}

/** True when a value survives JSON unchanged (no typed arrays, Maps, undefined, non-finite numbers). */
function isJsonSafe(v: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (v === null || typeof v === "string" || typeof v === "boolean") return true;
  if (typeof v === "number") return Number.isFinite(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!isJsonSafe(v[i], depth + 1)) return false;
    return true;
  }
  if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    for (const x of Object.values(v as Record<string, unknown>)) if (x === undefined || !isJsonSafe(x, depth + 1)) return false;
    return true;
  }
  return false;
}

/** Plain-object rows of a batch. */
export function batchRows(b: VariantBatch): VariantRow[] {
  const names = Object.keys(b.columns);
  const rows: VariantRow[] = new Array(b.numRows);
  for (let i = 0; i < b.numRows; i++) {
    const r: VariantRow = {};
    for (const k of names) r[k] = getValue(b.columns[k]!, i);
    rows[i] = r;
  }
  return rows;
}

/** A path as explain() prints it: relative to the working folder when inside it. */
function displayPath(p: string): string {
  if (!path.isAbsolute(p)) return p;
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith("..") && !path.isAbsolute(r) ? r : p;
}

function describeOp(op: PlanOp): string {
  switch (op.op) {
    case "withColumn": return `WithColumn ${op.name} = ${exprToString(op.expr)}`;
    case "select": return `Select ${op.items.map((i) => {
      const e = exprToString(i.expr);
      return e === i.name || e.endsWith(` AS ${i.name}`) ? e : `${e} AS ${i.name}`;
    }).join(", ")}`;
    case "drop": return `Drop ${op.names.join(", ")}`;
    case "filter": return `Filter ${exprToString(op.expr)}`;
    case "limit": return `Limit ${op.n}`;
    case "mapPartitions": return `MapPartitions ${op.module}#${op.exportName}`;
    case "explode": return `Explode ${op.column}${op.as !== op.column ? ` AS ${op.as}` : ""}`;
    case "join": return `BroadcastJoin ${op.how} on ${op.on} (${op.table.keys.length} rows: ${op.table.columns.map((c) => c.name).join(", ")})`;
    case "orderBy": return `OrderBy ${op.keys.map((k) => `${exprToString(k.expr)} ${k.ascending ? "ASC" : "DESC"}`).join(", ")} (on the calling thread)`;
    case "aggregate": return `Aggregate ${op.kind}`;
    case "overlapJoin": return `OverlapJoin ${op.how} on ${op.leftContig}, [${op.leftStart}, ${op.leftEnd}) (${op.table instanceof DeferredArgs ? "a frame, collected when an action runs" : `${op.table.contig.length} intervals`})`;
  }
}

/**
 * Where the plan stops being per-partition: at an `orderBy`, or at a row-changing op (explode,
 * join, aggregate, orderBy) after a `limit` (whose cap is global). -1 when there is none.
 */
function barrierIndex(ops: readonly PlanOp[]): number {
  let limited = false;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!.op;
    if (op === "orderBy") return i;
    if (op === "limit") limited = true;
    else if (limited && (op === "explode" || op === "join" || op === "overlapJoin" || op === "aggregate")) return i;
  }
  return -1;
}

/**
 * The first `n` rows of `source` (in order), then `rest` applied to them on the calling thread; a
 * later limit in `rest` is again global.
 */
async function* globalLimit(source: AsyncGenerator<VariantBatch>, n: number, rest: readonly PlanOp[]): AsyncGenerator<VariantBatch> {
  const j = rest.findIndex((op) => op.op === "limit");
  const segment = j >= 0 ? rest.slice(0, j) : rest;
  async function* first(): AsyncGenerator<VariantBatch> {
    let produced = 0;
    if (n === 0) { await source.return(undefined); return; }
    for await (const b of source) {
      if (produced + b.numRows >= n) {
        yield produced + b.numRows > n ? sliceBatch(b, 0, n - produced) : b;
        return; // ends the source: no more partitions are scheduled
      }
      produced += b.numRows;
      yield b;
    }
  }
  async function* mapped(): AsyncGenerator<VariantBatch> {
    for await (const b of first()) {
      if (segment.length === 0) { yield b; continue; }
      try {
        yield await applyOps(b, await physicalOps(segment));
      } catch (e) {
        throw asGlowtsError(e, "EVAL");
      }
    }
  }
  if (j < 0) { yield* mapped(); return; }
  yield* globalLimit(mapped(), (rest[j] as Extract<PlanOp, { op: "limit" }>).n, rest.slice(j + 1));
}

/** Extracts a contig/start/end region from the leading filters (before columns are redefined). */
export function regionHint(ops: readonly PlanOp[]): RegionHint | undefined {
  const region: RegionHint = {};
  let any = false;
  for (const op of ops) {
    if (op.op === "filter") {
      for (const c of conjuncts(op.expr)) if (applyConjunct(c, region)) any = true;
    } else if (op.op === "withColumn") {
      if (["contigName", "start", "end"].includes(op.name)) break;
    } else if (op.op === "select" || op.op === "mapPartitions" || op.op === "drop" || op.op === "limit") break;
  }
  return any ? region : undefined;
}

function conjuncts(e: ExprNode): ExprNode[] {
  if (e.op === "bool" && e.bool === "and") return [...conjuncts(e.left), ...conjuncts(e.right)];
  return [e];
}

function applyConjunct(e: ExprNode, r: RegionHint): boolean {
  if (e.op !== "cmp") return false;
  let { left, right, cmp } = e;
  if (left.op === "lit" && right.op === "col") {
    [left, right] = [right, left];
    cmp = ({ "<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!=" } as const)[cmp];
  }
  if (left.op !== "col" || right.op !== "lit") return false;
  const v = right.value;
  if (left.name === "contigName" && cmp === "==" && typeof v === "string") { r.contigName = v; return true; }
  if (typeof v !== "number") return false;
  if (left.name === "start") {
    if (cmp === "<") { r.end = Math.min(r.end ?? Infinity, v); return true; }
    if (cmp === "<=") { r.end = Math.min(r.end ?? Infinity, v + 1); return true; }
    if (cmp === "==") { r.end = Math.min(r.end ?? Infinity, v + 1); r.start = Math.max(r.start ?? -Infinity, v); return true; }
    if (cmp === ">" || cmp === ">=") { r.start = Math.max(r.start ?? -Infinity, cmp === ">" ? v + 1 : v); return true; }
  }
  if (left.name === "end") {
    if (cmp === ">") { r.start = Math.max(r.start ?? -Infinity, v); return true; }
    if (cmp === ">=") { r.start = Math.max(r.start ?? -Infinity, v - 1); return true; }
  }
  return false;
}
