/**
 * `glow.plot`: figures rendered to static SVG with Observable Plot (in Node, through linkedom).
 * Every function returns a {@link PlotFigure}: `.svg`, `.html`, `save(path)`, and the Jupyter
 * MIME-bundle protocol, so a figure as the last value of a notebook cell shows itself.
 */
export { manhattan, manhattanDefaults, type ManhattanOptions } from "./manhattan.js";
export { qq, qqDefaults, type QqOptions } from "./qq.js";
export { histogram, histogramDefaults, type HistogramOptions } from "./histogram.js";
export { heatmap, heatmapDefaults, asMatrix, type HeatmapOptions, type MatrixView } from "./heatmap.js";
export { PlotFigure, renderPlot } from "./figure.js";
/** λGC, the genomic-control inflation factor a QQ plot reports (computed in `src/stats/summary.ts`). */
export { lambdaGc } from "../stats/summary.js";
export { readAssociationResults, compareContigs, type ResultColumnOptions, type AssociationColumns } from "./results.js";
export { thinPoints, type ThinOptions, type ThinResult } from "./thin.js";
