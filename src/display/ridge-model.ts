/**
 * Rich display of a fitted ridge model (GloWGR's `RidgeModel`): blocks, coefficient columns, the first block's coefficients and a heatmap.
 *
 * Import direction: display → models. The model class implements `[MIME_BUNDLE]()` with
 * `renderAs(kind, this)` (`core/mime.ts`); this module installs its renderer into that registry
 * when it is imported (bottom of the file) and imports only the model's types.
 */
import type { RidgeModel, RidgeModelBlock } from "../wgr/ridge-stages.js";
import { heatmap, type MatrixView } from "../plot/heatmap.js";
import { ELLIPSIS_ROW, htmlTable, makeBundle, registerRenderer, type MimeBundle, type TableColumn } from "../core/mime.js";
import { plural, title, meta, listHead, distinct, type Row, type TableRows } from "./model-html.js";

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

registerRenderer("ridgeModel", (x: RidgeModel) => renderRidgeModel(x));
