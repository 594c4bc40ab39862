/**
 * `split_multiallelics`: one row per alternate allele, with vt decompose -s semantics
 * (Glow's `VariantSplitter`).
 *
 * For a row with n > 1 alternate alleles, output row i (0-based) has:
 * - `alternateAlleles = [alt_i]`, the REF and every scalar column repeated;
 * - `splitFromMultiAllelic = true` and `INFO_OLD_MULTIALLELIC = "contig:POS:REF/ALT1/.../ALTn"`;
 * - each INFO array to split: Number=A with n elements → `[v_i]`; Number=R with n+1 → `[v_0, v_{i+1}]`;
 *   Number=G with one value per diploid genotype → the entries of genotypes made of alleles 0 and
 *   i+1; any other size is kept whole;
 * - genotype `calls`: 0 stays 0, allele i+1 becomes 1, every other allele becomes -1 (missing);
 * - `genotypeLikelihoods`, `phredLikelihoods`, `posteriorProbabilities`: the colex entries of the
 *   genotypes made only of alleles 0 and i+1 (for the sample's ploidy);
 * - any other genotype array: `[v_0, v_{i+1}]` when it has n+1 elements (Number=R, e.g. AD), else null.
 *
 * Known gap, as in Glow: `conditionalQuality` (GQ) and other genotype scalars are repeated, not
 * recomputed from the subset likelihoods. Rows with one alternate allele (or none) are unchanged.
 */
import type { Column, Field, GenotypesColumn, ListColumn, VariantBatch } from "../core/column.js";
import { listRange, takeRows } from "../core/column.js";
import { GlowtsError } from "../core/errors.js";
import { booleans, gatherList, intLists, listColumn, stringColumn, stringListAt } from "../functions/columns.js";
import { sourceHeader, type HeaderSource } from "./header-info.js";

/** Plain-data arguments of the partition function. */
export interface SplitArgs {
  /** INFO columns (`INFO_AC` or `AC`) to split; null: every INFO field with header Number=A. */
  splitInfoFields: string[] | null;
  /** The frame's source, to read INFO/FORMAT header counts from in the worker. */
  source?: HeaderSource | undefined;
}

/** Genotype fields indexed by genotype (colex order), subset per split allele. */
const GENOTYPE_INDEXED = new Set(["genotypeLikelihoods", "phredLikelihoods", "posteriorProbabilities"]);

const colexCache = new Map<string, number[]>();

/**
 * Colex indices (Glow/VCF genotype order) of the genotypes of `ploidy` alleles drawn from
 * `nAlleles` that contain only alleles 0 and `allele`.
 */
export function biallelicGenotypeIndices(ploidy: number, nAlleles: number, allele: number): number[] {
  const key = `${ploidy},${nAlleles},${allele}`;
  const hit = colexCache.get(key);
  if (hit) return hit;
  const out: number[] = [];
  // Enumerate non-decreasing allele tuples in colex order: the last allele varies slowest.
  let idx = 0;
  const tuple = new Array<number>(ploidy).fill(0);
  const visit = (pos: number, max: number): void => {
    if (pos < 0) {
      if (tuple.every((a) => a === 0 || a === allele)) out.push(idx);
      idx++;
      return;
    }
    for (let a = 0; a <= max; a++) { tuple[pos] = a; visit(pos - 1, a); }
  };
  if (ploidy > 0) visit(ploidy - 1, nAlleles - 1);
  colexCache.set(key, out);
  return out;
}

function infoCounts(args: SplitArgs): Map<string, string> {
  const h = sourceHeader(args.source);
  const m = new Map<string, string>();
  if (h) for (const d of h.info) m.set(`INFO_${d.id}`, d.count);
  return m;
}

/** The INFO columns to split with their header Number (A when unknown). */
function chosenInfo(batch: VariantBatch, args: SplitArgs): [string, string][] {
  const counts = infoCounts(args);
  if (args.splitInfoFields === null) {
    return [...counts.entries()].filter(([k, c]) => c === "A" && batch.columns[k]?.type === "list");
  }
  const out: [string, string][] = [];
  for (const f of args.splitInfoFields) {
    const name = f.startsWith("INFO_") ? f : `INFO_${f}`;
    const c = batch.columns[name];
    if (!c) continue; // Glow ignores fields absent from the frame
    if (c.type !== "list") throw new GlowtsError("OPTION", `split_multiallelics: splitInfoFields: '${name}' is not an array column`, { option: "splitInfoFields" });
    out.push([name, counts.get(name) ?? "A"]);
  }
  return out;
}

/** Splits the multiallelic rows of one partition (see the module doc). */
export function splitMultiallelicsPartition(batch: VariantBatch, args: SplitArgs): VariantBatch {
  const caller = "split_multiallelics";
  const alts = listColumn(batch, "alternateAlleles", caller);
  const n = batch.numRows;
  // src[r]: input row of output row r; allele[r]: 1-based split allele, 0 for an unsplit row.
  const src: number[] = [];
  const allele: number[] = [];
  const nAltOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const [a, b] = listRange(alts, i);
    nAltOf[i] = b - a;
    if (b - a > 1) for (let k = 1; k <= b - a; k++) { src.push(i); allele.push(k); }
    else { src.push(i); allele.push(0); }
  }
  if (src.length === n && allele.every((x) => x === 0)) {
    // Nothing to split: the rows are unchanged, and the column Glow adds is present (null).
    const prev = batch.columns["INFO_OLD_MULTIALLELIC"];
    return { numRows: n, columns: { ...batch.columns, INFO_OLD_MULTIALLELIC: prev ?? { type: "string", values: new Array<string | null>(n).fill(null) } } };
  }
  const m = src.length;
  const columns: Record<string, Column> = {};
  for (const [k, c] of Object.entries(batch.columns)) {
    if (c.type === "genotypes") columns[k] = splitGenotypes(c, src, allele, nAltOf);
    else columns[k] = takeRows(c, src);
  }
  // alternateAlleles
  const altBase = (i: number): number => listRange(alts, i)[0];
  columns["alternateAlleles"] = gatherList(alts, src.map((i, r) => (allele[r]! > 0 ? [altBase(i) + allele[r]! - 1] : range(...listRange(alts, i)))));
  // splitFromMultiAllelic
  const prevSplit = batch.columns["splitFromMultiAllelic"];
  columns["splitFromMultiAllelic"] = booleans(src.map((i, r) => allele[r]! > 0 ? true
    : prevSplit && prevSplit.type === "boolean" && !(prevSplit.nulls && prevSplit.nulls[i]) ? prevSplit.values[i] === 1 : false));
  // INFO_OLD_MULTIALLELIC
  const contig = stringColumn(batch, "contigName", caller);
  const ref = stringColumn(batch, "referenceAllele", caller);
  const start = batch.columns["start"];
  if (!start || (start.type !== "long" && start.type !== "int" && start.type !== "double")) throw new GlowtsError("TYPE", `${caller}: needs the start column`);
  const prevOld = batch.columns["INFO_OLD_MULTIALLELIC"];
  const old: (string | null)[] = new Array(m);
  for (let r = 0; r < m; r++) {
    const i = src[r]!;
    if (allele[r]! > 0) old[r] = `${contig.values[i]}:${start.values[i]! + 1}:${[ref.values[i] ?? "", ...stringListAt(alts, i)].join("/")}`;
    else old[r] = prevOld && prevOld.type === "string" ? prevOld.values[i] ?? null : null;
  }
  columns["INFO_OLD_MULTIALLELIC"] = { type: "string", values: old };
  // INFO arrays
  for (const [name, count] of chosenInfo(batch, args)) {
    const c = batch.columns[name] as ListColumn;
    columns[name] = gatherList(c, src.map((i, r) => {
      if (c.nulls && c.nulls[i]) return null;
      const [a, b] = listRange(c, i);
      const k = allele[r]!;
      const whole = range(a, b);
      if (k === 0) return whole;
      const size = b - a, nAlt = nAltOf[i]!;
      if (count === "A" && size === nAlt) return [a + k - 1];
      if (count === "R" && size === nAlt + 1) return [a, a + k];
      if (count === "G" && size === ((nAlt + 1) * (nAlt + 2)) / 2) return biallelicGenotypeIndices(2, nAlt + 1, k).map((j) => a + j);
      return whole;
    }));
  }
  return { numRows: m, columns };
}

function range(a: number, b: number): number[] {
  const out = new Array<number>(b - a);
  for (let j = a; j < b; j++) out[j - a] = j;
  return out;
}

function splitGenotypes(g: GenotypesColumn, src: number[], allele: number[], nAltOf: Int32Array): GenotypesColumn {
  const ns = g.nSamples;
  const m = src.length;
  const elem: number[] = new Array(m * ns);
  for (let r = 0; r < m; r++) for (let s = 0; s < ns; s++) elem[r * ns + s] = src[r]! * ns + s;
  const fields: Record<string, Column> = {};
  const calls = g.fields["calls"];
  for (const [name, f] of Object.entries(g.fields)) {
    if (name === "calls" && f.type === "list") {
      const rows: (number[] | null)[] = new Array(m * ns);
      for (let r = 0; r < m; r++) {
        const k = allele[r]!;
        for (let s = 0; s < ns; s++) {
          const e = src[r]! * ns + s;
          if (f.nulls && f.nulls[e]) { rows[r * ns + s] = null; continue; }
          const [a, b] = listRange(f, e);
          const out = new Array<number>(b - a);
          for (let j = a; j < b; j++) {
            const c = (f.child as { values: ArrayLike<number> }).values[j]!;
            out[j - a] = k === 0 ? c : c === 0 ? 0 : c === k ? 1 : -1;
          }
          rows[r * ns + s] = out;
        }
      }
      fields[name] = intLists(rows);
    } else if (f.type === "list") {
      const picks: (number[] | null)[] = new Array(m * ns);
      for (let r = 0; r < m; r++) {
        const k = allele[r]!, i = src[r]!, nAlt = nAltOf[i]!;
        for (let s = 0; s < ns; s++) {
          const e = i * ns + s;
          if (f.nulls && f.nulls[e]) { picks[r * ns + s] = null; continue; }
          const [a, b] = listRange(f, e);
          if (k === 0) { picks[r * ns + s] = range(a, b); continue; }
          if (GENOTYPE_INDEXED.has(name)) {
            let ploidy = 2;
            if (calls && calls.type === "list") { const [ca, cb] = listRange(calls, e); ploidy = cb - ca; }
            const idx = biallelicGenotypeIndices(ploidy, nAlt + 1, k);
            const size = b - a;
            picks[r * ns + s] = idx.length > 0 && idx[idx.length - 1]! < size ? idx.map((j) => a + j) : null;
          } else if (b - a === nAlt + 1) picks[r * ns + s] = [a, a + k];
          else picks[r * ns + s] = null;
        }
      }
      fields[name] = gatherList(f, picks);
    } else fields[name] = takeRows(f, elem);
  }
  return { type: "genotypes", nSamples: ns, sampleIds: g.sampleIds, fields };
}

/** Output schema of {@link splitMultiallelicsPartition}: the input's plus `INFO_OLD_MULTIALLELIC`. */
export function splitMultiallelicsPartitionSchema(schema: Field[]): Field[] {
  if (schema.some((f) => f.name === "INFO_OLD_MULTIALLELIC")) return schema;
  return [...schema, { name: "INFO_OLD_MULTIALLELIC", type: "string", metadata: { vcf_header_count: "1", vcf_header_description: "Original chr:pos:ref:alt encoding" } }];
}
