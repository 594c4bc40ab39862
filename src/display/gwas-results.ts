/**
 * Rich display of collected GWAS results (`glow.gwas.linearRegression` / `logisticRegression` output): the per-phenotype summary and the top hits.
 * The numbers (λGC, hit counts, the smallest p, the top-hit order) come from `gwas/summary.ts`; this module only formats them.
 */
import { isGwasBatch, summarizeGwasResults, type GwasResultsInput } from "../gwas/summary.js";
import { formatNumber, formatValue, htmlTable, makeBundle, textTable, type MimeBundle, type TableColumn } from "../core/mime.js";
import { plural, title, meta, type Row, type TableRows } from "./model-html.js";

export type { GwasResultsInput };

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

/**
 * True for what {@link renderGwasResults} shows: a VariantBatch or a non-empty array of row objects
 * with a `pvalue` column and a `phenotype` or `effect` column (Glow's GWAS output).
 */
export function isGwasResults(x: unknown): x is GwasResultsInput {
  if (isGwasBatch(x)) {
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
  const sm = summarizeGwasResults(results, options);
  const a = sm.columns;
  const n = sm.numRows;
  const gw = sm.genomeWide;
  const sg = sm.suggestive;
  const kind = sm.kind;
  const corrected = sm.hasFirth;
  const summary = sm.phenotypes.map((ph) => {
    const row: Row = {
      phenotype: ph.phenotype, tested: ph.tested, lambdaGc: ph.lambdaGc, minP: ph.minP,
      hitsGw: ph.hitsGenomeWide, hitsSg: ph.hitsSuggestive, missing: ph.missing,
    };
    if (ph.minP === 0 && ph.minLog10P !== null) row["minP"] = `10^${formatNumber(ph.minLog10P)}`;
    if (ph.firth) row["firth"] = ph.firth.tried ? `${ph.firth.succeeded}/${ph.firth.tried}` : "0";
    return row;
  });
  const sizes = sm.phenotypes.map((ph) => ph.tested);
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
  const hits = sm.topHits;
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
  const shape = `${plural(n, "row")} · ${kind}` + (sm.byPhenotype ? ` · ${plural(sm.phenotypes.length, "phenotype")} × ${sameSize ? "" : "up to "}${plural(variants, "variant")}` : "");
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
