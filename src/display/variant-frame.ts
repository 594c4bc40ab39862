/**
 * Rich display of a VariantFrame: the plan (as `explain` prints it), the partition and sample
 * counts, and the first rows in Glow's schema with each row's genotypes summarised. Rendering runs
 * the plan on the first rows only (`limit(n)`), and reads no statistics the frame does not give.
 */
import type { Field, VariantBatch } from "../core/column.js";
import { getValue, typeToString } from "../core/column.js";
import { genotypeSummaryHtml, genotypeSummaryText } from "./genotypes.js";
import { ELLIPSIS_ROW, escapeHtml, formatValue, htmlTable, makeBundle, textTable, type MimeBundle, type TableColumn } from "../core/mime.js";

/** What the renderer needs of a frame (`VariantFrame` has it). */
export interface VariantFrameLike {
  explain(print?: boolean): Promise<string>;
  numPartitions(): Promise<number>;
  sampleIds(): Promise<string[] | null>;
  schema(): Promise<Field[]>;
  limit(n: number): { collectBatch(options?: { onProgress?: boolean }): Promise<VariantBatch> };
  toString(): string;
}

/** True for VariantFrame-like objects (duck-typed, so any copy of glowts is recognised). */
export function isVariantFrame(x: unknown): x is VariantFrameLike {
  if (x === null || typeof x !== "object") return false;
  const f = x as Record<string, unknown>;
  return ["explain", "numPartitions", "sampleIds", "schema", "limit", "collectBatch"].every((k) => typeof f[k] === "function");
}

/** Options of the frame display. */
export interface FrameDisplayOptions {
  /** Rows shown. @defaultValue 10 */
  rows?: number | undefined;
  /** Samples named in each genotypes summary. @defaultValue 3 */
  samplesShown?: number | undefined;
}

/** Shortened type text for a header (genotypes → `genotypes<calls,phased>`). */
function shortType(t: Field["type"] | undefined): string | undefined {
  if (t === undefined) return undefined;
  if (typeof t === "object" && "genotypes" in t) return `genotypes<${t.genotypes.filter((f) => f.name !== "sampleId").map((f) => f.name).join(",")}>`;
  const s = typeToString(t);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

/**
 * The MIME bundle of a VariantFrame.
 * @returns `text/html` (plan, counts, first rows) and `text/plain`
 */
export async function renderVariantFrame(frame: VariantFrameLike, options: FrameDisplayOptions = {}): Promise<MimeBundle> {
  const nRows = options.rows ?? 10;
  const samplesShown = options.samplesShown ?? 3;
  const [plan, numPartitions, sampleIds, schema] = await Promise.all([
    frame.explain(false), frame.numPartitions(), frame.sampleIds(), frame.schema(),
  ]);
  const batch = await frame.limit(nRows + 1).collectBatch({ onProgress: false });
  const more = batch.numRows > nRows;
  const shown = Math.min(nRows, batch.numRows);
  const types = new Map(schema.map((f) => [f.name, f.type]));
  const names = Object.keys(batch.columns).length ? Object.keys(batch.columns) : schema.map((f) => f.name);

  const columns: TableColumn[] = names.map((name) => {
    const c = batch.columns[name];
    const base: TableColumn = { key: name, dtype: shortType(types.get(name)) };
    if (c?.type === "genotypes") return { ...base, align: "left", wrap: true, html: (_v, row) => genotypeSummaryHtml(c, (row as { __row: number }).__row, samplesShown) };
    return base;
  });
  const rows: (Record<string, unknown> | typeof ELLIPSIS_ROW)[] = [];
  for (let i = 0; i < shown; i++) {
    const r: Record<string, unknown> = { __row: i };
    for (const name of names) {
      const c = batch.columns[name];
      if (c && c.type !== "genotypes") r[name] = getValue(c, i);
    }
    rows.push(r);
  }
  if (more) rows.push(ELLIPSIS_ROW);

  const [planPart, rest] = splitPlan(plan);
  const nSamples = sampleIds ? sampleIds.length : null;
  const meta = `${numPartitions} partition${numPartitions === 1 ? "" : "s"} · ${nSamples === null ? "no samples" : `${nSamples} sample${nSamples === 1 ? "" : "s"}`} · ${names.length} column${names.length === 1 ? "" : "s"}`;
  const rowsNote = batch.numRows === 0 ? "(no rows)" : more ? `first ${shown} rows` : `all ${shown} row${shown === 1 ? "" : "s"}`;
  const html = [
    `<div class="glowts-title">VariantFrame <span style="font-weight:400">${escapeHtml(describeSource(frame))}</span></div>`,
    `<div class="glowts-meta">${escapeHtml(meta)} · ${escapeHtml(rowsNote)}</div>`,
    batch.numRows === 0 ? "" : htmlTable(rows, columns),
    names.some((n) => batch.columns[n]?.type === "genotypes")
      ? '<div class="glowts-meta">genotypes: number of samples · calls hom-ref / het / hom-alt / missing · the first samples\' calls</div>' : "",
    `<details><summary>plan</summary><pre class="glowts-pre">${escapeHtml(planPart)}</pre></details>`,
    rest ? `<details><summary>partitions and samples</summary><pre class="glowts-pre">${escapeHtml(rest)}</pre></details>` : "",
  ].join("");

  const textRows = rows.filter((r): r is Record<string, unknown> => r !== ELLIPSIS_ROW).map((r) => names.map((name) => {
    const c = batch.columns[name];
    return c?.type === "genotypes" ? genotypeSummaryText(c, r["__row"] as number, samplesShown) : formatValue(r[name], 40);
  }));
  const text = [
    `${frame.toString()}`,
    `${meta}; ${rowsNote}`,
    batch.numRows === 0 ? "" : textTable(names, textRows) + (more ? "\n…" : ""),
    "",
    planPart,
  ].join("\n");
  return makeBundle(html, text, "frame");
}

/** `VariantFrame(plink: a.bed; …)` → `plink: a.bed; …` */
function describeSource(frame: VariantFrameLike): string {
  const s = frame.toString();
  const m = /^VariantFrame\(([\s\S]*)\)$/.exec(s);
  const inner = m ? m[1]! : s;
  return inner.length > 160 ? `${inner.slice(0, 159)}…` : inner;
}

/** Splits `explain` text into the plan tree and the rest (partitions, samples). */
function splitPlan(plan: string): [string, string] {
  const k = plan.indexOf("\n\n== partitions");
  if (k < 0) return [plan, ""];
  return [plan.slice(0, k), plan.slice(k + 2)];
}
