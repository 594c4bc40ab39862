/**
 * Columnar data inside a partition.
 *
 * A {@link VariantBatch} holds one {@link Column} per field. Columns are plain objects over typed
 * arrays so that they cross worker-thread boundaries by transfer (no copy) and convert to Apache
 * Arrow vectors without reshaping (see `toArrow`). Scalars use typed arrays plus an optional
 * null mask; lists are either dense (every row has `width` elements: e.g. `calls` of diploids or
 * the `values` row of a genotype matrix) or ragged (`offsets`); genotypes are a struct of
 * per-(variant, sample) fields laid out variant-major: element `row * nSamples + sample`.
 */
import { GlowtsError } from "./errors.js";

/** Scalar element types. `long` is stored in a Float64Array (exact to 2^53). */
export type ScalarType = "string" | "double" | "long" | "int" | "boolean";

export interface StringColumn {
  type: "string";
  values: (string | null)[];
}
export interface DoubleColumn {
  type: "double" | "long";
  values: Float64Array;
  /** 1 marks a null. Absent: no nulls. (NaN is a value, not a null.) */
  nulls?: Uint8Array | undefined;
}
export interface IntColumn {
  type: "int";
  values: Int32Array;
  nulls?: Uint8Array | undefined;
}
export interface BooleanColumn {
  type: "boolean";
  values: Uint8Array;
  nulls?: Uint8Array | undefined;
}
/**
 * A list column. Row `i` is `child[offsets[i] .. offsets[i+1])` when `offsets` is set, else
 * `child[i*width .. (i+1)*width)`.
 */
export interface ListColumn {
  type: "list";
  child: Column;
  offsets?: Int32Array | undefined;
  width?: number | undefined;
  nulls?: Uint8Array | undefined;
}
/** A struct column: each field has one element per row. */
export interface StructColumn {
  type: "struct";
  fields: Record<string, Column>;
  nulls?: Uint8Array | undefined;
}
/**
 * Glow's `genotypes: array<struct<sampleId, ...>>` for a batch of variants and a fixed sample list.
 * Each field column has `numRows * nSamples` elements, variant-major.
 * Field names are Glow's (`phased`, `calls`, `posteriorProbabilities`, `depth`, ...).
 */
export interface GenotypesColumn {
  type: "genotypes";
  nSamples: number;
  /** Present when the reader includes sample ids (Glow's `includeSampleIds`). */
  sampleIds: string[] | null;
  fields: Record<string, Column>;
  /**
   * The still-encoded payload of a lazily decoded column (see {@link lazyGenotypes}): kernels that
   * understand the encoding (e.g. genotype states from PLINK bytes) read it directly; any access to
   * `fields` decodes it once.
   */
  encoded?: EncodedGenotypes | undefined;
}

/** Genotypes kept in their file encoding, one fixed-size byte row per variant. */
export interface EncodedGenotypes {
  /** The encoding's tag, e.g. `PLINK_BED` (see `core/encodings.ts` for the tags and their guards). */
  kind: string;
  bytes: Uint8Array;
  bytesPerVariant: number;
  numRows: number;
}

/**
 * A genotypes column whose `fields` are decoded on first access (inside a worker, a plan that only
 * needs `genotypeStates` never pays for `calls`). `decode` must not be needed after the column
 * crosses a thread: reading `fields` (as structured cloning does) materializes it.
 */
export function lazyGenotypes(
  nSamples: number, sampleIds: string[] | null, encoded: EncodedGenotypes, decode: (e: EncodedGenotypes, nSamples: number) => Record<string, Column>,
): GenotypesColumn {
  const c = { type: "genotypes", nSamples, sampleIds, encoded } as GenotypesColumn;
  let cache: Record<string, Column> | undefined;
  Object.defineProperty(c, "fields", {
    enumerable: true,
    configurable: true,
    get(): Record<string, Column> {
      if (!cache) { cache = decode(encoded, nSamples); delete (c as { encoded?: unknown }).encoded; }
      return cache;
    },
    set(v: Record<string, Column>) { cache = v; delete (c as { encoded?: unknown }).encoded; },
  });
  Object.defineProperty(c, "decodeEncoded", { enumerable: false, value: decode });
  return c;
}

function isLazy(c: GenotypesColumn): c is GenotypesColumn & { encoded: EncodedGenotypes; decodeEncoded: (e: EncodedGenotypes, n: number) => Record<string, Column> } {
  return c.encoded !== undefined && typeof (c as unknown as { decodeEncoded?: unknown }).decodeEncoded === "function";
}

export type Column =
  | StringColumn
  | DoubleColumn
  | IntColumn
  | BooleanColumn
  | ListColumn
  | StructColumn
  | GenotypesColumn;

/** A partition's worth of variant rows, columnar. Column order is the insertion order. */
export interface VariantBatch {
  numRows: number;
  columns: Record<string, Column>;
}

/** Type descriptions for schemas (printable, Spark-like). */
export type DataType =
  | ScalarType
  | { list: DataType }
  | { struct: Field[] }
  | { genotypes: Field[] };

export interface Field {
  name: string;
  type: DataType;
  /** Free-form metadata, e.g. VCF header Number / Description. */
  metadata?: Record<string, string>;
}

/** Spark-style type string: `array<struct<sampleId:string,calls:array<int>>>`. */
export function typeToString(t: DataType): string {
  if (typeof t === "string") return t;
  if ("list" in t) return `array<${typeToString(t.list)}>`;
  if ("struct" in t) return `struct<${t.struct.map((f) => `${f.name}:${typeToString(f.type)}`).join(",")}>`;
  return `array<struct<${t.genotypes.map((f) => `${f.name}:${typeToString(f.type)}`).join(",")}>>`;
}

/** Number of elements of a column (for genotypes: numRows * nSamples of each field; here rows). */
export function columnLength(c: Column): number {
  switch (c.type) {
    case "string":
      return c.values.length;
    case "double":
    case "long":
    case "int":
    case "boolean":
      return c.values.length;
    case "list":
      if (c.offsets) return c.offsets.length - 1;
      return c.width ? columnLength(c.child) / c.width : 0;
    case "struct": {
      const first = Object.values(c.fields)[0];
      return first ? columnLength(first) : 0;
    }
    case "genotypes": {
      if (c.encoded) return c.encoded.numRows;
      const first = Object.values(c.fields)[0];
      return first && c.nSamples > 0 ? columnLength(first) / c.nSamples : 0;
    }
  }
}

/** Start/end element range of list row `i`. */
export function listRange(c: ListColumn, i: number): [number, number] {
  if (c.offsets) return [c.offsets[i]!, c.offsets[i + 1]!];
  const w = c.width ?? 0;
  return [i * w, (i + 1) * w];
}

/** Is element `i` null? */
export function isNull(c: Column, i: number): boolean {
  if (c.type === "string") return c.values[i] === null;
  if (c.type === "genotypes") return false;
  return c.nulls !== undefined && c.nulls[i] === 1;
}

/** Plain JS value of element `i` (lists become arrays, structs objects, longs numbers). */
export function getValue(c: Column, i: number): unknown {
  switch (c.type) {
    case "string":
      return c.values[i] ?? null;
    case "double":
    case "long":
    case "int":
      return c.nulls && c.nulls[i] ? null : c.values[i]!;
    case "boolean":
      return c.nulls && c.nulls[i] ? null : c.values[i] === 1;
    case "list": {
      if (c.nulls && c.nulls[i]) return null;
      const [a, b] = listRange(c, i);
      const out = new Array<unknown>(b - a);
      for (let j = a; j < b; j++) out[j - a] = getValue(c.child, j);
      return out;
    }
    case "struct": {
      if (c.nulls && c.nulls[i]) return null;
      const o: Record<string, unknown> = {};
      for (const [k, f] of Object.entries(c.fields)) o[k] = getValue(f, i);
      return o;
    }
    case "genotypes": {
      const out: Record<string, unknown>[] = new Array(c.nSamples);
      const names = Object.entries(c.fields);
      for (let s = 0; s < c.nSamples; s++) {
        const g: Record<string, unknown> = {};
        if (c.sampleIds) g["sampleId"] = c.sampleIds[s];
        for (const [k, f] of names) g[k] = getValue(f, i * c.nSamples + s);
        out[s] = g;
      }
      return out;
    }
  }
}

/** Select rows by index (gather). Used by filter and limit. */
export function takeRows(c: Column, idx: ArrayLike<number>): Column {
  const n = idx.length;
  switch (c.type) {
    case "string": {
      const v = new Array<string | null>(n);
      for (let i = 0; i < n; i++) v[i] = c.values[idx[i]!] ?? null;
      return { type: "string", values: v };
    }
    case "double":
    case "long": {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = c.values[idx[i]!]!;
      return { type: c.type, values: v, nulls: c.nulls ? gatherU8(c.nulls, idx) : undefined };
    }
    case "int": {
      const v = new Int32Array(n);
      for (let i = 0; i < n; i++) v[i] = c.values[idx[i]!]!;
      return { type: "int", values: v, nulls: c.nulls ? gatherU8(c.nulls, idx) : undefined };
    }
    case "boolean":
      return { type: "boolean", values: gatherU8(c.values, idx), nulls: c.nulls ? gatherU8(c.nulls, idx) : undefined };
    case "list": {
      const childIdx: number[] = [];
      let offsets: Int32Array | undefined;
      if (c.offsets) {
        offsets = new Int32Array(n + 1);
        for (let i = 0; i < n; i++) {
          const [a, b] = listRange(c, idx[i]!);
          for (let j = a; j < b; j++) childIdx.push(j);
          offsets[i + 1] = childIdx.length;
        }
      } else {
        const w = c.width ?? 0;
        for (let i = 0; i < n; i++) {
          const r = idx[i]! * w;
          for (let j = 0; j < w; j++) childIdx.push(r + j);
        }
      }
      return {
        type: "list",
        child: takeRows(c.child, childIdx),
        offsets,
        width: c.offsets ? undefined : c.width,
        nulls: c.nulls ? gatherU8(c.nulls, idx) : undefined,
      };
    }
    case "struct": {
      const fields: Record<string, Column> = {};
      for (const [k, f] of Object.entries(c.fields)) fields[k] = takeRows(f, idx);
      return { type: "struct", fields, nulls: c.nulls ? gatherU8(c.nulls, idx) : undefined };
    }
    case "genotypes": {
      if (isLazy(c)) {
        const e = c.encoded;
        const bytes = new Uint8Array(n * e.bytesPerVariant);
        for (let i = 0; i < n; i++) bytes.set(e.bytes.subarray(idx[i]! * e.bytesPerVariant, (idx[i]! + 1) * e.bytesPerVariant), i * e.bytesPerVariant);
        return lazyGenotypes(c.nSamples, c.sampleIds, { ...e, bytes, numRows: n }, c.decodeEncoded);
      }
      const ns = c.nSamples;
      const gi = new Int32Array(n * ns);
      for (let i = 0; i < n; i++) for (let s = 0; s < ns; s++) gi[i * ns + s] = idx[i]! * ns + s;
      const fields: Record<string, Column> = {};
      for (const [k, f] of Object.entries(c.fields)) fields[k] = takeRows(f, gi);
      return { type: "genotypes", nSamples: ns, sampleIds: c.sampleIds, fields };
    }
  }
}

function gatherU8(a: Uint8Array, idx: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = a[idx[i]!]!;
  return out;
}

/** Rows `[from, to)` of a batch. */
export function sliceBatch(b: VariantBatch, from: number, to: number): VariantBatch {
  const idx = new Int32Array(Math.max(0, to - from));
  for (let i = 0; i < idx.length; i++) idx[i] = from + i;
  return takeBatch(b, idx);
}

/** Gather rows of a batch. */
export function takeBatch(b: VariantBatch, idx: ArrayLike<number>): VariantBatch {
  const columns: Record<string, Column> = {};
  for (const [k, c] of Object.entries(b.columns)) columns[k] = takeRows(c, idx);
  return { numRows: idx.length, columns };
}

/** The ArrayBuffers a batch owns, to pass as a transfer list between threads. */
export function transferables(b: VariantBatch): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  const visit = (c: Column): void => {
    const add = (a: ArrayBufferView | undefined): void => {
      if (a && a.buffer instanceof ArrayBuffer && a.byteLength === a.buffer.byteLength) seen.add(a.buffer);
    };
    switch (c.type) {
      case "string":
        return;
      case "double":
      case "long":
      case "int":
      case "boolean":
        add(c.values);
        add(c.nulls);
        return;
      case "list":
        add(c.offsets);
        add(c.nulls);
        visit(c.child);
        return;
      case "struct":
        add(c.nulls);
        for (const f of Object.values(c.fields)) visit(f);
        return;
      case "genotypes":
        for (const f of Object.values(c.fields)) visit(f);
        return;
    }
  };
  for (const c of Object.values(b.columns)) visit(c);
  return [...seen];
}

/** Concatenate batches with the same columns. */
export function concatBatches(batches: VariantBatch[]): VariantBatch {
  if (batches.length === 0) return { numRows: 0, columns: {} };
  if (batches.length === 1) return batches[0]!;
  const first = batches[0]!;
  const columns: Record<string, Column> = {};
  for (const k of Object.keys(first.columns)) columns[k] = concatColumns(batches.map((b) => b.columns[k]!));
  return { numRows: batches.reduce((s, b) => s + b.numRows, 0), columns };
}

export function concatColumns(cs: Column[]): Column {
  const c0 = cs[0]!;
  switch (c0.type) {
    case "string":
      return { type: "string", values: cs.flatMap((c) => (c as StringColumn).values) };
    case "double":
    case "long": {
      const parts = cs as DoubleColumn[];
      return { type: c0.type, values: catF64(parts.map((p) => p.values)), nulls: catNulls(parts.map((p) => [p.nulls, p.values.length])) };
    }
    case "int": {
      const parts = cs as IntColumn[];
      const total = parts.reduce((s, p) => s + p.values.length, 0);
      const v = new Int32Array(total);
      let o = 0;
      for (const p of parts) { v.set(p.values, o); o += p.values.length; }
      return { type: "int", values: v, nulls: catNulls(parts.map((p) => [p.nulls, p.values.length])) };
    }
    case "boolean": {
      const parts = cs as BooleanColumn[];
      const total = parts.reduce((s, p) => s + p.values.length, 0);
      const v = new Uint8Array(total);
      let o = 0;
      for (const p of parts) { v.set(p.values, o); o += p.values.length; }
      return { type: "boolean", values: v, nulls: catNulls(parts.map((p) => [p.nulls, p.values.length])) };
    }
    case "list": {
      const parts = cs as ListColumn[];
      const child = concatColumns(parts.map((p) => p.child));
      const sameWidth = parts.every((p) => !p.offsets && p.width === c0.width);
      const lens = parts.map((p) => columnLength(p));
      const nulls = catNulls(parts.map((p, i) => [p.nulls, lens[i]!]));
      if (sameWidth) return { type: "list", child, width: c0.width, nulls };
      const total = lens.reduce((s, l) => s + l, 0);
      const offsets = new Int32Array(total + 1);
      let r = 0;
      let base = 0;
      for (const p of parts) {
        const n = columnLength(p);
        for (let i = 0; i < n; i++) {
          const [a, b] = listRange(p, i);
          offsets[r + i + 1] = base + b;
          void a;
        }
        base += p.offsets ? p.offsets[n]! : n * (p.width ?? 0);
        r += n;
      }
      return { type: "list", child, offsets, nulls };
    }
    case "struct": {
      const parts = cs as StructColumn[];
      const fields: Record<string, Column> = {};
      for (const k of Object.keys(c0.fields)) fields[k] = concatColumns(parts.map((p) => p.fields[k]!));
      const lens = parts.map((p) => columnLength(p));
      return { type: "struct", fields, nulls: catNulls(parts.map((p, i) => [p.nulls, lens[i]!])) };
    }
    case "genotypes": {
      const parts = cs as GenotypesColumn[];
      const fields: Record<string, Column> = {};
      for (const k of Object.keys(c0.fields)) fields[k] = concatColumns(parts.map((p) => p.fields[k]!));
      return { type: "genotypes", nSamples: c0.nSamples, sampleIds: c0.sampleIds, fields };
    }
  }
}

function catF64(parts: Float64Array[]): Float64Array {
  const total = parts.reduce((s, p) => s + p.length, 0);
  const v = new Float64Array(total);
  let o = 0;
  for (const p of parts) { v.set(p, o); o += p.length; }
  return v;
}

function catNulls(parts: [Uint8Array | undefined, number][]): Uint8Array | undefined {
  if (parts.every(([n]) => n === undefined)) return undefined;
  const total = parts.reduce((s, [, l]) => s + l, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const [n, l] of parts) { if (n) out.set(n, o); o += l; }
  return out;
}

/** Builders for common column shapes. */
export const col = {
  strings(values: (string | null)[]): StringColumn {
    return { type: "string", values };
  },
  doubles(values: Float64Array, nulls?: Uint8Array): DoubleColumn {
    return { type: "double", values, nulls };
  },
  longs(values: Float64Array, nulls?: Uint8Array): DoubleColumn {
    return { type: "long", values, nulls };
  },
  ints(values: Int32Array, nulls?: Uint8Array): IntColumn {
    return { type: "int", values, nulls };
  },
  booleans(values: Uint8Array, nulls?: Uint8Array): BooleanColumn {
    return { type: "boolean", values, nulls };
  },
  /** Ragged list of strings from JS arrays (null entries are null lists). */
  stringLists(rows: (string[] | null)[]): ListColumn {
    const offsets = new Int32Array(rows.length + 1);
    const flat: (string | null)[] = [];
    let nulls: Uint8Array | undefined;
    rows.forEach((r, i) => {
      if (r === null) { nulls ??= new Uint8Array(rows.length); nulls[i] = 1; }
      else for (const s of r) flat.push(s);
      offsets[i + 1] = flat.length;
    });
    return { type: "list", child: { type: "string", values: flat }, offsets, nulls };
  },
  /** Dense list of doubles (every row `width` long), e.g. a genotype `values` matrix. */
  denseDoubles(values: Float64Array, width: number): ListColumn {
    return { type: "list", child: { type: "double", values }, width };
  },
  denseInts(values: Int32Array, width: number): ListColumn {
    return { type: "list", child: { type: "int", values }, width };
  },
};

/** A field of a struct column. */
export function structField(c: Column, field: string): Column {
  if (c.type !== "struct") throw new GlowtsError("TYPE", `cannot take field '${field}' of a ${c.type} column`);
  const f = c.fields[field];
  if (!f) throw new GlowtsError("COLUMN", `no field '${field}'; fields: ${Object.keys(c.fields).join(", ")}`);
  return f;
}

/** The schema of a batch (types from its columns). */
export function batchFields(b: VariantBatch): Field[] {
  return Object.entries(b.columns).map(([name, c]) => ({ name, type: columnType(c) }));
}

function columnType(c: Column): DataType {
  switch (c.type) {
    case "list": return { list: columnType(c.child) };
    case "struct": return { struct: Object.entries(c.fields).map(([name, f]) => ({ name, type: columnType(f) })) };
    case "genotypes": {
      const g: Field[] = [];
      if (c.sampleIds) g.push({ name: "sampleId", type: "string" });
      for (const [name, f] of Object.entries(c.fields)) g.push({ name, type: columnType(f) });
      return { genotypes: g };
    }
    default: return c.type;
  }
}
