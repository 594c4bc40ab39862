/**
 * Rich display of GloWGR's level-1 models (`RidgeRegression`, `LogisticRidgeRegression`): alphas, the best alpha per label, the cross-validated score as tables and charts.
 *
 * Import direction: display → models. The model class implements `[MIME_BUNDLE]()` with
 * `renderAs(kind, this)` (`core/mime.ts`); this module installs its renderer into that registry
 * when it is imported (bottom of the file) and imports only the model's types.
 */
import type { LocoPredictions } from "../wgr/loco.js";
import type { LogisticRidgeRegression } from "../wgr/logistic-ridge-regression.js";
import type { RidgeRegression } from "../wgr/ridge-regression.js";
import type { RidgeModel } from "../wgr/ridge-stages.js";
import type { SampleTable } from "../wgr/sample-table.js";
import { htmlTable, makeBundle, registerRenderer, type MimeBundle } from "../core/mime.js";
import { alphaTable, alphaText, blockSummary } from "./ridge-reduction.js";
import type { BlockMatrixLike } from "./block-matrix.js";
import { crossValidationHtml, metricInfo, type CvLike } from "./cross-validation.js";
import { plural, title, section, flexRow, keyValueTable, keyValueText, listHead, type Row } from "./model-html.js";

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

registerRenderer("ridgeRegression", (x: RidgeRegression) => renderRidgeRegression(x));
registerRenderer("logisticRidgeRegression", (x: LogisticRidgeRegression) => renderLogisticRidgeRegression(x));
