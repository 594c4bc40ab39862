/**
 * One variant's genotypes in a few words, for tables: the number of samples, the call classes
 * (hom-ref / het / hom-alt / missing) of that row, and the first samples' values — read straight
 * from the columnar genotype fields, without materialising one object per sample.
 */
import type { Column, GenotypesColumn, ListColumn } from "../core/column.js";
import { getValue, listRange } from "../core/column.js";
import { escapeHtml, formatValue } from "../core/mime.js";

/** Call classes of one row. */
export interface CallCounts {
  homRef: number;
  het: number;
  homAlt: number;
  missing: number;
}

/** Counts the call classes of row `row` (null when the genotypes have no `calls` field). */
export function rowCallCounts(g: GenotypesColumn, row: number): CallCounts | null {
  const calls = g.fields["calls"];
  if (!calls || calls.type !== "list") return null;
  const child = calls.child;
  if (child.type !== "int" && child.type !== "long" && child.type !== "double") return null;
  const v = child.values;
  const out: CallCounts = { homRef: 0, het: 0, homAlt: 0, missing: 0 };
  for (let s = 0; s < g.nSamples; s++) {
    const [from, to] = listRange(calls, row * g.nSamples + s);
    if (to <= from) { out.missing++; continue; }
    let miss = false;
    let allRef = true;
    let same = true;
    const first = v[from]!;
    for (let k = from; k < to; k++) {
      const a = v[k]!;
      if (a < 0) { miss = true; break; }
      if (a !== 0) allRef = false;
      if (a !== first) same = false;
    }
    if (miss) out.missing++;
    else if (allRef) out.homRef++;
    else if (same) out.homAlt++;
    else out.het++;
  }
  return out;
}

/** The text of one sample's genotype: `0/1`, `1|0`, `./.`, or its first field's value. */
export function sampleGenotypeText(g: GenotypesColumn, row: number, sample: number): string {
  const at = row * g.nSamples + sample;
  const calls = g.fields["calls"];
  if (calls && calls.type === "list") {
    const phased = g.fields["phased"];
    const sep = phased && phased.type === "boolean" && !phased.nulls?.[at] && phased.values[at] ? "|" : "/";
    const [from, to] = listRange(calls as ListColumn, at);
    const child = (calls as ListColumn).child as Column & { values: ArrayLike<number> };
    const parts: string[] = [];
    for (let k = from; k < to; k++) parts.push(child.values[k]! < 0 ? "." : String(child.values[k]));
    return parts.length ? parts.join(sep) : ".";
  }
  const names = Object.keys(g.fields);
  if (names.length === 0) return "";
  return formatValue(getValue(g.fields[names[0]!]!, at), 24);
}

/** Plain-text summary of a row's genotypes. */
export function genotypeSummaryText(g: GenotypesColumn, row: number, samplesShown = 3): string {
  const counts = rowCallCounts(g, row);
  const parts = [`${g.nSamples} samples`];
  if (counts) parts.push(`hom-ref ${counts.homRef}, het ${counts.het}, hom-alt ${counts.homAlt}, missing ${counts.missing}`);
  const k = Math.min(samplesShown, g.nSamples);
  const first: string[] = [];
  for (let s = 0; s < k; s++) first.push(`${g.sampleIds?.[s] ?? `#${s}`} ${sampleGenotypeText(g, row, s)}`);
  if (k) parts.push(first.join(", ") + (g.nSamples > k ? ", …" : ""));
  return parts.join("; ");
}

/** HTML summary of a row's genotypes (escaped). */
export function genotypeSummaryHtml(g: GenotypesColumn, row: number, samplesShown = 3): string {
  const counts = rowCallCounts(g, row);
  const head = `<b>${g.nSamples}</b> samples`;
  const cls = counts
    ? ` · <span title="hom-ref / het / hom-alt / missing">${counts.homRef} / ${counts.het} / ${counts.homAlt} / ${counts.missing}</span>`
    : ` · ${escapeHtml(Object.keys(g.fields).join(", "))}`;
  const k = Math.min(samplesShown, g.nSamples);
  const first: string[] = [];
  for (let s = 0; s < k; s++) first.push(`${escapeHtml(g.sampleIds?.[s] ?? `#${s}`)}:&nbsp;<code>${escapeHtml(sampleGenotypeText(g, row, s))}</code>`);
  const samples = k ? ` · ${first.join(" ")}${g.nSamples > k ? " …" : ""}` : "";
  return head + cls + samples;
}
