/**
 * The demo's HTML report, written for a statistician: the cohort first (samples, cases/controls,
 * covariates, variants after QC, glowts version, seed), then one section per trait with its
 * Manhattan and QQ plots side by side, λGC, power and FDR against the simulated truth (each
 * explained in one sentence) and the top hits with their nearest causal variant; the GloWGR model
 * choice after that; the query plan and the stage timings last, collapsed. The page fits a 1280 px
 * window without horizontal scrolling (plots scale down, wide tables scroll inside their box).
 */
import { escapeHtml, htmlTable, wrapHtml } from "../core/mime.js";
import type { CausalVariant } from "../sim/cohort.js";
import type { TraitEvaluation } from "../sim/evaluate.js";

/** What the report shows. */
export interface DemoReportData {
  version: string;
  seed: number;
  samples: number;
  variants: number;
  chromosomes: number;
  kept: number;
  qcRule: string;
  covariates: string[];
  /** Per binary trait: cases, controls, missing. */
  binary: { trait: string; cases: number; controls: number; missing: number }[];
  quantitative: { trait: string; observed: number; missing: number }[];
  heritability: number;
  causalPerTrait: number;
  traits: {
    trait: string;
    model: string;
    manhattanSvg: string;
    qqSvg: string;
    evaluation: TraitEvaluation | undefined;
    top: { variant: string; contigName: string; position: number; effect: number; pvalue: number; nearest: CausalVariant | undefined; distance: number | undefined }[];
  }[];
  threshold: number;
  windowBp: number;
  models: { trait: string; kind: string; alpha: string; score: string }[];
  plan: string;
  stages: { stage: string; seconds: number }[];
  wallSeconds: number;
}

const CSS = [
  "body{margin:0;padding:16px 24px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;background:#fff;color:#1b1f24}",
  ".report{max-width:1180px;margin:0 auto}",
  ".report h1{font-size:24px;margin:8px 0 4px}.report h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}",
  ".report h3{font-size:15px;margin:14px 0 6px}",
  ".plots{display:flex;gap:16px;flex-wrap:wrap}.plots figure{margin:0;flex:1 1 520px;min-width:0;max-width:100%}",
  ".plots figcaption{font-weight:600;font-size:13px;margin-bottom:4px}.plots svg{max-width:100%;height:auto}",
  ".scroll{max-width:100%;overflow-x:auto}.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;font-size:14px}",
  ".facts dt{color:#57606a}.facts dd{margin:0}.explain{font-size:13px;color:#424a53;max-width:900px}",
  "details{margin-top:12px}summary{cursor:pointer;font-weight:600}pre{white-space:pre-wrap;word-break:break-all;font-size:12px}",
].join("\n");

const fmt = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : "–");
const fmtP = (p: number): string => (p === 0 ? "0" : p < 1e-3 ? p.toExponential(2) : p.toPrecision(3));

/** The whole report page. */
export function renderDemoReport(d: DemoReportData): string {
  const cohort = `<dl class="facts">
<dt>Samples</dt><dd>${d.samples.toLocaleString("en-US")}</dd>
${d.binary.map((b) => `<dt>${escapeHtml(b.trait)} (binary)</dt><dd>${b.cases.toLocaleString("en-US")} cases, ${b.controls.toLocaleString("en-US")} controls${b.missing ? `, ${b.missing} missing` : ""}</dd>`).join("\n")}
${d.quantitative.map((q) => `<dt>${escapeHtml(q.trait)} (quantitative)</dt><dd>${q.observed.toLocaleString("en-US")} observed${q.missing ? `, ${q.missing} missing` : ""}</dd>`).join("\n")}
<dt>Covariates</dt><dd>${escapeHtml(d.covariates.join(", ") || "none")}</dd>
<dt>Variants after QC</dt><dd>${d.kept.toLocaleString("en-US")} of ${d.variants.toLocaleString("en-US")} on ${d.chromosomes} chromosomes (${escapeHtml(d.qcRule)})</dd>
<dt>Simulated truth</dt><dd>h² ${d.heritability}, ${d.causalPerTrait} causal variants per trait</dd>
<dt>glowts version</dt><dd>${escapeHtml(d.version)}</dd>
<dt>Seed</dt><dd>${d.seed}</dd>
</dl>`;
  const explain = `<p class="explain"><b>Power</b> is the share of a trait's causal variants with a hit (p &lt; ${d.threshold}) within ${d.windowBp.toLocaleString("en-US")} bp.
<b>FDR</b> (false discovery rate) is the share of hits with no causal variant of that trait within ${d.windowBp.toLocaleString("en-US")} bp.
<b>λGC</b> is the median χ² of the test statistics over its expected value under the null; near 1 means no inflation from structure.</p>`;
  const traits = d.traits.map((t) => {
    const e = t.evaluation;
    const facts = e
      ? `<p>λGC ${fmt(e.lambdaGc)} · power ${fmt(e.power)} (${e.trueHits} of ${e.causal} causal variants found at p &lt; ${d.threshold}) · FDR ${Number.isNaN(e.fdr) ? "– (no hits)" : fmt(e.fdr)} · ${e.variantsTested.toLocaleString("en-US")} variants tested</p>`
      : "";
    const top = htmlTable(t.top.map((h) => ({
      Variant: h.variant, Chromosome: h.contigName, Position: h.position, Effect: fmt(h.effect, 4), "p-value": fmtP(h.pvalue),
      "Nearest causal variant": h.nearest ? h.nearest.id : "–",
      "Distance (bp)": h.distance ?? "–",
    })), ["Variant", "Chromosome", "Position", "Effect", "p-value", "Nearest causal variant", "Distance (bp)"], { caption: `Top hits for ${t.trait}` });
    return `<h2>${escapeHtml(t.trait)} — ${escapeHtml(t.model)}</h2>
<div class="plots"><figure><figcaption>Manhattan plot — ${escapeHtml(t.trait)}</figcaption>${t.manhattanSvg}</figure>
<figure><figcaption>QQ plot — ${escapeHtml(t.trait)}</figcaption>${t.qqSvg}</figure></div>
${facts}
<h3>Top hits</h3><div class="scroll">${top}</div>`;
  }).join("\n");
  const models = htmlTable(d.models.map((m) => ({ Trait: m.trait, Model: m.kind, "Chosen alpha": m.alpha, "Cross-validated score": m.score })),
    ["Trait", "Model", "Chosen alpha", "Cross-validated score"], { caption: "GloWGR level-1 models: the ridge penalty chosen by cross-validation (r² for quantitative traits, log-loss for binary ones)" });
  const stages = htmlTable(d.stages.map((s) => ({ Stage: s.stage, Seconds: s.seconds.toFixed(1) })), ["Stage", "Seconds"]);
  const body = `<h1>glowts demo report</h1>
<h2>Cohort</h2>${cohort}
<h2>Power, FDR and λGC against the truth</h2>${explain}
${traits}
<h2>GloWGR level-1 models</h2><div class="scroll">${models}</div>
<details><summary>Plan after QC and timings (wall time ${d.wallSeconds.toFixed(1)} s)</summary>
<pre>${escapeHtml(d.plan)}</pre>
<div class="scroll">${stages}</div></details>`;
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>glowts demo report</title><style>${CSS}</style></head><body><div class="report">
${wrapHtml(body, "report")}
</div></body></html>`;
}

/** The causal variant of `trait` nearest to a position on the same chromosome (and its distance). */
export function nearestCausal(causal: readonly CausalVariant[], trait: string, contigName: string, position: number): { nearest: CausalVariant | undefined; distance: number | undefined } {
  let best: CausalVariant | undefined;
  let dist = Infinity;
  for (const c of causal) {
    if (c.trait !== trait || c.contigName !== contigName) continue;
    const dd = Math.abs(c.position - position);
    if (dd < dist) { dist = dd; best = c; }
  }
  return { nearest: best, distance: best ? dist : undefined };
}
