/**
 * Reading association results liberally: a danfo DataFrame, an array of row objects, columnar
 * `{contigName, start, pvalue}` arrays, a VariantBatch or an Arrow Table — with Glow's column names
 * or the usual alternatives (CHROM/POS/P, regenie's LOG10P, ...).
 */
import { GlowtsError } from "../core/errors.js";
import { cellToNumber } from "../core/numbers.js";
import { columnTable } from "../core/table.js";

/** Anything the plots accept as results (see the module doc). */
export type ResultsLike =
  | readonly Record<string, unknown>[]
  | Record<string, ArrayLike<unknown>>
  | { numRows: number; columns: Record<string, unknown> }
  | object;

/** Column choices shared by the association plots. */
export interface ResultColumnOptions {
  /** Column with the p-values. @defaultValue the first of pvalue, pValue, p, P, pval, p_value */
  pvalueColumn?: string | undefined;
  /** Column with the chromosome. @defaultValue contigName, contig, chrom, CHROM, chr, chromosome */
  contigColumn?: string | undefined;
  /** Column with the base-pair position. @defaultValue start, pos, POS, bp, BP, position */
  positionColumn?: string | undefined;
  /** Column used to label hits. @defaultValue names (first element), rsid, ID, id, SNP, snp, variant */
  labelColumn?: string | undefined;
  /** Keep only rows whose `phenotype` column equals this. @defaultValue the first phenotype when several */
  phenotype?: string | undefined;
}

/** Normalised association columns. */
export interface AssociationColumns {
  n: number;
  contig: (string | null)[] | null;
  position: Float64Array | null;
  /** −log10 p (from a log10 column when present, so p-values below 1e-308 keep their size). */
  mlog10p: Float64Array;
  pvalue: Float64Array;
  label: (string | null)[] | null;
  /** The phenotype kept, when the results had several. */
  phenotype: string | null;
}

const PVALUE = ["pvalue", "pValue", "p", "P", "pval", "PVAL", "p_value", "P_VALUE"];
const NEG_LOG10 = ["negLog10pValue", "LOG10P", "log10p", "neglog10p", "mlog10p", "negLog10Pvalue"];
const CONTIG = ["contigName", "contig", "chrom", "CHROM", "#CHROM", "chr", "CHR", "chromosome"];
const POSITION = ["start", "pos", "POS", "bp", "BP", "position", "GENPOS", "base_pair_location"];
const LABEL = ["names", "rsid", "ID", "id", "SNP", "snp", "variant", "variant_id"];

/** A column getter over any accepted input. */
interface ColumnSource {
  names: string[];
  length: number;
  get(name: string): ArrayLike<unknown>;
}

function columnSource(results: unknown, caller: string): ColumnSource {
  if (results === null || typeof results !== "object") {
    throw new GlowtsError("OPTION", `${caller}: results must be a DataFrame, an array of rows or an object of columns`);
  }
  const r = results as Record<string, unknown>;
  // danfo DataFrame
  if (Array.isArray(r["columns"]) && Array.isArray(r["shape"]) && typeof r["column"] === "function") {
    const t = columnTable(r, caller, "OPTION");
    return { names: t.columns, length: t.nRows, get: (n) => t.column(n) };
  }
  // Arrow Table
  if (typeof r["getChild"] === "function" && r["schema"] && typeof r["numRows"] === "number") {
    const t = r as { schema: { fields: { name: string }[] }; numRows: number; getChild(n: string): { toArray(): ArrayLike<unknown>; get(i: number): unknown; length: number } };
    return {
      names: t.schema.fields.map((f) => f.name),
      length: t.numRows,
      get: (n) => {
        const c = t.getChild(n)!;
        const a = c.toArray();
        // list/struct columns come back as vectors: materialise element by element
        return ArrayBuffer.isView(a) || typeof a[0] !== "object" ? a : Array.from({ length: c.length }, (_, i) => plain(c.get(i)));
      },
    };
  }
  // VariantBatch
  if (typeof r["numRows"] === "number" && r["columns"] && typeof r["columns"] === "object" && !Array.isArray(r["columns"])) {
    const b = r as { numRows: number; columns: Record<string, BatchColumn> };
    return { names: Object.keys(b.columns), length: b.numRows, get: (n) => batchColumnValues(b.columns[n]!, b.numRows) };
  }
  // array of rows
  if (Array.isArray(results)) {
    const rows = results as Record<string, unknown>[];
    const names = rows.length ? Object.keys(rows[0]!) : [];
    return { names, length: rows.length, get: (n) => rows.map((row) => row[n]) };
  }
  // columnar object
  const names = Object.keys(r).filter((k) => Array.isArray(r[k]) || ArrayBuffer.isView(r[k]));
  if (names.length === 0) throw new GlowtsError("OPTION", `${caller}: results have no columns (give a DataFrame, rows, or {contigName, start, pvalue} arrays)`);
  const length = (r[names[0]!] as ArrayLike<unknown>).length;
  for (const k of names) {
    if ((r[k] as ArrayLike<unknown>).length !== length) {
      throw new GlowtsError("OPTION", `${caller}: column '${k}' has ${(r[k] as ArrayLike<unknown>).length} values, expected ${length} like '${names[0]}'`);
    }
  }
  return { names, length, get: (n) => r[n] as ArrayLike<unknown> };
}

function plain(v: unknown): unknown {
  if (v && typeof v === "object" && typeof (v as { toArray?: unknown }).toArray === "function") return Array.from((v as { toArray(): ArrayLike<unknown> }).toArray());
  return v;
}

interface BatchColumn { type: string; values?: ArrayLike<unknown>; nulls?: Uint8Array; child?: BatchColumn; offsets?: Int32Array; width?: number }

function batchColumnValues(c: BatchColumn, n: number): ArrayLike<unknown> {
  if (c.type === "list" && c.child && c.child.values) {
    // first element of each list (Glow's `names`)
    const out: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const from = c.offsets ? c.offsets[i]! : i * (c.width ?? 0);
      const to = c.offsets ? c.offsets[i + 1]! : from + (c.width ?? 0);
      out[i] = to > from ? c.child.values[from] : null;
    }
    return out;
  }
  if (!c.values) return new Array(n).fill(null);
  if (!c.nulls) return c.values;
  const out: unknown[] = Array.from(c.values);
  for (let i = 0; i < n; i++) if (c.nulls[i]) out[i] = null;
  return out;
}

function pick(names: string[], wanted: string | undefined, candidates: string[], what: string, caller: string, required: boolean): string | null {
  if (wanted !== undefined) {
    if (!names.includes(wanted)) throw new GlowtsError("OPTION", `${caller}: no column '${wanted}' for the ${what}; columns are ${names.join(", ")}`, { option: `${what}Column` });
    return wanted;
  }
  for (const c of candidates) if (names.includes(c)) return c;
  if (required) throw new GlowtsError("OPTION", `${caller}: no ${what} column (looked for ${candidates.join(", ")}); columns are ${names.join(", ") || "none"}`, { option: `${what}Column` });
  return null;
}

function toNumber(v: unknown): number {
  if (typeof v === "string" && v.trim() === "") return NaN;
  return cellToNumber(v) ?? NaN;
}

function toLabel(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.length ? toLabel(v[0]) : null;
  return String(v);
}

/**
 * Normalises association results to columns (see {@link AssociationColumns}).
 * @param needPosition whether contig/position are required (Manhattan) or optional (QQ)
 */
export function readAssociationResults(results: unknown, options: ResultColumnOptions, caller: string, needPosition: boolean): AssociationColumns {
  const src = columnSource(results, caller);
  const names = src.names;
  const pCol = pick(names, options.pvalueColumn, PVALUE, "pvalue", caller, false);
  const log10Col = options.pvalueColumn === undefined && names.includes("log10pvalue") ? "log10pvalue" : null;
  const negLog10Col = options.pvalueColumn === undefined ? NEG_LOG10.find((c) => names.includes(c)) ?? null : null;
  if (!pCol && !log10Col && !negLog10Col) {
    throw new GlowtsError("OPTION", `${caller}: no p-value column (looked for ${[...PVALUE, "log10pvalue", ...NEG_LOG10].join(", ")}); columns are ${names.join(", ") || "none"}`, { option: "pvalueColumn" });
  }
  const contigCol = pick(names, options.contigColumn, CONTIG, "contig", caller, needPosition);
  const posCol = pick(names, options.positionColumn, POSITION, "position", caller, needPosition);
  const labelCol = pick(names, options.labelColumn, LABEL, "label", caller, false);

  // rows to keep (one phenotype)
  let keep: number[] | null = null;
  let phenotype: string | null = null;
  if (names.includes("phenotype")) {
    const ph = src.get("phenotype");
    const distinct = new Set<string>();
    for (let i = 0; i < ph.length; i++) distinct.add(String(ph[i]));
    if (options.phenotype !== undefined || distinct.size > 1) {
      phenotype = options.phenotype ?? [...distinct][0]!;
      if (!distinct.has(phenotype)) throw new GlowtsError("OPTION", `${caller}: no rows for phenotype '${phenotype}'; phenotypes are ${[...distinct].slice(0, 20).join(", ")}`, { option: "phenotype" });
      keep = [];
      for (let i = 0; i < ph.length; i++) if (String(ph[i]) === phenotype) keep.push(i);
    }
  } else if (options.phenotype !== undefined) {
    throw new GlowtsError("OPTION", `${caller}: option 'phenotype' given but the results have no 'phenotype' column`, { option: "phenotype" });
  }
  const n = keep ? keep.length : src.length;
  const at = (i: number): number => (keep ? keep[i]! : i);

  const pvalue = new Float64Array(n);
  const mlog10p = new Float64Array(n);
  const pv = pCol ? src.get(pCol) : null;
  const lv = log10Col ? src.get(log10Col) : null;
  const nl = negLog10Col ? src.get(negLog10Col) : null;
  for (let i = 0; i < n; i++) {
    const j = at(i);
    const p = pv ? toNumber(pv[j]) : NaN;
    let m = lv ? -toNumber(lv[j]) : nl ? toNumber(nl[j]) : NaN;
    if (Number.isNaN(m) || (lv && m === Infinity && p > 0)) m = p > 0 ? -Math.log10(p) : p === 0 ? Infinity : NaN;
    mlog10p[i] = m;
    pvalue[i] = pv ? p : 10 ** -m;
  }
  let contig: (string | null)[] | null = null;
  let position: Float64Array | null = null;
  if (contigCol && posCol) {
    const cv = src.get(contigCol);
    const ps = src.get(posCol);
    contig = new Array(n);
    position = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const j = at(i);
      contig[i] = cv[j] === null || cv[j] === undefined ? null : String(cv[j]);
      position[i] = toNumber(ps[j]);
    }
  }
  let label: (string | null)[] | null = null;
  if (labelCol) {
    const lb = src.get(labelCol);
    label = new Array(n);
    for (let i = 0; i < n; i++) label[i] = toLabel(lb[at(i)]);
  }
  return { n, contig, position, mlog10p, pvalue, label, phenotype };
}

/** Numeric values of a liberal input: an array, a typed array, a danfo Series, or a column of rows. */
export function readNumbers(values: unknown, caller: string): Float64Array {
  if (ArrayBuffer.isView(values) && !(values instanceof DataView)) return Float64Array.from(values as unknown as ArrayLike<number>, (v) => toNumber(v));
  if (Array.isArray(values)) return Float64Array.from(values, (v) => toNumber(v));
  const s = values as { values?: unknown; $isSeries?: boolean } | null;
  if (s && typeof s === "object" && Array.isArray(s.values)) return Float64Array.from(s.values as unknown[], (v) => toNumber(v));
  throw new GlowtsError("OPTION", `${caller}: values must be an array, a typed array or a danfo Series`);
}

const CONTIG_ORDER: Record<string, number> = { X: 23, Y: 24, XY: 25, M: 26, MT: 26 };

/** Sort key of a chromosome name: 1..22, X, Y, XY, MT, then others alphabetically ("chr" ignored). */
export function contigSortKey(name: string): [number, string] {
  const bare = name.replace(/^chr/i, "");
  if (/^\d+$/.test(bare)) return [Number(bare), ""];
  const k = CONTIG_ORDER[bare.toUpperCase()];
  return k !== undefined ? [k, ""] : [1000, bare];
}

/** Compares chromosome names in karyotype order. */
export function compareContigs(a: string, b: string): number {
  const [ka, sa] = contigSortKey(a);
  const [kb, sb] = contigSortKey(b);
  return ka - kb || (sa < sb ? -1 : sa > sb ? 1 : 0);
}
