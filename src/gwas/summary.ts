/**
 * The summary statistics of collected GWAS results that the notebook display shows: per phenotype
 * the variants tested, λGC (`stats/summary.ts`), the smallest p-value (exact through
 * `negLog10pValue` where p underflows), the counts of hits at the genome-wide and suggestive
 * thresholds, the rows without a p-value and the approx-Firth corrections tried/succeeded; and the
 * order of the top hits over all phenotypes. Computed here so that renderers only format numbers.
 */
import type { Column, VariantBatch } from "../core/column.js";
import { getValue } from "../core/column.js";
import { lambdaGc } from "../stats/summary.js";

/** Collected GWAS results: a columnar batch (`collectBatch()`) or rows (`collect()`). */
export type GwasResultsInput = VariantBatch | readonly Record<string, unknown>[];

/** Column access over collected GWAS results (a batch or rows). */
export interface GwasResultsColumns { names: string[]; n: number; get(name: string, i: number): unknown; numbers(name: string): Float64Array }

/** True for a columnar batch (as opposed to an array of row objects). */
export function isGwasBatch(x: unknown): x is VariantBatch {
  return x !== null && typeof x === "object" && !Array.isArray(x) && typeof (x as VariantBatch).numRows === "number"
    && typeof (x as VariantBatch).columns === "object" && (x as VariantBatch).columns !== null;
}

/** Column access over a batch or rows. */
export function gwasResultsColumns(input: GwasResultsInput): GwasResultsColumns {
  if (isGwasBatch(input)) {
    const b = input;
    const names = Object.keys(b.columns).filter((k) => b.columns[k]!.type !== "genotypes");
    return {
      names, n: b.numRows,
      get: (name, i) => getValue(b.columns[name]!, i),
      numbers: (name) => {
        const c: Column | undefined = b.columns[name];
        const out = new Float64Array(b.numRows).fill(NaN);
        if (!c) return out;
        if (c.type === "double" || c.type === "long" || c.type === "int") {
          for (let i = 0; i < b.numRows; i++) out[i] = c.nulls && c.nulls[i] ? NaN : Number(c.values[i]);
        } else for (let i = 0; i < b.numRows; i++) { const v = getValue(c, i); out[i] = typeof v === "number" ? v : NaN; }
        return out;
      },
    };
  }
  const rows = input as readonly Record<string, unknown>[];
  const names = rows.length ? Object.keys(rows[0]!) : [];
  return {
    names, n: rows.length,
    get: (name, i) => rows[i]![name],
    numbers: (name) => Float64Array.from(rows, (r) => (typeof r[name] === "number" ? (r[name] as number) : NaN)),
  };
}

/** Options of {@link summarizeGwasResults}. */
export interface GwasSummaryOptions {
  /** Top hits listed. @defaultValue 10 */
  topHits?: number | undefined;
  /** Genome-wide threshold counted per phenotype. @defaultValue 5e-8 */
  genomeWide?: number | undefined;
  /** Suggestive threshold counted per phenotype. @defaultValue 1e-5 */
  suggestive?: number | undefined;
}

/** One phenotype's line of {@link GwasResultsSummary}. */
export interface GwasPhenotypeSummary {
  phenotype: string;
  /** Rows of this phenotype. */
  tested: number;
  lambdaGc: number;
  /** The smallest p-value (null when no row has one). */
  minP: number | null;
  /** log10 of the smallest p-value from the −log10 p column (exact where p underflows to 0), when there is one. */
  minLog10P: number | null;
  hitsGenomeWide: number;
  hitsSuggestive: number;
  /** Rows without a p-value in [0, 1]. */
  missing: number;
  /** Approx-Firth corrections (logistic results with `correctionSucceeded`), else null. */
  firth: { tried: number; succeeded: number } | null;
}

/** What {@link summarizeGwasResults} returns. */
export interface GwasResultsSummary {
  columns: GwasResultsColumns;
  numRows: number;
  kind: "linear regression" | "logistic regression" | "association test";
  /** True when the results have a `phenotype` column. */
  byPhenotype: boolean;
  /** True when the results have a `correctionSucceeded` column (approx-Firth). */
  hasFirth: boolean;
  genomeWide: number;
  suggestive: number;
  /** Per phenotype, in order of first appearance (one "(all)" line without a phenotype column). */
  phenotypes: GwasPhenotypeSummary[];
  /** Row indices of the top hits by p-value over all phenotypes (at most `topHits`). */
  topHits: number[];
}

/** Summarizes collected GWAS results (see the module header). */
export function summarizeGwasResults(results: GwasResultsInput, options: GwasSummaryOptions = {}): GwasResultsSummary {
  const a = gwasResultsColumns(results);
  const n = a.n;
  const gw = options.genomeWide ?? 5e-8;
  const sg = options.suggestive ?? 1e-5;
  const top = options.topHits ?? 10;
  const p = a.numbers("pvalue");
  // log10 p (≤ 0) from the −log10 p column, which stays exact where the p-value underflows
  const log10 = a.names.includes("negLog10pValue") ? Float64Array.from(a.numbers("negLog10pValue"), (x) => -x)
    : a.names.includes("log10pvalue") ? a.numbers("log10pvalue") : null;
  const sortKey = (i: number): number => {
    if (log10 && Number.isFinite(log10[i]!)) return log10[i]!;
    const v = p[i]!;
    return v >= 0 ? (v === 0 ? -Infinity : Math.log10(v)) : Infinity;
  };
  const phen = a.names.includes("phenotype") ? Array.from({ length: n }, (_, i) => String(a.get("phenotype", i))) : null;
  const kind = a.names.includes("tvalue") ? "linear regression" : a.names.includes("chisq") ? "logistic regression" : "association test";
  const hasFirth = a.names.includes("correctionSucceeded");

  const groups = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const k = phen ? phen[i]! : "(all)";
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(i);
  }
  const phenotypes = [...groups].map(([ph, idx]): GwasPhenotypeSummary => {
    const pv = Float64Array.from(idx, (i) => p[i]!);
    let minP = Infinity, minI = -1, hitsGw = 0, hitsSg = 0, missing = 0, tried = 0, ok = 0;
    for (let k = 0; k < idx.length; k++) {
      const v = pv[k]!;
      if (!(v >= 0 && v <= 1)) { missing++; continue; }
      if (sortKey(idx[k]!) < minP) { minP = sortKey(idx[k]!); minI = idx[k]!; }
      if (v < gw) hitsGw++;
      if (v < sg) hitsSg++;
      if (hasFirth) {
        const c = a.get("correctionSucceeded", idx[k]!);
        if (c !== null && c !== undefined) { tried++; if (c === true) ok++; }
      }
    }
    return {
      phenotype: ph, tested: idx.length, lambdaGc: lambdaGc(pv), minP: minI >= 0 ? p[minI]! : null,
      minLog10P: minI >= 0 && log10 ? log10[minI]! : null,
      hitsGenomeWide: hitsGw, hitsSuggestive: hitsSg, missing,
      firth: hasFirth ? { tried, succeeded: ok } : null,
    };
  });

  const order: number[] = [];
  for (let i = 0; i < n; i++) if (p[i]! >= 0 && p[i]! <= 1) order.push(i);
  order.sort((x, y) => sortKey(x) - sortKey(y));
  return { columns: a, numRows: n, kind, byPhenotype: phen !== null, hasFirth, genomeWide: gw, suggestive: sg, phenotypes, topHits: order.slice(0, top) };
}
