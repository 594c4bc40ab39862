/**
 * A streamed block matrix read from a PLINK `.bed` without the partition engine: the layout (Glow's
 * `block_variants_and_samples` order and header blocks) from the `.bim` and one pass over the packed
 * bytes that only asks "two distinct genotypes?", then each header block's bytes read again and
 * handed to the fit as packed 2-bit codes ({@link PackedBedBlock}), decoded by the fit worker itself.
 *
 * This is REGENIE's memory shape: besides the level-0 predictions, memory holds one header block per
 * fit worker, as bytes in flight (variants × samples / 4) and as values inside the worker — no
 * engine workers, no decoded partitions crossing threads. Values, order and header blocks are those of
 * `blockVariantsAndSamples(frame, ids, ..., { materialize: false })` on `glow.read("plink")` with
 * `genotypeStates` and the analysed samples mean-imputed (what `glowts step1` builds), so the fitted
 * predictions are bit-identical to that path and to the materialized `blockDf`.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { GlowtsError } from "../core/errors.js";
import { bedBlockSize, bedExpectedSize, BED_HEADER_BYTES, checkBedMagic } from "../io/plink/bed-codec.js";
import { parseBim } from "../io/plink/text.js";
import { arrayMeanAndSd, checkBlockArgs, validateSampleIds } from "./blocking.js";
import { decodePackedBlock, packedHasTwoDistinct, type PackedBedBlock } from "./packed-bed-values.js";
import { layoutOfKeys, StreamedBlockMatrix, type HeaderBlockLayout, type KeyRow, type StreamedBlockedVariants } from "./streamed-blocks.js";

/** What {@link blockPlinkVariants} reads. */
export interface PlinkBlockingInput {
  /** The `.bed` path (`.bim` next to it). */
  bed: string;
  /** Samples in the `.fam`. */
  famSamples: number;
  /** Ids of the analysed samples, in the block matrix's order. */
  sampleIds: readonly string[];
  /** `.fam` position of each analysed sample (same order as {@link sampleIds}). */
  keep: ArrayLike<number>;
  /** Keeps a variant by its `.bim` id (REGENIE's `--extract` / `--exclude`); all when absent. */
  keepVariant?: (id: string) => boolean;
  /** `.bim` field delimiter. @defaultValue "whitespace" */
  bimDelimiter?: string;
}

/** `.bed` bytes read per call in the first pass. */
const SCAN_BYTES = 1 << 22;

/** An open `.bed`, its size and mtime checked again when a header block is read. */
class BedFile {
  private fd: number;
  readonly size: number;
  private readonly mtime: number;
  constructor(readonly path: string) {
    try { this.fd = openSync(path, "r"); } catch { throw new GlowtsError("FILE_NOT_FOUND", "cannot open the .bed file", { file: path }); }
    const st = fstatSync(this.fd);
    this.size = st.size;
    this.mtime = st.mtimeMs;
  }
  /** Bytes [offset, offset + out.length) into `out` at `at`; throws when the file is shorter or changed. */
  readInto(out: Uint8Array, at: number, length: number, offset: number): void {
    let got = 0;
    while (got < length) {
      const r = readSync(this.fd, out, at + got, length - got, offset + got);
      if (r <= 0) throw new GlowtsError("PLINK_BED", `.bed ended at byte ${offset + got}, expected ${offset + length}`, { file: this.path, record: `offset ${offset + got}` });
      got += r;
    }
  }
  checkUnchanged(): void {
    const st = fstatSync(this.fd);
    if (st.size !== this.size || st.mtimeMs !== this.mtime) throw new GlowtsError("BLOCKING", "the .bed changed between the two passes of the streamed blocking", { file: this.path });
  }
  close(): void {
    closeSync(this.fd);
  }
}

/**
 * The streamed block matrix of a PLINK `.bed` (see the module description). `headerBlockValues`
 * (display, `materialize()`, GloWGR's Glow-API fits) decodes on the calling thread; the regenie level 0
 * takes {@link packedHeaderBlocks} and decodes in its fit workers.
 */
export class PackedBedBlockMatrix extends StreamedBlockMatrix {
  constructor(
    /** The `.bed` path. */
    readonly bed: string,
    /** `.bed` bytes per variant. */
    readonly bytesPerVariant: number,
    /** `.fam` position of each sample, in {@link sampleIds} order. */
    readonly keep: Int32Array,
    sampleIds: readonly string[], variantsPerBlock: number, sampleBlockCount: number,
    layout: readonly HeaderBlockLayout[], bimRecords: number,
  ) {
    super(notAFrame(bed), sampleIds, variantsPerBlock, sampleBlockCount, layout, bimRecords);
  }

  /**
   * Each header block as its packed `.bed` bytes, in layout order: the variants' blocks in the block
   * matrix's order. Each buffer is the caller's (it may be transferred).
   */
  async *packedHeaderBlocks(): AsyncGenerator<{ index: number; block: PackedBedBlock; m: number }> {
    const f = new BedFile(this.bed);
    try {
      for (let index = 0; index < this.layout.length; index++) {
        yield { index, block: this.readBlock(f, this.layout[index]!.rows), m: this.layout[index]!.rows.length };
      }
    } finally {
      f.close();
    }
  }

  override headerBlockValues(float32IfExact: true): AsyncGenerator<{ index: number; values: Float64Array | Float32Array; mu: Float64Array; sig: Float64Array }>;
  override headerBlockValues(float32IfExact?: false): AsyncGenerator<{ index: number; values: Float64Array; mu: Float64Array; sig: Float64Array }>;
  override async *headerBlockValues(float32IfExact = false): AsyncGenerator<{ index: number; values: Float64Array | Float32Array; mu: Float64Array; sig: Float64Array }> {
    const n = this.sampleIds.length;
    for await (const { index, block, m } of this.packedHeaderBlocks()) {
      const decoded = decodePackedBlock(block, m);
      const values = float32IfExact || decoded instanceof Float64Array ? decoded : Float64Array.from(decoded);
      const mu = new Float64Array(m), sig = new Float64Array(m);
      const row = new Float64Array(n);
      for (let v = 0; v < m; v++) {
        row.set(values.subarray(v * n, (v + 1) * n));
        [mu[v], sig[v]] = arrayMeanAndSd(row);
      }
      yield { index, values, mu, sig };
    }
  }

  private readBlock(f: BedFile, rows: Int32Array): PackedBedBlock {
    f.checkUnchanged();
    const bpv = this.bytesPerVariant;
    const bytes = new Uint8Array(rows.length * bpv);
    // consecutive .bim records are one read
    for (let a = 0; a < rows.length;) {
      let b = a + 1;
      while (b < rows.length && rows[b] === rows[b - 1]! + 1) b++;
      f.readInto(bytes, a * bpv, (b - a) * bpv, BED_HEADER_BYTES + rows[a]! * bpv);
      a = b;
    }
    return { bytes, bytesPerVariant: bpv, keep: this.keep };
  }

  override toString(): string {
    return super.toString().replace(/^StreamedBlockMatrix/, "StreamedBlockMatrix (PLINK .bed, packed)");
  }
}

function notAFrame(bed: string): { partitions(): AsyncIterable<never> } {
  return {
    partitions(): AsyncIterable<never> {
      throw new GlowtsError("BLOCKING", "internal: a packed .bed block matrix reads its header blocks from the .bed", { file: bed });
    },
  };
}

/**
 * Glow's `block_variants_and_samples` over a PLINK `.bed`, streamed (`{ materialize: false }`) and
 * without the partition engine: see the module description.
 * @returns `{ blockDf, sampleBlocks }` with a {@link PackedBedBlockMatrix}
 * @throws GlowtsError `PLINK_BED` for a `.bed` whose magic or size does not match its `.bim`/`.fam`,
 *   `PLINK_BIM` for a malformed `.bim` line (file and line named), `BLOCKING` / `OPTION` / `SAMPLE_IDS` as the blocking
 */
export function blockPlinkVariants(input: PlinkBlockingInput, variantsPerBlock: number, sampleBlockCount: number): StreamedBlockedVariants & { blockDf: PackedBedBlockMatrix } {
  const { bed, famSamples } = input;
  const ids = input.sampleIds;
  if (input.keep.length !== ids.length) throw new GlowtsError("BLOCKING", `${ids.length} sample ids for ${input.keep.length} .fam positions`);
  const keep = Int32Array.from(input.keep);
  for (const p of keep) if (!(p >= 0 && p < famSamples)) throw new GlowtsError("BLOCKING", `.fam position ${p} is outside the ${famSamples} samples of the .fam`, { file: bed });
  checkBlockArgs(variantsPerBlock, sampleBlockCount, ids.length);
  if (ids.length === 0) throw new GlowtsError("BLOCKING", "DataFrame has no values.");
  validateSampleIds(ids);
  const bimPath = bed.replace(/\.bed$/i, "") + ".bim";
  let bimText: string;
  try { bimText = readFileSync(bimPath, "utf8"); } catch { throw new GlowtsError("FILE_NOT_FOUND", "PLINK .bim file not found", { file: bimPath }); }
  const bim = parseBim(bimText, { delimiter: input.bimDelimiter ?? "whitespace", file: bimPath });
  const bpv = bedBlockSize(famSamples);
  const f = new BedFile(bed);
  const byContig = new Map<string, KeyRow[]>();
  try {
    const head = new Uint8Array(BED_HEADER_BYTES);
    if (f.size >= BED_HEADER_BYTES) f.readInto(head, 0, BED_HEADER_BYTES, 0);
    const magic = checkBedMagic(head);
    if (magic !== "snp-major") throw new GlowtsError("PLINK_BED", magic === "individual-major" ? "individual-major (sample-major) .bed files are not supported" : "not a variant-major PLINK 1 .bed (magic bytes)", { file: bed, record: "byte 0" });
    const expected = bedExpectedSize(bim.count, famSamples);
    const size = f.size;
    if (size !== expected) throw new GlowtsError("PLINK_BED", `.bed has ${size} bytes, expected 3 + ${bim.count} variants (.bim) × ${bpv} bytes (${famSamples} samples in .fam) = ${expected}`, { file: bed });
    // first pass: which variants have two distinct genotypes over the analysed samples
    const per = Math.max(1, Math.floor(SCAN_BYTES / Math.max(1, bpv)));
    const buf = new Uint8Array(per * bpv);
    for (let a = 0; a < bim.count; a += per) {
      const cnt = Math.min(per, bim.count - a);
      f.readInto(buf, 0, cnt * bpv, BED_HEADER_BYTES + a * bpv);
      for (let i = 0; i < cnt; i++) {
        const row = a + i;
        if (input.keepVariant && !input.keepVariant(bim.variantId[row]!)) continue;
        if (!packedHasTwoDistinct(buf, i * bpv, keep)) continue;
        const contigName = bim.contigName[row]!;
        let list = byContig.get(contigName);
        if (!list) byContig.set(contigName, (list = []));
        list.push({ row, contigName, start: bim.basePair[row]! - 1, referenceAllele: bim.allele2[row]!, alternateAlleles: [bim.allele1[row]!] });
      }
    }
  } finally {
    f.close();
  }
  const layout = layoutOfKeys(byContig, variantsPerBlock);
  const blockDf = new PackedBedBlockMatrix(bed, bpv, keep, ids, variantsPerBlock, sampleBlockCount, layout, bim.count);
  return { blockDf, sampleBlocks: blockDf.sampleBlocks() };
}

/** True for a {@link PackedBedBlockMatrix}. */
export function isPackedBed(x: unknown): x is PackedBedBlockMatrix {
  return x instanceof PackedBedBlockMatrix;
}
