/**
 * Partition serialization for `frame.write`: in a worker, a partition's batch is encoded by the
 * output format's encoder into bytes (one or more named streams, e.g. PLINK's `bed` and `bim`),
 * straight from the typed columns; the calling thread only appends those bytes in order
 * (see `frame-writer.ts`). Everything here is plain, structured-clonable data.
 */
import { GlowtsError } from "../../core/errors.js";
import type { VariantBatch } from "../../core/column.js";

import type { SerializeSpec } from "../../core/plan.js";
export type { SerializeSpec };

/** A serialized partition: named byte streams and encoder-specific facts (sample count, index entries). */
export interface SerializedPart {
  numRows: number;
  streams: Record<string, Uint8Array>;
  info?: unknown;
}

type Encoder = (batch: VariantBatch, options: Record<string, unknown>) => SerializedPart | Promise<SerializedPart>;

const modules: Record<string, () => Promise<Encoder>> = {
  tsv: async () => (await import("./tsv.js")).encodeTsvPart as Encoder,
  parquet: async () => (await import("../parquet/writer.js")).encodeParquetPart as Encoder,
  vcf: async () => (await import("./vcf.js")).encodeVcfPart as Encoder,
  bgen: async () => (await import("./bgen.js")).encodeBgenPart as Encoder,
  plink: async () => (await import("./plink.js")).encodePlinkPart as Encoder,
};

const loaded = new Map<string, Encoder>();

/** Encodes one partition's batch with the spec's encoder. */
export async function serializePartition(batch: VariantBatch, spec: SerializeSpec): Promise<SerializedPart> {
  let enc = loaded.get(spec.encoder);
  if (!enc) {
    const load = modules[spec.encoder];
    if (!load) throw new GlowtsError("OPTION", `write: no encoder '${spec.encoder}'`);
    enc = await load();
    loaded.set(spec.encoder, enc);
  }
  return enc(batch, spec.options);
}

/** The buffers of a serialized part, for a transfer list (no copy between threads). */
export function partTransferables(p: SerializedPart): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const s of Object.values(p.streams)) if (s.buffer instanceof ArrayBuffer && s.byteLength === s.buffer.byteLength) out.add(s.buffer);
  return [...out];
}

/**
 * Grows a byte buffer as text and bytes are appended (ASCII fast path, UTF-8 otherwise), so that a
 * partition's output is one transferable array.
 */
export class ByteSink {
  private buf: Uint8Array;
  length = 0;
  private readonly enc = new TextEncoder();

  constructor(initial = 1 << 16) { this.buf = new Uint8Array(initial); }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let n = this.buf.length * 2;
    while (n < this.length + extra) n *= 2;
    const b = new Uint8Array(n);
    b.set(this.buf.subarray(0, this.length));
    this.buf = b;
  }

  /** Appends a string (UTF-8). */
  text(s: string): void {
    const n = s.length;
    this.ensure(n * 3);
    const buf = this.buf;
    let o = this.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        const r = this.enc.encodeInto(s.slice(i), buf.subarray(o));
        this.length = o + r.written;
        return;
      }
      buf[o++] = c;
    }
    this.length = o;
  }

  /**
   * Appends an ASCII string that has none of the bytes `a`, `b`, `c`, `d` (e.g. tab, newline and
   * the delimiter); returns false, appending nothing, when it has one of them or a non-ASCII
   * character.
   */
  plainText(s: string, a: number, b: number, c: number, d = c): boolean {
    const n = s.length;
    this.ensure(n);
    const buf = this.buf;
    const o = this.length;
    for (let i = 0; i < n; i++) {
      const ch = s.charCodeAt(i);
      if (ch >= 0x80 || ch === a || ch === b || ch === c || ch === d) return false;
      buf[o + i] = ch;
    }
    this.length = o + n;
    return true;
  }

  /** Appends `src[from .. to)`. */
  range(src: Uint8Array, from: number, to: number): void {
    const n = to - from;
    this.ensure(n);
    const buf = this.buf;
    let o = this.length;
    for (let i = from; i < to; i++) buf[o++] = src[i]!;
    this.length = o;
  }

  /** Appends one ASCII byte. */
  byte(c: number): void {
    this.ensure(1);
    this.buf[this.length++] = c;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** The bytes written, without a copy (valid until the next append). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /** The bytes written, in an array of their own. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** What a format's writer knows on the calling thread before the first partition arrives. */
export interface WriteContext {
  /** Output path as given. */
  path: string;
  /** The format's options (action options such as `workers` removed). */
  options: Record<string, unknown>;
  /** The frame's schema, or null when it is known only at run time (after `mapPartitions`). */
  schema: import("../../core/column.js").Field[] | null;
  /** The frame's sample ids, if any. */
  sampleIds: string[] | null;
  /**
   * PLINK's per-sample fields for the `.fam` (family and individual ids, sex, phenotype), when the
   * caller knows them (the simulator); else the `.fam` is made from the sample ids.
   */
  famSamples?: FamSample[];
}

/** One `.fam` line's fields. */
export interface FamSample { fid: string; iid: string; sex?: number; phenotype?: number | string }

/** The calling-thread side of a writer: appends the serialized partitions in order. */
export interface PartSink {
  append(part: SerializedPart): void | Promise<void>;
  /** Finishes the output and renames it into place. */
  commit(): void | Promise<void>;
  /** Removes everything written so far. */
  abort(): void;
}

/** A format's writer: the encoder spec for the workers and the sink for the calling thread. */
export interface FormatWriter {
  prepare(ctx: WriteContext): Promise<{ spec: SerializeSpec; sink: PartSink }> | { spec: SerializeSpec; sink: PartSink };
}
