/**
 * `glow.plot.manhattan`: −log10 p along the genome, chromosomes in karyotype order on alternating
 * bands, the suggestive (1e-5) and genome-wide (5e-8) lines, and the top loci labelled. Dense
 * results are thinned (see `thin.ts`) so that a million variants render in a few hundred KB.
 */
import { GlowtsError } from "../core/errors.js";
import { PlotFigure, plotLibrary, renderPlot } from "./figure.js";
import { compareContigs, readAssociationResults, type ResultColumnOptions } from "./results.js";
import { thinPoints } from "./thin.js";

/** Options of {@link manhattan}. */
export interface ManhattanOptions extends ResultColumnOptions {
  /** Title above the plot. @defaultValue "Manhattan plot" (plus the phenotype when one was picked) */
  title?: string | undefined;
  /** Width and height in px. @defaultValue 900 × 380 */
  width?: number | undefined;
  height?: number | undefined;
  /** The genome-wide significance line (p). @defaultValue 5e-8 */
  genomeWideLine?: number | null | undefined;
  /** The suggestive line (p). @defaultValue 1e-5 */
  suggestiveLine?: number | null | undefined;
  /** Number of loci to label (best hit per locus, loci ≥ `clumpDistance` apart). @defaultValue 5 */
  labelTop?: number | undefined;
  /** Only hits at least this significant (p) are labelled. @defaultValue the suggestive line (1e-5) */
  labelThreshold?: number | undefined;
  /** Minimum distance (bp) between two labelled hits on one chromosome. @defaultValue 500000 */
  clumpDistance?: number | undefined;
  /** All points with −log10 p ≥ this are drawn; the others are thinned. @defaultValue 3 */
  thinAbove?: number | undefined;
  /** Grid of the thinning below `thinAbove` (cells along the genome, along −log10 p). @defaultValue [300, 24] */
  thinBins?: readonly [number, number] | undefined;
  /** Cap on the points drawn above `thinAbove` (the threshold rises to meet it). @defaultValue 20000 */
  maxPointsAbove?: number | undefined;
  /** Point colours of alternating chromosomes. @defaultValue ["#2b4c7e", "#8aa6cf"] */
  colors?: readonly [string, string] | undefined;
  /** Point radius (px). @defaultValue 1.8 */
  radius?: number | undefined;
}

/** Defaults of {@link ManhattanOptions}. */
export const manhattanDefaults = {
  width: 900, height: 380, genomeWideLine: 5e-8, suggestiveLine: 1e-5, labelTop: 5, clumpDistance: 500_000,
  thinAbove: 3, thinBins: [300, 24] as const, maxPointsAbove: 20_000, colors: ["#2b4c7e", "#8aa6cf"] as const, radius: 1.8,
};

interface Point { x: number; y: number; label?: string }

/**
 * A Manhattan plot of association results.
 * @param results a danfo DataFrame, rows, columnar arrays, a VariantBatch or Arrow Table with a
 *   contig, a position and a p-value (or `negLog10pValue`) column (see {@link ResultColumnOptions}).
 *   A lazy VariantFrame (e.g. GWAS results) is collected first and the result is a promise.
 * @returns a {@link PlotFigure} (`details`: variants, drawn, above, threshold, contigs, topHit, topMlog10p)
 * @example
 * ```ts
 * const res = glow.gwas.linearRegression(frame, phenotypes, { covariateDf });
 * await glow.plot.manhattan(res)                    // in a notebook cell: shows the plot
 * glow.plot.manhattan(await res.toDanfo()).save("manhattan.svg");
 * ```
 */
export function manhattan(results: { collectBatch(o?: object): Promise<unknown> }, options?: ManhattanOptions): Promise<PlotFigure>;
export function manhattan(results: unknown, options?: ManhattanOptions): PlotFigure;
export function manhattan(results: unknown, options: ManhattanOptions = {}): PlotFigure | Promise<PlotFigure> {
  if (isLazyFrame(results)) return results.collectBatch({ onProgress: false }).then((b) => manhattanNow(b, options));
  return manhattanNow(results, options);
}

/** True for lazy frames (VariantFrame and GWAS results): they are collected before plotting. */
export function isLazyFrame(x: unknown): x is { collectBatch(o?: object): Promise<unknown> } {
  return x !== null && typeof x === "object" && typeof (x as { collectBatch?: unknown }).collectBatch === "function";
}

function manhattanNow(results: unknown, options: ManhattanOptions): PlotFigure {
  const o = { ...manhattanDefaults, ...stripUndefined(options) };
  const r = readAssociationResults(results, options, "manhattan", true);
  const contig = r.contig!;
  const pos = r.position!;
  // contig layout: karyotype order, each spanning [0, max position] plus a small gap
  const maxPos = new Map<string, number>();
  let maxFinite = 0;
  for (let i = 0; i < r.n; i++) {
    const c = contig[i];
    const m = r.mlog10p[i]!;
    if (c === null || Number.isNaN(pos[i]!) || Number.isNaN(m)) continue;
    if (m > maxFinite && Number.isFinite(m)) maxFinite = m;
    const prev = maxPos.get(c);
    if (prev === undefined || pos[i]! > prev) maxPos.set(c, pos[i]!);
  }
  if (maxPos.size === 0) throw new GlowtsError("EMPTY", "manhattan: no rows with a contig, a position and a p-value");
  const contigs = [...maxPos.keys()].sort(compareContigs);
  const total = contigs.reduce((s, c) => s + Math.max(1, maxPos.get(c)!), 0);
  const gap = total * 0.004;
  const offset = new Map<string, number>();
  const parity = new Map<string, number>();
  const bands: { x1: number; x2: number; name: string; mid: number; odd: boolean }[] = [];
  let at = 0;
  contigs.forEach((c, k) => {
    const len = Math.max(1, maxPos.get(c)!);
    offset.set(c, at);
    parity.set(c, k % 2);
    bands.push({ x1: at - gap / 2, x2: at + len + gap / 2, name: c, mid: at + len / 2, odd: k % 2 === 1 });
    at += len + gap;
  });
  const n = r.n;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = contig[i];
    const m = r.mlog10p[i]!;
    if (c === null || Number.isNaN(pos[i]!) || Number.isNaN(m)) { x[i] = NaN; y[i] = NaN; continue; }
    x[i] = offset.get(c)! + pos[i]!;
    y[i] = Number.isFinite(m) ? m : maxFinite * 1.05 || 1; // p = 0: drawn at the top
  }
  const thin = thinPoints(x, y, { keepAbove: o.thinAbove, bins: o.thinBins, xDomain: [0, at], maxAbove: o.maxPointsAbove });
  const even: Point[] = [];
  const odd: Point[] = [];
  for (const i of thin.indices) (parity.get(contig[i]!) === 0 ? even : odd).push({ x: x[i]!, y: y[i]! });

  // labelled top loci
  const labelMin = -Math.log10(options.labelThreshold ?? o.suggestiveLine ?? 1e-5);
  const order = Array.from(thin.indices).filter((i) => y[i]! >= labelMin).sort((a, b) => y[b]! - y[a]! || a - b);
  const top: Point[] = [];
  const picked: number[] = [];
  for (const i of order) {
    if (top.length >= o.labelTop) break;
    if (picked.some((j) => contig[j] === contig[i] && Math.abs(pos[j]! - pos[i]!) < o.clumpDistance)) continue;
    picked.push(i);
    top.push({ x: x[i]!, y: y[i]!, label: r.label?.[i] ?? `${contig[i]}:${pos[i]}` });
  }

  const yTop = Math.max(maxFinite * 1.08, o.genomeWideLine ? -Math.log10(o.genomeWideLine) + 0.8 : 0, 1);
  const Plot = plotLibrary();
  const lines: { y: number; kind: string }[] = [];
  if (o.suggestiveLine) lines.push({ y: -Math.log10(o.suggestiveLine), kind: "suggestive" });
  if (o.genomeWideLine) lines.push({ y: -Math.log10(o.genomeWideLine), kind: "genome-wide" });
  const svg = renderPlot({
    width: o.width,
    height: o.height,
    marginLeft: 48,
    marginBottom: 36,
    style: { background: "white", color: "#222" },
    x: {
      domain: [-gap, at], ticks: bands.map((b) => b.mid), tickFormat: (v: number) => bands.find((b) => b.mid === v)?.name ?? "",
      label: "chromosome", labelAnchor: "center", labelArrow: "none", tickSize: 0,
    },
    y: { domain: [0, yTop], label: "−log₁₀ p", labelArrow: "none", grid: false, nice: false },
    marks: [
      Plot.rect(bands.filter((b) => b.odd), { x1: "x1", x2: "x2", y1: 0, y2: yTop, fill: "#eef1f6" }),
      Plot.dot(even, { x: "x", y: "y", r: o.radius, fill: o.colors[0], stroke: null }),
      Plot.dot(odd, { x: "x", y: "y", r: o.radius, fill: o.colors[1], stroke: null }),
      Plot.ruleY(lines.filter((l) => l.kind === "suggestive"), { y: "y", stroke: "#3a7bd5", strokeDasharray: "5 3", strokeWidth: 1 }),
      Plot.ruleY(lines.filter((l) => l.kind === "genome-wide"), { y: "y", stroke: "#d62728", strokeWidth: 1.2 }),
      Plot.dot(top, { x: "x", y: "y", r: o.radius + 2, stroke: "#d62728", fill: "none", strokeWidth: 1.2 }),
      Plot.text(top, { x: "x", y: "y", text: "label", dy: -9, fontSize: 10, fill: "#111", stroke: "white", strokeWidth: 3, paintOrder: "stroke" }),
      Plot.ruleY([0], { stroke: "#999" }),
    ],
  });
  const best = picked[0];
  const title = options.title ?? `Manhattan plot${r.phenotype ? ` — ${r.phenotype}` : ""}`;
  const drawn = thin.indices.length;
  const valid = x.reduce((s, v) => (Number.isNaN(v) ? s : s + 1), 0);
  const caption = `${valid.toLocaleString("en-US")} variants on ${contigs.length} chromosome(s); ${drawn.toLocaleString("en-US")} drawn`
    + (drawn < valid ? ` (all with −log10 p ≥ ${round(thin.threshold)}, the rest thinned to one per cell of a ${o.thinBins[0]}×${o.thinBins[1]} grid)` : "")
    + (lines.length ? `; lines at p = ${lines.map((l) => `${formatP(10 ** -l.y)}`).join(" and ")}` : "")
    + (best !== undefined ? `; top hit ${top[0]!.label} (p = ${formatP(10 ** -y[best]!)})` : "");
  return new PlotFigure("manhattan", title, svg, caption, {
    variants: valid, drawn, above: thin.above, threshold: thin.threshold, contigs: contigs.length,
    topHit: top[0]?.label ?? null, topMlog10p: best !== undefined ? y[best]! : null, phenotype: r.phenotype,
  });
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/** p-value text for captions (2 significant digits). */
export function formatP(p: number): string {
  if (p === 0) return "0";
  return p >= 1e-3 ? String(Number(p.toPrecision(2))) : p.toExponential(1).replace(".0e", "e");
}

/** Copies an options object without its undefined values (so they don't override defaults). */
export function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
