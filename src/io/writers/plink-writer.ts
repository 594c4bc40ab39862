/**
 * PLINK 1 bed/bim/fam writer (SNP-major), with Glow's allele convention: BIM allele 1 is the
 * alternate allele, allele 2 the reference; BED codes per sample: alt count 2 → 00, missing → 01,
 * 1 → 10, 0 → 11 (two bits per sample, first sample in the lowest bits).
 */
import { GlowtsError } from "../../core/errors.js";
import { AtomicFile, writeTextAtomic } from "./atomic.js";

/** Variants to write: per-variant fields and alt-allele counts (variant-major, -1 = missing). */
export interface HardCallChunk {
  contigName: string[];
  /** 1-based positions. */
  position: ArrayLike<number>;
  id: string[];
  referenceAllele: string[];
  alternateAllele: string[];
  /** numVariants × numSamples alt-allele counts 0/1/2, -1 for missing. */
  dosages: Int8Array;
}

/** A sample as PLINK knows it. */
export interface PlinkSample { fid: string; iid: string; sex?: number; phenotype?: number | string }

const CODE = [0b11, 0b10, 0b00]; // alt count → 2-bit code

/** Streams variants into `{prefix}.bed/.bim/.fam`; call `close()` to put the files in place. */
export class PlinkWriter {
  private readonly bed: AtomicFile;
  private readonly bim: string[] = [];
  private readonly bytesPerVariant: number;
  private count = 0;

  constructor(readonly prefix: string, readonly samples: PlinkSample[]) {
    this.bytesPerVariant = Math.ceil(samples.length / 4);
    this.bed = new AtomicFile(`${prefix}.bed`);
    this.bed.write(new Uint8Array([0x6c, 0x1b, 0x01]));
  }

  /** Appends a chunk of variants. */
  write(chunk: HardCallChunk): void {
    const n = this.samples.length;
    const m = chunk.id.length;
    if (chunk.dosages.length !== m * n) throw new GlowtsError("WRITE", `PlinkWriter: dosages has ${chunk.dosages.length} values, expected ${m}×${n}`, { file: `${this.prefix}.bed` });
    const out = new Uint8Array(m * this.bytesPerVariant);
    for (let v = 0; v < m; v++) {
      const base = v * this.bytesPerVariant;
      const row = v * n;
      for (let s = 0; s < n; s++) {
        const d = chunk.dosages[row + s]!;
        const code = d < 0 || d > 2 ? 0b01 : CODE[d]!;
        out[base + (s >> 2)]! |= code << ((s & 3) * 2);
      }
      this.bim.push(`${chunk.contigName[v]}\t${chunk.id[v]}\t0\t${chunk.position[v]}\t${chunk.alternateAllele[v]}\t${chunk.referenceAllele[v]}`);
    }
    this.bed.write(out);
    this.count += m;
  }

  /** Number of variants written so far. */
  get variants(): number { return this.count; }

  /** Writes .bim and .fam and renames all three files into place. */
  close(): void {
    try {
      writeTextAtomic(`${this.prefix}.bim`, this.bim.join("\n") + (this.bim.length ? "\n" : ""));
      writeTextAtomic(`${this.prefix}.fam`, this.samples.map((s) => `${s.fid} ${s.iid} 0 0 ${s.sex ?? 0} ${s.phenotype ?? -9}`).join("\n") + "\n");
      this.bed.commit();
    } catch (e) {
      this.bed.abort();
      throw e;
    }
  }

  /** Discards everything written. */
  abort(): void { this.bed.abort(); }
}
