/**
 * PLINK 1 bed/bim/fam output (`frame.write("plink", prefix)`), SNP-major, with Glow's allele
 * convention (BIM allele 1 is the alternate allele, allele 2 the reference) and the BED codes of
 * `io/plink/bed-codec.ts` (alt count 2 → 00, missing → 01, 1 → 10, 0 → 11; first sample in the lowest bits).
 *
 * Genotypes come from the diploid `calls` (a call with a -1 is missing); a frame read from PLINK
 * keeps its packed bytes, which are copied as they are. Multi-allelic rows are rejected.
 * `.fam`: with `mergeFidIid` (true, as the reader) a sample id `FID_IID` is split at its first `_`
 * (an id without `_` is both FID and IID); with false, FID = IID = the sample id.
 */
import { GlowtsError } from "../../core/errors.js";
import type { Column, GenotypesColumn, VariantBatch } from "../../core/column.js";
import { listRange } from "../../core/column.js";
import { BED_CODE_MISSING, BED_MAGIC, BED_STATE_CODES } from "../plink/bed-codec.js";
import { AtomicFile } from "./atomic.js";
import type { FamSample, FormatWriter, PartSink, SerializedPart, WriteContext } from "./part.js";
import { ByteSink } from "./part.js";


/** The genotypes column of a batch (the first column of that type). */
export function genotypesOf(b: VariantBatch): GenotypesColumn | null {
  for (const c of Object.values(b.columns)) if (c.type === "genotypes") return c;
  return null;
}

function strings(b: VariantBatch, name: string): (string | null)[] | null {
  const c = b.columns[name];
  return c && c.type === "string" ? c.values : null;
}

function need(b: VariantBatch, name: string, type: string, who: string): Column {
  const c = b.columns[name];
  if (!c) throw new GlowtsError("WRITE", `${who}: the frame has no '${name}' column`);
  if (c.type !== type && !(type === "long" && (c.type === "int" || c.type === "double"))) throw new GlowtsError("WRITE", `${who}: column '${name}' must be ${type}, got ${c.type}`);
  return c;
}

/** First element of a string list column per row ('.' when empty or null). */
export function firstString(c: Column | undefined, i: number, fallback = "."): string {
  if (!c || c.type !== "list" || (c.nulls && c.nulls[i])) return fallback;
  const [a, b] = listRange(c, i);
  if (b <= a || c.child.type !== "string") return fallback;
  return c.child.values[a] ?? fallback;
}

/** Alt-allele counts (0/1/2, -1 missing) of one variant from diploid calls. */
function altCounts(g: GenotypesColumn, row: number, out: Int8Array, who: string): void {
  const calls = g.fields["calls"];
  if (!calls || calls.type !== "list" || calls.child.type !== "int") throw new GlowtsError("WRITE", `${who}: genotypes need a 'calls' field (array<int>)`);
  const ns = g.nSamples;
  const child = calls.child.values;
  const dense = !calls.offsets && calls.width === 2;
  for (let s = 0; s < ns; s++) {
    const e = row * ns + s;
    let a: number, b: number;
    if (dense) { a = child[2 * e]!; b = child[2 * e + 1]!; }
    else {
      const [lo, hi] = listRange(calls, e);
      if (hi - lo !== 2) { if (hi - lo === 0) { out[s] = -1; continue; } throw new GlowtsError("WRITE", `${who}: sample ${g.sampleIds?.[s] ?? s} is not diploid (${hi - lo} calls)`); }
      a = child[lo]!; b = child[lo + 1]!;
    }
    out[s] = a < 0 || b < 0 ? -1 : (a > 0 ? 1 : 0) + (b > 0 ? 1 : 0);
  }
}

/** Encodes a partition as BED bytes and BIM lines. Runs in the workers. */
export function encodePlinkPart(b: VariantBatch, options: Record<string, unknown>): SerializedPart {
  const who = "write plink";
  const n = b.numRows;
  const g = genotypesOf(b);
  if (!g) throw new GlowtsError("WRITE", `${who}: the frame has no genotypes column`);
  const ns = g.nSamples;
  const bpv = Math.ceil(ns / 4);
  const contig = need(b, "contigName", "string", who) as { values: (string | null)[] };
  const start = need(b, "start", "long", who) as { values: ArrayLike<number> };
  const ref = need(b, "referenceAllele", "string", who) as { values: (string | null)[] };
  const alts = need(b, "alternateAlleles", "list", who);
  const names = b.columns["names"];
  const cm = b.columns["position"];
  const bim = new ByteSink(n * 40);
  for (let i = 0; i < n; i++) {
    let alt = ".";
    if (alts.type === "list") {
      const [lo, hi] = listRange(alts, i);
      if (hi - lo > 1) throw new GlowtsError("WRITE", `${who}: variant ${contig.values[i]}:${start.values[i]! + 1} has ${hi - lo} alternate alleles; PLINK 1 is biallelic (split them with splitMultiallelics first)`);
      if (hi > lo && alts.child.type === "string") alt = alts.child.values[lo] ?? ".";
    }
    const pos = cm && (cm.type === "double" || cm.type === "long" || cm.type === "int") && !(cm.nulls && cm.nulls[i]) ? String(cm.values[i]) : "0";
    bim.text(`${contig.values[i]}\t${firstString(names, i)}\t${pos}\t${start.values[i]! + 1}\t${alt}\t${ref.values[i]}\n`);
  }
  let bed: Uint8Array;
  if (g.encoded && g.encoded.kind === "plink-bed" && g.encoded.bytesPerVariant === bpv && g.encoded.numRows === n) {
    bed = g.encoded.bytes.slice(0, n * bpv);
  } else {
    bed = new Uint8Array(n * bpv);
    const counts = new Int8Array(ns);
    for (let v = 0; v < n; v++) {
      altCounts(g, v, counts, who);
      const base = v * bpv;
      for (let s = 0; s < ns; s++) {
        const d = counts[s]!;
        bed[base + (s >> 2)]! |= (d < 0 ? BED_CODE_MISSING : BED_STATE_CODES[d]!) << ((s & 3) * 2);
      }
    }
  }
  return { numRows: n, streams: { bed, bim: bim.finish() }, info: { nSamples: ns, sampleIds: options["sendSampleIds"] ? g.sampleIds : null } };
}

/** `{prefix}` from a prefix or a `.bed`/`.bim`/`.fam` path. */
export function plinkPrefix(p: string): string {
  return p.replace(/\.(bed|bim|fam)$/, "");
}

/** The `.fam` text for sample ids. */
export function famText(sampleIds: string[], mergeFidIid: boolean): string {
  return sampleIds.map((id) => {
    let fid = id, iid = id;
    if (mergeFidIid) { const k = id.indexOf("_"); if (k > 0 && k < id.length - 1) { fid = id.slice(0, k); iid = id.slice(k + 1); } }
    return `${fid} ${iid} 0 0 0 -9\n`;
  }).join("");
}

/** The `.fam` text of samples whose PLINK fields are known (sex 0 and phenotype -9 when absent). */
export function famSamplesText(samples: readonly FamSample[]): string {
  return samples.map((s) => `${s.fid} ${s.iid} 0 0 ${s.sex ?? 0} ${s.phenotype ?? -9}`).join("\n") + "\n";
}

/** The calling-thread side of the PLINK writer. */
export const plinkWriter: FormatWriter = {
  prepare(ctx: WriteContext) {
    for (const k of Object.keys(ctx.options)) if (k !== "mergeFidIid") throw new GlowtsError("OPTION", `write plink: unknown option '${k}' (known: mergeFidIid)`, { option: k });
    const merge = ctx.options["mergeFidIid"] === undefined ? true : Boolean(ctx.options["mergeFidIid"]);
    const prefix = plinkPrefix(ctx.path);
    const bed = new AtomicFile(`${prefix}.bed`);
    const bim = new AtomicFile(`${prefix}.bim`);
    bed.write(new Uint8Array(BED_MAGIC));
    let sampleIds = ctx.sampleIds;
    let nSamples: number | null = sampleIds ? sampleIds.length : null;
    const sink: PartSink = {
      append(part) {
        const info = part.info as { nSamples: number; sampleIds: string[] | null };
        if (nSamples === null) nSamples = info.nSamples;
        else if (part.numRows > 0 && info.nSamples !== nSamples) throw new GlowtsError("WRITE", `write plink: a partition has ${info.nSamples} samples, expected ${nSamples}`, { file: `${prefix}.bed` });
        if (!sampleIds && info.sampleIds) sampleIds = info.sampleIds;
        bed.write(part.streams["bed"]!);
        bim.write(part.streams["bim"]!);
      },
      commit() {
        const ids = sampleIds ?? Array.from({ length: nSamples ?? 0 }, (_, i) => `sample_${i + 1}`);
        const text = ctx.famSamples ? famSamplesText(ctx.famSamples) : famText(ids, merge);
        const fam = new AtomicFile(`${prefix}.fam`);
        try { fam.write(new TextEncoder().encode(text)); fam.commit(); } catch (e) { fam.abort(); throw e; }
        bim.commit();
        bed.commit();
      },
      abort() { bed.abort(); bim.abort(); },
    };
    return { spec: { encoder: "plink", options: { sendSampleIds: ctx.sampleIds === null } }, sink };
  },
};
