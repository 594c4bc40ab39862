/**
 * GloWGR's block matrices: Glow's `block_df` / `reduced_block_df`, one row per (header, sample block)
 * with the columns `header, size, values, header_block, sample_block, sort_key, mu, sig` (plus
 * `alpha, label` after a reduction, and optionally a sparse `indices` column as in Glow's fixtures).
 * Stored columnar, with each row's `values` as a Float64Array (often a view into a larger buffer).
 */
import { GlowtsError } from "../core/errors.js";
import { col, type Column, type VariantBatch } from "../core/column.js";
import { compareStrings } from "./alphas.js";
import { MIME_BUNDLE, renderAs, type MimeBundle } from "../core/mime.js";

/** One row of a block matrix, with Glow's column names. */
export interface BlockRow {
  header: string;
  size: number;
  values: ArrayLike<number>;
  /** Sparse layout: positions of `values` within the `size` samples (absent = dense). */
  indices?: ArrayLike<number> | null;
  header_block: string;
  sample_block: string;
  sort_key: number;
  mu: number;
  sig: number;
  alpha?: string | null;
  label?: string | null;
}

/** Columnar block matrix. Build with {@link BlockMatrixBuilder} or {@link BlockMatrix.fromRows}. */
export class BlockMatrix {
  readonly header: string[];
  readonly size: Int32Array;
  readonly values: Float64Array[];
  readonly indices: (Int32Array | null)[] | null;
  readonly headerBlock: string[];
  readonly sampleBlock: string[];
  readonly sortKey: Float64Array;
  readonly mu: Float64Array;
  readonly sig: Float64Array;
  readonly alpha: string[] | null;
  readonly label: string[] | null;

  constructor(parts: {
    header: string[]; size: Int32Array; values: Float64Array[]; indices?: (Int32Array | null)[] | null;
    headerBlock: string[]; sampleBlock: string[]; sortKey: Float64Array; mu: Float64Array; sig: Float64Array;
    alpha?: string[] | null; label?: string[] | null;
  }) {
    this.header = parts.header;
    this.size = parts.size;
    this.values = parts.values;
    this.indices = parts.indices ?? null;
    this.headerBlock = parts.headerBlock;
    this.sampleBlock = parts.sampleBlock;
    this.sortKey = parts.sortKey;
    this.mu = parts.mu;
    this.sig = parts.sig;
    this.alpha = parts.alpha ?? null;
    this.label = parts.label ?? null;
    const n = this.header.length;
    for (const [name, len] of [["size", this.size.length], ["values", this.values.length], ["header_block", this.headerBlock.length], ["sample_block", this.sampleBlock.length], ["sort_key", this.sortKey.length], ["mu", this.mu.length], ["sig", this.sig.length]] as const) {
      if (len !== n) throw new GlowtsError("BLOCK_MATRIX", `BlockMatrix: column ${name} has ${len} rows, header has ${n}`);
    }
  }

  /** Number of rows (header × sample block). */
  get numRows(): number {
    return this.header.length;
  }

  /** True after a reduction: rows are tied to a label (Glow: `'label' in block_df.columns`). */
  get hasLabel(): boolean {
    return this.label !== null;
  }

  /** Distinct sample block ids, in order of first appearance. */
  sampleBlockIds(): string[] {
    return [...new Set(this.sampleBlock)];
  }

  /** Distinct header blocks, in order of first appearance. */
  headerBlockIds(): string[] {
    return [...new Set(this.headerBlock)];
  }

  /** Distinct labels (after a reduction), in order of first appearance. */
  labels(): string[] {
    return this.label ? [...new Set(this.label)] : [];
  }

  /** Row `i` with Glow's column names. */
  row(i: number): BlockRow {
    const r: BlockRow = {
      header: this.header[i]!,
      size: this.size[i]!,
      values: this.values[i]!,
      header_block: this.headerBlock[i]!,
      sample_block: this.sampleBlock[i]!,
      sort_key: this.sortKey[i]!,
      mu: this.mu[i]!,
      sig: this.sig[i]!,
    };
    if (this.indices) r.indices = this.indices[i] ?? null;
    if (this.alpha) r.alpha = this.alpha[i]!;
    if (this.label) r.label = this.label[i]!;
    return r;
  }

  /** All rows as plain objects (Glow's schema; `values` as arrays). */
  toRows(): BlockRow[] {
    const out: BlockRow[] = [];
    for (let i = 0; i < this.numRows; i++) {
      const r = this.row(i);
      r.values = Array.from(r.values);
      if (r.indices) r.indices = Array.from(r.indices);
      out.push(r);
    }
    return out;
  }

  /**
   * Builds a block matrix from rows in Glow's schema (e.g. read from Parquet with hyparquet):
   * `header, size, values, [indices], header_block, sample_block, sort_key, mu, sig, [alpha, label]`.
   * Numeric sample block ids are turned into strings.
   */
  static fromRows(rows: readonly Record<string, unknown>[]): BlockMatrix {
    const b = new BlockMatrixBuilder();
    rows.forEach((r, i) => {
      const need = (k: string): unknown => {
        if (!(k in r) || r[k] === null || r[k] === undefined) throw new GlowtsError("BLOCK_MATRIX", `block row ${i}: missing '${k}'`, { record: `row ${i}` });
        return r[k];
      };
      const values = need("values") as ArrayLike<number>;
      const idx = r["indices"] as ArrayLike<number> | null | undefined;
      b.add({
        header: String(need("header")),
        size: Number(need("size")),
        values: values instanceof Float64Array ? values : Float64Array.from(values, Number),
        indices: idx === null || idx === undefined ? null : idx instanceof Int32Array ? idx : Int32Array.from(idx, Number),
        header_block: String(need("header_block")),
        sample_block: String(need("sample_block")),
        sort_key: Number(need("sort_key")),
        mu: Number(need("mu")),
        sig: Number(need("sig")),
        alpha: "alpha" in r ? (r["alpha"] === null ? null : String(r["alpha"])) : undefined,
        label: "label" in r ? (r["label"] === null ? null : String(r["label"])) : undefined,
      });
    });
    return b.build();
  }

  /** Rows whose index passes `keep`. */
  filterRows(keep: (i: number) => boolean): BlockMatrix {
    const idx: number[] = [];
    for (let i = 0; i < this.numRows; i++) if (keep(i)) idx.push(i);
    return this.take(idx);
  }

  /** Rows at the given indices. */
  take(idx: readonly number[]): BlockMatrix {
    const pick = <T>(a: readonly T[]): T[] => idx.map((i) => a[i]!);
    return new BlockMatrix({
      header: pick(this.header),
      size: Int32Array.from(idx, (i) => this.size[i]!),
      values: pick(this.values),
      indices: this.indices ? pick(this.indices) : null,
      headerBlock: pick(this.headerBlock),
      sampleBlock: pick(this.sampleBlock),
      sortKey: Float64Array.from(idx, (i) => this.sortKey[i]!),
      mu: Float64Array.from(idx, (i) => this.mu[i]!),
      sig: Float64Array.from(idx, (i) => this.sig[i]!),
      alpha: this.alpha ? pick(this.alpha) : null,
      label: this.label ? pick(this.label) : null,
    });
  }

  /** The first `n` rows (Glow tests use `.limit(5)`). */
  limit(n: number): BlockMatrix {
    return this.take([...Array(Math.min(n, this.numRows)).keys()]);
  }

  /**
   * Row indices grouped by a key, in order of first appearance; each group sorted by
   * (sort_key, header) as Glow's UDFs do (`sort_in_place(pdf, ['sort_key', 'header'])`).
   */
  groupBy(key: (i: number) => string): Map<string, number[]> {
    const groups = new Map<string, number[]>();
    for (let i = 0; i < this.numRows; i++) {
      const k = key(i);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = []));
      g.push(i);
    }
    for (const g of groups.values()) g.sort((a, b) => this.sortKey[a]! - this.sortKey[b]! || compareStrings(this.header[a]!, this.header[b]!));
    return groups;
  }

  /**
   * The block matrix as a columnar batch in Glow's schema (`values` ragged list<double>), e.g. to
   * display it or to write it as Parquet for Glow on Spark. Sparse rows are densified.
   */
  toBatch(): VariantBatch {
    const n = this.numRows;
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + this.size[i]!;
    const flat = new Float64Array(offsets[n]!);
    for (let i = 0; i < n; i++) flat.set(this.denseValues(i), offsets[i]!);
    const columns: Record<string, Column> = {
      header: col.strings([...this.header]),
      size: col.ints(Int32Array.from(this.size)),
      values: { type: "list", child: { type: "double", values: flat }, offsets },
      header_block: col.strings([...this.headerBlock]),
      sample_block: col.strings([...this.sampleBlock]),
      sort_key: col.ints(Int32Array.from(this.sortKey)),
      mu: col.doubles(Float64Array.from(this.mu)),
      sig: col.doubles(Float64Array.from(this.sig)),
    };
    if (this.alpha) columns["alpha"] = col.strings([...this.alpha]);
    if (this.label) columns["label"] = col.strings([...this.label]);
    return { numRows: n, columns };
  }

  /** Dense raw values of row `i` (sparse rows expanded with zeros). */
  denseValues(i: number): Float64Array {
    const v = this.values[i]!;
    const idx = this.indices?.[i];
    if (!idx) return v;
    const out = new Float64Array(this.size[i]!);
    for (let k = 0; k < idx.length; k++) out[idx[k]!] = v[k]!;
    return out;
  }

  toString(maxRows = 6): string {
    const n = this.numRows;
    const hb = new Set(this.headerBlock).size;
    const sb = new Set(this.sampleBlock).size;
    const lines = [
      `BlockMatrix ${n} rows: ${new Set(this.header).size} headers in ${hb} header block(s) × ${sb} sample block(s)` +
        (this.label ? `, ${new Set(this.label).size} label(s)` : ""),
    ];
    const cols = ["header", "size", "header_block", "sample_block", "sort_key", "mu", "sig", ...(this.label ? ["alpha", "label"] : [])];
    const cells = [cols];
    const show = n <= maxRows ? [...Array(n).keys()] : [...Array(maxRows).keys()];
    for (const i of show) {
      const r = this.row(i);
      cells.push([r.header, String(r.size), r.header_block, r.sample_block, String(r.sort_key), r.mu.toPrecision(6), r.sig.toPrecision(6), ...(this.label ? [r.alpha ?? "", r.label ?? ""] : [])]);
    }
    const w = cols.map((_, k) => Math.max(...cells.map((c) => c[k]!.length)));
    for (const c of cells) lines.push(c.map((v, k) => v.padEnd(w[k]!)).join("  "));
    if (n > show.length) lines.push(`… ${n - show.length} more rows`);
    return lines.join("\n");
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /** Jupyter rich display (shape, header block × sample block layout, mu/sig statistics, first rows and a heatmap); rendered by `src/display/block-matrix.ts`. */
  [MIME_BUNDLE](): Promise<MimeBundle> {
    return renderAs("blockMatrix", this);
  }
}

/** Appends rows and builds a {@link BlockMatrix}. */
export class BlockMatrixBuilder {
  private header: string[] = [];
  private size: number[] = [];
  private values: Float64Array[] = [];
  private indices: (Int32Array | null)[] = [];
  private anySparse = false;
  private headerBlock: string[] = [];
  private sampleBlock: string[] = [];
  private sortKey: number[] = [];
  private mu: number[] = [];
  private sig: number[] = [];
  private alpha: string[] = [];
  private label: string[] = [];
  private withLabel: boolean | undefined;

  add(r: Omit<BlockRow, "values" | "indices"> & { values: Float64Array; indices?: Int32Array | null }): void {
    const labelled = r.label !== undefined && r.label !== null;
    if (this.withLabel === undefined) this.withLabel = labelled;
    else if (this.withLabel !== labelled) throw new GlowtsError("BLOCK_MATRIX", `block row ${this.header.length}: some rows have a label and others not`);
    this.header.push(r.header);
    this.size.push(r.size);
    this.values.push(r.values);
    this.indices.push(r.indices ?? null);
    if (r.indices) this.anySparse = true;
    this.headerBlock.push(r.header_block);
    this.sampleBlock.push(r.sample_block);
    this.sortKey.push(r.sort_key);
    this.mu.push(r.mu);
    this.sig.push(r.sig);
    if (labelled) {
      this.alpha.push(r.alpha ?? "");
      this.label.push(r.label!);
    }
  }

  build(): BlockMatrix {
    return new BlockMatrix({
      header: this.header,
      size: Int32Array.from(this.size),
      values: this.values,
      indices: this.anySparse ? this.indices : null,
      headerBlock: this.headerBlock,
      sampleBlock: this.sampleBlock,
      sortKey: Float64Array.from(this.sortKey),
      mu: Float64Array.from(this.mu),
      sig: Float64Array.from(this.sig),
      alpha: this.withLabel ? this.alpha : null,
      label: this.withLabel ? this.label : null,
    });
  }
}

/** Sample block id → sample ids (Glow's `sample_blocks` dict). */
export type SampleBlocks = Record<string, string[]>;

/**
 * Reads a block matrix stored as Parquet in Glow's schema (e.g. Glow's test fixtures or a
 * `block_df` written by Spark), with hyparquet.
 */
export async function readBlockMatrixParquet(path: string): Promise<BlockMatrix> {
  const { asyncBufferFromFile, parquetReadObjects } = await import("hyparquet");
  let rows: Record<string, unknown>[];
  try {
    const file = await asyncBufferFromFile(path);
    rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
  } catch (e) {
    throw new GlowtsError("PARQUET", `cannot read block matrix: ${(e as Error).message}`, { file: path });
  }
  try {
    return BlockMatrix.fromRows(rows);
  } catch (e) {
    if (e instanceof GlowtsError) throw new GlowtsError(e.code, e.rawMessage, { file: path, record: e.record });
    throw e;
  }
}

/**
 * Reads Glow's sample-block mapping stored as Parquet (`sample_block`, `sample_ids` columns), as in
 * Glow's fixtures; ids become strings.
 */
export async function readSampleBlocksParquet(path: string): Promise<SampleBlocks> {
  const { asyncBufferFromFile, parquetReadObjects } = await import("hyparquet");
  let rows: Record<string, unknown>[];
  try {
    const file = await asyncBufferFromFile(path);
    rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
  } catch (e) {
    throw new GlowtsError("PARQUET", `cannot read sample blocks: ${(e as Error).message}`, { file: path });
  }
  const out: SampleBlocks = {};
  rows.forEach((r, i) => {
    if (r["sample_block"] === undefined || !Array.isArray(r["sample_ids"])) {
      throw new GlowtsError("PARQUET", "expected columns sample_block and sample_ids", { file: path, record: `row ${i}` });
    }
    out[String(r["sample_block"])] = (r["sample_ids"] as unknown[]).map((s) => String(s));
  });
  return out;
}
