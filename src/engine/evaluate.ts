/**
 * Evaluates expression trees over a {@link VariantBatch} (in the workers) and infers their output
 * types from a schema (on the calling thread, for explain() and schema()). Function calls are
 * looked up in the function registry (`core/function-registry.ts`), which `src/functions/` fills.
 */
import { GlowtsError } from "../core/errors.js";
import type { Column, DataType, Field, VariantBatch } from "../core/column.js";
import { columnLength, getValue, isNull, structField } from "../core/column.js";
import type { ExprNode } from "../core/expr.js";
import { exprToString } from "../core/expr.js";
import { lookupFunction } from "../core/function-registry.js";
import "../functions/index.js"; // installs Glow's function library into the registry

/** Evaluates `node` over `batch` to a column with `batch.numRows` rows. */
export function evaluate(node: ExprNode, batch: VariantBatch): Column {
  switch (node.op) {
    case "col": {
      const c = batch.columns[node.name];
      if (c) return c;
      // `struct.field` access
      const dot = node.name.indexOf(".");
      if (dot > 0 && batch.columns[node.name.slice(0, dot)]) {
        let cur: Column = batch.columns[node.name.slice(0, dot)]!;
        for (const f of node.name.slice(dot + 1).split(".")) cur = structField(cur, f);
        return cur;
      }
      throw new GlowtsError("COLUMN", `no column '${node.name}'; columns: ${Object.keys(batch.columns).join(", ")}`);
    }
    case "alias":
      return evaluate(node.arg, batch);
    case "lit":
      return literalColumn(node.value, batch.numRows);
    case "fn": {
      return lookupFunction(node.name).evaluate(node.args.map((a) => evaluate(a, batch)), node.params ?? {}, batch);
    }
    case "cmp": {
      const l = evaluate(node.left, batch);
      const r = evaluate(node.right, batch);
      const n = batch.numRows;
      const out = new Uint8Array(n);
      let nulls: Uint8Array | undefined;
      for (let i = 0; i < n; i++) {
        if (isNull(l, i) || isNull(r, i)) { nulls ??= new Uint8Array(n); nulls[i] = 1; continue; }
        const a = scalarAt(l, i);
        const b = scalarAt(r, i);
        let v: boolean;
        switch (node.cmp) {
          case "==": v = a === b; break;
          case "!=": v = a !== b; break;
          case "<": v = a < b; break;
          case "<=": v = a <= b; break;
          case ">": v = a > b; break;
          case ">=": v = a >= b; break;
        }
        out[i] = v ? 1 : 0;
      }
      return { type: "boolean", values: out, nulls };
    }
    case "bool": {
      const l = evaluate(node.left, batch);
      const r = evaluate(node.right, batch);
      if (l.type !== "boolean" || r.type !== "boolean") throw new GlowtsError("TYPE", `${node.bool}: expected boolean operands in ${exprToString(node)}`);
      const n = batch.numRows;
      const out = new Uint8Array(n);
      let nulls: Uint8Array | undefined;
      for (let i = 0; i < n; i++) {
        const ln = isNull(l, i), rn = isNull(r, i);
        const a = l.values[i] === 1, b = r.values[i] === 1;
        // SQL three-valued logic
        if (node.bool === "and") {
          if ((!ln && !a) || (!rn && !b)) out[i] = 0;
          else if (ln || rn) { nulls ??= new Uint8Array(n); nulls[i] = 1; }
          else out[i] = 1;
        } else {
          if ((!ln && a) || (!rn && b)) out[i] = 1;
          else if (ln || rn) { nulls ??= new Uint8Array(n); nulls[i] = 1; }
          else out[i] = 0;
        }
      }
      return { type: "boolean", values: out, nulls };
    }
    case "not": {
      const a = evaluate(node.arg, batch);
      if (a.type !== "boolean") throw new GlowtsError("TYPE", `NOT: expected a boolean in ${exprToString(node)}`);
      const out = new Uint8Array(a.values.length);
      for (let i = 0; i < out.length; i++) out[i] = a.values[i] ? 0 : 1;
      return { type: "boolean", values: out, nulls: a.nulls };
    }
    case "isNull": {
      const a = evaluate(node.arg, batch);
      const n = batch.numRows;
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = isNull(a, i) !== node.negate ? 1 : 0;
      return { type: "boolean", values: out };
    }
    case "arith": {
      const l = evaluate(node.left, batch);
      const r = evaluate(node.right, batch);
      const n = batch.numRows;
      const out = new Float64Array(n);
      let nulls: Uint8Array | undefined;
      for (let i = 0; i < n; i++) {
        if (isNull(l, i) || isNull(r, i)) { nulls ??= new Uint8Array(n); nulls[i] = 1; continue; }
        const a = Number(scalarAt(l, i));
        const b = Number(scalarAt(r, i));
        out[i] = node.arith === "+" ? a + b : node.arith === "-" ? a - b : node.arith === "*" ? a * b : a / b;
      }
      return { type: "double", values: out, nulls };
    }
  }
}

function scalarAt(c: Column, i: number): number | string {
  switch (c.type) {
    case "string": return c.values[i]!;
    case "double": case "long": case "int": case "boolean": return c.values[i]!;
    default: {
      const v = getValue(c, i);
      return JSON.stringify(v);
    }
  }
}

function literalColumn(v: string | number | boolean | null, n: number): Column {
  if (v === null) return { type: "double", values: new Float64Array(n), nulls: new Uint8Array(n).fill(1) };
  if (typeof v === "string") return { type: "string", values: new Array<string>(n).fill(v) };
  if (typeof v === "boolean") return { type: "boolean", values: new Uint8Array(n).fill(v ? 1 : 0) };
  return { type: "double", values: new Float64Array(n).fill(v) };
}

/** Keeps rows where `mask` is true (null counts as false, as in SQL WHERE). */
export function maskToIndices(mask: Column): Int32Array {
  if (mask.type !== "boolean") throw new GlowtsError("TYPE", `filter: the condition must be boolean, got ${mask.type}`);
  const n = columnLength(mask);
  let k = 0;
  for (let i = 0; i < n; i++) if (mask.values[i] && !(mask.nulls && mask.nulls[i])) k++;
  const idx = new Int32Array(k);
  k = 0;
  for (let i = 0; i < n; i++) if (mask.values[i] && !(mask.nulls && mask.nulls[i])) idx[k++] = i;
  return idx;
}

/** Output type of an expression over `schema`. */
export function exprType(node: ExprNode, schema: Field[]): DataType {
  switch (node.op) {
    case "col": {
      const f = schema.find((x) => x.name === node.name);
      if (f) return f.type;
      const parts = node.name.split(".");
      let t: DataType | undefined = schema.find((x) => x.name === parts[0])?.type;
      for (const p of parts.slice(1)) {
        t = t !== undefined && typeof t === "object" && "struct" in t ? t.struct.find((x) => x.name === p)?.type : undefined;
      }
      if (parts.length > 1 && t !== undefined) return t;
      throw new GlowtsError("COLUMN", `no column '${node.name}'; columns: ${schema.map((x) => x.name).join(", ")}`);
    }
    case "alias": return exprType(node.arg, schema);
    case "lit": return node.value === null ? "double" : typeof node.value === "string" ? "string" : typeof node.value === "boolean" ? "boolean" : "double";
    case "fn": {
      return lookupFunction(node.name).type(node.args.map((a) => exprType(a, schema)), node.params ?? {});
    }
    case "cmp": case "bool": case "not": case "isNull":
      return "boolean";
    case "arith":
      return "double";
  }
}
