/**
 * A minimal per-partition VCF text codec for `pipe`: serializes a {@link VariantBatch} in Glow's
 * schema to VCF text (header + records) and parses VCF text back into a batch with the reader's
 * decoder. Kept here so it can merge with the full frame writers later.
 */
import type { Column, GenotypesColumn, VariantBatch } from "../../core/column.js";
import { getValue, listRange } from "../../core/column.js";
import { GlowtsError } from "../../core/errors.js";
import { VcfBatchDecoder } from "./decoder.js";
import { FORMAT_ALIASES, parseVcfHeader, type VcfFieldDef } from "./header.js";

const FORMAT_KEYS: Record<string, string> = Object.fromEntries(Object.entries(FORMAT_ALIASES).map(([k, v]) => [v, k]));

/** The VCF FORMAT key of a Glow genotype field (`depth` → `DP`; unknown names keep their name). */
export function formatKeyOf(field: string): string {
  return FORMAT_KEYS[field] ?? field;
}

function vcfTypeOf(c: Column): { type: string; number: string } {
  let t: Column = c, isList = false;
  if (c.type === "list") { t = c.child; isList = true; }
  const type = t.type === "int" ? "Integer" : t.type === "double" || t.type === "long" ? "Float" : t.type === "boolean" ? "Flag" : "String";
  return { type, number: isList ? "." : type === "Flag" ? "0" : "1" };
}

function esc(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}

/**
 * Header lines inferred from the batch's columns (Glow's `inVcfHeader=infer`): one `##INFO` per
 * `INFO_*` column and one `##FORMAT` per genotype field, with Number/Type/Description from
 * `known` definitions (the source's header) when present, else from the column types.
 */
export function inferVcfHeader(batch: VariantBatch, known: { info: VcfFieldDef[]; format: VcfFieldDef[] } | null, sampleIds: string[]): string[] {
  const lines = ["##fileformat=VCFv4.2"];
  const kInfo = new Map((known?.info ?? []).map((d) => [d.id, d]));
  const kFmt = new Map((known?.format ?? []).map((d) => [d.id, d]));
  for (const [name, c] of Object.entries(batch.columns)) {
    if (!name.startsWith("INFO_")) continue;
    const id = name.slice(5);
    const d = kInfo.get(id);
    const t = vcfTypeOf(c);
    lines.push(`##INFO=<ID=${id},Number=${d ? d.count === "UNBOUNDED" ? "." : d.count : t.number},Type=${d?.type ?? t.type},Description="${esc(d?.description ?? "")}">`);
  }
  const g = batch.columns["genotypes"];
  if (g && g.type === "genotypes") {
    if (g.fields["calls"]) lines.push(`##FORMAT=<ID=GT,Number=1,Type=String,Description="${esc(kFmt.get("GT")?.description ?? "Genotype")}">`);
    for (const [name, c] of Object.entries(g.fields)) {
      if (name === "calls" || name === "phased") continue;
      const id = formatKeyOf(name);
      const d = kFmt.get(id);
      const t = vcfTypeOf(c);
      lines.push(`##FORMAT=<ID=${id},Number=${d ? d.count === "UNBOUNDED" ? "." : d.count : t.number},Type=${d?.type ?? (t.type === "Flag" ? "String" : t.type)},Description="${esc(d?.description ?? "")}">`);
    }
  }
  lines.push(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", ...(sampleIds.length ? ["FORMAT", ...sampleIds] : [])].join("\t"));
  return lines;
}

function fmtNumber(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

function fmtValue(v: unknown): string {
  if (v === null || v === undefined) return ".";
  if (Array.isArray(v)) return v.length === 0 ? "." : v.map(fmtValue).join(",");
  if (typeof v === "number") return fmtNumber(v);
  return String(v);
}

/**
 * VCF records of a batch (no header), one line each, ending with a newline. INFO columns are
 * written in column order (null values and false flags omitted); `END` is written when `end` is
 * not `start + len(REF)`; genotypes write GT first, then the other fields as FORMAT keys.
 */
export function batchToVcfRecords(batch: VariantBatch): string {
  const c = batch.columns;
  const infoCols = Object.entries(c).filter(([k]) => k.startsWith("INFO_"));
  const g = c["genotypes"] as GenotypesColumn | undefined;
  const gFields = g && g.type === "genotypes" ? Object.entries(g.fields).filter(([k]) => k !== "calls" && k !== "phased") : [];
  const calls = g?.fields["calls"], phased = g?.fields["phased"];
  const out: string[] = [];
  for (let i = 0; i < batch.numRows; i++) {
    const v = (name: string): unknown => (c[name] ? getValue(c[name]!, i) : null);
    const start = Number(v("start")), end = Number(v("end"));
    const ref = String(v("referenceAllele") ?? "N");
    const names = v("names") as string[] | null;
    const alts = v("alternateAlleles") as string[] | null;
    const filters = v("filters") as string[] | null;
    const info: string[] = [];
    for (const [k, col] of infoCols) {
      const x = getValue(col, i);
      if (x === null || x === false) continue;
      if (Array.isArray(x) && x.length === 0) continue;
      info.push(x === true ? k.slice(5) : `${k.slice(5)}=${fmtValue(x)}`);
    }
    if (Number.isFinite(end) && end !== start + ref.length) info.push(`END=${end}`);
    const fields = [
      String(v("contigName")), String(start + 1), names && names.length ? names.join(";") : ".", ref,
      alts && alts.length ? alts.join(",") : ".", fmtValue(v("qual")), filters && filters.length ? filters.join(";") : ".",
      info.length ? info.join(";") : ".",
    ];
    if (g && g.type === "genotypes" && g.nSamples > 0) {
      const keys = [...(calls ? ["GT"] : []), ...gFields.map(([k]) => formatKeyOf(k))];
      fields.push(keys.join(":"));
      for (let s = 0; s < g.nSamples; s++) {
        const e = i * g.nSamples + s;
        const parts: string[] = [];
        if (calls && calls.type === "list") {
          const [a, b] = listRange(calls, e);
          const sep = phased && getValue(phased, e) === true ? "|" : "/";
          const cv = (calls.child as { values: ArrayLike<number> }).values;
          const gt: string[] = [];
          for (let j = a; j < b; j++) gt.push(cv[j]! < 0 ? "." : String(cv[j]));
          parts.push(gt.length ? gt.join(sep) : ".");
        }
        for (const [, fc] of gFields) parts.push(fmtValue(getValue(fc, e)));
        fields.push(parts.join(":"));
      }
    }
    out.push(fields.join("\t"));
  }
  return out.length ? `${out.join("\n")}\n` : "";
}

/**
 * Parses VCF text (header and records) into a batch in Glow's schema.
 * @param name names the text's origin in errors (e.g. the piped command)
 * @throws GlowtsError `VCF_HEADER` / `VCF_PARSE` on malformed text
 */
export function vcfTextToBatch(text: Uint8Array, name: string, includeSampleIds = true): VariantBatch {
  const headerLines: string[] = [];
  let pos = 0;
  while (pos < text.length && text[pos] === 35) {
    let nl = text.indexOf(10, pos);
    if (nl < 0) nl = text.length;
    headerLines.push(new TextDecoder().decode(text.subarray(pos, nl)));
    pos = nl + 1;
    if (headerLines[headerLines.length - 1]!.startsWith("#CHROM")) break;
  }
  if (!headerLines.some((l) => l.startsWith("#CHROM"))) throw new GlowtsError("VCF_HEADER", "the output has no VCF header (#CHROM line)", { file: name });
  const h = parseVcfHeader(headerLines, name);
  const decoder = new VcfBatchDecoder({
    file: name, info: h.info, format: h.format, nSamples: h.sampleIds.length,
    sampleIds: includeSampleIds ? h.sampleIds : null, flattenInfoFields: true, stringency: "silent",
  });
  let line = headerLines.length + 1;
  while (pos < text.length) {
    let nl = text.indexOf(10, pos);
    if (nl < 0) nl = text.length;
    let b = nl;
    if (b > pos && text[b - 1] === 13) b--;
    if (b > pos && text[pos] !== 35) decoder.addLine(text, pos, b, line);
    pos = nl + 1;
    line++;
  }
  return decoder.finish();
}
