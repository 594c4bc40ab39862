/**
 * The MIME-bundle protocol and the small HTML toolkit that every glowts renderer uses.
 *
 * An object shows itself in Jupyter by implementing `[Symbol.for("jupyter.mimebundle")]()`, which
 * returns (or resolves to) a {@link MimeBundle}: `text/plain` always, usually `text/html`. The
 * HTML is static and self-contained (a scoped `<style>`, no scripts, no external fonts; plots are
 * inline `<svg>`), so it renders the same in JupyterLab, nbconvert's HTML and GitHub.
 *
 * This module is in the bottom layer: model objects (`src/wgr`, `src/sim`, ...) implement the
 * protocol by calling {@link renderAs} with their kind, and `src/display/` installs the renderer of
 * each kind with {@link registerRenderer} when it is imported (the package entry imports it), so
 * models never import their renderers.
 */

/** A Jupyter MIME bundle: MIME type → content. `text/plain` is always present. */
export interface MimeBundle {
  "text/plain": string;
  "text/html"?: string;
  [mime: string]: string | undefined;
}

/** The protocol symbol: `obj[MIME_BUNDLE]()` returns a {@link MimeBundle} or a promise of one. */
export const MIME_BUNDLE: unique symbol = Symbol.for("jupyter.mimebundle") as never;

/** What an object implements to render itself. */
export interface MimeBundleProvider {
  [MIME_BUNDLE](): MimeBundle | Promise<MimeBundle>;
}

/** True when `x` implements the MIME-bundle protocol. */
export function hasMimeBundle(x: unknown): x is MimeBundleProvider {
  return x !== null && (typeof x === "object" || typeof x === "function")
    && typeof (x as Record<symbol, unknown>)[Symbol.for("jupyter.mimebundle")] === "function";
}

/** Renders an object of one kind to a bundle. */
export type Renderer = (x: any) => MimeBundle | Promise<MimeBundle>; // eslint-disable-line @typescript-eslint/no-explicit-any

const renderers = new Map<string, Renderer>();

/** Installs the renderer of objects of `kind` (e.g. `ridgeModel`); `src/display/` does this on import. */
export function registerRenderer(kind: string, render: Renderer): void {
  renderers.set(kind, render);
}

/** The renderer installed for `kind`, if any. */
export function rendererFor(kind: string): Renderer | undefined {
  return renderers.get(kind);
}

/**
 * The bundle of `x` by the renderer registered for `kind`; the object's text form when no renderer
 * is installed (display not loaded).
 */
export async function renderAs(kind: string, x: object): Promise<MimeBundle> {
  const r = renderers.get(kind);
  if (r) return r(x);
  return { "text/plain": String(x) };
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML content and attribute values (`&`, `<`, `>`, `"`, `'`). */
export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** The stylesheet every glowts output carries, scoped to `.glowts`. */
export const GLOWTS_STYLE = [
  ".glowts{font:13px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:100%;overflow-x:auto}",
  ".glowts .glowts-title{font-weight:600;margin:2px 0 4px}",
  ".glowts .glowts-meta{opacity:.75;margin:2px 0 6px}",
  ".glowts table.glowts-table{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:4px 0 6px;font-size:12px}",
  ".glowts table.glowts-table th,.glowts table.glowts-table td{padding:2px 8px;border-bottom:1px solid rgba(127,127,127,.3);text-align:right;white-space:nowrap;max-width:32em;overflow:hidden;text-overflow:ellipsis;vertical-align:top}",
  ".glowts table.glowts-table th{font-weight:600;border-bottom:1px solid rgba(127,127,127,.7)}",
  ".glowts table.glowts-table td.glowts-l,.glowts table.glowts-table th.glowts-l{text-align:left}",
  ".glowts table.glowts-table td.glowts-wrap{white-space:normal;min-width:22em}",
  ".glowts table.glowts-table tr.glowts-ellipsis td{text-align:center;opacity:.6}",
  ".glowts table.glowts-table th.glowts-index,.glowts table.glowts-table td.glowts-index{opacity:.6;font-weight:400}",
  ".glowts .glowts-dtype{display:block;font-weight:400;font-size:10px;opacity:.7}",
  ".glowts .glowts-null{opacity:.5;font-style:italic}",
  ".glowts pre.glowts-pre{font:12px/1.35 ui-monospace,Menlo,Consolas,monospace;background:rgba(127,127,127,.08);padding:6px 8px;margin:4px 0;overflow-x:auto;white-space:pre}",
  ".glowts details>summary{cursor:pointer;margin:2px 0}",
  ".glowts .glowts-figure{margin:4px 0}",
  ".glowts .glowts-figure svg{max-width:100%;height:auto;background:#fff}",
  // a figure's PNG fallback shows only where a sanitizer removed the SVG (untrusted notebooks)
  ".glowts .glowts-figure img.glowts-fallback{max-width:100%;height:auto}",
  ".glowts .glowts-figure svg~img.glowts-fallback,.glowts .glowts-figure :has(svg)~img.glowts-fallback{display:none}",
].join("\n");

/** Wraps an HTML fragment into a self-contained glowts output (`<div class="glowts">` + style). */
export function wrapHtml(inner: string, kind = "output"): string {
  return `<div class="glowts glowts-${escapeHtml(kind)}"><style>${GLOWTS_STYLE}</style>${inner}</div>`;
}

/** A column of {@link htmlTable}. */
export interface TableColumn {
  /** Key into row objects (or index into row arrays). */
  key: string | number;
  /** Header text. @defaultValue String(key) */
  label?: string | undefined;
  /** A type shown under the header (e.g. `float64`). */
  dtype?: string | undefined;
  /** Alignment. @defaultValue right for numbers, left otherwise (decided per cell) */
  align?: "left" | "right" | undefined;
  /** Cell formatter (returns plain text, escaped by the table). @defaultValue {@link formatValue} */
  format?: ((v: unknown) => string) | undefined;
  /** Let long cell text wrap instead of being cut. @defaultValue false */
  wrap?: boolean | undefined;
  /** Cell formatter returning trusted HTML (the caller escapes data itself). */
  html?: ((v: unknown, row: unknown) => string) | undefined;
}

/** A row marker that renders as `…` across the table (for head/tail views). */
export const ELLIPSIS_ROW: unique symbol = Symbol("glowts.ellipsis") as never;

export interface HtmlTableOptions {
  /** A caption above the table (plain text). */
  caption?: string | undefined;
  /** Labels of the rows (shown as a first, dimmed column). */
  index?: readonly (string | number)[] | undefined;
  /** Header of the index column. @defaultValue "" */
  indexLabel?: string | undefined;
}

/**
 * An HTML `<table>` (not wrapped: combine with {@link wrapHtml}). Every value is escaped.
 * @param rows row objects or arrays; {@link ELLIPSIS_ROW} draws a `…` row
 * @param columns column keys or descriptions
 */
export function htmlTable(
  rows: readonly (Record<string, unknown> | readonly unknown[] | typeof ELLIPSIS_ROW)[],
  columns: readonly (string | TableColumn)[],
  options: HtmlTableOptions = {},
): string {
  const cols: TableColumn[] = columns.map((c) => (typeof c === "string" ? { key: c } : c));
  const index = options.index;
  const out: string[] = ['<table class="glowts-table">'];
  if (options.caption) out.push(`<caption style="text-align:left;caption-side:top">${escapeHtml(options.caption)}</caption>`);
  out.push("<thead><tr>");
  if (index) out.push(`<th class="glowts-index">${escapeHtml(options.indexLabel ?? "")}</th>`);
  for (const c of cols) {
    const dtype = c.dtype ? `<span class="glowts-dtype">${escapeHtml(c.dtype)}</span>` : "";
    out.push(`<th${c.align === "left" ? ' class="glowts-l"' : ""}>${escapeHtml(c.label ?? String(c.key))}${dtype}</th>`);
  }
  out.push("</tr></thead><tbody>");
  let dataRow = 0;
  for (const row of rows) {
    if (row === ELLIPSIS_ROW) {
      out.push(`<tr class="glowts-ellipsis"><td colspan="${cols.length + (index ? 1 : 0)}">…</td></tr>`);
      continue;
    }
    out.push("<tr>");
    if (index) out.push(`<td class="glowts-index">${escapeHtml(index[dataRow] ?? "")}</td>`);
    for (const c of cols) {
      const v = Array.isArray(row) ? (row as readonly unknown[])[c.key as number] : (row as Record<string, unknown>)[c.key as string];
      out.push(cellHtml(v, row, c));
    }
    out.push("</tr>");
    dataRow++;
  }
  out.push("</tbody></table>");
  return out.join("");
}

function cellHtml(v: unknown, row: unknown, c: TableColumn): string {
  const left = c.align === "left" || (c.align === undefined && typeof v !== "number" && typeof v !== "bigint");
  const classes = [left ? "glowts-l" : "", c.wrap ? "glowts-wrap" : ""].filter(Boolean).join(" ");
  const cls = classes ? ` class="${classes}"` : "";
  if (c.html) return `<td${cls}>${c.html(v, row)}</td>`;
  if (v === null || v === undefined) return `<td${cls}><span class="glowts-null">null</span></td>`;
  return `<td${cls}>${escapeHtml((c.format ?? formatValue)(v))}</td>`;
}

/** Number text: integers as is, others with 4 significant digits (exponent form when tiny/huge). */
export function formatNumber(v: number, digits = 4): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e9)) return v.toExponential(digits - 1).replace(/\.?0+e/, "e");
  return String(Number(v.toPrecision(digits)));
}

/** Short plain text of any cell value (arrays shortened, objects as JSON). */
export function formatValue(v: unknown, max = 60): string {
  let s: string;
  if (v === null || v === undefined) s = "null";
  else if (typeof v === "number") s = formatNumber(v);
  else if (typeof v === "bigint") s = v.toString();
  else if (typeof v === "string") s = v;
  else if (typeof v === "boolean") s = String(v);
  else if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const arr = Array.from(v as ArrayLike<unknown>);
    const parts = arr.slice(0, 6).map((x) => formatValue(x, 30));
    s = `[${parts.join(", ")}${arr.length > 6 ? `, … (${arr.length})` : ""}]`;
  } else if (v instanceof Date) s = v.toISOString();
  else {
    try { s = JSON.stringify(v) ?? String(v); } catch { s = String(v); }
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A fixed-width text table (for `text/plain`). */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? "").length)));
  const line = (r: readonly string[]): string => r.map((c, j) => c.padStart(widths[j]!)).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}

/** A bundle from HTML and text (the HTML gets wrapped into a glowts output). */
export function makeBundle(html: string, text: string, kind = "output"): MimeBundle {
  return { "text/html": wrapHtml(html, kind), "text/plain": text };
}
