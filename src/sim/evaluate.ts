/**
 * `glow.simulate.evaluate`: how well an association scan found the simulator's causal variants —
 * power, false discovery rate, genomic inflation λGC and the causal loci found at genome-wide
 * (5e-8) and suggestive (1e-5) thresholds, per trait.
 *
 * A hit is a variant with p below the threshold. A hit is true when a causal variant of the same
 * trait lies on the same contig within `windowBp` (LD carries the signal to neighbours); a causal
 * variant is found when some hit lies within `windowBp` of it.
 */
import { GlowtsError } from "../core/errors.js";
import type { CohortTruth } from "./cohort.js";
import { lambdaGc } from "../stats/summary.js";
import { MIME_BUNDLE, renderAs, type MimeBundle } from "../core/mime.js";

export interface EvaluateOptions {
  /** Significance threshold for power/FDR. @defaultValue 5e-8 */
  threshold?: number;
  /** Distance (bp) within which a hit is attributed to a causal variant. @defaultValue 50000 */
  windowBp?: number;
  /** Map from result phenotype names to simulated trait names (default: identity). */
  traitNames?: Record<string, string>;
}

/** One result row: what evaluate needs (Glow's GWAS columns). */
export interface AssociationRow { contigName: string; start: number; pvalue: number; phenotype: string }

export interface TraitEvaluation {
  trait: string;
  variantsTested: number;
  causal: number;
  hits: number;
  trueHits: number;
  power: number;
  fdr: number;
  lambdaGc: number;
  causalFoundGenomeWide: number;
  causalFoundSuggestive: number;
}

/** Evaluation per trait, with a readable `toString()`. */
export class Evaluation {
  constructor(readonly threshold: number, readonly windowBp: number, readonly traits: TraitEvaluation[]) {}
  toString(): string {
    const head = ["trait", "tested", "causal", `hits(p<${this.threshold})`, "true hits", "power", "FDR", "λGC", "found@5e-8", "found@1e-5"];
    const rows = this.traits.map((t) => [t.trait, t.variantsTested, t.causal, t.hits, t.trueHits, t.power.toFixed(3), Number.isNaN(t.fdr) ? "-" : t.fdr.toFixed(3), t.lambdaGc.toFixed(3), t.causalFoundGenomeWide, t.causalFoundSuggestive].map(String));
    const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(w[i]!)).join("  ")).join("\n");
  }

  /** Jupyter rich display (the power/FDR table); rendered by `src/display/evaluation.ts`. */
  [MIME_BUNDLE](): Promise<MimeBundle> {
    return renderAs("evaluation", this);
  }
}

/** λGC = median(χ²₁ of the p-values) / median(χ²₁) — the same function as `glow.plot.lambdaGc`. */
export { lambdaGc };

/**
 * Evaluates association results against the simulator's truth.
 * @param results rows with contigName, start (0-based), pvalue, phenotype (e.g. `collect()` of a
 *   GWAS result)
 */
export function evaluate(results: AssociationRow[], truth: CohortTruth, options: EvaluateOptions = {}): Evaluation {
  const threshold = options.threshold ?? 5e-8;
  const windowBp = options.windowBp ?? 50000;
  if (!Array.isArray(results)) throw new GlowtsError("OPTION", "simulate.evaluate: results must be an array of rows (use collect())");
  const byTrait = new Map<string, AssociationRow[]>();
  for (const r of results) {
    const t = options.traitNames?.[r.phenotype] ?? r.phenotype;
    const list = byTrait.get(t) ?? [];
    list.push(r);
    byTrait.set(t, list);
  }
  const out: TraitEvaluation[] = [];
  for (const [trait, rows] of byTrait) {
    const causal = truth.causal.filter((c) => c.trait === trait);
    const near = (r: AssociationRow, c: { contigName: string; position: number }): boolean =>
      r.contigName === c.contigName && Math.abs(r.start + 1 - c.position) <= windowBp;
    const hitsAt = (thr: number): AssociationRow[] => rows.filter((r) => r.pvalue < thr);
    const hits = hitsAt(threshold);
    const trueHits = hits.filter((h) => causal.some((c) => near(h, c))).length;
    const foundAt = (thr: number): number => { const hs = hitsAt(thr); return causal.filter((c) => hs.some((h) => near(h, c))).length; };
    const found = foundAt(threshold);
    out.push({
      trait,
      variantsTested: rows.length,
      causal: causal.length,
      hits: hits.length,
      trueHits,
      power: causal.length ? found / causal.length : NaN,
      fdr: hits.length ? (hits.length - trueHits) / hits.length : NaN,
      lambdaGc: lambdaGc(rows.map((r) => r.pvalue)),
      causalFoundGenomeWide: foundAt(5e-8),
      causalFoundSuggestive: foundAt(1e-5),
    });
  }
  out.sort((a, b) => (a.trait < b.trait ? -1 : a.trait > b.trait ? 1 : 0));
  return new Evaluation(threshold, windowBp, out);
}
