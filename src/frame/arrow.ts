/**
 * Conversion of glowts columns to Apache Arrow: each column becomes an Arrow `Data` without
 * reshaping the typed arrays (lists keep their offsets; genotypes become `list<struct<...>>` with
 * offsets `row * nSamples`, as in Glow's Spark schema).
 */
import {
  Bool, Data, DataType as ArrowType, Field as ArrowField, Float64, Int32, Int64, List, makeData, RecordBatch,
  Schema, Struct, Table, Utf8, vectorFromArray,
} from "apache-arrow";
import type { Column, VariantBatch } from "../core/column.js";
import { columnLength } from "../core/column.js";

function validity(nulls: Uint8Array | undefined, n: number): { nullBitmap?: Uint8Array; nullCount: number } {
  if (!nulls) return { nullCount: 0 };
  const bm = new Uint8Array(Math.ceil(n / 8));
  let nullCount = 0;
  for (let i = 0; i < n; i++) {
    if (nulls[i]) nullCount++;
    else bm[i >> 3]! |= 1 << (i & 7);
  }
  return nullCount ? { nullBitmap: bm, nullCount } : { nullCount: 0 };
}

function packBits(v: Uint8Array): Uint8Array {
  const bm = new Uint8Array(Math.ceil(v.length / 8));
  for (let i = 0; i < v.length; i++) if (v[i]) bm[i >> 3]! |= 1 << (i & 7);
  return bm;
}

/** Arrow `Data` for a glowts column. */
export function columnToArrowData(c: Column): Data {
  const n = columnLength(c);
  switch (c.type) {
    case "string":
      return vectorFromArray(c.values, new Utf8()).data[0]! as Data;
    case "double":
      return makeData({ type: new Float64(), length: n, data: c.values, ...validity(c.nulls, n) });
    case "long": {
      const big = new BigInt64Array(n);
      for (let i = 0; i < n; i++) big[i] = Number.isFinite(c.values[i]!) ? BigInt(Math.trunc(c.values[i]!)) : 0n;
      return makeData({ type: new Int64(), length: n, data: big, ...validity(c.nulls, n) });
    }
    case "int":
      return makeData({ type: new Int32(), length: n, data: c.values, ...validity(c.nulls, n) });
    case "boolean":
      return makeData({ type: new Bool(), length: n, data: packBits(c.values), ...validity(c.nulls, n) });
    case "list": {
      const child = columnToArrowData(c.child);
      let offsets = c.offsets;
      if (!offsets) {
        offsets = new Int32Array(n + 1);
        const w = c.width ?? 0;
        for (let i = 0; i <= n; i++) offsets[i] = i * w;
      }
      return makeData({
        type: new List(new ArrowField("element", child.type as ArrowType, true)),
        length: n,
        valueOffsets: offsets,
        child,
        ...validity(c.nulls, n),
      });
    }
    case "struct": {
      const children = Object.values(c.fields).map(columnToArrowData);
      const fields = Object.keys(c.fields).map((k, i) => new ArrowField(k, children[i]!.type as ArrowType, true));
      return makeData({ type: new Struct(fields), length: n, children, ...validity(c.nulls, n) });
    }
    case "genotypes": {
      const ng = n * c.nSamples;
      const children: Data[] = [];
      const names: string[] = [];
      if (c.sampleIds) {
        const ids = new Array<string>(ng);
        for (let r = 0; r < n; r++) for (let s = 0; s < c.nSamples; s++) ids[r * c.nSamples + s] = c.sampleIds[s]!;
        children.push(columnToArrowData({ type: "string", values: ids }));
        names.push("sampleId");
      }
      for (const [k, f] of Object.entries(c.fields)) { children.push(columnToArrowData(f)); names.push(k); }
      const fields = names.map((k, i) => new ArrowField(k, children[i]!.type as ArrowType, true));
      const structData = makeData({ type: new Struct(fields), length: ng, children });
      const offsets = new Int32Array(n + 1);
      for (let i = 0; i <= n; i++) offsets[i] = i * c.nSamples;
      return makeData({
        type: new List(new ArrowField("element", structData.type, true)),
        length: n,
        valueOffsets: offsets,
        child: structData,
        nullCount: 0,
      });
    }
  }
}

/** An Arrow RecordBatch for a glowts batch. */
export function batchToArrow(b: VariantBatch): RecordBatch {
  const children = Object.values(b.columns).map(columnToArrowData);
  const fields = Object.keys(b.columns).map((k, i) => new ArrowField(k, children[i]!.type as ArrowType, true));
  const data = makeData({ type: new Struct(fields), length: b.numRows, children, nullCount: 0 });
  return new RecordBatch(new Schema(fields), data);
}

/** An Arrow Table from glowts batches (same columns). */
export function batchesToArrow(batches: VariantBatch[]): Table {
  const rbs = batches.filter((b) => b.numRows > 0 || batches.length === 1).map(batchToArrow);
  return new Table(rbs);
}
