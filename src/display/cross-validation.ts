/**
 * Rich display of GloWGR's cross-validation scores (`CrossValidation`): mean score per label × alpha, the best alpha, charts and per-block scores.
 *
 * Import direction: display → models. The model class implements `[MIME_BUNDLE]()` with
 * `renderAs(kind, this)` (`core/mime.ts`); this module installs its renderer into that registry
 * when it is imported (bottom of the file) and imports only the model's types.
 */
import type { CrossValidation } from "../wgr/ridge-stages.js";
import { plotLibrary, renderPlot } from "../plot/figure.js";
import { escapeHtml, formatNumber, htmlTable, makeBundle, registerRenderer, type MimeBundle, type TableColumn } from "../core/mime.js";
import { plural, title, meta, distinct, type Row, type TableRows } from "./model-html.js";

/** Name and direction of a cross-validation metric. */
export function metricInfo(metric: "r2" | "log_loss"): { name: string; column: string; better: string } {
  return metric === "r2"
    ? { name: "r²", column: "r2_mean", better: "higher is better" }
    : { name: "log-loss", column: "log_loss_mean", better: "lower is better" };
}

export type CvLike = Pick<CrossValidation, "metric" | "scores" | "means" | "best" | "toString">;

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
export function crossValidationHtml(cv: CvLike, options: CrossValidationDisplayOptions = {}): string {
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

registerRenderer("crossValidation", (x: CrossValidation) => renderCrossValidation(x));
