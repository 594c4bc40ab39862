/**
 * `glow.display` and the rendering of any value to a Jupyter MIME bundle.
 *
 * Precedence: an object's own `[Symbol.for("jupyter.mimebundle")]()` (glowts' model objects and
 * figures implement it; so can yours), then VariantFrames, danfo DataFrames/Series, collected GWAS
 * results (a VariantBatch or rows with a `pvalue` column, see `renderGwasResults`), matrices,
 * numeric typed arrays, and finally any value as text (its own `toString()` when it has one,
 * else `util.inspect`).
 *
 * In the glowts kernel a cell's last value is displayed this way automatically. In the stock
 * tslab kernel call `await glow.display(x)`; outside a notebook it prints the text form.
 */
import { inspect } from "node:util";
import { isDanfoFrame, renderDataFrame, type DataFrameDisplayOptions } from "./dataframe.js";
import { isMatrixLike, isNumericVector, renderMatrix, renderVector } from "./matrix.js";
import { escapeHtml, hasMimeBundle, makeBundle, MIME_BUNDLE, type MimeBundle } from "../core/mime.js";
import { isVariantFrame, renderVariantFrame, type FrameDisplayOptions } from "./variant-frame.js";
import { isGwasResults, renderGwasResults } from "./gwas-results.js";

export {
  MIME_BUNDLE, hasMimeBundle, escapeHtml, htmlTable, wrapHtml, makeBundle, formatNumber, formatValue, textTable,
  ELLIPSIS_ROW, GLOWTS_STYLE,
  type MimeBundle, type MimeBundleProvider, type TableColumn, type HtmlTableOptions,
} from "../core/mime.js";
export { renderVariantFrame, isVariantFrame, type FrameDisplayOptions, type VariantFrameLike } from "./variant-frame.js";
export { renderDataFrame, isDanfoFrame, isDanfoSeries, type DataFrameDisplayOptions } from "./dataframe.js";
export { renderMatrix, renderVector, isMatrixLike, isNumericVector, type MatrixDisplayOptions } from "./matrix.js";
export { genotypeSummaryText, genotypeSummaryHtml, rowCallCounts, type CallCounts } from "./genotypes.js";
// The model renderers: each module installs its renderer (`registerRenderer`) when imported.
export { renderBlockMatrix, type BlockMatrixDisplayOptions, type BlockMatrixLike } from "./block-matrix.js";
export { renderRidgeModel } from "./ridge-model.js";
export { renderCrossValidation, crossValidationChart, type CrossValidationDisplayOptions } from "./cross-validation.js";
export { renderRidgeReduction, type RidgeReductionLike } from "./ridge-reduction.js";
export { renderRidgeRegression, renderLogisticRidgeRegression, type Level1ModelLike } from "./ridge-regression.js";
export { renderLocoPredictions, type LocoDisplayOptions } from "./loco.js";
export { renderGwasResults, isGwasResults, type GwasResultsInput, type GwasResultsDisplayOptions } from "./gwas-results.js";
export { renderEvaluation } from "./evaluation.js";

/** Options of {@link toMimeBundle} and {@link display}. */
export interface DisplayOptions extends FrameDisplayOptions, DataFrameDisplayOptions {}

/**
 * True when a value has a rich rendering (the MIME-bundle protocol, a VariantFrame, a danfo
 * DataFrame or Series, collected GWAS results, a matrix, or a numeric typed array). The glowts kernel uses this to decide
 * whether a cell's last value is displayed as HTML or printed as tslab prints it.
 */
export function isRichDisplayable(x: unknown): boolean {
  return hasMimeBundle(x) || isVariantFrame(x) || isDanfoFrame(x) || isGwasResults(x) || isNumericVector(x) || (Array.isArray(x) ? x.length > 0 && isMatrixLike(x) : isMatrixLike(x));
}

/**
 * Renders any value as a MIME bundle (see the module doc for the precedence).
 * @returns `{"text/plain", "text/html"}`; values without a rich form give `<pre>` HTML of their text
 */
export async function toMimeBundle(x: unknown, options: DisplayOptions = {}): Promise<MimeBundle> {
  if (hasMimeBundle(x)) return checkBundle(await x[MIME_BUNDLE](), x);
  if (isVariantFrame(x)) return renderVariantFrame(x, options);
  if (isDanfoFrame(x)) return renderDataFrame(x, options);
  if (isGwasResults(x)) return renderGwasResults(x);
  if (isNumericVector(x)) return renderVector(x);
  if (isMatrixLike(x)) return renderMatrix(x);
  const text = textOf(x);
  return makeBundle(`<pre class="glowts-pre">${escapeHtml(text)}</pre>`, text, "text");
}

/** Plain text of a value: its own `toString()` when it defines one, else `util.inspect`. */
export function textOf(x: unknown): string {
  if (typeof x === "string") return x;
  if (x !== null && typeof x === "object" && typeof (x as { toString?: unknown }).toString === "function"
    && (x as { toString: unknown }).toString !== Object.prototype.toString && !Array.isArray(x)) {
    return String(x);
  }
  return inspect(x, { depth: 3, maxArrayLength: 20, breakLength: 100 });
}

function checkBundle(b: unknown, x: unknown): MimeBundle {
  if (typeof b === "string") return { "text/plain": textOf(x), "text/html": b };
  if (b === null || typeof b !== "object") return { "text/plain": textOf(x) };
  const out = { ...(b as Record<string, string>) } as MimeBundle;
  if (typeof out["text/plain"] !== "string") out["text/plain"] = textOf(x);
  return out;
}

/** The hook the glowts kernel installs on `globalThis` to receive whole bundles. */
export const KERNEL_HOOK = Symbol.for("glowts.kernel.display");

/** What the glowts kernel puts at `globalThis[KERNEL_HOOK]`. */
export interface KernelDisplayHook {
  (bundle: MimeBundle): void;
}

/**
 * Shows values in the notebook: in the glowts kernel as full MIME bundles, in the stock tslab
 * kernel through `tslab.display.html`, elsewhere (scripts, the REPL) by printing their text.
 * Async because some renderings run a plan (a VariantFrame reads its first rows).
 * @example
 * ```ts
 * await glow.display(frame, glow.plot.qq(results));
 * ```
 */
export async function display(...values: unknown[]): Promise<void> {
  for (const x of values) {
    const bundle = await toMimeBundle(x);
    const hook = (globalThis as Record<symbol, unknown>)[KERNEL_HOOK] as KernelDisplayHook | undefined;
    if (typeof hook === "function") { hook(bundle); continue; }
    if (showInTslab(bundle)) continue;
    console.log(bundle["text/plain"]);
  }
}

/** Sends HTML through the stock tslab kernel's `display.html`, when running inside one. */
function showInTslab(bundle: MimeBundle): boolean {
  const bridge = (globalThis as { __tslab__?: { require?: (id: string) => unknown } }).__tslab__;
  if (!bridge || typeof bridge.require !== "function") return false;
  try {
    const tslab = bridge.require("tslab") as { display: { html(s: string): void; text(s: string): void } };
    if (bundle["text/html"]) tslab.display.html(bundle["text/html"]);
    else tslab.display.text(bundle["text/plain"]);
    return true;
  } catch {
    return false; // not inside an execution ("Not ready"): print instead
  }
}
