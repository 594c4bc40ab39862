/**
 * Cross-validation scores of a ridge model (Glow's `cv_df`): the score of every (sample block, label,
 * alpha), the mean per (label, alpha) and the best alpha per label. Made by the ridge stages
 * (./ridge-stages.ts `summarizeScores`); rendered by `src/display/cross-validation.ts`.
 */
import { GlowtsError } from "../core/errors.js";
import { formatNumber } from "../linalg/ridge-matrix.js";
import { MIME_BUNDLE, renderAs, type MimeBundle } from "../core/mime.js";

/** Per (sample block, label, alpha) score and the best alpha per label (Glow's `cv_df`). */
export class CrossValidation {
  constructor(
    readonly metric: "r2" | "log_loss",
    /** Score of every (sample block, label, alpha). */
    readonly scores: { sampleBlock: string; label: string; alpha: string; score: number }[],
    /** Mean score per (label, alpha), alphas in sorted-name order. */
    readonly means: { label: string; alpha: string; alphaValue: number; mean: number }[],
    /** The best alpha per label, in label order. */
    readonly best: { label: string; alpha: string; alphaValue: number; mean: number }[],
  ) {}

  /** Best alpha name of a label. */
  bestAlpha(label: string): string {
    const b = this.best.find((r) => r.label === label);
    if (!b) throw new GlowtsError("LABEL", `no cross-validation result for label '${label}'`);
    return b.alpha;
  }

  /** Glow's `cv_df` rows: label, alpha, alpha_value, r2_mean | log_loss_mean. */
  toRows(): Record<string, string | number>[] {
    const m = this.metric === "r2" ? "r2_mean" : "log_loss_mean";
    return this.best.map((b) => ({ label: b.label, alpha: b.alpha, alpha_value: b.alphaValue, [m]: b.mean }));
  }

  /** `cv_df` as a danfo DataFrame. */
  async toDanfo(): Promise<import("danfojs").DataFrame> {
    const dfd = await import("danfojs");
    const rows = this.toRows();
    const cols = Object.keys(rows[0] ?? { label: "", alpha: "", alpha_value: 0 });
    const data: Record<string, (string | number)[]> = {};
    for (const c of cols) data[c] = rows.map((r) => r[c]!);
    return new dfd.DataFrame(data);
  }

  toString(): string {
    const m = this.metric === "r2" ? "r2_mean" : "log_loss_mean";
    const alphas = [...new Set(this.means.map((r) => r.alpha))];
    const labels = [...new Set(this.means.map((r) => r.label))];
    const lines = [`CrossValidation (${m}, ${new Set(this.scores.map((s) => s.sampleBlock)).size} sample blocks)`];
    const head = ["label", ...alphas, "best"];
    const cells = [head];
    for (const l of labels.slice(0, 20)) {
      const b = this.best.find((r) => r.label === l);
      cells.push([l, ...alphas.map((a) => formatNumber(this.means.find((r) => r.label === l && r.alpha === a)?.mean ?? NaN)), b ? `${b.alpha} (${formatNumber(b.alphaValue)})` : ""]);
    }
    const w = head.map((_, k) => Math.max(...cells.map((c) => c[k]!.length)));
    for (const c of cells) lines.push(c.map((v, k) => (k === 0 ? v.padEnd(w[k]!) : v.padStart(w[k]!))).join("  "));
    if (labels.length > 20) lines.push(`… ${labels.length - 20} more labels`);
    return lines.join("\n");
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /** Jupyter rich display (mean score per label × alpha, the best alpha, charts and per-block scores); rendered by `src/display/cross-validation.ts`. */
  [MIME_BUNDLE](): Promise<MimeBundle> {
    return renderAs("crossValidation", this);
  }
}
