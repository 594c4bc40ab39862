/**
 * Evaluates expression trees over a {@link VariantBatch} (in the workers) and infers their output
 * types from a schema (on the calling thread, for explain() and schema()).
 */
import { GlowtsError } from "../errors.js";
import type { Column, DataType, Field, VariantBatch } from "./column.js";
import { columnLength, getValue, isNull, listRange } from "./column.js";
import type { ExprNode } from "./expr.js";
import { exprToString } from "./expr.js";
import { genotypeStatesColumn } from "../functions/genotype-states.js";
import { meanSubstituteColumn } from "../functions/mean-substitute.js";
import { arrayDistinctColumn, arraySizeColumn } from "../functions/array.js";
import { hardCallsColumn } from "../functions/hard-calls.js";
import { callSummaryStatsColumn, hardyWeinbergColumn } from "../functions/qc.js";
import { transformColumnFunctions } from "../transform/column-functions.js";
import { etlFunctionDefinitions } from "../functions/etl-definitions.js";

function numAllelesOf(batch: VariantBatch, caller: string): Int32Array {
  const alts = batch.columns["alternateAlleles"];
  if (!alts || alts.type !== "list") throw new GlowtsError("TYPE", `${caller}: needs the alternateAlleles column`);
  const na = new Int32Array(batch.numRows);
  for (let i = 0; i < batch.numRows; i++) { const [a, b] = listRange(alts, i); na[i] = 1 + b - a; }
  return na;
}

const callSummaryType: DataType = {
  struct: [
    { name: "callRate", type: "double" }, { name: "nCalled", type: "int" }, { name: "nUncalled", type: "int" },
    { name: "nHet", type: "int" }, { name: "nHomozygous", type: { list: "int" } }, { name: "nNonRef", type: "int" },
    { name: "nAllelesCalled", type: "int" }, { name: "alleleCounts", type: { list: "int" } }, { name: "alleleFrequencies", type: { list: "double" } },
  ],
};

interface ColumnFunction {
  evaluate(args: Column[], params: Record<string, unknown>, batch: VariantBatch): Column;
  type(args: DataType[], params: Record<string, unknown>): DataType;
}

const functions: Record<string, ColumnFunction> = {
  ...transformColumnFunctions,
  genotypeStates: {
    evaluate: ([g]) => genotypeStatesColumn(g!),
    type: () => ({ list: "int" }),
  },
  meanSubstitute: {
    evaluate: ([a], p) => meanSubstituteColumn(a!, typeof p["missingValue"] === "number" ? (p["missingValue"] as number) : -1),
    type: () => ({ list: "double" }),
  },
  arraySize: {
    evaluate: ([a]) => arraySizeColumn(a!),
    type: () => "int",
  },
  arrayDistinct: {
    evaluate: ([a]) => arrayDistinctColumn(a!),
    type: ([t]) => t!,
  },
  callSummaryStats: {
    evaluate: ([g], _p, batch) => callSummaryStatsColumn(g!, numAllelesOf(batch, "call_summary_stats")),
    type: () => callSummaryType,
  },
  hardyWeinberg: {
    evaluate: ([g]) => hardyWeinbergColumn(g!),
    type: () => ({ struct: [{ name: "hetFreqHwe", type: "double" }, { name: "pValueHwe", type: "double" }] }),
  },
  expandStruct: {
    // Only meaningful inside select (handled there); elsewhere it is the struct itself.
    evaluate: ([a]) => a!,
    type: ([t]) => t!,
  },
  getField: {
    evaluate: ([a], p) => structField(a!, String(p["field"])),
    type: ([t], p) => {
      if (typeof t === "object" && "struct" in t) {
        const f = t.struct.find((x) => x.name === p["field"]);
        if (f) return f.type;
      }
      throw new GlowtsError("COLUMN", `no field '${String(p["field"])}'`);
    },
  },
  getItem: {
    evaluate: ([a], p) => arrayItem(a!, Number(p["index"])),
    type: ([t]) => (typeof t === "object" && "list" in t ? t.list : "double"),
  },
  isIn: {
    evaluate: ([a], p) => isInColumn(a!, p["values"] as (string | number)[]),
    type: () => "boolean",
  },
  arrayMean: {
    evaluate: ([a]) => arrayMeanColumn(a!),
    type: () => "double",
  },
  hardCalls: {
    evaluate: ([g], p, batch) => {
      const alts = batch.columns["alternateAlleles"];
      if (!alts || alts.type !== "list") throw new GlowtsError("TYPE", "hard_calls: needs the alternateAlleles column");
      const n = batch.numRows;
      const na = new Int32Array(n);
      for (let i = 0; i < n; i++) { const [a, b] = listRange(alts, i); na[i] = 1 + b - a; }
      return hardCallsColumn(g!, na, typeof p["threshold"] === "number" ? (p["threshold"] as number) : 0.9);
    },
    type: ([t]) => t!,
  },
  ...etlFunctionDefinitions,
};

/** Names of the functions the engine can evaluate. */
export function functionNames(): string[] { return Object.keys(functions); }

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
      const f = functions[node.name];
      if (!f) throw new GlowtsError("FUNCTION", `unknown function '${node.name}'`);
      return f.evaluate(node.args.map((a) => evaluate(a, batch)), node.params ?? {}, batch);
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

/** True where the scalar (or any element of the array) is one of `values`. */
function isInColumn(c: Column, values: (string | number)[]): Column {
  const set = new Set<string | number>(values);
  const n = columnLength(c);
  const out = new Uint8Array(n);
  if (c.type === "list") {
    const child = c.child;
    for (let i = 0; i < n; i++) {
      const [a, b] = listRange(c, i);
      for (let j = a; j < b; j++) {
        const v = child.type === "string" ? child.values[j] : (child as { values: ArrayLike<number> }).values[j];
        if (v !== null && v !== undefined && set.has(v)) { out[i] = 1; break; }
      }
    }
    return { type: "boolean", values: out };
  }
  if (c.type === "genotypes" || c.type === "struct") throw new GlowtsError("TYPE", `isin: expected a scalar or an array, got ${c.type}`);
  for (let i = 0; i < n; i++) {
    if (isNull(c, i)) continue;
    const v = (c as { values: ArrayLike<number | string | null> }).values[i];
    if (v !== null && v !== undefined && set.has(v as string | number)) out[i] = 1;
  }
  return { type: "boolean", values: out };
}

/** Mean of each numeric array ignoring NaN and nulls (NaN when nothing is left). */
function arrayMeanColumn(c: Column): Column {
  if (c.type !== "list" || (c.child.type !== "double" && c.child.type !== "int" && c.child.type !== "long")) {
    throw new GlowtsError("TYPE", "array_mean: expected an array of numbers");
  }
  const n = columnLength(c);
  const out = new Float64Array(n);
  const vals = c.child.values as ArrayLike<number>;
  const nulls = c.child.nulls;
  for (let i = 0; i < n; i++) {
    const [a, b] = listRange(c, i);
    let s = 0, k = 0;
    for (let j = a; j < b; j++) { const v = vals[j]!; if (v === v && !(nulls && nulls[j])) { s += v; k++; } }
    out[i] = k ? s / k : NaN;
  }
  return { type: "double", values: out };
}

/** A field of a struct column. */
export function structField(c: Column, field: string): Column {
  if (c.type !== "struct") throw new GlowtsError("TYPE", `cannot take field '${field}' of a ${c.type} column`);
  const f = c.fields[field];
  if (!f) throw new GlowtsError("COLUMN", `no field '${field}'; fields: ${Object.keys(c.fields).join(", ")}`);
  return f;
}

/** Element `index` of each array (null when out of range), as Spark's `arr[index]`. */
function arrayItem(c: Column, index: number): Column {
  if (c.type !== "list") throw new GlowtsError("TYPE", `getItem: expected an array, got ${c.type}`);
  const n = columnLength(c);
  const out = new Float64Array(n);
  const nulls = new Uint8Array(n);
  let anyNull = false;
  const child = c.child;
  if (child.type === "string") {
    const vals: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const [a, b] = listRange(c, i);
      vals[i] = index >= 0 && a + index < b ? child.values[a + index] ?? null : null;
    }
    return { type: "string", values: vals };
  }
  if (child.type !== "double" && child.type !== "long" && child.type !== "int" && child.type !== "boolean") {
    throw new GlowtsError("TYPE", "getItem: only arrays of scalars are supported");
  }
  for (let i = 0; i < n; i++) {
    const [a, b] = listRange(c, i);
    if (index < 0 || a + index >= b || (c.nulls && c.nulls[i]) || (child.nulls && child.nulls[a + index])) { nulls[i] = 1; anyNull = true; continue; }
    out[i] = child.values[a + index]!;
  }
  return { type: child.type === "int" || child.type === "boolean" ? "double" : child.type, values: out, nulls: anyNull ? nulls : undefined };
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
      const f = functions[node.name];
      if (!f) throw new GlowtsError("FUNCTION", `unknown function '${node.name}'`);
      return f.type(node.args.map((a) => exprType(a, schema)), node.params ?? {});
    }
    case "cmp": case "bool": case "not": case "isNull":
      return "boolean";
    case "arith":
      return "double";
  }
}
