/**
 * The HTML parts the model renderings share (titles, captions, key/value tables, list heads).
 * All strings from the data are escaped.
 */
import { ELLIPSIS_ROW, escapeHtml, htmlTable } from "../core/mime.js";

export type Row = Record<string, unknown>;
export type TableRows = (Row | typeof ELLIPSIS_ROW)[];

export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

export function title(kind: string, rest: string): string {
  return `<div class="glowts-title">${escapeHtml(kind)} <span style="font-weight:400">${escapeHtml(rest)}</span></div>`;
}

export function meta(text: string): string {
  return `<div class="glowts-meta">${escapeHtml(text)}</div>`;
}

export function section(name: string): string {
  return `<div class="glowts-title" style="margin-top:8px;font-size:12px">${escapeHtml(name)}</div>`;
}

export function flexRow(parts: string[]): string {
  return `<div style="display:flex;gap:16px;align-items:flex-start;flex-wrap:wrap">${parts.map((p) => `<div>${p}</div>`).join("")}</div>`;
}

/** A two-column "what · value" table (values are plain text). */
export function keyValueTable(pairs: [string, string][]): string {
  return htmlTable(pairs.map(([k, v]) => ({ k, v })), [
    { key: "k", label: "", align: "left" },
    { key: "v", label: "", align: "left", wrap: true, format: (v) => String(v) },
  ]);
}

export function keyValueText(pairs: [string, string][]): string {
  const w = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join("\n");
}

/** Head of a list with a count of the rest: `a, b, c, … (+7)`. */
export function listHead(xs: readonly string[], n = 6): string {
  if (xs.length === 0) return "(none)";
  return xs.slice(0, n).join(", ") + (xs.length > n ? `, … (+${xs.length - n})` : "");
}

/** Distinct values in order of first appearance. */
export function distinct(xs: Iterable<string>): string[] {
  return [...new Set(xs)];
}
