/**
 * `lift_over_variants`: lifts every row to another assembly with Picard LiftoverVcf's rules (what
 * Glow implements), per partition in the workers.
 *
 * For each row, in Picard's order:
 * 1. the interval `[start, end)` is lifted through the chain file ({@link liftOverInterval} with
 *    `minMatchRatio`); no lift, or a destination contig absent from the reference → `NoTarget`;
 * 2. a lifted interval whose length differs from the REF's → `IndelStraddlesMultipleIntevals`;
 * 3. on the opposite strand: multiallelic indels and mixed sites → `CannotLiftOver`; otherwise all
 *    alleles are reverse-complemented (`INFO_ReverseComplementedAlleles = true`), and for an indel
 *    the new REF must equal the reference (else `CannotLiftOver`) and the alleles are left-aligned;
 * 4. the REF must equal the reference at the new position; a biallelic SNP whose ALT equals it
 *    instead is swapped (`INFO_SwappedAlleles = true`): calls 0↔1, Number=R/G genotype arrays
 *    (AD, PL, GL, GP) and INFO arrays reversed, `INFO_AF` → 1 − AF, `INFO_MAX_AF` dropped (null);
 *    anything else → `MismatchedRefAllele`.
 * Failed rows keep their columns and get `liftOverStatus = {success: false, errorMessage}` whose
 * message starts with Picard's filter name; lifted rows get `{success: true, errorMessage: null}`.
 */
import type { Column, Field, GenotypesColumn, ListColumn, VariantBatch } from "../core/column.js";
import { col, listRange, takeRows } from "../core/column.js";
import { openFasta, type IndexedFasta } from "../io/fasta.js";
import { readChainFile } from "../io/chain.js";
import { booleans, gatherList, intLists, listColumn, numberAt, stringColumn, stringListAt } from "../functions/columns.js";
import { sourceHeader, type HeaderSource } from "./header-info.js";
import { liftOverInterval } from "../functions/liftover.js";

/** Plain-data arguments of the partition function. */
export interface LiftOverArgs {
  chainFile: string;
  referenceFile: string;
  minMatchRatio: number;
  source?: HeaderSource | undefined;
}

type VariantType = "SNP" | "MNP" | "INDEL" | "SYMBOLIC" | "MIXED" | "NO_VARIATION";

const isSymbolicAllele = (a: string): boolean => a === "*" || a === "." || /[<>[\]]/.test(a);

/** htsjdk's `VariantContext.getType` over REF and ALTs. */
export function variantType(ref: string, alts: readonly string[]): VariantType {
  let t: VariantType | null = null;
  for (const a of alts) {
    const u: VariantType = isSymbolicAllele(a) ? "SYMBOLIC" : a.length === ref.length ? (a.length === 1 ? "SNP" : "MNP") : "INDEL";
    if (t === null) t = u; else if (t !== u) return "MIXED";
  }
  return t ?? "NO_VARIATION";
}

const COMPLEMENT: Record<string, string> = { A: "T", C: "G", G: "C", T: "A", N: "N", a: "t", c: "g", g: "c", t: "a", n: "n" };
function reverseComplement(a: string): string {
  if (isSymbolicAllele(a)) return a;
  let out = "";
  for (let i = a.length - 1; i >= 0; i--) out += COMPLEMENT[a[i]!] ?? a[i]!;
  return out;
}

/** Picard's `isIndelForLiftover`: the REF or a non-symbolic ALT is longer than one base. */
function isIndelForLiftover(ref: string, alts: readonly string[]): boolean {
  return ref.length !== 1 || alts.some((a) => !isSymbolicAllele(a) && a.length !== 1);
}

/** Picard's `LiftoverUtils.leftAlignVariant` (1-based `start`..`end`); returns the new start and alleles. */
function leftAlign(contig: string, start: number, end: number, alleles: string[], fasta: IndexedFasta): { start: number; alleles: string[] } {
  const base = (pos1: number): string => fasta.fetch(contig, pos1 - 1, pos1);
  let al = alleles.slice();
  let s = start, e = end;
  let changed = true;
  while (changed) {
    changed = false;
    const last = new Set(al.map((a) => a[a.length - 1]));
    if (last.size === 1 && e > 1) { al = al.map((a) => a.slice(0, -1)); changed = true; e--; }
    if (al.some((a) => a.length === 0)) {
      const extra = s > 1 ? base(s - 1) : base(e + 1);
      if (extra === "") break;
      al = al.map((a) => extra + a);
      changed = true;
      s--;
    }
  }
  while (al.every((a) => a.length >= 2) && new Set(al.map((a) => a[0])).size === 1) { al = al.map((a) => a.slice(1)); s++; }
  return { start: s, alleles: al };
}

interface RowResult {
  ok: boolean;
  error: string | null;
  contig: string;
  start: number;
  ref: string;
  alts: string[];
  revComp: boolean;
  swapped: boolean;
}

/** Lifts one variant (0-based `start`, half-open `end`). */
export function liftVariant(contig: string, start: number, end: number, ref: string, alts: string[], args: { chains: ReturnType<typeof readChainFile>; fasta: IndexedFasta; minMatchRatio: number }): RowResult {
  const fail = (error: string): RowResult => ({ ok: false, error, contig, start, ref, alts, revComp: false, swapped: false });
  const target = liftOverInterval(args.chains, contig, start, end, args.minMatchRatio);
  if (!target) return fail(`NoTarget: ${contig}:${start + 1}-${end} does not lift over with minMatchRatio ${args.minMatchRatio}`);
  if (ref.length !== target.end - target.start) return fail(`IndelStraddlesMultipleIntevals: the lifted interval has length ${target.end - target.start}, the reference allele ${ref.length}`);
  if (!args.fasta.has(target.contigName)) return fail(`NoTarget: contig '${target.contigName}' is not in the reference ${args.fasta.file}`);
  const type = variantType(ref, alts);
  let newStart = target.start, newRef = ref, newAlts = alts.slice(), revComp = false;
  if (target.negativeStrand) {
    if (type === "MIXED" || (type === "INDEL" && alts.length > 1)) return fail("CannotLiftOver: a multiallelic indel or mixed site cannot be reverse-complemented");
    const rc = [ref, ...alts].map(reverseComplement);
    revComp = true;
    if (isIndelForLiftover(ref, alts)) {
      const refHere = args.fasta.fetch(target.contigName, target.start, target.end);
      if (refHere.toUpperCase() !== rc[0]!.toUpperCase()) return fail(`CannotLiftOver: the reverse-complemented reference allele ${rc[0]} differs from the reference (${refHere})`);
      const la = leftAlign(target.contigName, target.start + 1, target.end, rc, args.fasta);
      newStart = la.start - 1; newRef = la.alleles[0]!; newAlts = la.alleles.slice(1);
    } else { newRef = rc[0]!; newAlts = rc.slice(1); }
  }
  const refHere = args.fasta.fetch(target.contigName, newStart, newStart + newRef.length);
  if (refHere.toUpperCase() !== newRef.toUpperCase()) {
    if (alts.length === 1 && type === "SNP" && refHere.toUpperCase() === newAlts[0]!.toUpperCase()) {
      return { ok: true, error: null, contig: target.contigName, start: newStart, ref: newAlts[0]!, alts: [newRef], revComp, swapped: true };
    }
    return fail(`MismatchedRefAllele: the reference allele ${newRef} differs from the reference at ${target.contigName}:${newStart + 1}-${newStart + newRef.length} (${refHere})`);
  }
  return { ok: true, error: null, contig: target.contigName, start: newStart, ref: newRef, alts: newAlts, revComp, swapped: false };
}

const GENOTYPE_R = new Set(["alleleDepths"]);
const GENOTYPE_G = new Set(["phredLikelihoods", "genotypeLikelihoods", "posteriorProbabilities"]);

/** Lifts the rows of one partition (see the module doc). */
export function liftOverVariantsPartition(batch: VariantBatch, args: LiftOverArgs): VariantBatch {
  const caller = "lift_over_variants";
  const chains = readChainFile(args.chainFile);
  const fasta = openFasta(args.referenceFile, { allowUnindexed: true });
  const contig = stringColumn(batch, "contigName", caller), ref = stringColumn(batch, "referenceAllele", caller);
  const alts = listColumn(batch, "alternateAlleles", caller);
  const n = batch.numRows;
  const res: RowResult[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const s = numberAt(batch.columns["start"], i), e = numberAt(batch.columns["end"], i), c = contig.values[i], r = ref.values[i];
    const a = stringListAt(alts, i);
    res[i] = s === null || e === null || c === null || c === undefined || r === null || r === undefined
      ? { ok: false, error: "NoTarget: missing contigName, start, end or referenceAllele", contig: c ?? "", start: s ?? 0, ref: r ?? "", alts: a, revComp: false, swapped: false }
      : liftVariant(c, s, e, r, a, { chains, fasta, minMatchRatio: args.minMatchRatio });
  }
  const columns: Record<string, Column> = { ...batch.columns };
  const end = batch.columns["end"];
  columns["contigName"] = { type: "string", values: res.map((x) => x.contig) };
  columns["start"] = col.longs(Float64Array.from(res, (x) => x.start));
  columns["end"] = col.longs(Float64Array.from(res, (x, i) => (x.ok ? x.start + x.ref.length : numberAt(end, i) ?? x.start + x.ref.length)));
  columns["referenceAllele"] = { type: "string", values: res.map((x) => x.ref) };
  columns["alternateAlleles"] = col.stringLists(res.map((x) => x.alts));
  const swapped = res.map((x) => x.swapped);
  if (swapped.some((x) => x)) {
    const h = sourceHeader(args.source);
    const infoCount = new Map((h?.info ?? []).map((d) => [`INFO_${d.id}`, d.count]));
    const fmtCount = new Map((h?.format ?? []).map((d) => [d.id, d.count]));
    for (const [name, c] of Object.entries(batch.columns)) {
      if (!name.startsWith("INFO_") || c.type !== "list") continue;
      if (name === "INFO_MAX_AF") { columns[name] = { ...gatherList(c, rowsOf(c, n, (i) => (swapped[i] ? null : undefined))) }; continue; }
      if (name === "INFO_AF") { columns[name] = oneMinus(c, swapped); continue; }
      const count = infoCount.get(name);
      if (count === "R" || count === "G") columns[name] = gatherList(c, rowsOf(c, n, (i, a, b) => (swapped[i] && (b - a === 2 || b - a === 3) ? reversed(a, b) : undefined)));
    }
    const g = batch.columns["genotypes"];
    if (g && g.type === "genotypes") columns["genotypes"] = swapGenotypes(g, swapped, fmtCount);
  }
  columns["INFO_SwappedAlleles"] = booleans(swapped);
  columns["INFO_ReverseComplementedAlleles"] = booleans(res.map((x) => x.revComp));
  columns["liftOverStatus"] = { type: "struct", fields: { success: booleans(res.map((x) => x.ok)), errorMessage: { type: "string", values: res.map((x) => x.error) } } };
  return { numRows: n, columns };
}

function reversed(a: number, b: number): number[] {
  const out: number[] = [];
  for (let j = b - 1; j >= a; j--) out.push(j);
  return out;
}

/** Element picks per row: `f` returns the picks, null for a null row, or undefined to keep the row. */
function rowsOf(c: ListColumn, n: number, f: (row: number, a: number, b: number) => number[] | null | undefined): (number[] | null)[] {
  const out: (number[] | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const [a, b] = listRange(c, i);
    if (c.nulls && c.nulls[i]) { out[i] = null; continue; }
    const p = f(i, a, b);
    out[i] = p === undefined ? Array.from({ length: b - a }, (_, k) => a + k) : p;
  }
  return out;
}

function oneMinus(c: ListColumn, swapped: boolean[]): Column {
  const out = gatherList(c, rowsOf(c, swapped.length, () => undefined));
  const child = out.child;
  if (child.type !== "double") return out;
  for (let i = 0; i < swapped.length; i++) {
    if (!swapped[i]) continue;
    const [a, b] = listRange(out, i);
    for (let j = a; j < b; j++) {
      const v = child.values[j]!;
      if (v >= 0 && v <= 1 && !(child.nulls && child.nulls[j])) child.values[j] = 1 - v;
    }
  }
  return out;
}

function swapGenotypes(g: GenotypesColumn, swapped: boolean[], fmtCount: Map<string, string>): GenotypesColumn {
  const ns = g.nSamples, n = swapped.length;
  const countOf = (field: string): string | undefined => {
    for (const [id, cnt] of fmtCount) if (id === field || (id === "AD" && field === "alleleDepths") || (id === "PL" && field === "phredLikelihoods") || (id === "GL" && field === "genotypeLikelihoods") || (id === "GP" && field === "posteriorProbabilities")) return cnt;
    return GENOTYPE_R.has(field) ? "R" : GENOTYPE_G.has(field) ? "G" : undefined;
  };
  const fields: Record<string, Column> = {};
  for (const [name, f] of Object.entries(g.fields)) {
    if (name === "calls" && f.type === "list") {
      const rows: (number[] | null)[] = new Array(n * ns);
      const v = (f.child as { values: ArrayLike<number> }).values;
      for (let e = 0; e < n * ns; e++) {
        if (f.nulls && f.nulls[e]) { rows[e] = null; continue; }
        const [a, b] = listRange(f, e);
        const sw = swapped[Math.floor(e / ns)]!;
        const out: number[] = [];
        for (let j = a; j < b; j++) out.push(sw && v[j]! >= 0 ? 1 - v[j]! : v[j]!);
        rows[e] = out;
      }
      fields[name] = intLists(rows);
    } else if (f.type === "list" && (countOf(name) === "R" || countOf(name) === "G")) {
      const want = countOf(name) === "R" ? 2 : 3;
      fields[name] = gatherList(f, rowsOf(f, n * ns, (e, a, b) => (swapped[Math.floor(e / ns)] ? (b - a === want ? reversed(a, b) : null) : undefined)));
    } else fields[name] = takeRows(f, Array.from({ length: n * ns }, (_, k) => k));
  }
  return { type: "genotypes", nSamples: ns, sampleIds: g.sampleIds, fields };
}

/** Output schema of {@link liftOverVariantsPartition}. */
export function liftOverVariantsPartitionSchema(schema: Field[]): Field[] {
  const added: Field[] = [
    { name: "INFO_SwappedAlleles", type: "boolean" },
    { name: "INFO_ReverseComplementedAlleles", type: "boolean" },
    { name: "liftOverStatus", type: { struct: [{ name: "success", type: "boolean" }, { name: "errorMessage", type: "string" }] } },
  ];
  return [...schema.filter((f) => !added.some((a) => a.name === f.name)), ...added];
}
