/**
 * Rich display of GloWGR and GWAS objects: block matrices (X₀ from blocking, X₁ from a reduction),
 * fitted ridge models, cross-validation scores, the model classes themselves (RidgeReduction,
 * RidgeRegression, LogisticRidgeRegression), LOCO predictions, GWAS result batches and the
 * simulator's power/FDR evaluation.
 *
 * Every renderer reads what the object holds (its fields and accessors) and never refits or
 * rescores anything; the only numbers it derives are display summaries (min/mean/max of a column,
 * λGC of the p-values shown, row counts) through `src/stats/summary.ts`. All strings from the data are
 * escaped; plots are inline SVG made with `glow.plot` (Observable Plot).
 *
 * Import direction: display → models. The model classes implement `[MIME_BUNDLE]()` with
 * `renderAs(kind, this)` (`core/mime.ts`); this module installs the renderer of each kind into that
 * registry when it is imported (bottom of the file) and imports only the models' types.
 */
import type { Column, VariantBatch } from "../core/column.js";
import { getValue } from "../core/column.js";
import type { BlockMatrix } from "../wgr/block-matrix.js";
import type { LocoPredictions } from "../wgr/loco.js";
import type { LogisticRidgeRegression } from "../wgr/logistic-ridge-regression.js";
import type { RidgeReduction } from "../wgr/ridge-reduction.js";
import type { RidgeRegression } from "../wgr/ridge-regression.js";
import type { CrossValidation, RidgeModel, RidgeModelBlock } from "../wgr/ridge-stages.js";
import type { SampleTable } from "../wgr/sample-table.js";
import type { Evaluation } from "../sim/evaluate.js";
import { heatmap, type MatrixView } from "../plot/heatmap.js";
import { plotLibrary, renderPlot } from "../plot/figure.js";
import { lambdaGc, summaryStats } from "../stats/summary.js";
import {
  ELLIPSIS_ROW, escapeHtml, formatNumber, formatValue, htmlTable, makeBundle, registerRenderer, textTable, type MimeBundle, type TableColumn,
} from "../core/mime.js";

type Row = Record<string, unknown>;
type TableRows = (Row | typeof ELLIPSIS_ROW)[];

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

function title(kind: string, rest: string): string {
  return `<div class="glowts-title">${escapeHtml(kind)} <span style="font-weight:400">${escapeHtml(rest)}</span></div>`;
}

function meta(text: string): string {
  return `<div class="glowts-meta">${escapeHtml(text)}</div>`;
}

function section(name: string): string {
  return `<div class="glowts-title" style="margin-top:8px;font-size:12px">${escapeHtml(name)}</div>`;
}

function flexRow(parts: string[]): string {
  return `<div style="display:flex;gap:16px;align-items:flex-start;flex-wrap:wrap">${parts.map((p) => `<div>${p}</div>`).join("")}</div>`;
}

/** A two-column "what · value" table (values are plain text). */
function keyValueTable(pairs: [string, string][]): string {
  return htmlTable(pairs.map(([k, v]) => ({ k, v })), [
    { key: "k", label: "", align: "left" },
    { key: "v", label: "", align: "left", wrap: true, format: (v) => String(v) },
  ]);
}

function keyValueText(pairs: [string, string][]): string {
  const w = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join("\n");
}

/** Head of a list with a count of the rest: `a, b, c, … (+7)`. */
function listHead(xs: readonly string[], n = 6): string {
  if (xs.length === 0) return "(none)";
  return xs.slice(0, n).join(", ") + (xs.length > n ? `, … (+${xs.length - n})` : "");
}

/** Distinct values in order of first appearance. */
function distinct(xs: Iterable<string>): string[] {
  return [...new Set(xs)];
}

// ------------------------------------------------------------------------------ block matrices

/** Options of {@link renderBlockMatrix}. */
export interface BlockMatrixDisplayOptions {
  /** Rows of the first-rows table. @defaultValue 6 */
  rows?: number | undefined;
  /** Header blocks listed in the layout table. @defaultValue 12 */
  maxHeaderBlocks?: number | undefined;
  /** Sample blocks listed in the layout table. @defaultValue 12 */
  maxSampleBlocks?: number | undefined;
  /** Draw the heatmap of the first block. @defaultValue true */
  heatmap?: boolean | undefined;
  /** Headers × samples of the first block drawn in the heatmap. @defaultValue 40 × 80 */
  heatmapRows?: number | undefined;
  heatmapCols?: number | undefined;
}

/** The parts of a block matrix the renderer reads (a `BlockMatrix` has them). */
export type BlockMatrixLike = Pick<BlockMatrix,
  "numRows" | "header" | "size" | "values" | "headerBlock" | "sampleBlock" | "sortKey" | "mu" | "sig" | "alpha" | "label"
  | "denseValues" | "toString">;

/**
 * The MIME bundle of a GloWGR block matrix (Glow's `block_df` or `reduced_block_df`): its shape,
 * the header block × sample block layout (rows per cell), the sample block sizes, statistics of the
 * per-row `mu`/`sig`, the first rows, and a heatmap of the first block's values.
 */
export function renderBlockMatrix(bm: BlockMatrixLike, options: BlockMatrixDisplayOptions = {}): MimeBundle {
  const n = bm.numRows;
  const reduced = bm.label !== null;
  const headerBlocks: string[] = [];
  const sampleBlocks: string[] = [];
  const cell = new Map<string, Map<string, number>>();
  const sbSize = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const hb = bm.headerBlock[i]!;
    const sb = bm.sampleBlock[i]!;
    let m = cell.get(hb);
    if (!m) { cell.set(hb, (m = new Map())); headerBlocks.push(hb); }
    m.set(sb, (m.get(sb) ?? 0) + 1);
    if (!sbSize.has(sb)) { sbSize.set(sb, bm.size[i]!); sampleBlocks.push(sb); }
  }
  const nHeaders = new Set(bm.header).size;
  const nSamples = [...sbSize.values()].reduce((s, x) => s + x, 0);
  const labels = bm.label ? distinct(bm.label) : [];
  const alphas = bm.alpha ? distinct(bm.alpha) : [];
  const kind = reduced ? "BlockMatrix (reduced, X₁)" : "BlockMatrix (X₀)";
  const shape = `${plural(n, "row")} = ${plural(nHeaders, "header")} × their sample blocks`;
  const layoutText = `${plural(headerBlocks.length, "header block")} × ${plural(sampleBlocks.length, "sample block")} · ${plural(nSamples, "sample")}`
    + (reduced ? ` · ${plural(labels.length, "label")} × ${plural(alphas.length, "alpha")}` : "");

  // layout table: header blocks × sample blocks, rows per cell
  const maxHb = options.maxHeaderBlocks ?? 12;
  const maxSb = options.maxSampleBlocks ?? 12;
  const sbShown = sampleBlocks.slice(0, maxSb);
  const layoutCols: TableColumn[] = [
    { key: "header_block", align: "left" },
    ...sbShown.map((sb) => ({ key: `sb:${sb}`, label: `${sb}`, dtype: `n=${sbSize.get(sb)}` })),
    ...(sampleBlocks.length > maxSb ? [{ key: "more", label: "…", align: "left" as const }] : []),
  ];
  const layoutRows: TableRows = headerBlocks.slice(0, maxHb).map((hb) => {
    const r: Row = { header_block: hb };
    for (const sb of sbShown) r[`sb:${sb}`] = cell.get(hb)!.get(sb) ?? 0;
    if (sampleBlocks.length > maxSb) r["more"] = "…";
    return r;
  });
  if (headerBlocks.length > maxHb) layoutRows.push(ELLIPSIS_ROW);
  const layoutCaption = `rows per header_block (rows) × sample_block (columns; n = samples in the block)`
    + (headerBlocks.length > maxHb ? `; first ${maxHb} of ${headerBlocks.length} header blocks` : "");

  // statistics of mu and sig
  const muStats = summaryStats(bm.mu);
  const sigStats = summaryStats(bm.sig);
  const statRows = [
    { column: "mu", ...muStats },
    { column: "sig", ...sigStats },
  ];
  const statCols: TableColumn[] = [{ key: "column", align: "left" }, { key: "min" }, { key: "mean" }, { key: "max" }, { key: "sd" }];

  // first rows
  const k = Math.min(options.rows ?? 6, n);
  const rowCols: TableColumn[] = [
    { key: "header", align: "left" }, { key: "size" }, { key: "values", align: "left" },
    { key: "header_block", align: "left" }, { key: "sample_block", align: "left" }, { key: "sort_key" }, { key: "mu" }, { key: "sig" },
    ...(reduced ? [{ key: "alpha", align: "left" as const }, { key: "label", align: "left" as const }] : []),
  ];
  const firstRows: TableRows = [];
  for (let i = 0; i < k; i++) {
    firstRows.push({
      header: bm.header[i], size: bm.size[i], values: bm.values[i], header_block: bm.headerBlock[i], sample_block: bm.sampleBlock[i],
      sort_key: bm.sortKey[i], mu: bm.mu[i], sig: bm.sig[i], alpha: bm.alpha?.[i] ?? null, label: bm.label?.[i] ?? null,
    });
  }
  if (n > k) firstRows.push(ELLIPSIS_ROW);

  // heatmap of the first (header block, sample block)
  let figure = "";
  let figureCaption = "";
  if (options.heatmap !== false && n > 0) {
    const hb0 = headerBlocks[0]!;
    const sb0 = sampleBlocks[0]!;
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (bm.headerBlock[i] === hb0 && bm.sampleBlock[i] === sb0) rows.push(i);
    rows.sort((a, b) => bm.sortKey[a]! - bm.sortKey[b]! || (bm.header[a]! < bm.header[b]! ? -1 : bm.header[a]! > bm.header[b]! ? 1 : 0));
    const r = Math.min(options.heatmapRows ?? 40, rows.length);
    const c = Math.min(options.heatmapCols ?? 80, bm.size[rows[0]!]!);
    if (r > 0 && c > 0) {
      const dense = rows.slice(0, r).map((i) => bm.denseValues(i));
      const view: MatrixView = { rows: r, cols: c, get: (i, j) => dense[i]![j]!, kind: "values" };
      const fig = heatmap(view, { size: 320, maxCells: 80, rowLabel: reduced ? "reduced header" : "variant (header)", colLabel: "sample" });
      figure = fig.svg;
      figureCaption = `values of header block ${hb0} × sample block ${sb0}: first ${r} of ${rows.length} headers × first ${c} samples; ${fig.caption}`;
    }
  }

  const html = [
    title(kind, shape),
    meta(layoutText),
    reduced ? meta(`labels: ${listHead(labels)} · alphas: ${listHead(alphas)}`) : "",
    flexRow([
      htmlTable(layoutRows, layoutCols, { caption: layoutCaption }),
      htmlTable(statRows, statCols, { caption: reduced ? "per-row mean and sd within the sample block" : "per-variant mean (2 × alt frequency) and sd" }),
    ]),
    n > 0 ? htmlTable(firstRows, rowCols, { caption: k < n ? `first ${k} rows` : `all ${k} rows` }) : meta("(no rows)"),
    figure ? `<div class="glowts-figure">${figure}</div>${meta(figureCaption)}` : "",
  ].join("");
  const text = [
    `${kind}: ${shape}`,
    layoutText,
    ...(reduced ? [`labels: ${listHead(labels)}; alphas: ${listHead(alphas)}`] : []),
    `mu: min ${formatNumber(muStats.min)} mean ${formatNumber(muStats.mean)} max ${formatNumber(muStats.max)}; sig: min ${formatNumber(sigStats.min)} mean ${formatNumber(sigStats.mean)} max ${formatNumber(sigStats.max)}`,
    bm.toString().split("\n").slice(1).join("\n"),
  ].join("\n");
  return makeBundle(html, text, "block-matrix");
}

// ------------------------------------------------------------------------------------ models

/** Alpha names and labels of a model's coefficient columns (first block). */
function modelColumns(model: Pick<RidgeModel, "blocks">): { alphas: string[]; labels: string[] } {
  const b = model.blocks[0];
  return b ? { alphas: distinct(b.alphaNames), labels: distinct(b.labelNames) } : { alphas: [], labels: [] };
}

/**
 * The MIME bundle of a fitted ridge model (Glow's `model_df`): its blocks (header block × sample
 * block), the coefficient columns (alpha × label), the first block's coefficients as a table and
 * a heatmap (alpha/label columns × headers: the shrinkage as alpha grows).
 */
export function renderRidgeModel(model: Pick<RidgeModel, "blocks" | "kind" | "toString">, options: { maxHeaderBlocks?: number } = {}): MimeBundle {
  const blocks = model.blocks;
  const hbs = distinct(blocks.map((b) => b.headerBlock));
  const sbs = distinct(blocks.map((b) => b.sampleBlock));
  const coefRows = blocks.reduce((s, b) => s + b.headers.length, 0);
  const { alphas, labels } = modelColumns(model);
  const kind = `RidgeModel (${model.kind})`;
  const shape = `${plural(blocks.length, "block")} = ${plural(hbs.length, "header block")} × ${plural(sbs.length, "sample block")} · ${plural(coefRows, "coefficient row")}`;
  const colsText = `coefficient columns: ${plural(alphas.length, "alpha")} (${listHead(alphas)}) × ${plural(labels.length, "label")} (${listHead(labels)})`;

  // one row per header block: size of the first sample block's system
  const maxHb = options.maxHeaderBlocks ?? 10;
  const firstOf = new Map<string, RidgeModelBlock>();
  const sbCount = new Map<string, number>();
  for (const b of blocks) {
    if (!firstOf.has(b.headerBlock)) firstOf.set(b.headerBlock, b);
    sbCount.set(b.headerBlock, (sbCount.get(b.headerBlock) ?? 0) + 1);
  }
  const hbRows: TableRows = hbs.slice(0, maxHb).map((hb) => {
    const b = firstOf.get(hb)!;
    return { header_block: hb, groups: sbCount.get(hb), covariates: b.nCov, features: b.headers.length - b.nCov, columns: b.alphaNames.length };
  });
  if (hbs.length > maxHb) hbRows.push(ELLIPSIS_ROW);
  const hbCols: TableColumn[] = [
    { key: "header_block", align: "left" },
    { key: "groups", label: "models", dtype: "sample blocks × labels" },
    { key: "covariates" }, { key: "features", dtype: "headers" }, { key: "columns", dtype: "alpha × label" },
  ];

  // first block's coefficients
  let coefTable = "";
  let figure = "";
  let figureCaption = "";
  const first = blocks[0];
  if (first) {
    const p = first.headers.length;
    const kc = first.alphaNames.length;
    const colNames = first.alphaNames.map((a, j) => `${a}/${first.labelNames[j]}`);
    const shownCols = Math.min(kc, 8);
    const shownRows = Math.min(p, 8);
    const cols: TableColumn[] = [{ key: "header", align: "left" }];
    for (let j = 0; j < shownCols; j++) cols.push({ key: `c${j}`, label: colNames[j] });
    if (kc > shownCols) cols.push({ key: "more", label: "…", align: "left" });
    const rows: TableRows = [];
    for (let i = 0; i < shownRows; i++) {
      const r: Row = { header: first.headers[i] };
      for (let j = 0; j < shownCols; j++) r[`c${j}`] = first.coefficients[i * kc + j];
      if (kc > shownCols) r["more"] = "…";
      rows.push(r);
    }
    if (p > shownRows) rows.push(ELLIPSIS_ROW);
    const where = `${first.headerBlock}, sample block ${first.sampleBlock}${first.label !== "all" ? `, label ${first.label}` : ""}`;
    coefTable = htmlTable(rows, cols, { caption: `coefficients of the first block (${where}): ${p} rows (covariates first) × ${kc} columns` });
    const features = p - first.nCov;
    const fc = Math.min(features, 60);
    if (fc > 0 && kc > 0) {
      const view: MatrixView = {
        rows: kc, cols: fc, kind: "coefficients",
        get: (i, j) => first.coefficients[(first.nCov + j) * kc + i]!,
        rowNames: colNames,
      };
      const fig = heatmap(view, { size: 320, maxCells: 60, rowLabel: "alpha / label column", colLabel: "feature (header)" });
      figure = fig.svg;
      figureCaption = `coefficients of the first ${fc} non-covariate headers of that block, one row per coefficient column (${listHead(colNames, 5)}); ${fig.caption}`;
    }
  }
  const html = [
    title(kind, shape),
    meta(colsText),
    htmlTable(hbRows, hbCols, { caption: hbs.length > maxHb ? `first ${maxHb} of ${hbs.length} header blocks` : "header blocks" }),
    coefTable,
    figure ? `<div class="glowts-figure">${figure}</div>${meta(figureCaption)}` : "",
  ].join("");
  return makeBundle(html, `${model.toString()}`, "model");
}

// ---------------------------------------------------------------------------- cross validation

/** Name and direction of a cross-validation metric. */
function metricInfo(metric: "r2" | "log_loss"): { name: string; column: string; better: string } {
  return metric === "r2"
    ? { name: "r²", column: "r2_mean", better: "higher is better" }
    : { name: "log-loss", column: "log_loss_mean", better: "lower is better" };
}

type CvLike = Pick<CrossValidation, "metric" | "scores" | "means" | "best" | "toString">;

/** A small line chart of one label's scores against alpha: one grey line per sample block, the mean in blue, the best alpha circled. */
export function crossValidationChart(cv: CvLike, label: string, options: { width?: number; height?: number } = {}): string {
  const info = metricInfo(cv.metric);
  const alphaValue = new Map(cv.means.filter((m) => m.label === label).map((m) => [m.alpha, m.alphaValue]));
  const scores = cv.scores.filter((s) => s.label === label && alphaValue.has(s.alpha) && Number.isFinite(s.score))
    .map((s) => ({ sampleBlock: s.sampleBlock, alpha: alphaValue.get(s.alpha)!, score: s.score }))
    .sort((a, b) => a.alpha - b.alpha);
  const means = cv.means.filter((m) => m.label === label && Number.isFinite(m.mean)).map((m) => ({ alpha: m.alphaValue, mean: m.mean })).sort((a, b) => a.alpha - b.alpha);
  const best = cv.best.filter((b) => b.label === label && Number.isFinite(b.mean)).map((b) => ({ alpha: b.alphaValue, mean: b.mean }));
  if (means.length === 0) return "";
  const Plot = plotLibrary();
  const positive = means.every((m) => m.alpha > 0);
  return renderPlot({
    width: options.width ?? 320,
    height: options.height ?? 210,
    marginLeft: 56,
    marginBottom: 38,
    marginTop: 20,
    style: { background: "white", color: "#222" },
    x: { type: positive ? "log" : "symlog", label: "alpha (ridge penalty)", labelAnchor: "center", labelArrow: "none", ticks: 4 },
    y: { label: `${info.name} (${info.better})`, labelArrow: "none", grid: true, ticks: 5 },
    marks: [
      Plot.line(scores, { x: "alpha", y: "score", z: "sampleBlock", stroke: "#b8b8b8", strokeWidth: 1 }),
      Plot.dot(scores, { x: "alpha", y: "score", fill: "#b8b8b8", r: 1.8 }),
      Plot.line(means, { x: "alpha", y: "mean", stroke: "#2b4c7e", strokeWidth: 2 }),
      Plot.dot(means, { x: "alpha", y: "mean", fill: "#2b4c7e", r: 3 }),
      Plot.dot(best, { x: "alpha", y: "mean", stroke: "#d62728", strokeWidth: 2, r: 7, fill: "none" }),
    ],
  });
}

/** Options of {@link renderCrossValidation}. */
export interface CrossValidationDisplayOptions {
  /** Labels drawn as charts / detailed per block. @defaultValue 4 */
  maxLabels?: number | undefined;
}

/** HTML of a CrossValidation (used inside the model renderings too). */
function crossValidationHtml(cv: CvLike, options: CrossValidationDisplayOptions = {}): string {
  const info = metricInfo(cv.metric);
  const labels = distinct(cv.means.map((m) => m.label));
  const alphaNames = distinct(cv.means.map((m) => m.alpha));
  const alphaValues = new Map(cv.means.map((m) => [m.alpha, m.alphaValue]));
  const sampleBlocks = distinct(cv.scores.map((s) => s.sampleBlock));
  const bestOf = new Map(cv.best.map((b) => [b.label, b]));
  const meanOf = new Map(cv.means.map((m) => [`${m.label}\u0000${m.alpha}`, m.mean]));
  const maxLabels = options.maxLabels ?? 4;

  // mean score per label × alpha, best in bold
  const bold = (label: string, alpha: string) => (v: unknown): string => {
    const s = typeof v === "number" ? escapeHtml(formatNumber(v)) : '<span class="glowts-null">–</span>';
    return bestOf.get(label)?.alpha === alpha ? `<b>${s}</b>` : s;
  };
  const meanCols: TableColumn[] = [
    { key: "label", align: "left" },
    ...alphaNames.map((a) => ({ key: a, label: a, dtype: `α = ${formatNumber(alphaValues.get(a)!)}`, align: "right" as const, html: (v: unknown, row: unknown) => bold((row as Row)["label"] as string, a)(v) })),
    { key: "best", label: "best alpha", align: "left" },
    { key: "bestValue", label: info.column },
  ];
  const meanRows: TableRows = labels.map((l) => {
    const r: Row = { label: l };
    for (const a of alphaNames) r[a] = meanOf.get(`${l}\u0000${a}`) ?? null;
    const b = bestOf.get(l);
    r["best"] = b ? `${b.alpha} (${formatNumber(b.alphaValue)})` : null;
    r["bestValue"] = b ? b.mean : null;
    return r;
  });

  // per sample block scores of the first labels
  const perBlock = labels.slice(0, maxLabels).map((l) => {
    const cols: TableColumn[] = [{ key: "sampleBlock", label: "sample block", align: "left" }, ...alphaNames.map((a) => ({ key: a, label: a }))];
    const rows: TableRows = sampleBlocks.map((sb) => {
      const r: Row = { sampleBlock: sb };
      for (const s of cv.scores) if (s.label === l && s.sampleBlock === sb) r[s.alpha] = s.score;
      return r;
    });
    const mean: Row = { sampleBlock: "mean" };
    for (const a of alphaNames) mean[a] = meanOf.get(`${l}\u0000${a}`) ?? null;
    rows.push(mean);
    return `<details><summary>${escapeHtml(`${info.name} per sample block — ${l}`)}</summary>${htmlTable(rows, cols)}</details>`;
  });
  const charts = labels.slice(0, maxLabels)
    .map((l) => [l, crossValidationChart(cv, l)] as const)
    .filter(([, svg]) => svg !== "")
    .map(([l, svg]) => `<div><div class="glowts-title" style="font-size:12px">${escapeHtml(l)}</div>${svg}</div>`);
  return [
    meta(`${info.name} of the held-out sample block, averaged over ${plural(sampleBlocks.length, "sample block")} (${info.better}); the best alpha of each label in bold`),
    htmlTable(meanRows, meanCols),
    charts.length ? `<div class="glowts-figure" style="display:flex;gap:12px;flex-wrap:wrap">${charts.join("")}</div>` : "",
    charts.length ? meta("grey: one line per held-out sample block · blue: mean over blocks · red circle: the chosen alpha") : "",
    labels.length > maxLabels ? meta(`charts and per-block tables for the first ${maxLabels} of ${labels.length} labels`) : "",
    perBlock.join(""),
  ].join("");
}

/**
 * The MIME bundle of GloWGR's cross-validation (Glow's `cv_df`, with every per-block score): the
 * mean r² (or log-loss) per label × alpha with the best alpha, a chart per label, and the scores
 * of each held-out sample block.
 */
export function renderCrossValidation(cv: CvLike, options: CrossValidationDisplayOptions = {}): MimeBundle {
  const labels = distinct(cv.means.map((m) => m.label));
  const html = title("CrossValidation", `${metricInfo(cv.metric).name} · ${plural(labels.length, "label")}`) + crossValidationHtml(cv, options);
  return makeBundle(html, cv.toString(), "cross-validation");
}

// ------------------------------------------------------------------------------ model classes

function alphaTable(alphas: Record<string, number>): string {
  const names = Object.keys(alphas).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return htmlTable(names.map((a) => ({ alpha: a, value: alphas[a] })), [{ key: "alpha", align: "left" }, { key: "value", label: "value" }], { caption: "alphas" });
}

function alphaText(alphas: Record<string, number>): string {
  return Object.keys(alphas).sort().map((a) => `${a}=${formatNumber(alphas[a]!)}`).join(", ");
}

function blockSummary(bm: Pick<BlockMatrixLike, "numRows" | "header" | "headerBlock" | "sampleBlock">): string {
  const hb = new Set(bm.headerBlock).size;
  const sb = new Set(bm.sampleBlock).size;
  return `${plural(bm.numRows, "row")}: ${plural(new Set(bm.header).size, "header")} in ${plural(hb, "header block")} × ${plural(sb, "sample block")}`;
}

/** The parts of a RidgeReduction the renderer reads. */
export type RidgeReductionLike = Pick<RidgeReduction,
  "blockDf" | "sampleBlocks" | "modelDf" | "reducedBlockDf" | "stdLabelTable" | "stdCovTable" | "getAlphas" | "isBinary" | "getLabelType" | "toString">;

/**
 * The MIME bundle of a RidgeReduction (GloWGR level 0): label type, labels, covariates, alphas,
 * the input block matrix and how far the fit went (model, reduced matrix).
 */
export function renderRidgeReduction(r: RidgeReductionLike): MimeBundle {
  const alphas = r.getAlphas();
  const state = r.reducedBlockDf ? "fitted and transformed" : r.modelDf ? "fitted (run transform() for the reduced matrix)" : "not fitted (run fitTransform())";
  const pairs: [string, string][] = [
    ["label type", `${r.isBinary() ? "binary" : "quantitative"} (labelType '${r.getLabelType()}')`],
    ["labels", listHead(r.stdLabelTable.columns)],
    ["covariates", listHead(r.stdCovTable.columns)],
    ["samples", `${r.stdLabelTable.numRows.toLocaleString("en-US")} in ${plural(Object.keys(r.sampleBlocks).length, "sample block")}`],
    ["input block matrix", blockSummary(r.blockDf)],
    ["alphas", `${Object.keys(alphas).length} ridge penalties (table)`],
    ["state", state],
  ];
  if (r.modelDf) pairs.push(["model", `${plural(r.modelDf.blocks.length, "block")}, one ridge fit per header block × held-out sample block`]);
  if (r.reducedBlockDf) pairs.push(["reduced block matrix", blockSummary(r.reducedBlockDf)]);
  const html = [
    title("RidgeReduction", "GloWGR level 0"),
    flexRow([keyValueTable(pairs), alphaTable(alphas)]),
  ].join("");
  return makeBundle(html, `RidgeReduction (GloWGR level 0)\n${keyValueText(pairs)}\nalphas: ${alphaText(alphas)}`, "model");
}

/** The parts of a level-1 model (RidgeRegression or LogisticRidgeRegression) the renderer reads. */
export interface Level1ModelLike {
  reducedBlockDf: BlockMatrixLike;
  sampleBlocks: Record<string, string[]>;
  modelDf: Pick<RidgeModel, "blocks"> | null;
  cvDf: CvLike | null;
  yHat: SampleTable | LocoPredictions | null;
  stdCovTable: SampleTable;
  getAlphas(): Record<string, number>;
  toString(): string;
}

function describeYHat(y: SampleTable | LocoPredictions | null): string | null {
  if (!y) return null;
  if ("chromosomes" in y) return `LOCO predictions: ${plural(y.sampleIds.length, "sample")} × ${plural(y.labels.length, "label")} × ${plural(y.chromosomes.length, "chromosome")}`;
  return `predictions: ${plural(y.numRows, "sample")} × ${plural(y.columns.length, "label")}`;
}

function renderLevel1(
  r: Level1ModelLike, name: string, labelType: string, labels: readonly string[], extra: [string, string][], extraHtml: string,
): MimeBundle {
  const alphas = r.getAlphas();
  const pairs: [string, string][] = [
    ["label type", labelType],
    ["labels", listHead(labels)],
    ["covariates", listHead(r.stdCovTable.columns)],
    ["reduced block matrix", blockSummary(r.reducedBlockDf)],
    ["sample blocks", String(Object.keys(r.sampleBlocks).length)],
    ["alphas", `${Object.keys(alphas).length} (${alphaText(alphas)})`],
    ...extra,
    ["state", r.cvDf ? "fitted" : "not fitted (run fit())"],
  ];
  const y = describeYHat(r.yHat);
  if (y) pairs.push(["last prediction", y]);
  const best = r.cvDf ? r.cvDf.best : [];
  const metric = r.cvDf ? metricInfo(r.cvDf.metric) : null;
  const bestTable = r.cvDf && metric
    ? htmlTable(best.map((b) => ({ label: b.label, alpha: b.alpha, alpha_value: b.alphaValue, [metric.column]: b.mean })),
      [{ key: "label", align: "left" }, { key: "alpha", align: "left" }, "alpha_value", metric.column], { caption: "best alpha per label (Glow's cv_df)" })
    : "";
  const html = [
    title(name, "GloWGR level 1"),
    flexRow([keyValueTable(pairs), bestTable || alphaTable(alphas)]),
    extraHtml,
    r.cvDf ? section("Cross-validation") + crossValidationHtml(r.cvDf) : "",
  ].join("");
  const text = [`${name} (GloWGR level 1)`, keyValueText(pairs), ...(r.cvDf ? ["", r.cvDf.toString()] : [])].join("\n");
  return makeBundle(html, text, "model");
}

/**
 * The MIME bundle of a RidgeRegression (GloWGR level 1, quantitative labels): alphas, the best
 * alpha per label, the cross-validated r² per alpha and sample block as tables and charts, and the
 * last prediction made.
 */
export function renderRidgeRegression(r: Level1ModelLike & Pick<RidgeRegression, "stdLabelTable">): MimeBundle {
  return renderLevel1(r, "RidgeRegression", "quantitative (standardized labels; predictions in label sd units)", r.stdLabelTable.columns, [], "");
}

/**
 * The MIME bundle of a LogisticRidgeRegression (GloWGR level 1, binary labels): as
 * {@link renderRidgeRegression} with log-loss, plus the covariate-only coefficients per label.
 */
export function renderLogisticRidgeRegression(r: Level1ModelLike & Pick<LogisticRidgeRegression, "labelTable" | "betaCov">): MimeBundle {
  let extraHtml = "";
  const extra: [string, string][] = [];
  const labels = r.labelTable.columns;
  const cases = labels.map((l) => {
    const v = r.labelTable.column(l);
    let ones = 0, zeros = 0, missing = 0;
    for (let i = 0; i < v.length; i++) { const x = v[i]!; if (x === 1) ones++; else if (x === 0) zeros++; else missing++; }
    return `${l}: ${ones} cases / ${zeros} controls${missing ? ` / ${missing} missing` : ""}`;
  });
  extra.push(["cases", listHead(cases, 4)]);
  if (r.betaCov && r.betaCov.size > 0) {
    const covs = r.stdCovTable.columns;
    const rows = [...r.betaCov].map(([label, beta]) => {
      const row: Row = { label };
      covs.forEach((c, j) => (row[c] = beta[j] ?? null));
      return row;
    });
    extraHtml = htmlTable(rows, [{ key: "label", align: "left" }, ...covs.map((c) => ({ key: c }))], { caption: "covariate-only logistic fit per label (beta_cov; frozen in the level-1 fits)" });
  }
  return renderLevel1(r, "LogisticRidgeRegression", "binary (0/1 labels; predictions on the linear (logit) scale)", labels, extra, extraHtml);
}

// --------------------------------------------------------------------------------- LOCO offsets

/** Options of {@link renderLocoPredictions}. */
export interface LocoDisplayOptions {
  /** Sample rows shown. @defaultValue 6 */
  rows?: number | undefined;
  /** Label × chromosome columns shown. @defaultValue 12 */
  maxColumns?: number | undefined;
}

/**
 * The MIME bundle of leave-one-chromosome-out predictions (GWAS offsets): a compact sample ×
 * (label, chromosome) table of the first samples and the distribution of each column.
 */
export function renderLocoPredictions(loco: Pick<LocoPredictions, "chromosomes" | "tables" | "sampleIds" | "labels" | "toString">, options: LocoDisplayOptions = {}): MimeBundle {
  const ids = loco.sampleIds;
  const labels = loco.labels;
  const cs = loco.chromosomes;
  const maxColumns = options.maxColumns ?? 12;
  const pairs: { label: string; c: string; ci: number; li: number }[] = [];
  labels.forEach((label, li) => cs.forEach((c, ci) => pairs.push({ label, c, ci, li })));
  const shown = pairs.slice(0, maxColumns);
  const k = Math.min(options.rows ?? 6, ids.length);
  const cols: TableColumn[] = [
    { key: "sample_id", align: "left" },
    ...shown.map((p, j) => ({ key: `p${j}`, label: labels.length > 1 ? `${p.label} · chr ${p.c}` : `chr ${p.c}`, dtype: labels.length > 1 ? undefined : p.label })),
    ...(pairs.length > shown.length ? [{ key: "more", label: "…", align: "left" as const }] : []),
  ];
  const rows: TableRows = [];
  for (let i = 0; i < k; i++) {
    const r: Row = { sample_id: ids[i] };
    shown.forEach((p, j) => {
      const t = loco.tables[p.ci]!;
      r[`p${j}`] = t.values[p.li * t.numRows + i];
    });
    if (pairs.length > shown.length) r["more"] = "…";
    rows.push(r);
  }
  if (ids.length > k) rows.push(ELLIPSIS_ROW);
  const statRows: TableRows = pairs.slice(0, 40).map((p) => {
    const t = loco.tables[p.ci]!;
    const s = summaryStats(t.values.subarray(p.li * t.numRows, (p.li + 1) * t.numRows));
    return { label: p.label, contigName: p.c, mean: s.mean, sd: s.sd, min: s.min, max: s.max, missing: s.missing };
  });
  if (pairs.length > 40) statRows.push(ELLIPSIS_ROW);
  const shape = `${plural(ids.length, "sample")} × ${plural(labels.length, "label")} × ${plural(cs.length, "chromosome")}`;
  const html = [
    title("LocoPredictions", shape),
    meta(`chromosomes: ${listHead(cs, 12)} · labels: ${listHead(labels)} · column "chr c" = the prediction from every chromosome except c`),
    flexRow([
      htmlTable(rows, cols, { caption: `first ${k} samples` }),
      htmlTable(statRows, [{ key: "label", align: "left" }, { key: "contigName", align: "left" }, "mean", "sd", "min", "max", "missing"], { caption: "each column over all samples" }),
    ]),
  ].join("");
  return makeBundle(html, loco.toString(), "loco");
}

// ----------------------------------------------------------------------------------- GWAS results

/** What {@link renderGwasResults} accepts: a columnar batch (`collectBatch()`) or rows (`collect()`). */
export type GwasResultsInput = VariantBatch | readonly Record<string, unknown>[];

/** Options of {@link renderGwasResults}. */
export interface GwasResultsDisplayOptions {
  /** Top hits listed. @defaultValue 10 */
  topHits?: number | undefined;
  /** Genome-wide threshold counted per phenotype. @defaultValue 5e-8 */
  genomeWide?: number | undefined;
  /** Suggestive threshold counted per phenotype. @defaultValue 1e-5 */
  suggestive?: number | undefined;
  /** A title (plain text). @defaultValue "GWAS results" */
  title?: string | undefined;
}

/** Columns never shown in the top-hits table. */
const HIDDEN = new Set(["genotypes", "values", "_glow_regression_values"]);
/** Preferred column order of the top-hits table (others follow in input order). */
const PREFERRED = ["phenotype", "contigName", "start", "names", "referenceAllele", "alternateAlleles", "effect", "stderror", "tvalue", "chisq", "correctionSucceeded", "pvalue", "negLog10pValue"];

interface ColumnAccess { names: string[]; n: number; get(name: string, i: number): unknown; numbers(name: string): Float64Array }

function isBatch(x: unknown): x is VariantBatch {
  return x !== null && typeof x === "object" && !Array.isArray(x) && typeof (x as VariantBatch).numRows === "number"
    && typeof (x as VariantBatch).columns === "object" && (x as VariantBatch).columns !== null;
}

function access(input: GwasResultsInput): ColumnAccess {
  if (isBatch(input)) {
    const b = input;
    const names = Object.keys(b.columns).filter((k) => b.columns[k]!.type !== "genotypes");
    return {
      names, n: b.numRows,
      get: (name, i) => getValue(b.columns[name]!, i),
      numbers: (name) => {
        const c: Column | undefined = b.columns[name];
        const out = new Float64Array(b.numRows).fill(NaN);
        if (!c) return out;
        if (c.type === "double" || c.type === "long" || c.type === "int") {
          for (let i = 0; i < b.numRows; i++) out[i] = c.nulls && c.nulls[i] ? NaN : Number(c.values[i]);
        } else for (let i = 0; i < b.numRows; i++) { const v = getValue(c, i); out[i] = typeof v === "number" ? v : NaN; }
        return out;
      },
    };
  }
  const rows = input as readonly Record<string, unknown>[];
  const names = rows.length ? Object.keys(rows[0]!) : [];
  return {
    names, n: rows.length,
    get: (name, i) => rows[i]![name],
    numbers: (name) => Float64Array.from(rows, (r) => (typeof r[name] === "number" ? (r[name] as number) : NaN)),
  };
}

/**
 * True for what {@link renderGwasResults} shows: a VariantBatch or a non-empty array of row objects
 * with a `pvalue` column and a `phenotype` or `effect` column (Glow's GWAS output).
 */
export function isGwasResults(x: unknown): x is GwasResultsInput {
  if (isBatch(x)) {
    const c = x.columns;
    return "pvalue" in c && ("phenotype" in c || "effect" in c) && x.numRows >= 0;
  }
  if (Array.isArray(x) && x.length > 0) {
    const r = x[0] as unknown;
    return r !== null && typeof r === "object" && !Array.isArray(r) && "pvalue" in (r as object) && ("phenotype" in (r as object) || "effect" in (r as object));
  }
  return false;
}

/**
 * The MIME bundle of GWAS results (`glow.gwas.linearRegression` / `logisticRegression` output,
 * collected): per phenotype the variants tested, λGC, the smallest p-value and the counts of hits
 * at the genome-wide and suggestive thresholds (plus the approx-Firth corrections for logistic
 * results), and the top hits over all phenotypes.
 * @param results `await frame.collectBatch()` or `await frame.collect()`
 * @example
 * ```ts
 * await glow.display(await results.collectBatch());
 * ```
 */
export function renderGwasResults(results: GwasResultsInput, options: GwasResultsDisplayOptions = {}): MimeBundle {
  const a = access(results);
  const n = a.n;
  const gw = options.genomeWide ?? 5e-8;
  const sg = options.suggestive ?? 1e-5;
  const top = options.topHits ?? 10;
  const p = a.numbers("pvalue");
  // log10 p (≤ 0) from the −log10 p column, which stays exact where the p-value underflows
  const log10 = a.names.includes("negLog10pValue") ? Float64Array.from(a.numbers("negLog10pValue"), (x) => -x)
    : a.names.includes("log10pvalue") ? a.numbers("log10pvalue") : null;
  const sortKey = (i: number): number => {
    if (log10 && Number.isFinite(log10[i]!)) return log10[i]!;
    const v = p[i]!;
    return v >= 0 ? (v === 0 ? -Infinity : Math.log10(v)) : Infinity;
  };
  const phen = a.names.includes("phenotype") ? Array.from({ length: n }, (_, i) => String(a.get("phenotype", i))) : null;
  const kind = a.names.includes("tvalue") ? "linear regression" : a.names.includes("chisq") ? "logistic regression" : "association test";
  const hasFirth = a.names.includes("correctionSucceeded");

  // per phenotype summary
  const groups = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const k = phen ? phen[i]! : "(all)";
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(i);
  }
  const corrected = hasFirth ? a.numbers("correctionSucceeded") : null;
  const summary = [...groups].map(([ph, idx]) => {
    const pv = Float64Array.from(idx, (i) => p[i]!);
    let minP = Infinity, minI = -1, hitsGw = 0, hitsSg = 0, missing = 0, tried = 0, ok = 0;
    for (let k = 0; k < idx.length; k++) {
      const v = pv[k]!;
      if (!(v >= 0 && v <= 1)) { missing++; continue; }
      if (sortKey(idx[k]!) < minP) { minP = sortKey(idx[k]!); minI = idx[k]!; }
      if (v < gw) hitsGw++;
      if (v < sg) hitsSg++;
      if (corrected) {
        const c = a.get("correctionSucceeded", idx[k]!);
        if (c !== null && c !== undefined) { tried++; if (c === true) ok++; }
      }
    }
    const row: Row = {
      phenotype: ph, tested: idx.length, lambdaGc: lambdaGc(pv), minP: minI >= 0 ? p[minI]! : null,
      hitsGw, hitsSg, missing,
    };
    if (minI >= 0 && p[minI] === 0 && log10) row["minP"] = `10^${formatNumber(log10[minI]!)}`;
    if (corrected) row["firth"] = tried ? `${ok}/${tried}` : "0";
    return row;
  });
  const sizes = [...groups.values()].map((g) => g.length);
  const variants = sizes.length ? Math.max(...sizes) : 0;
  const sameSize = sizes.every((x) => x === variants);
  const summaryCols: TableColumn[] = [
    { key: "phenotype", align: "left" }, { key: "tested", label: "variants tested" },
    { key: "lambdaGc", label: "λGC" }, { key: "minP", label: "smallest p" },
    { key: "hitsGw", label: `p < ${formatNumber(gw)}` }, { key: "hitsSg", label: `p < ${formatNumber(sg)}` },
    ...(summary.some((r) => (r["missing"] as number) > 0) ? [{ key: "missing", label: "no p-value" }] : []),
    ...(corrected ? [{ key: "firth", label: "Firth corrected", dtype: "succeeded / tried", align: "right" as const }] : []),
  ];

  // top hits
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (p[i]! >= 0 && p[i]! <= 1) order.push(i);
  order.sort((x, y) => sortKey(x) - sortKey(y));
  const hits = order.slice(0, top);
  const shownNames = [...PREFERRED.filter((c) => a.names.includes(c)), ...a.names.filter((c) => !PREFERRED.includes(c) && !HIDDEN.has(c))]
    .filter((c) => !HIDDEN.has(c));
  const hitCols: TableColumn[] = shownNames.map((c) => ({ key: c, align: ["phenotype", "contigName", "names", "referenceAllele", "alternateAlleles"].includes(c) ? "left" as const : undefined }));
  const hitRows: TableRows = hits.map((i) => {
    const r: Row = {};
    for (const c of shownNames) {
      const v = a.get(c, i);
      r[c] = Array.isArray(v) ? v.join(",") : v;
    }
    return r;
  });

  const heading = options.title ?? "GWAS results";
  const shape = `${plural(n, "row")} · ${kind}` + (phen ? ` · ${plural(groups.size, "phenotype")} × ${sameSize ? "" : "up to "}${plural(variants, "variant")}` : "");
  const html = [
    title(heading, shape),
    meta("λGC = median of the χ² statistics implied by the p-values / 0.455 (≈ 1 when nothing but noise and a few true signals; > 1 signals inflation, e.g. from confounding)"),
    htmlTable(summary, summaryCols, { caption: "per phenotype" }),
    hits.length ? htmlTable(hitRows, hitCols, { caption: `top ${hits.length} hits by p-value (all phenotypes)` }) : meta("(no p-values)"),
  ].join("");
  const textSummary = textTable(
    summaryCols.map((c) => c.label ?? String(c.key)),
    summary.map((r) => summaryCols.map((c) => formatValue(r[c.key as string], 24))),
  );
  const textHits = hits.length ? textTable(shownNames, hitRows.map((r) => shownNames.map((c) => formatValue((r as Row)[c], 24)))) : "(no p-values)";
  return makeBundle(html, `${heading}: ${shape}\n${textSummary}\n\ntop hits:\n${textHits}`, "gwas");
}

// ----------------------------------------------------------------------------- simulator truth

/**
 * The MIME bundle of `glow.simulate.evaluate`'s result: per trait the variants tested, causal
 * variants, hits, true hits, power, FDR, λGC and the causal variants found at 5e-8 and 1e-5.
 */
export function renderEvaluation(ev: Pick<Evaluation, "threshold" | "windowBp" | "traits" | "toString">): MimeBundle {
  const cols: TableColumn[] = [
    { key: "trait", align: "left" },
    { key: "variantsTested", label: "tested" },
    { key: "causal", label: "causal" },
    { key: "hits", label: "hits", dtype: `p < ${formatNumber(ev.threshold)}` },
    { key: "trueHits", label: "true hits" },
    { key: "power", label: "power", format: (v) => (typeof v === "number" && !Number.isNaN(v) ? v.toFixed(3) : "–") },
    { key: "fdr", label: "FDR", format: (v) => (typeof v === "number" && !Number.isNaN(v) ? v.toFixed(3) : "–") },
    { key: "lambdaGc", label: "λGC", format: (v) => (typeof v === "number" && !Number.isNaN(v) ? v.toFixed(3) : "–") },
    { key: "causalFoundGenomeWide", label: "found", dtype: "p < 5e-8" },
    { key: "causalFoundSuggestive", label: "found", dtype: "p < 1e-5" },
  ];
  const html = [
    title("Evaluation", `against the simulator's truth · ${plural(ev.traits.length, "trait")}`),
    htmlTable(ev.traits as unknown as Row[], cols),
    meta(`A hit is a variant with p < ${formatNumber(ev.threshold)}; it is true when a causal variant of the same trait lies on the same chromosome within ${ev.windowBp.toLocaleString("en-US")} bp. `
      + "Power = causal variants found / causal variants; FDR = false hits / hits."),
  ].join("");
  return makeBundle(html, `Evaluation (hits at p < ${ev.threshold}, window ${ev.windowBp} bp)\n${ev.toString()}`, "evaluation");
}

// Installs the renderers of the model objects (they call `renderAs(kind, this)`).
registerRenderer("blockMatrix", (x: BlockMatrix) => renderBlockMatrix(x));
registerRenderer("ridgeModel", (x: RidgeModel) => renderRidgeModel(x));
registerRenderer("crossValidation", (x: CrossValidation) => renderCrossValidation(x));
registerRenderer("ridgeReduction", (x: RidgeReduction) => renderRidgeReduction(x));
registerRenderer("ridgeRegression", (x: RidgeRegression) => renderRidgeRegression(x));
registerRenderer("logisticRidgeRegression", (x: LogisticRidgeRegression) => renderLogisticRidgeRegression(x));
registerRenderer("locoPredictions", (x: LocoPredictions) => renderLocoPredictions(x));
registerRenderer("evaluation", (x: Evaluation) => renderEvaluation(x));
