/**
 * Frame operations beyond row-wise expressions: `explode`, `join` with a small table (broadcast),
 * `orderBy` (a barrier: rows are gathered on the calling thread, sorted, and the rest of the plan
 * runs there) and aggregations (`groupBy().agg()`, sample QC) that run as partial aggregates in
 * the workers and are combined on the calling thread.
 *
 * Every op here is plain data (it travels to the workers inside the plan).
 */
import { GlowtsError } from "../core/errors.js";
import type { Column, DataType, Field, VariantBatch } from "../core/column.js";
import { getValue, isNull, listRange, takeBatch, takeRows } from "../core/column.js";
import type { ExprNode } from "../core/expr.js";
import { evaluate, exprType } from "./evaluate.js";
import { combineSamplePartials, sampleCallSummaryPartial, sampleFieldPartial } from "../functions/sample-qc.js";

import type { AggregateOp, AggregateSpec, ExplodeOp, JoinOp, JoinTable, OrderByOp, SortKey } from "../core/plan.js";
export type { AggregateOp, AggregateSpec, ExplodeOp, FrameOp, JoinOp, JoinTable, OrderByOp, SortKey } from "../core/plan.js";

// ------------------------------------------------------------------------------------------ explode

/**
 * One row per element of the array column (rows with a null or empty array are dropped, as Spark's
 * `explode`); the other columns are repeated. A genotypes column explodes into one struct per
 * sample (`sampleId` and the genotype fields) with no copy of the fields.
 */
export function explodeBatch(b: VariantBatch, op: ExplodeOp): VariantBatch {
  const c = b.columns[op.column];
  if (!c) throw new GlowtsError("COLUMN", `explode: no column '${op.column}'; columns: ${Object.keys(b.columns).join(", ")}`);
  let parent: Int32Array;
  let element: Column;
  if (c.type === "genotypes") {
    const ns = c.nSamples;
    parent = new Int32Array(b.numRows * ns);
    for (let r = 0; r < b.numRows; r++) parent.fill(r, r * ns, (r + 1) * ns);
    const fields: Record<string, Column> = {};
    if (c.sampleIds) {
      const ids = new Array<string | null>(b.numRows * ns);
      for (let r = 0; r < b.numRows; r++) for (let s = 0; s < ns; s++) ids[r * ns + s] = c.sampleIds[s]!;
      fields["sampleId"] = { type: "string", values: ids };
    }
    Object.assign(fields, c.fields);
    element = { type: "struct", fields };
  } else if (c.type === "list") {
    const idx: number[] = [], el: number[] = [];
    for (let r = 0; r < b.numRows; r++) {
      if (c.nulls && c.nulls[r]) continue;
      const [a, e] = listRange(c, r);
      for (let j = a; j < e; j++) { idx.push(r); el.push(j); }
    }
    parent = Int32Array.from(idx);
    element = takeRows(c.child, el);
  } else throw new GlowtsError("TYPE", `explode: '${op.column}' is ${c.type}, not an array`);
  const rest = takeBatch({ numRows: b.numRows, columns: Object.fromEntries(Object.entries(b.columns).filter(([k]) => k !== op.column)) }, parent);
  const columns: Record<string, Column> = {};
  for (const k of Object.keys(b.columns)) {
    if (k === op.column) columns[op.as] = element;
    else if (k !== op.as) columns[k] = rest.columns[k]!;
  }
  return { numRows: parent.length, columns };
}

/** Schema after {@link explodeBatch}. */
export function explodeSchema(schema: Field[], op: ExplodeOp): Field[] {
  const f = schema.find((x) => x.name === op.column);
  if (!f) throw new GlowtsError("COLUMN", `explode: no column '${op.column}'`);
  const t = f.type;
  let el: DataType;
  if (typeof t === "object" && "genotypes" in t) el = { struct: t.genotypes };
  else if (typeof t === "object" && "list" in t) el = t.list;
  else throw new GlowtsError("TYPE", `explode: '${op.column}' is not an array`);
  return schema.filter((x) => x.name !== op.as || x.name === op.column).map((x) => (x.name === op.column ? { name: op.as, type: el } : x));
}

// --------------------------------------------------------------------------------------------- join

/** The key of element `i` as a string (numbers and strings with the same text match). */
function keyText(c: Column, i: number): string | null {
  if (isNull(c, i)) return null;
  const v = getValue(c, i);
  return v === null || v === undefined ? null : String(v);
}

/**
 * Hash join of the batch with a broadcast table on `on`: `inner` keeps matching rows (a row matching
 * k table rows appears k times), `left` keeps every row with nulls where nothing matches.
 */
export function joinBatch(b: VariantBatch, op: JoinOp): VariantBatch {
  const key = b.columns[op.on];
  if (!key) throw new GlowtsError("COLUMN", `join: no column '${op.on}'; columns: ${Object.keys(b.columns).join(", ")}`);
  const index = new Map<string, number[]>();
  op.table.keys.forEach((k, j) => {
    if (k === null) return;
    const s = String(k);
    const l = index.get(s);
    if (l) l.push(j); else index.set(s, [j]);
  });
  const left: number[] = [], right: number[] = [];
  for (let i = 0; i < b.numRows; i++) {
    const k = keyText(key, i);
    const m = k === null ? undefined : index.get(k);
    if (m) for (const j of m) { left.push(i); right.push(j); }
    else if (op.how === "left") { left.push(i); right.push(-1); }
  }
  const out = takeBatch(b, left);
  for (const c of op.table.columns) {
    if (c.name === op.on) continue;
    if (out.columns[c.name]) throw new GlowtsError("COLUMN", `join: both sides have a column '${c.name}'; rename one first`);
    out.columns[c.name] = tableColumn(c, right);
  }
  return out;
}

function tableColumn(c: JoinTable["columns"][number], rows: number[]): Column {
  const n = rows.length;
  if (c.type === "string") return { type: "string", values: rows.map((j) => (j < 0 ? null : (c.values[j] as string | null) ?? null)) };
  const nulls = new Uint8Array(n);
  let any = false;
  if (c.type === "boolean") {
    const v = new Uint8Array(n);
    rows.forEach((j, i) => { const x = j < 0 ? null : c.values[j]; if (x === null || x === undefined) { nulls[i] = 1; any = true; } else v[i] = x ? 1 : 0; });
    return { type: "boolean", values: v, nulls: any ? nulls : undefined };
  }
  const v = new Float64Array(n);
  rows.forEach((j, i) => {
    const x = j < 0 ? null : c.values[j];
    if (x === null || x === undefined || (typeof x === "number" && Number.isNaN(x))) { nulls[i] = 1; any = true; } else v[i] = Number(x);
  });
  return { type: "double", values: v, nulls: any ? nulls : undefined };
}

/** Schema after {@link joinBatch}. */
export function joinSchema(schema: Field[], op: JoinOp): Field[] {
  if (!schema.some((f) => f.name === op.on)) throw new GlowtsError("COLUMN", `join: no column '${op.on}'`);
  return [...schema, ...op.table.columns.filter((c) => c.name !== op.on).map((c) => ({ name: c.name, type: c.type as DataType }))];
}

// ------------------------------------------------------------------------------------------ orderBy

/** Sorts a batch by the keys (stable; nulls first ascending and last descending, as Spark). */
export function sortBatch(b: VariantBatch, keys: SortKey[]): VariantBatch {
  const cols = keys.map((k) => evaluate(k.expr, b));
  const vals = cols.map((c) => {
    const out = new Array<number | string | null>(b.numRows);
    for (let i = 0; i < b.numRows; i++) {
      if (isNull(c, i)) { out[i] = null; continue; }
      const v = getValue(c, i);
      out[i] = typeof v === "number" || typeof v === "string" ? v : typeof v === "boolean" ? (v ? 1 : 0) : JSON.stringify(v);
    }
    return out;
  });
  const idx = Array.from({ length: b.numRows }, (_, i) => i);
  idx.sort((x, y) => {
    for (let k = 0; k < keys.length; k++) {
      const a = vals[k]![x]!, c = vals[k]![y]!;
      if (a === c) continue;
      const asc = keys[k]!.ascending;
      if (a === null) return asc ? -1 : 1;
      if (c === null) return asc ? 1 : -1;
      const d = a < c ? -1 : a > c ? 1 : 0;
      if (d !== 0) return asc ? d : -d;
    }
    return x - y;
  });
  return takeBatch(b, idx);
}

// -------------------------------------------------------------------------------------- aggregation

/**
 * The partial aggregate of one batch (in a worker). For `groupBy` it is one row per group seen in
 * the batch: `__key` (the JSON of the key values), `__rows`, and per aggregate `sum_i`/`count_i`.
 * For sample QC it is one row per sample (see `functions/sample-qc.ts`).
 */
export function partialAggregate(b: VariantBatch, op: AggregateOp): VariantBatch {
  if (op.kind === "sampleCallSummaryStats") {
    const [g, ref, alts] = op.args.map((a) => evaluate(a, b));
    return sampleCallSummaryPartial(g!, ref!, alts!);
  }
  if (op.kind === "sampleFieldSummaryStats") return sampleFieldPartial(evaluate(op.args[0]!, b), op.field, op.caller);
  const keyCols = op.keys.map((k) => evaluate(k, b));
  const aggCols = op.aggs.map((a) => (a.expr ? evaluate(a.expr, b) : undefined));
  const groups = new Map<string, number>();
  const keyOut: string[] = [];
  const rows: number[] = [];
  const sums = op.aggs.map(() => [] as number[]), counts = op.aggs.map(() => [] as number[]);
  for (let i = 0; i < b.numRows; i++) {
    const key = JSON.stringify(keyCols.map((c) => (isNull(c, i) ? null : getValue(c, i))));
    let g = groups.get(key);
    if (g === undefined) {
      g = keyOut.length; groups.set(key, g); keyOut.push(key); rows.push(0);
      for (let a = 0; a < op.aggs.length; a++) { sums[a]!.push(0); counts[a]!.push(0); }
    }
    rows[g]!++;
    aggCols.forEach((c, a) => {
      if (!c || isNull(c, i)) return;
      if (op.aggs[a]!.fn === "count") { counts[a]![g!]!++; return; }
      const v = Number(getValue(c, i));
      if (Number.isNaN(v) && typeof getValue(c, i) !== "number") throw new GlowtsError("TYPE", `${op.aggs[a]!.fn}: '${op.aggs[a]!.name}' is not numeric`);
      sums[a]![g!]! += v; counts[a]![g!]!++;
    });
  }
  const columns: Record<string, Column> = { __key: { type: "string", values: keyOut }, __rows: { type: "double", values: Float64Array.from(rows) } };
  op.aggs.forEach((_, a) => {
    columns[`sum_${a}`] = { type: "double", values: Float64Array.from(sums[a]!) };
    columns[`count_${a}`] = { type: "double", values: Float64Array.from(counts[a]!) };
  });
  return { numRows: keyOut.length, columns };
}

/** Folds partials on the calling thread; memory: one accumulator per group (or per sample). */
export class AggregateCombiner {
  private groups = new Map<string, { rows: number; sums: number[]; counts: number[] }>();
  private samples: VariantBatch | undefined;
  constructor(readonly op: AggregateOp) {}

  add(p: VariantBatch): void {
    if (this.op.kind !== "groupBy") { this.samples = this.samples ? combineSamplePartials(this.samples, p) : p; return; }
    const keys = (p.columns["__key"] as { values: string[] }).values;
    const rows = (p.columns["__rows"] as { values: Float64Array }).values;
    const n = this.op.aggs.length;
    for (let i = 0; i < p.numRows; i++) {
      let g = this.groups.get(keys[i]!);
      if (!g) { g = { rows: 0, sums: new Array<number>(n).fill(0), counts: new Array<number>(n).fill(0) }; this.groups.set(keys[i]!, g); }
      g.rows += rows[i]!;
      for (let a = 0; a < n; a++) {
        g.sums[a]! += (p.columns[`sum_${a}`] as { values: Float64Array }).values[i]!;
        g.counts[a]! += (p.columns[`count_${a}`] as { values: Float64Array }).values[i]!;
      }
    }
  }

  /** The combined sample partial (sample QC), or undefined when no partition had rows. */
  samplePartial(): VariantBatch | undefined { return this.samples; }

  /** The `groupBy` result as named columns: the keys, then one column per aggregate. */
  groupColumns(): Record<string, unknown[]> {
    if (this.op.kind !== "groupBy") throw new GlowtsError("INTERNAL", "not a groupBy");
    const op = this.op;
    const out: Record<string, unknown[]> = {};
    op.keyNames.forEach((k) => (out[k] = []));
    op.aggs.forEach((a) => (out[a.name] = []));
    for (const [key, g] of this.groups) {
      const kv = JSON.parse(key) as unknown[];
      op.keyNames.forEach((k, i) => out[k]!.push(kv[i]));
      op.aggs.forEach((a, i) => {
        const v = a.fn === "count" ? (a.expr ? g.counts[i]! : g.rows) : a.fn === "sum" ? (g.counts[i]! > 0 ? g.sums[i]! : null) : g.counts[i]! > 0 ? g.sums[i]! / g.counts[i]! : null;
        out[a.name]!.push(v);
      });
    }
    return out;
  }
}

/** Schema check of an aggregate's expressions (throws on unknown columns). */
export function checkAggregate(schema: Field[], op: AggregateOp): void {
  if (op.kind === "groupBy") { op.keys.forEach((k) => exprType(k, schema)); op.aggs.forEach((a) => a.expr && exprType(a.expr, schema)); }
  else op.args.forEach((a) => exprType(a, schema));
}
