/**
 * Rich display of GloWGR's level 0 (`RidgeReduction`): label type, labels, covariates, alphas and the fit's state; the alpha and block-matrix summaries the level-1 renderings share.
 *
 * Import direction: display → models. The model class implements `[MIME_BUNDLE]()` with
 * `renderAs(kind, this)` (`core/mime.ts`); this module installs its renderer into that registry
 * when it is imported (bottom of the file) and imports only the model's types.
 */
import type { RidgeReduction } from "../wgr/ridge-reduction.js";
import { formatNumber, htmlTable, makeBundle, registerRenderer, type MimeBundle } from "../core/mime.js";
import type { BlockMatrixLike } from "./block-matrix.js";
import { plural, title, flexRow, keyValueTable, keyValueText, listHead } from "./model-html.js";

export function alphaTable(alphas: Record<string, number>): string {
  const names = Object.keys(alphas).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return htmlTable(names.map((a) => ({ alpha: a, value: alphas[a] })), [{ key: "alpha", align: "left" }, { key: "value", label: "value" }], { caption: "alphas" });
}

export function alphaText(alphas: Record<string, number>): string {
  return Object.keys(alphas).sort().map((a) => `${a}=${formatNumber(alphas[a]!)}`).join(", ");
}

export function blockSummary(bm: Pick<BlockMatrixLike, "numRows" | "header" | "headerBlock" | "sampleBlock">): string {
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

registerRenderer("ridgeReduction", (x: RidgeReduction) => renderRidgeReduction(x));
