/**
 * VCF 4.2 output: `frame.write("vcf", folder)` (Glow's sharded writer: one file per partition,
 * `part-00000.vcf[.bgz]`, each with the header) and `frame.write("bigvcf", path)` (one file).
 *
 * Rows are encoded in the workers: POS = start + 1, ID = names joined with `;`, ALT and INFO arrays
 * joined with `,`, `INFO_<ID>` columns as INFO keys (booleans as flags; null omitted), `END` when
 * `end` ≠ start + len(REF), FORMAT from the genotype fields with Glow's aliases reversed
 * (`phased`+`calls` → GT, `depth` → DP, ...). The header is inferred from the schema (`vcfHeader`
 * 'infer': INFO/FORMAT lines with the `vcf_header_count`/`vcf_header_description` metadata of the
 * columns) or taken from `vcfHeader` (header text, or the path of a VCF whose header to use).
 * Compression: `compression` none | gzip | bgzf (gzip output is BGZF, which every gzip reader reads);
 * for `bigvcf` the default comes from the extension (`.gz`/`.bgz` → BGZF).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as nodePath from "node:path";
import { gunzipSync } from "node:zlib";
import { GlowtsError } from "../../core/errors.js";
import type { Column, DataType, Field, GenotypesColumn, VariantBatch } from "../../core/column.js";
import { batchFields, listRange } from "../../core/column.js";
import { CONTIGS_METADATA } from "../../core/schema.js";
import { BGZF_DEFAULT_BLOCK_DATA, BGZF_EOF, encodeBgzfBlock } from "../bgzf.js";
import { AtomicFile } from "./atomic.js";
import type { FormatWriter, PartSink, SerializedPart, WriteContext } from "./part.js";
import { ByteSink } from "./part.js";
import { TabixBuilder } from "./tabix-writer.js";

const ALIASES: Record<string, string> = {
  depth: "DP", filters: "FT", genotypeLikelihoods: "GL", phredLikelihoods: "PL", posteriorProbabilities: "GP",
  conditionalQuality: "GQ", haplotypeQualities: "HQ", expectedAlleleCounts: "EC", mappingQuality: "MQ", alleleDepths: "AD",
};

function num(v: number, integer: boolean): string {
  if (integer) return String(v);
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

function elementText(c: Column, j: number): string {
  switch (c.type) {
    case "string": return c.values[j] ?? ".";
    case "double": case "long": case "int": return c.nulls && c.nulls[j] ? "." : num(c.values[j]!, c.type !== "double");
    case "boolean": return c.nulls && c.nulls[j] ? "." : c.values[j] ? "1" : "0";
    default: return ".";
  }
}

/** Text of a (scalar or list) value; null → `.`. */
function valueText(c: Column, i: number, sep = ","): string {
  if (c.type !== "list") return elementText(c, i);
  if (c.nulls && c.nulls[i]) return ".";
  const [a, b] = listRange(c, i);
  if (b <= a) return ".";
  let s = elementText(c.child, a);
  for (let j = a + 1; j < b; j++) s += sep + elementText(c.child, j);
  return s;
}

function isNullAt(c: Column, i: number): boolean {
  if (c.type === "string") return c.values[i] === null || c.values[i] === undefined;
  if (c.type === "genotypes") return false;
  return c.nulls !== undefined && c.nulls[i] === 1;
}

/** FORMAT keys and their genotype field columns, GT first. */
function formatFields(g: GenotypesColumn): [string, Column][] {
  const out: [string, Column][] = [];
  for (const [name, c] of Object.entries(g.fields)) {
    if (name === "calls" || name === "phased" || name === "sampleId") continue;
    if (name === "ploidy" && g.fields["calls"]) continue; // BGEN's ploidy is implied by GT
    out.push([ALIASES[name] ?? name, c]);
  }
  return out;
}

/** Encodes a partition's data lines (BGZF blocks when compressed). Runs in the workers. */
export function encodeVcfPart(b: VariantBatch, options: Record<string, unknown>): SerializedPart {
  const who = "write vcf";
  const n = b.numRows;
  const col = (name: string): Column | undefined => b.columns[name];
  const contig = col("contigName"), start = col("start"), end = col("end"), ref = col("referenceAllele");
  if (!contig || contig.type !== "string" || !start || (start.type !== "long" && start.type !== "int") || !ref || ref.type !== "string") {
    throw new GlowtsError("WRITE", `${who}: the frame needs contigName, start and referenceAllele columns`);
  }
  const names = col("names"), alts = col("alternateAlleles"), qual = col("qual"), filters = col("filters"), attrs = col("attributes");
  const info = Object.keys(b.columns).filter((k) => k.startsWith("INFO_") && k !== "INFO_END").map((k) => [k.slice(5), b.columns[k]!] as const);
  let g: GenotypesColumn | null = null;
  for (const c of Object.values(b.columns)) if (c.type === "genotypes") { g = c; break; }
  const fmt = g ? formatFields(g) : [];
  const calls = g?.fields["calls"];
  const phased = g?.fields["phased"];
  const hasGT = !!calls && calls.type === "list";
  const formatKey = [...(hasGT ? ["GT"] : []), ...fmt.map(([k]) => k)].join(":") || "GT";
  const ns = g ? g.nSamples : 0;
  const out = new ByteSink(Math.max(1 << 14, n * (64 + ns * 6)));
  const tabix = options["tabix"] ? { contig: [] as string[], beg: new Float64Array(n), end: new Float64Array(n), ubeg: new Float64Array(n), uend: new Float64Array(n), blocks: [] as number[] } : null;
  for (let i = 0; i < n; i++) {
    const s = start.values[i]!;
    if (tabix) {
      tabix.contig.push(contig.values[i] ?? ".");
      tabix.beg[i] = s;
      tabix.end[i] = end && (end.type === "long" || end.type === "int") && !isNullAt(end, i) ? end.values[i]! : s + (ref.values[i] ?? "N").length;
      tabix.ubeg[i] = out.length;
    }
    const r = ref.values[i] ?? "N";
    out.text(contig.values[i] ?? "."); out.byte(9);
    out.text(String(s + 1)); out.byte(9);
    out.text(names ? valueText(names, i, ";") : "."); out.byte(9);
    out.text(r); out.byte(9);
    out.text(alts ? valueText(alts, i) : "."); out.byte(9);
    out.text(qual ? valueText(qual, i) : "."); out.byte(9);
    out.text(filters ? valueText(filters, i, ";") : "."); out.byte(9);
    let first = true;
    const sep = (): void => { if (!first) out.byte(59); first = false; };
    for (const [key, c] of info) {
      if (isNullAt(c, i)) continue;
      if (c.type === "boolean") { if (c.values[i]) { sep(); out.text(key); } continue; }
      sep(); out.text(key); out.byte(61); out.text(valueText(c, i));
    }
    if (attrs && attrs.type === "list" && attrs.child.type === "struct" && !(attrs.nulls && attrs.nulls[i])) {
      const [a, z] = listRange(attrs, i);
      const kc = attrs.child.fields["key"]!, vc = attrs.child.fields["value"]!;
      for (let j = a; j < z; j++) {
        const k = elementText(kc, j);
        if (k === "END") continue;
        sep(); out.text(k);
        if (!isNullAt(vc, j)) { out.byte(61); out.text(elementText(vc, j)); }
      }
    }
    if (end && (end.type === "long" || end.type === "int") && !isNullAt(end, i) && end.values[i] !== s + r.length) { sep(); out.text(`END=${end.values[i]}`); }
    if (first) out.byte(46);
    if (g && ns > 0) {
      out.byte(9); out.text(formatKey);
      for (let k = 0; k < ns; k++) {
        const e = i * ns + k;
        out.byte(9);
        let wrote = false;
        if (hasGT && calls.type === "list") {
          const [a, z] = listRange(calls, e);
          const ph = phased && phased.type === "boolean" && phased.values[e] === 1;
          if (z <= a) out.byte(46);
          for (let j = a; j < z; j++) {
            if (j > a) out.byte(ph ? 124 : 47);
            const v = (calls.child as { values: Int32Array }).values[j]!;
            if (v < 0) out.byte(46); else out.text(String(v));
          }
          wrote = true;
        }
        for (const [key, c] of fmt) {
          if (wrote) out.byte(58);
          out.text(valueText(c, e, key === "FT" ? ";" : ","));
          wrote = true;
        }
        if (!wrote) out.byte(46);
      }
    }
    out.byte(10);
    if (tabix) tabix.uend[i] = out.length;
  }
  const text = out.finish();
  let data = text;
  if (options["bgzf"]) {
    const blocks: Uint8Array[] = [];
    for (let p = 0; p < text.length; p += BGZF_DEFAULT_BLOCK_DATA) blocks.push(encodeBgzfBlock(text.subarray(p, Math.min(text.length, p + BGZF_DEFAULT_BLOCK_DATA))));
    if (tabix) tabix.blocks = blocks.map((x) => x.length);
    const total = blocks.reduce((s2, x) => s2 + x.length, 0);
    data = new Uint8Array(total);
    let o = 0;
    for (const x of blocks) { data.set(x, o); o += x.length; }
  }
  return { numRows: n, streams: { data }, info: { nSamples: ns, sampleIds: options["sendSampleIds"] && g ? g.sampleIds : null, fields: options["sendFields"] ? batchFields(b) : null, tabix } };
}

// ------------------------------------------------------------------ header

function vcfType(t: DataType): { number: string; type: string } {
  const el = typeof t === "object" && "list" in t ? t.list : t;
  const type = el === "int" || el === "long" ? "Integer" : el === "double" ? "Float" : el === "boolean" ? "Flag" : "String";
  return { number: typeof t === "object" && "list" in t ? "." : type === "Flag" ? "0" : "1", type };
}

function quote(s: string): string { return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`; }

/** The `##` lines Glow infers from a schema (INFO and FORMAT definitions). */
export function inferHeaderLines(fields: Field[]): string[] {
  const lines = ["##fileformat=VCFv4.2"];
  // ##contig lines: the source's (VCF header), or the contigs of a .pvar/.bim (CONTIGS_METADATA).
  const contigs = fields.find((f) => f.name === "contigName")?.metadata?.[CONTIGS_METADATA];
  if (contigs) for (const c of contigs.split("\n")) if (c) lines.push(`##contig=${c.startsWith("<") ? c : `<ID=${c}>`}`);
  for (const f of fields) {
    if (!f.name.startsWith("INFO_") || f.name === "INFO_END") continue;
    const { number, type } = vcfType(f.type);
    const count = f.metadata?.["vcf_header_count"];
    const n = count === undefined ? number : count === "UNBOUNDED" ? "." : count;
    lines.push(`##INFO=<ID=${f.name.slice(5)},Number=${type === "Flag" ? "0" : n},Type=${type},Description=${quote(f.metadata?.["vcf_header_description"] ?? "")}>`);
  }
  lines.push('##INFO=<ID=END,Number=1,Type=Integer,Description="End position of the variant">');
  const g = fields.find((f) => typeof f.type === "object" && "genotypes" in f.type);
  if (g) {
    const gf = (g.type as { genotypes: Field[] }).genotypes;
    if (gf.some((f) => f.name === "calls")) lines.push('##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">');
    for (const f of gf) {
      if (["sampleId", "calls", "phased"].includes(f.name) || (f.name === "ploidy" && gf.some((x) => x.name === "calls"))) continue;
      const id = ALIASES[f.name] ?? f.name;
      const { number, type } = vcfType(f.type);
      const count = f.metadata?.["vcf_header_count"];
      const nn = count === undefined ? number : count === "UNBOUNDED" ? "." : count;
      lines.push(`##FORMAT=<ID=${id},Number=${nn},Type=${type === "Flag" ? "Integer" : type},Description=${quote(f.metadata?.["vcf_header_description"] ?? "")}>`);
    }
  }
  return lines;
}

/** The `##` lines and sample ids of a given header (text or VCF path). */
function givenHeader(v: string): { lines: string[]; sampleIds: string[] | null } {
  let text = v;
  if (!v.startsWith("##")) {
    if (!existsSync(v)) throw new GlowtsError("OPTION", `write vcf: vcfHeader must be 'infer', header text starting with '##', or a VCF path; ${v} does not exist`, { option: "vcfHeader" });
    let bytes: Uint8Array = readFileSync(v);
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
    text = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, 1 << 24)));
  }
  const lines: string[] = [];
  let sampleIds: string[] | null = null;
  for (const l of text.split(/\r?\n/)) {
    if (l.startsWith("##")) lines.push(l);
    else if (l.startsWith("#CHROM")) { const p = l.split("\t"); sampleIds = p.length > 9 ? p.slice(9) : null; break; }
    else if (l !== "") break;
  }
  return { lines, sampleIds };
}

interface VcfSetup {
  tabix: boolean;
  compression: "none" | "bgzf";
  headerLines: string[] | null;
  headerSamples: string[] | null;
  sampleIds: string[] | null;
}

function setup(ctx: WriteContext, big: boolean): VcfSetup {
  const known = ["compression", "vcfHeader", "sampleIds", "validationStringency", ...(big ? ["tabixIndex"] : [])];
  for (const k of Object.keys(ctx.options)) if (!known.includes(k)) throw new GlowtsError("OPTION", `write ${big ? "bigvcf" : "vcf"}: unknown option '${k}' (known: ${known.join(", ")})`, { option: k });
  let comp = ctx.options["compression"] as string | undefined;
  if (comp === undefined) comp = big && /\.(b?gz|bgzf)$/i.test(ctx.path) ? "bgzf" : "none";
  comp = String(comp).toLowerCase();
  if (!["none", "uncompressed", "gzip", "bgzf"].includes(comp)) throw new GlowtsError("OPTION", `write vcf: compression must be none, gzip or bgzf, got ${comp}`, { option: "compression" });
  const hv = ctx.options["vcfHeader"] ?? "infer";
  let headerLines: string[] | null = null, headerSamples: string[] | null = null;
  if (hv !== "infer") ({ lines: headerLines, sampleIds: headerSamples } = givenHeader(String(hv)));
  let sampleIds: string[] | null = null;
  const opt = ctx.options["sampleIds"];
  if (opt !== undefined) sampleIds = Array.isArray(opt) ? opt.map(String) : String(opt).split(",").map((s) => s.trim()).filter((s) => s !== "");
  const tabix = Boolean(ctx.options["tabixIndex"] ?? false);
  if (tabix && comp !== "gzip" && comp !== "bgzf") throw new GlowtsError("OPTION", "write bigvcf: tabixIndex needs BGZF compression (a .bgz/.gz path or compression: 'bgzf')", { option: "tabixIndex" });
  return { tabix, compression: comp === "gzip" || comp === "bgzf" ? "bgzf" : "none", headerLines, headerSamples, sampleIds: headerSamples ?? sampleIds ?? ctx.sampleIds };
}

function headerText(s: VcfSetup, fields: Field[], nSamples: number, partIds: string[] | null): string {
  const ids = s.sampleIds ?? partIds ?? Array.from({ length: nSamples }, (_, i) => `sample_${i + 1}`);
  if (ids.length !== nSamples && nSamples > 0) throw new GlowtsError("WRITE", `write vcf: ${ids.length} sample ids for ${nSamples} samples`);
  const lines = s.headerLines ?? inferHeaderLines(fields);
  const cols = ["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", ...(nSamples > 0 ? ["FORMAT", ...ids] : [])];
  return [...lines, cols.join("\t")].join("\n") + "\n";
}

function encodeText(text: string, bgzf: boolean): Uint8Array {
  const b = new TextEncoder().encode(text);
  if (!bgzf) return b;
  const blocks: Uint8Array[] = [];
  for (let p = 0; p < b.length; p += BGZF_DEFAULT_BLOCK_DATA) blocks.push(encodeBgzfBlock(b.subarray(p, Math.min(b.length, p + BGZF_DEFAULT_BLOCK_DATA))));
  const out = new Uint8Array(blocks.reduce((x, y) => x + y.length, 0));
  let o = 0;
  for (const x of blocks) { out.set(x, o); o += x.length; }
  return out;
}

interface VcfPartInfo {
  nSamples: number; sampleIds: string[] | null; fields: Field[] | null;
  /** Per record: contig, 0-based start/end, uncompressed byte range in the part; compressed block sizes. */
  tabix: { contig: string[]; beg: Float64Array; end: Float64Array; ubeg: Float64Array; uend: Float64Array; blocks: number[] } | null;
}

function spec(ctx: WriteContext, s: VcfSetup): Record<string, unknown> {
  return { bgzf: s.compression === "bgzf", tabix: s.tabix, sendSampleIds: s.sampleIds === null, sendFields: ctx.schema === null && s.headerLines === null };
}

/** Adds a part's records to the index; its BGZF blocks start at file offset `base`. */
function addToIndex(index: TabixBuilder, t: NonNullable<VcfPartInfo["tabix"]>, base: number): void {
  const B = BGZF_DEFAULT_BLOCK_DATA;
  const starts: number[] = [];
  let c = base;
  for (const size of t.blocks) { starts.push(c); c += size; }
  const at = (u: number, isEnd: boolean): number => {
    let k = isEnd ? (u === 0 ? 0 : Math.floor((u - 1) / B)) : Math.floor(u / B);
    if (k >= starts.length) k = starts.length - 1;
    return starts[k]! * 65536 + (u - k * B);
  };
  for (let i = 0; i < t.contig.length; i++) index.add(t.contig[i]!, t.beg[i]!, t.end[i]!, at(t.ubeg[i]!, false), at(t.uend[i]!, true));
}

/** `bigvcf`: one file. */
export const bigVcfWriter: FormatWriter = {
  prepare(ctx: WriteContext) {
    const s = setup(ctx, true);
    const file = new AtomicFile(ctx.path);
    const index = s.tabix ? new TabixBuilder() : null;
    let tbi: AtomicFile | undefined;
    let started = false;
    const start = (fields: Field[], ns: number, ids: string[] | null): void => {
      file.write(encodeText(headerText(s, fields, ns, ids), s.compression === "bgzf"));
      started = true;
    };
    const sink: PartSink = {
      append(part) {
        const info = part.info as VcfPartInfo;
        if (!started) start(ctx.schema ?? info.fields ?? [], info.nSamples, info.sampleIds);
        if (index && info.tabix) addToIndex(index, info.tabix, file.bytesWritten);
        file.write(part.streams["data"]!);
      },
      commit() {
        if (!started) start(ctx.schema ?? [], s.sampleIds?.length ?? 0, null);
        if (s.compression === "bgzf") file.write(BGZF_EOF);
        if (index) { tbi = new AtomicFile(`${ctx.path}.tbi`); tbi.write(index.encode()); }
        file.commit();
        tbi?.commit();
      },
      abort() { file.abort(); tbi?.abort(); },
    };
    return { spec: { encoder: "vcf", options: spec(ctx, s) }, sink };
  },
};

/** `vcf`: Glow's sharded writer, one file per partition in a folder. */
export const shardedVcfWriter: FormatWriter = {
  prepare(ctx: WriteContext) {
    const s = setup(ctx, false);
    const dir = nodePath.resolve(ctx.path);
    if (existsSync(dir)) throw new GlowtsError("WRITE", `write vcf: ${dir} already exists (the sharded VCF writer makes a folder)`, { file: dir });
    const tmp = `${dir}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    mkdirSync(tmp, { recursive: true });
    let k = 0;
    const ext = s.compression === "bgzf" ? ".vcf.bgz" : ".vcf";
    const sink: PartSink = {
      append(part) {
        const info = part.info as VcfPartInfo;
        const head = encodeText(headerText(s, ctx.schema ?? info.fields ?? [], info.nSamples, info.sampleIds), s.compression === "bgzf");
        const body = part.streams["data"]!;
        const eof = s.compression === "bgzf" ? BGZF_EOF : new Uint8Array(0);
        const all = new Uint8Array(head.length + body.length + eof.length);
        all.set(head); all.set(body, head.length); all.set(eof, head.length + body.length);
        writeFileSync(nodePath.join(tmp, `part-${String(k++).padStart(5, "0")}${ext}`), all);
      },
      commit() {
        renameSync(tmp, dir);
      },
      abort() { rmSync(tmp, { recursive: true, force: true }); },
    };
    return { spec: { encoder: "vcf", options: spec(ctx, s) }, sink };
  },
};
