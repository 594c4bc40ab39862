/**
 * `glow.plot.histogram`: the distribution of a QC statistic (call rate, allele frequency, HWE
 * p-value, ...) as bars over equal-width bins, with optional reference lines.
 */
import { GlowtsError } from "../core/errors.js";
import { formatNumber } from "../core/mime.js";
import { PlotFigure, plotLibrary, renderPlot } from "./figure.js";
import { stripUndefined } from "./manhattan.js";
import { readNumbers } from "./results.js";
import { binCounts, summaryStats } from "../stats/summary.js";

/** Options of {@link histogram}. */
export interface HistogramOptions {
  /** @defaultValue "Histogram" */
  title?: string | undefined;
  /** Label of the x axis. @defaultValue "value" */
  xLabel?: string | undefined;
  /** Number of bins. @defaultValue 40 */
  bins?: number | undefined;
  /** Range of the bins. @defaultValue [min, max] of the values */
  domain?: readonly [number, number] | undefined;
  /** Vertical reference lines (e.g. a QC threshold). @defaultValue [] */
  rules?: readonly number[] | undefined;
  /** Log-scaled counts. @defaultValue false */
  logCounts?: boolean | undefined;
  /** @defaultValue 560 */
  width?: number | undefined;
  /** @defaultValue 300 */
  height?: number | undefined;
  /** @defaultValue "#2b4c7e" */
  color?: string | undefined;
}

export const histogramDefaults = { title: "Histogram", xLabel: "value", bins: 40, rules: [] as readonly number[], logCounts: false, width: 560, height: 300, color: "#2b4c7e" };

/**
 * A histogram of numeric values (NaN and null are counted as missing and not drawn).
 * @param values an array, a typed array or a danfo Series
 * @returns a {@link PlotFigure} (`details`: count, missing, min, max, mean, sd, bins)
 * @example
 * ```ts
 * glow.plot.histogram(callRates, { title: "Per-variant call rate", xLabel: "call rate", rules: [0.95] })
 * ```
 */
export function histogram(values: unknown, options: HistogramOptions = {}): PlotFigure {
  const o = { ...histogramDefaults, ...stripUndefined(options) };
  if (!Number.isInteger(o.bins) || o.bins < 1 || o.bins > 10_000) throw new GlowtsError("OPTION", `histogram: option 'bins' must be an integer in [1, 10000]; got ${o.bins}`, { option: "bins" });
  const v = readNumbers(values, "histogram");
  const stats = summaryStats(v);
  if (stats.count === 0) throw new GlowtsError("EMPTY", "histogram: no finite values to draw");
  const domain = o.domain ?? [stats.min, stats.max];
  const { bins, outside } = binCounts(v, o.bins, domain);
  const Plot = plotLibrary();
  const svg = renderPlot({
    width: o.width,
    height: o.height,
    marginLeft: 52,
    marginBottom: 38,
    style: { background: "white", color: "#222" },
    x: { label: o.xLabel, labelAnchor: "center", labelArrow: "none" },
    y: { label: o.logCounts ? "count (log)" : "count", labelArrow: "none", grid: true, ...(o.logCounts ? { type: "symlog" as const } : {}) },
    marks: [
      Plot.rectY(bins, { x1: "x0", x2: "x1", y: "count", fill: o.color, insetLeft: 0.5, insetRight: 0.5 }),
      Plot.ruleX(o.rules, { stroke: "#d62728", strokeDasharray: "5 3" }),
      Plot.ruleY([0], { stroke: "#999" }),
    ],
  });
  const caption = `n = ${stats.count.toLocaleString("en-US")}${stats.missing ? ` (+ ${stats.missing.toLocaleString("en-US")} missing)` : ""}; `
    + `mean ${formatNumber(stats.mean)}, sd ${formatNumber(stats.sd)}, range [${formatNumber(stats.min)}, ${formatNumber(stats.max)}]`
    + (outside ? `; ${outside} outside the domain` : "");
  return new PlotFigure("histogram", o.title, svg, caption, { ...stats, bins: o.bins });
}
