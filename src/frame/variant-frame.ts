/**
 * The lazy, partitioned VariantFrame: `glow.read` returns one; transforms (`withColumn`, `select`,
 * `filter`, `limit`, `mapPartitions`) return new frames with a longer plan; actions (`count`,
 * `collect`, `head`, `toArrow`, `toDanfo`, `show`, iteration) run the plan partition by partition
 * on the worker pool.
 */
import { pathToFileURL } from "node:url";
import * as path from "node:path";
import type { Table } from "apache-arrow";
import { GlowtsError } from "../core/errors.js";
import type { DataType, Field, VariantBatch } from "../core/column.js";
import { concatBatches, getValue, sliceBatch } from "../core/column.js";
import type { ColLike, ExprNode } from "../core/expr.js";
import { Col, exprName, exprToString, toCol } from "../core/expr.js";
import { exprType } from "../engine/evaluate.js";
import { DeferredArgs, type PartitionTask, type PlanOp, type SourceNode } from "../core/plan.js";
import { physicalOps } from "./optimize.js";
import { registerMemorySource, type PartitionSource } from "../io/memory.js";
import { batchesToArrow } from "./arrow.js";
import type { AggregateOp, AggregateSpec, JoinTable, SortKey } from "../engine/operations.js";
import { AggregateCombiner, checkAggregate, explodeSchema, joinSchema } from "../engine/operations.js";
import { AggregateExpr, SortOrder } from "../core/sort-aggregate.js";
import { batchToText, schemaToText } from "./text.js";
import type { RegionHint, SourcePlan } from "../core/source.js";
import { externalReader, getReader } from "../io/registry.js";
import { config } from "../engine/config.js";
import { runTasks } from "../engine/pool.js";
import { applyOps, shareMeta } from "../engine/execute.js";
import type { ProgressCallback } from "../engine/progress.js";
import { progressFor } from "../engine/progress.js";

/** Options of every action. */
export interface ActionOptions {
  /** Worker threads for this action (0 = calling thread). @defaultValue glow.config().workers */
  workers?: number;
  /** A progress callback, or false to silence the default display. */
  onProgress?: ProgressCallback | boolean;
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
  async sampleAggregate(op: AggregateOp, finish: (p: VariantBatch) => Record<string, ArrayLike<number> | (string | null)[]>, options: ActionOptions = {}): Promise<import("danfojs-node").DataFrame> {
    const comb = await this.runAggregate(op, options);
    const p = comb.samplePartial();
    if (!p || p.numRows === 0) throw new GlowtsError("EMPTY", "sample QC: the frame has no genotypes");
    const cols = finish(p);
    const ids = cols["sampleId"] as (string | null)[];
    const index = ids.map((id, i) => id ?? `sample_${i + 1}`);
    const data: Record<string, unknown[]> = {};
    for (const [k, v] of Object.entries(cols)) if (k !== "sampleId") data[k] = Array.from(v as ArrayLike<number>);
    const dfd = await import("danfojs-node");
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

  /** Prints the plan and the partitions (and returns the text). */
  async explain(print = true): Promise<string> {
    const { plan, region } = await this.resolve();
    const lines: string[] = ["== glowts plan =="];
    const ops = [...this.ops].reverse();
    let depth = 0;
    for (const op of ops) lines.push(`${"  ".repeat(depth++)}${describeOp(op)}`);
    lines.push(`${"  ".repeat(depth)}Scan ${this.source.format} [${this.source.paths.length} file(s): ${this.source.paths.slice(0, 3).join(", ")}${this.source.paths.length > 3 ? ", …" : ""}]`
      + (region ? ` pushed region ${JSON.stringify(region)}` : ""));
    lines.push("", `== partitions (${plan.partitions.length}) ==`);
    for (const p of plan.partitions.slice(0, 20)) lines.push(`  #${p.index}: ${p.path} ${p.describe}`);
    if (plan.partitions.length > 20) lines.push(`  … ${plan.partitions.length - 20} more`);
    lines.push("", `== samples: ${plan.sampleIds ? plan.sampleIds.length : "none"}; workers: ${config().workers} ==`);
    const text = lines.join("\n");
    if (print) console.log(text);
    return text;
  }

  // ---------------------------------------------------------------- actions

  /** Iterates over the partitions' batches, in order, running the plan on the worker pool. */
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
    const resolved = await this.resolve();
    const { plan, options: readerOptions } = resolved;
    const workers = options.workers ?? config().workers;
    // JSON-able reader state goes once into shared memory instead of being cloned into every task.
    let sharedMeta: Resolved["shared"];
    if (workers > 0 && plan.partitions.length > 1 && isJsonSafe(plan.meta)) sharedMeta = resolved.shared ??= shareMeta(plan.meta);
    const limit = totalLimit(this.ops);
    const ops = await physicalOps(this.ops);
    const ext = externalReader(this.source.format);
    const tasks: PartitionTask[] = plan.partitions.map((partition) => ({
      format: this.source.format,
      options: readerOptions,
      partition,
      meta: sharedMeta ? undefined : plan.meta,
      sharedMeta,
      ops,
      countOnly: options.action === "count" ? true : undefined,
      readerModule: ext ? { url: ext.moduleUrl, exportName: ext.exportName } : undefined,
    }));
    const onProgress = progressFor(options.action ?? "partitions", options.onProgress, config().progress);
    let produced = 0;
    for await (const b of runTasks(tasks, { workers: options.workers, onProgress, action: options.action, rowLimit: limit })) {
      if (limit !== undefined) {
        if (produced >= limit) break;
        if (produced + b.numRows > limit) {
          const cut = sliceBatch(b, 0, limit - produced);
          produced = limit;
          yield cut;
          break;
        }
      }
      produced += b.numRows;
      yield b;
    }
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
    return batchesToArrow(parts);
  }

  /**
   * The rows as a danfo DataFrame with flattened columns: scalars as they are, structs as
   * `struct.field`, arrays of strings joined with `,`, numeric arrays of ≤ 16 elements joined with `,`;
   * the genotypes become `genotypes.nSamples`. Intended for looking at variant-level data.
   */
  async toDanfo(options: ActionOptions = {}): Promise<import("danfojs-node").DataFrame> {
    const b = await this.collectBatch(options);
    const cols = flattenForTable(b);
    const dfd = await import("danfojs-node");
    return new dfd.DataFrame(cols);
  }

  /**
   * Writes the rows as `parquet` (Glow's column names and types; arrays as LIST) or `tsv`. The file
   * appears only when complete. Genotypes cannot be written yet: drop or select them out first.
   */
  async write(format: "parquet" | "tsv", path: string, options: ActionOptions = {}): Promise<number> {
    const b = await this.collectBatch({ ...options });
    const { writeBatchParquet, writeBatchTsv } = await import("../io/parquet.js");
    if (format === "parquet") await writeBatchParquet(path, b);
    else if (format === "tsv") writeBatchTsv(path, b);
    else throw new GlowtsError("OPTION", `write: format must be 'parquet' or 'tsv', got '${String(format)}'`, { option: "format" });
    return b.numRows;
  }

  /** Prints the first `n` rows as a text table (and returns the text). */
  async show(n = 20, print = true): Promise<string> {
    const b = await this.limit(n).collectBatch({ onProgress: false });
    const text = b.numRows === 0 && Object.keys(b.columns).length === 0 ? "(no rows)" : batchToText(b, n);
    if (print) console.log(text);
    return text;
  }

  /** Prints the schema Spark-style (and returns the text). */
  async printSchema(print = true): Promise<string> {
    const text = schemaToText(await this.schema());
    if (print) console.log(text);
    return text;
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
  async agg(...aggs: AggregateExpr[]): Promise<import("danfojs-node").DataFrame> {
    if (aggs.length === 0) throw new GlowtsError("OPTION", "agg: give at least one aggregate (glow.functions.count/sum/mean)");
    const op: AggregateOp = { op: "aggregate", kind: "groupBy", keys: this.keys.map((k) => k.node), keyNames: this.keys.map((k) => k.name), aggs: aggs.map((a) => a.spec) };
    const comb = await this.frame.runAggregate(op);
    const dfd = await import("danfojs-node");
    return new dfd.DataFrame(comb.groupColumns());
  }

  /** Rows per group (Spark's `groupBy().count()`). */
  async count(): Promise<import("danfojs-node").DataFrame> {
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

/** Flattened column arrays of a batch (see toDanfo). */
export function flattenForTable(b: VariantBatch): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [name, c] of Object.entries(b.columns)) {
    if (c.type === "genotypes") {
      out[`${name}.nSamples`] = new Array(b.numRows).fill(c.nSamples);
      continue;
    }
    if (c.type === "struct") {
      for (const [f, fc] of Object.entries(c.fields)) {
        const arr: unknown[] = [];
        for (let i = 0; i < b.numRows; i++) arr.push(cellValue(getValue(fc, i)));
        out[`${name}.${f}`] = arr;
      }
      continue;
    }
    const arr: unknown[] = [];
    for (let i = 0; i < b.numRows; i++) arr.push(cellValue(getValue(c, i)));
    out[name] = arr;
  }
  return out;
}

function cellValue(v: unknown): unknown {
  if (Array.isArray(v)) {
    if (v.length > 16 && typeof v[0] === "number") return `[${v.length} values]`;
    return v.map((x) => (x === null ? "null" : String(x))).join(",");
  }
  if (v !== null && typeof v === "object") return JSON.stringify(v);
  return v;
}

function describeOp(op: PlanOp): string {
  switch (op.op) {
    case "withColumn": return `WithColumn ${op.name} = ${exprToString(op.expr)}`;
    case "select": return `Select ${op.items.map((i) => (i.name === exprToString(i.expr) ? i.name : `${exprToString(i.expr)} AS ${i.name}`)).join(", ")}`;
    case "drop": return `Drop ${op.names.join(", ")}`;
    case "filter": return `Filter ${exprToString(op.expr)}`;
    case "limit": return `Limit ${op.n}`;
    case "mapPartitions": return `MapPartitions ${op.module}#${op.exportName}`;
    case "explode": return `Explode ${op.column}${op.as !== op.column ? ` AS ${op.as}` : ""}`;
    case "join": return `BroadcastJoin ${op.how} on ${op.on} (${op.table.keys.length} rows: ${op.table.columns.map((c) => c.name).join(", ")})`;
    case "orderBy": return `OrderBy ${op.keys.map((k) => `${exprToString(k.expr)} ${k.ascending ? "ASC" : "DESC"}`).join(", ")} (on the calling thread)`;
    case "aggregate": return `Aggregate ${op.kind}`;
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
    else if (limited && (op === "explode" || op === "join" || op === "aggregate")) return i;
  }
  return -1;
}

function totalLimit(ops: readonly PlanOp[]): number | undefined {
  // A limit caps the rows only if no later filter/mapPartitions changes the row count.
  let limit: number | undefined;
  for (const op of ops) {
    if (op.op === "limit") limit = limit === undefined ? op.n : Math.min(limit, op.n);
    else if (op.op === "filter" || op.op === "mapPartitions") { if (limit !== undefined) return limit; }
  }
  return limit;
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
    } else if (op.op === "select" || op.op === "mapPartitions" || op.op === "drop") break;
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
