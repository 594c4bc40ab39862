/**
 * Rich display of the simulator's power/FDR evaluation (`glow.simulate.evaluate`).
 *
 * Import direction: display → models. The model class implements `[MIME_BUNDLE]()` with
 * `renderAs(kind, this)` (`core/mime.ts`); this module installs its renderer into that registry
 * when it is imported (bottom of the file) and imports only the model's types.
 */
import type { Evaluation } from "../sim/evaluate.js";
import { formatNumber, htmlTable, makeBundle, registerRenderer, type MimeBundle, type TableColumn } from "../core/mime.js";
import { plural, title, meta, type Row } from "./model-html.js";

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

registerRenderer("evaluation", (x: Evaluation) => renderEvaluation(x));
