/**
 * A fitted ridge model (Glow's `model_df`): one coefficient block per (header block, sample block,
 * label), with LOCO (`dropChromosome`) and Glow's row form. Made by the ridge stages
 * (./ridge-stages.ts); rendered by `src/display/ridge-model.ts`.
 */
import { DenseMatrix } from "../linalg/ridge-matrix.js";
import { MIME_BUNDLE, renderAs, type MimeBundle } from "../core/mime.js";

const SEP = "\u0000";

/** Coefficients of one group (Glow's `model_struct` rows gathered as a matrix). */
export interface RidgeModelBlock {
  headerBlock: string;
  sampleBlock: string;
  label: string;
  headers: string[];
  sortKeys: number[];
  nCov: number;
  /** Alpha name of each coefficient column. */
  alphaNames: string[];
  /** Label of each coefficient column. */
  labelNames: string[];
  /** p × k, row-major (k = alphaNames.length). */
  coefficients: Float64Array;
}

/** A fitted model: one coefficient block per group (Glow's `model_df`). */
export class RidgeModel {
  private readonly index = new Map<string, RidgeModelBlock>();

  constructor(readonly blocks: RidgeModelBlock[], readonly kind: "ridge" | "logistic" = "ridge") {
    for (const b of blocks) this.index.set(modelKey(b.headerBlock, b.sampleBlock, b.label), b);
  }

  /** The block for (header_block, sample_block, label). */
  get(headerBlock: string, sampleBlock: string, label: string): RidgeModelBlock | undefined {
    return this.index.get(modelKey(headerBlock, sampleBlock, label));
  }

  /** Coefficients of a block as a named matrix. */
  coefficientMatrix(b: RidgeModelBlock): DenseMatrix {
    return new DenseMatrix(b.headers.length, b.alphaNames.length, b.coefficients, b.headers, b.alphaNames.map((a, i) => `${a}/${b.labelNames[i]}`));
  }

  /**
   * A copy without the rows whose header matches `^chr_{c}_(alpha|block)` (LOCO, reference §2.6;
   * the chromosome is regex-escaped here).
   */
  dropChromosome(chromosome: string): RidgeModel {
    const re = locoPattern(chromosome);
    return new RidgeModel(this.blocks.map((b) => {
      const keep: number[] = [];
      b.headers.forEach((h, i) => { if (!re.test(h)) keep.push(i); });
      if (keep.length === b.headers.length) return b;
      const k = b.alphaNames.length;
      const coef = new Float64Array(keep.length * k);
      keep.forEach((i, r) => coef.set(b.coefficients.subarray(i * k, (i + 1) * k), r * k));
      return { ...b, headers: keep.map((i) => b.headers[i]!), sortKeys: keep.map((i) => b.sortKeys[i]!), coefficients: coef };
    }), this.kind);
  }

  /** Glow's `model_df` rows: one per (group, header). */
  toRows(): { header_block: string; sample_block: string; header: string; sort_key: number; alphas: string[]; labels: string[]; coefficients: number[] }[] {
    const out = [];
    for (const b of this.blocks) {
      const k = b.alphaNames.length;
      for (let i = 0; i < b.headers.length; i++) {
        out.push({
          header_block: b.headerBlock, sample_block: b.sampleBlock, header: b.headers[i]!, sort_key: b.sortKeys[i]!,
          alphas: [...b.alphaNames], labels: [...b.labelNames], coefficients: Array.from(b.coefficients.subarray(i * k, (i + 1) * k)),
        });
      }
    }
    return out;
  }

  toString(): string {
    const hb = new Set(this.blocks.map((b) => b.headerBlock)).size;
    const sb = new Set(this.blocks.map((b) => b.sampleBlock)).size;
    const rows = this.blocks.reduce((s, b) => s + b.headers.length, 0);
    const first = this.blocks[0];
    const lines = [`RidgeModel (${this.kind}): ${this.blocks.length} blocks (${hb} header block(s) × ${sb} sample block(s)), ${rows} coefficient rows`];
    if (first) {
      lines.push(`  columns: ${[...new Set(first.alphaNames)].join(", ")} × ${[...new Set(first.labelNames)].slice(0, 6).join(", ")}${new Set(first.labelNames).size > 6 ? ", …" : ""}`);
      lines.push(`  first block (${first.headerBlock}, sample block ${first.sampleBlock}${first.label !== "all" ? `, ${first.label}` : ""}):`);
      lines.push(this.coefficientMatrix(first).toString(6, 6).split("\n").map((l) => "    " + l).join("\n"));
    }
    return lines.join("\n");
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /** Jupyter rich display (blocks, coefficient columns, the first block's coefficients and a heatmap); rendered by `src/display/ridge-model.ts`. */
  [MIME_BUNDLE](): Promise<MimeBundle> {
    return renderAs("ridgeModel", this);
  }
}

function modelKey(headerBlock: string, sampleBlock: string, label: string): string {
  return headerBlock + SEP + sampleBlock + SEP + label;
}

/** `^chr_{c}_(alpha|block)` with `c` escaped. */
export function locoPattern(chromosome: string): RegExp {
  return new RegExp(`^chr_${chromosome.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}_(alpha|block)`);
}
