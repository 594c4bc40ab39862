// Rich display of GloWGR and GWAS objects (src/display/{block-matrix,ridge-model,cross-validation,ridge-reduction,ridge-regression,loco,gwas-results,evaluation}.ts): the structure of the HTML
// (titles, tables, charts), escaping of hostile strings (alleles, labels, sample ids, trait names),
// and that the numbers shown are the objects' own fields (formatted with formatNumber). Inputs are
// small synthetic cohorts defined in closed form below; the models are fitted on the calling thread
// (they are far below the parallel threshold), so every test runs in well under a second.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as glow from "../../dist/index.js";
import {
  formatNumber, isGwasResults, isRichDisplayable, MIME_BUNDLE, renderCrossValidation, renderEvaluation, renderGwasResults,
  renderRidgeModel, toMimeBundle, type MimeBundle,
} from "../../dist/display/index.js";
import { col, type VariantBatch } from "../../dist/core/column.js";
import { Evaluation } from "../../dist/sim/evaluate.js";
import { dom, type TestElement } from "./dom.js";

const wgr = glow.wgr;
const QUIET = { log: false as const };

// ------------------------------------------------------------------ a tiny cohort in closed form
const N = 48;
const SAMPLES = Array.from({ length: N }, (_, i) => `s<${i}>`);
const CHROMS = ["1", "2", "3"];
const PER_CHROM = 8;
/** Genotype of sample i at variant v: a deterministic 0/1/2 pattern. */
const genotype = (i: number, v: number): number => ((i * 7 + v * 5 + ((i * v) % 3)) % 3);
const variantsIn = (): glow.wgr.BlockVariantInput[] => {
  const out: glow.wgr.BlockVariantInput[] = [];
  CHROMS.forEach((c, ci) => {
    for (let k = 0; k < PER_CHROM; k++) {
      const v = ci * PER_CHROM + k;
      out.push({
        contigName: c, start: 1000 * (k + 1), referenceAllele: "A", alternateAlleles: ["<T>"],
        values: Float64Array.from({ length: N }, (_, i) => genotype(i, v)),
      });
    }
  });
  return out;
};
/** Labels: a sum of a few genotypes plus a deterministic wobble; the binary one thresholds it. */
const quantLabel = (i: number): number => genotype(i, 2) + genotype(i, 11) - genotype(i, 19) + Math.sin(i * 1.7);
const LABEL = "<i>y</i>";

function sampleTable(columns: Record<string, number[]>): glow.wgr.SampleTable {
  return wgr.toSampleTable({ index: SAMPLES, columns: Object.keys(columns), data: columns });
}

function html(b: MimeBundle): string {
  expect(typeof b["text/html"]).toBe("string");
  expect(b["text/plain"].length).toBeGreaterThan(0);
  return b["text/html"]!;
}

/** Text of the cells of the `tbody` rows of a table (the `…` rows left out). */
function cells(table: TestElement): string[][] {
  return [...table.querySelectorAll("tbody tr:not(.glowts-ellipsis)")].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? ""));
}

/** The glowts table whose caption contains `text`. */
function tableWithCaption(d: TestElement, text: string): TestElement {
  const t = [...d.querySelectorAll("table.glowts-table")].find((x) => (x.querySelector("caption")?.textContent ?? "").includes(text));
  expect(t, `a table captioned '${text}'`).toBeDefined();
  return t!;
}

function noInjectedElements(d: TestElement): void {
  expect(d.querySelectorAll("script").length).toBe(0);
  expect(d.querySelectorAll("i").length).toBe(0);
}

let blocked: glow.wgr.BlockedVariants;
let reduction: InstanceType<typeof wgr.RidgeReduction>;
let reduced: InstanceType<typeof wgr.BlockMatrix>;
let regression: InstanceType<typeof wgr.RidgeRegression>;
let loco: InstanceType<typeof wgr.LocoPredictions>;
let logistic: InstanceType<typeof wgr.LogisticRidgeRegression>;

beforeAll(async () => {
  blocked = wgr.blockVariantRows(variantsIn(), SAMPLES, 3, 4);
  const labels = sampleTable({ [LABEL]: SAMPLES.map((_, i) => quantLabel(i)) });
  const covariates = sampleTable({ age: SAMPLES.map((_, i) => 40 + ((i * 13) % 17)) });
  reduction = new wgr.RidgeReduction(blocked.blockDf, labels, blocked.sampleBlocks, covariates, QUIET);
  reduced = await reduction.fitTransform();
  regression = wgr.RidgeRegression.fromRidgeReduction(reduction, [], QUIET);
  await regression.fit();
  loco = await regression.transformLocoToTable();

  const values = SAMPLES.map((_, i) => quantLabel(i));
  const median = [...values].sort((a, b) => a - b)[N / 2]!;
  const binary = sampleTable({ [LABEL]: values.map((v) => (v >= median ? 1 : 0)) });
  const binReduction = new wgr.RidgeReduction(blocked.blockDf, binary, blocked.sampleBlocks, covariates, QUIET);
  await binReduction.fitTransform();
  logistic = wgr.LogisticRidgeRegression.fromRidgeReduction(binReduction, [], QUIET);
  await logistic.fit();
});

afterAll(async () => { await glow.shutdown(); });

describe("block matrices", () => {
  it("X₀: shape, header block × sample block layout from the rows, statistics, first rows, heatmap; alleles escaped", async () => {
    const bm = blocked.blockDf;
    expect(isRichDisplayable(bm)).toBe(true);
    const h = html(await bm[MIME_BUNDLE]());
    const d = dom(h);
    noInjectedElements(d);
    expect(h).toContain("&lt;T&gt;");
    expect(d.querySelector(".glowts-title")!.textContent).toContain(`${bm.numRows.toLocaleString("en-US")} rows`);
    // layout: one row per header block, one column per sample block, rows counted from the matrix
    const layout = cells(tableWithCaption(d, "rows per header_block"));
    const hbs = bm.headerBlockIds();
    const sbs = bm.sampleBlockIds();
    expect(layout.map((r) => r[0])).toEqual(hbs);
    for (const [r, hb] of hbs.entries()) {
      for (const [c, sb] of sbs.entries()) {
        let n = 0;
        for (let i = 0; i < bm.numRows; i++) if (bm.headerBlock[i] === hb && bm.sampleBlock[i] === sb) n++;
        expect(layout[r]![c + 1]).toBe(String(n));
      }
    }
    // sample block sizes under the headers come from the rows' size
    const dtypes = [...tableWithCaption(d, "rows per header_block").querySelectorAll(".glowts-dtype")].map((e) => e.textContent);
    expect(dtypes).toEqual(sbs.map((sb: string) => `n=${bm.size[bm.sampleBlock.indexOf(sb)]}`));
    // first rows: header, size and mu of row 0
    const first = cells(tableWithCaption(d, "first 6 rows"))[0]!;
    expect(first[0]).toBe(bm.header[0]);
    expect(first[1]).toBe(String(bm.size[0]));
    expect(first).toContain(formatNumber(bm.mu[0]!));
    // one heatmap
    expect(d.querySelectorAll(".glowts-figure svg").length).toBe(1);
    expect(h).toContain(`values of header block ${bm.headerBlock[0]} × sample block ${bm.sampleBlock[0]}`);
  });

  it("X₁: marked as reduced, with its labels (escaped) and alphas", async () => {
    const b = await toMimeBundle(reduced);
    const h = html(b);
    const d = dom(h);
    noInjectedElements(d);
    expect(d.querySelector(".glowts-title")!.textContent).toContain("reduced");
    expect(h).toContain("&lt;i&gt;y&lt;/i&gt;");
    for (const a of new Set(reduced.alpha!)) expect(h).toContain(a);
    expect(cells(tableWithCaption(d, "rows per header_block")).map((r) => r[0])).toEqual(reduced.headerBlockIds());
  });
});

describe("models", () => {
  it("RidgeReduction: label type, labels, alphas from getAlphas(), and the fit state", async () => {
    const h = html(await reduction[MIME_BUNDLE]());
    const d = dom(h);
    noInjectedElements(d);
    expect(h).toContain("quantitative (labelType &#39;detect&#39;)");
    expect(h).toContain("fitted and transformed");
    const alphas = reduction.getAlphas();
    const rows = cells(tableWithCaption(d, "alphas"));
    expect(rows).toEqual(Object.keys(alphas).sort().map((a) => [a, formatNumber(alphas[a]!)]));
  });

  it("RidgeModel: blocks per header block and the first block's coefficients", async () => {
    const model = reduction.modelDf!;
    const h = html(renderRidgeModel(model));
    const d = dom(h);
    const first = model.blocks[0]!;
    const coef = cells(tableWithCaption(d, "coefficients of the first block"));
    expect(coef[0]![0]).toBe(first.headers[0]);
    expect(coef[0]![1]).toBe(formatNumber(first.coefficients[0]!));
    const perBlock = cells(tableWithCaption(d, "header blocks"));
    expect(perBlock.map((r) => r[0])).toEqual([...new Set(model.blocks.map((b) => b.headerBlock))]);
    expect(perBlock[0]![3]).toBe(String(first.headers.length - first.nCov));
    expect(d.querySelectorAll("svg").length).toBe(1);
    // the class delegates to the same renderer
    expect((await model[MIME_BUNDLE]())["text/html"]).toBe(h);
  });

  it("RidgeRegression: best alpha per label and the mean r² per alpha, best in bold, with a chart", async () => {
    const cv = regression.cvDf!;
    const h = html(await regression[MIME_BUNDLE]());
    const d = dom(h);
    noInjectedElements(d);
    const best = cells(tableWithCaption(d, "best alpha per label"));
    expect(best).toEqual(cv.best.map((b) => [b.label, b.alpha, formatNumber(b.alphaValue), formatNumber(b.mean)]));
    const bold = [...d.querySelectorAll("b")].map((e) => e.textContent);
    expect(bold).toContain(formatNumber(cv.best[0]!.mean));
    expect(d.querySelectorAll(".glowts-figure svg").length).toBe(1);
    expect(h).toContain("state");
  });

  it("LogisticRidgeRegression: log-loss, covariate-only coefficients and case counts from the labels", async () => {
    const h = html(await logistic[MIME_BUNDLE]());
    const d = dom(h);
    noInjectedElements(d);
    expect(h).toContain("log_loss_mean");
    const beta = logistic.betaCov!.get(LABEL)!;
    const row = cells(tableWithCaption(d, "covariate-only logistic fit"))[0]!;
    expect(row).toEqual([LABEL, ...Array.from(beta, (v) => formatNumber(v))]);
    const y = logistic.labelTable.column(LABEL);
    const cases = Array.from(y).filter((v) => v === 1).length;
    expect(h).toContain(`${cases} cases / ${N - cases} controls`);
  });
});

describe("cross validation", () => {
  it("tables every (label, alpha) mean, bolds the best, charts each label and lists per-block scores", () => {
    const cv = new wgr.CrossValidation(
      "r2",
      ["1", "2"].flatMap((sb) => ["alpha_0", "alpha_1"].map((alpha, j) => ({ sampleBlock: sb, label: "<b>t</b>", alpha, score: 0.1 * (j + 1) + (sb === "2" ? 0.05 : 0) }))),
      [{ label: "<b>t</b>", alpha: "alpha_0", alphaValue: 10, mean: 0.125 }, { label: "<b>t</b>", alpha: "alpha_1", alphaValue: 100, mean: 0.225 }],
      [{ label: "<b>t</b>", alpha: "alpha_1", alphaValue: 100, mean: 0.225 }],
    );
    const h = html(renderCrossValidation(cv));
    const d = dom(h);
    // the label is text, never markup: the only <b> elements are the highlighted best values
    expect([...d.querySelectorAll("b")].map((e) => e.textContent)).toEqual([formatNumber(cv.best[0]!.mean)]);
    expect(h).toContain("&lt;b&gt;t&lt;/b&gt;");
    const table = d.querySelector("table.glowts-table")!;
    expect(cells(table)[0]).toEqual(["<b>t</b>", ...cv.means.map((m) => formatNumber(m.mean)), "alpha_1 (100)", formatNumber(cv.best[0]!.mean)]);
    expect(d.querySelectorAll("svg").length).toBe(1);
    const details = d.querySelectorAll("details");
    expect(details.length).toBe(1);
    const perBlock = cells(details[0]!.querySelector("table")!);
    expect(perBlock.map((r) => r[0])).toEqual(["1", "2", "mean"]);
    expect(perBlock[1]).toEqual(["2", ...cv.scores.filter((s) => s.sampleBlock === "2").map((s) => formatNumber(s.score))]);
  });
});

describe("LOCO predictions", () => {
  it("shows sample × (chromosome) values from the tables and per-column statistics; sample ids escaped", async () => {
    expect(isRichDisplayable(loco)).toBe(true);
    const h = html(await toMimeBundle(loco));
    const d = dom(h);
    noInjectedElements(d);
    expect(h).toContain("s&lt;0&gt;");
    const rows = cells(tableWithCaption(d, "first 6 samples"));
    expect(rows.length).toBe(6);
    expect(rows[0]).toEqual([loco.sampleIds[0], ...loco.chromosomes.map((c) => formatNumber(loco.get(loco.sampleIds[0]!, c, LABEL)))]);
    const stats = cells(tableWithCaption(d, "each column over all samples"));
    expect(stats.map((r) => r[1])).toEqual(loco.chromosomes);
    const col1 = loco.forChromosome(loco.chromosomes[0]!).column(LABEL);
    expect(stats[0]![4]).toBe(formatNumber(Math.min(...col1)));
    expect(stats[0]![5]).toBe(formatNumber(Math.max(...col1)));
  });
});

describe("GWAS results", () => {
  // 6 variants × 2 phenotypes, p-values in closed form; names hostile
  const pvalues = [0.5, 1e-9, 0.03, 0.8, 2e-6, 0.2, 0.9, 0.04, 3e-10, 0.6, 0.01, 0.7];
  const batch = (): VariantBatch => {
    const n = pvalues.length;
    return {
      numRows: n,
      columns: {
        contigName: col.strings(Array.from({ length: n }, (_, i) => String(1 + (i % 2)))),
        start: col.longs(Float64Array.from({ length: n }, (_, i) => 100 * (i % 6))),
        names: col.stringLists(Array.from({ length: n }, (_, i) => [`<rs${i % 6}>`])),
        effect: col.doubles(Float64Array.from({ length: n }, (_, i) => (i % 2 ? 0.1 : -0.2) * (i + 1))),
        pvalue: col.doubles(Float64Array.from(pvalues)),
        phenotype: col.strings(Array.from({ length: n }, (_, i) => (i < 6 ? "<P1>" : "P2"))),
      },
    };
  };

  it("summarises each phenotype (λGC from its p-values, hits) and lists the top hits by p-value, escaped", () => {
    const b = batch();
    expect(isGwasResults(b)).toBe(true);
    expect(isRichDisplayable(b)).toBe(true);
    const h = html(renderGwasResults(b, { topHits: 3 }));
    const d = dom(h);
    noInjectedElements(d);
    expect(h).toContain("&lt;rs1&gt;");
    const summary = cells(tableWithCaption(d, "per phenotype"));
    const p1 = pvalues.slice(0, 6);
    const p2 = pvalues.slice(6);
    expect(summary).toEqual([
      ["<P1>", "6", formatNumber(glow.plot.lambdaGc(p1)), formatNumber(Math.min(...p1)), String(p1.filter((p) => p < 5e-8).length), String(p1.filter((p) => p < 1e-5).length)],
      ["P2", "6", formatNumber(glow.plot.lambdaGc(p2)), formatNumber(Math.min(...p2)), String(p2.filter((p) => p < 5e-8).length), String(p2.filter((p) => p < 1e-5).length)],
    ]);
    const top = tableWithCaption(d, "top 3 hits");
    const header = [...top.querySelectorAll("thead th")].map((e) => e.textContent);
    expect(header).toEqual(["phenotype", "contigName", "start", "names", "effect", "pvalue"]);
    const sorted = [...pvalues].sort((a, b2) => a - b2).slice(0, 3);
    expect(cells(top).map((r) => r[5])).toEqual(sorted.map((p) => formatNumber(p)));
  });

  it("gives the same summary from collected rows, and toMimeBundle dispatches both forms", async () => {
    const rows = glow.batchRows(batch());
    expect(isGwasResults(rows)).toBe(true);
    const fromRows = dom(html(await toMimeBundle(rows)));
    const fromBatch = dom(html(await toMimeBundle(batch())));
    expect(cells(tableWithCaption(fromRows, "per phenotype"))).toEqual(cells(tableWithCaption(fromBatch, "per phenotype")));
    expect(cells(tableWithCaption(fromRows, "top 10 hits"))).toEqual(cells(tableWithCaption(fromBatch, "top 10 hits")));
    // rows without a p-value are not GWAS results
    expect(isGwasResults([{ phenotype: "x" }])).toBe(false);
    expect(isGwasResults([])).toBe(false);
  });

  it("counts approx-Firth corrections and uses log10pvalue when the p-value underflows to 0", () => {
    const b: VariantBatch = {
      numRows: 3,
      columns: {
        contigName: col.strings(["1", "1", "1"]),
        start: col.longs(Float64Array.from([1, 2, 3])),
        effect: col.doubles(Float64Array.from([NaN, 1.5, 2]), Uint8Array.from([1, 0, 0])),
        correctionSucceeded: col.booleans(Uint8Array.from([0, 1, 0]), Uint8Array.from([1, 0, 0])),
        chisq: col.doubles(Float64Array.from([0.1, 50, 2000])),
        pvalue: col.doubles(Float64Array.from([0.75, 1e-12, 0])),
        phenotype: col.strings(["B", "B", "B"]),
        log10pvalue: col.doubles(Float64Array.from([Math.log10(0.75), -12, -440.5])),
      },
    };
    const d = dom(html(renderGwasResults(b)));
    const summary = cells(tableWithCaption(d, "per phenotype"))[0]!;
    // attempted on 2 rows (non-null), succeeded on 1
    expect(summary[summary.length - 1]).toBe("1/2");
    expect(summary[3]).toBe(`10^${formatNumber(-440.5)}`);
    expect(d.querySelector(".glowts-title")!.textContent).toContain("logistic regression");
    // the row with p = 0 comes first
    expect(cells(tableWithCaption(d, "top 3 hits"))[0]).toContain(formatNumber(-440.5));
  });
});

describe("simulator evaluation", () => {
  it("tables power, FDR and λGC per trait from the Evaluation's fields; trait names escaped", async () => {
    const ev = new Evaluation(5e-8, 50000, [{
      trait: "<script>t</script>", variantsTested: 100, causal: 4, hits: 3, trueHits: 2, power: 0.5, fdr: 1 / 3,
      lambdaGc: 1.0123, causalFoundGenomeWide: 2, causalFoundSuggestive: 3,
    }]);
    expect(isRichDisplayable(ev)).toBe(true);
    const h = html(await ev[MIME_BUNDLE]());
    expect(h).toBe(html(renderEvaluation(ev)));
    const d = dom(h);
    noInjectedElements(d);
    const t = ev.traits[0]!;
    expect(cells(d.querySelector("table.glowts-table")!)[0]).toEqual([
      t.trait, String(t.variantsTested), String(t.causal), String(t.hits), String(t.trueHits),
      t.power.toFixed(3), t.fdr.toFixed(3), t.lambdaGc.toFixed(3), String(t.causalFoundGenomeWide), String(t.causalFoundSuggestive),
    ]);
    expect(h).toContain("50,000 bp");
    expect((await ev[MIME_BUNDLE]())["text/plain"]).toContain(ev.toString());
  });
});
