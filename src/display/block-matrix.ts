/**
 * Rich display of GloWGR block matrices (X₀ from blocking, X₁ from a reduction): shape, header block × sample block layout, mu/sig statistics, first rows and a heatmap.
 *
 * Import direction: display → models. The model class implements `[MIME_BUNDLE]()` with
 * `renderAs(kind, this)` (`core/mime.ts`); this module installs its renderer into that registry
 * when it is imported (bottom of the file) and imports only the model's types.
 */
import type { BlockMatrix } from "../wgr/block-matrix.js";
import { heatmap, type MatrixView } from "../plot/heatmap.js";
import { summaryStats } from "../stats/summary.js";
import { ELLIPSIS_ROW, formatNumber, htmlTable, makeBundle, registerRenderer, type MimeBundle, type TableColumn } from "../core/mime.js";
import { plural, title, meta, flexRow, listHead, distinct, type Row, type TableRows } from "./model-html.js";

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

registerRenderer("blockMatrix", (x: BlockMatrix) => renderBlockMatrix(x));
