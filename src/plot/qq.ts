/**
 * `glow.plot.qq`: observed against expected −log10 p under the uniform null, with the pointwise
 * 95% band of the order statistics (Beta(k, n − k + 1)) and λGC. Points are thinned where they sit
 * on top of each other (every point among the `keepTop` smallest p-values is kept).
 */
import { GlowtsError } from "../core/errors.js";
import { PlotFigure, plotLibrary, renderPlot } from "./figure.js";
import { formatP, isLazyFrame, stripUndefined } from "./manhattan.js";
import { readAssociationResults, type ResultColumnOptions } from "./results.js";
import { lambdaGc, qqBand } from "../stats/summary.js";

/** Options of {@link qq}. */
export interface QqOptions extends ResultColumnOptions {
  /** @defaultValue "QQ plot" (plus the phenotype when one was picked) */
  title?: string | undefined;
  /** @defaultValue 420 */
  width?: number | undefined;
  /** @defaultValue 420 */
  height?: number | undefined;
  /** Coverage of the band; null for none. @defaultValue 0.95 */
  band?: number | null | undefined;
  /** The points with the smallest p-values that are always drawn. @defaultValue 2000 */
  keepTop?: number | undefined;
  /** Other points are dropped when within this fraction of the axis range of the last drawn one. @defaultValue 0.003 */
  resolution?: number | undefined;
  /** @defaultValue "#2b4c7e" */
  color?: string | undefined;
}

export const qqDefaults = { width: 420, height: 420, band: 0.95, keepTop: 2000, resolution: 0.003, color: "#2b4c7e" };

/**
 * A QQ plot of association p-values with λGC.
 * @param results as for {@link manhattan} (only the p-value column is needed), or a plain array of p-values
 * @returns a {@link PlotFigure} (`details`: variants, drawn, lambdaGc)
 */
export function qq(results: { collectBatch(o?: object): Promise<unknown> }, options?: QqOptions): Promise<PlotFigure>;
export function qq(results: unknown, options?: QqOptions): PlotFigure;
export function qq(results: unknown, options: QqOptions = {}): PlotFigure | Promise<PlotFigure> {
  if (isLazyFrame(results)) return results.collectBatch({ onProgress: false }).then((b) => qqNow(b, options));
  return qqNow(results, options);
}

function qqNow(results: unknown, options: QqOptions): PlotFigure {
  const o = { ...qqDefaults, ...stripUndefined(options) };
  const input = Array.isArray(results) && (results.length === 0 || typeof results[0] === "number") || ArrayBuffer.isView(results)
    ? { pvalue: results as ArrayLike<number> } : results;
  const r = readAssociationResults(input, options, "qq", false);
  // −log10 p of the valid p-values, largest first
  const valid = new Float64Array(r.n);
  let n = 0;
  for (let i = 0; i < r.n; i++) { const v = r.mlog10p[i]!; if (v >= 0) valid[n++] = -v; }
  if (n === 0) throw new GlowtsError("EMPTY", "qq: no valid p-values");
  const m = valid.subarray(0, n).sort(); // ascending in −m = descending in m
  for (let k = 0; k < n; k++) m[k] = -m[k]!;
  let maxFinite = 1;
  for (let k = 0; k < n; k++) if (Number.isFinite(m[k]!)) { maxFinite = m[k]!; break; }
  const maxE = Math.log10(n / 0.5);
  const maxO = maxFinite * 1.05;
  const lambda = lambdaGc(r.pvalue);
  const points: { e: number; o: number }[] = [];
  const dx = o.resolution * maxE;
  const dy = o.resolution * Math.max(maxO, maxE);
  const log10n = Math.log10(n);
  let lastE = Infinity;
  let lastO = Infinity;
  for (let k = 0; k < n; k++) {
    const ob = Number.isFinite(m[k]!) ? m[k]! : maxO;
    const e = log10n - Math.log10(k + 0.5); // expected −log10 p of rank k + 1: −log10((k + 0.5)/n)
    if (k >= o.keepTop && k !== n - 1 && Math.abs(lastO - ob) <= dy && lastE - e <= dx) continue;
    points.push({ e, o: ob });
    lastE = e;
    lastO = ob;
  }
  const band = o.band ? qqBand(n, o.band) : [];
  const top = Math.max(maxO, maxE) * 1.02;
  const Plot = plotLibrary();
  const svg = renderPlot({
    width: o.width,
    height: o.height,
    marginLeft: 44,
    marginBottom: 38,
    style: { background: "white", color: "#222" },
    x: { domain: [0, maxE * 1.02], label: "expected −log₁₀ p", labelAnchor: "center", labelArrow: "none" },
    y: { domain: [0, top], label: "observed −log₁₀ p", labelArrow: "none" },
    marks: [
      Plot.areaY(band, { x: "expected", y1: "lower", y2: "upper", fill: "#d9d9d9", fillOpacity: 0.8 }),
      Plot.line([{ x: 0, y: 0 }, { x: maxE * 1.02, y: maxE * 1.02 }], { x: "x", y: "y", stroke: "#d62728", strokeWidth: 1 }),
      Plot.dot(points, { x: "e", y: "o", r: 1.8, fill: o.color, stroke: null }),
      Plot.text([`λGC = ${lambda.toFixed(3)}`], { frameAnchor: "top-left", dx: 8, dy: 8, fontSize: 12, text: (d: string) => d }),
      Plot.ruleY([0], { stroke: "#999" }),
      Plot.ruleX([0], { stroke: "#999" }),
    ],
  });
  const title = options.title ?? `QQ plot${r.phenotype ? ` — ${r.phenotype}` : ""}`;
  const caption = `${n.toLocaleString("en-US")} p-values (${points.length.toLocaleString("en-US")} drawn); λGC = ${lambda.toFixed(3)}`
    + (o.band ? `; grey: pointwise ${Math.round(o.band * 100)}% band under the null` : "")
    + `; smallest p = ${formatP(10 ** -m[0]!)}`;
  return new PlotFigure("qq", title, svg, caption, { variants: n, drawn: points.length, lambdaGc: lambda, phenotype: r.phenotype });
}
