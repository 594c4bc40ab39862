/**
 * Glow's overlap joins (`glow.left_overlap_join`, `glow.left_semi_overlap_join`) of a frame with a
 * broadcast interval table: rows match when the contigs are equal and the half-open intervals
 * overlap, `left.start < right.end && right.start < left.end`.
 */
import { GlowtsError } from "../core/errors.js";
import type { DataType, Field, VariantBatch } from "../core/column.js";
import { getValue, isNull, takeBatch } from "../core/column.js";
import type { IntervalTable, OverlapJoinOp } from "../core/plan.js";
import { tableColumn } from "./operations.js";
export type { IntervalTable, OverlapJoinOp } from "../core/plan.js";

function indexTable(t: IntervalTable): Map<string, number[]> {
  const by = new Map<string, number[]>();
  t.contig.forEach((c, j) => {
    if (c === null || t.start[j] === null || t.end[j] === null) return;
    const l = by.get(c);
    if (l) l.push(j); else by.set(c, [j]);
  });
  for (const l of by.values()) l.sort((a, b) => t.start[a]! - t.start[b]! || a - b);
  return by;
}

/** The op with its interval table (a deferred right-hand frame is resolved on the calling thread before). */
function resolved(op: OverlapJoinOp, who: string): OverlapJoinOp & { table: IntervalTable } {
  if (!("contig" in op.table)) throw new GlowtsError("INTERNAL", `${who}: the right-hand frame of the overlap join was not collected`);
  return op as OverlapJoinOp & { table: IntervalTable };
}

/** Joins one batch with the interval table. */
export function overlapJoinBatch(b: VariantBatch, joinOp: OverlapJoinOp): VariantBatch {
  const op = resolved(joinOp, "overlapJoinBatch");
  const need = [op.leftContig, op.leftStart, op.leftEnd];
  for (const n of need) if (!b.columns[n]) throw new GlowtsError("COLUMN", `overlap join: no column '${n}'; columns: ${Object.keys(b.columns).join(", ")}`);
  const [cc, sc, ec] = need.map((n) => b.columns[n]!);
  const by = indexTable(op.table);
  const left: number[] = [], right: number[] = [];
  for (let i = 0; i < b.numRows; i++) {
    const hits: number[] = [];
    if (!isNull(cc!, i) && !isNull(sc!, i) && !isNull(ec!, i)) {
      const s = Number(getValue(sc!, i)), e = Number(getValue(ec!, i));
      for (const j of by.get(String(getValue(cc!, i))) ?? []) {
        if (op.table.start[j]! >= e) break;
        if (s < op.table.end[j]!) hits.push(j);
      }
      hits.sort((x, y) => x - y);
    }
    if (op.how === "semi") { if (hits.length) { left.push(i); right.push(-1); } continue; }
    if (hits.length) for (const j of hits) { left.push(i); right.push(j); }
    else { left.push(i); right.push(-1); }
  }
  const out = takeBatch(b, left);
  if (op.how === "left") {
    for (const c of op.table.columns) {
      if (out.columns[c.name]) throw new GlowtsError("COLUMN", `overlap join: both sides have a column '${c.name}'; rename one first`);
      out.columns[c.name] = tableColumn(c, right);
    }
  }
  return out;
}

/** Schema after {@link overlapJoinBatch}. */
export function overlapJoinSchema(schema: Field[], joinOp: OverlapJoinOp): Field[] {
  const op = resolved(joinOp, "overlapJoinSchema");
  for (const n of [op.leftContig, op.leftStart, op.leftEnd]) {
    if (!schema.some((f) => f.name === n)) throw new GlowtsError("COLUMN", `overlap join: no column '${n}'`);
  }
  if (op.how === "semi") return schema;
  return [...schema, ...op.table.columns.map((c) => ({ name: c.name, type: c.type as DataType }))];
}
