/**
 * A `mapPartitions` function for `glowts step2`: turns a partition of `glow.gwas` results (linear or
 * logistic; with the per-variant columns of ./sample-subset.ts) into the columns of REGENIE's
 * `.regenie` files, in the workers, so that the rows go to the files partition by partition (the
 * TSV writer, `io/writers/regenie.ts`) instead of being collected as row objects.
 *
 * Columns: `CHROM` (contig), `GENPOS` (start + 1), `ID` (last of `names`, `.` when none),
 * `ALLELE0` (reference), `ALLELE1` (alternates joined by `,`), `A1FREQ`, `INFO`, `N` (over the
 * samples with the row's trait observed when the per-trait columns `A1FREQ.<trait>` … exist),
 * `TEST` (`ADD`), `BETA`, `SE`, `CHISQ` (`chisq`, else t²), `LOG10P` (`negLog10pValue`), `EXTRA`
 * (`NA`, or `TEST_FAIL` where LOG10P is not finite), and `phenotype` (the file it goes to). Numbers
 * are text with 6 significant digits (REGENIE's precision), `NA` when not finite.
 */
import type { Column, VariantBatch } from "../core/column.js";
import { getValue, isNull, listRange } from "../core/column.js";
import { GlowtsError } from "../core/errors.js";

/** The `.regenie` header, in order (`phenotype` is not written: it names the file). */
export const REGENIE_COLUMNS = ["CHROM", "GENPOS", "ID", "ALLELE0", "ALLELE1", "A1FREQ", "INFO", "N", "TEST", "BETA", "SE", "CHISQ", "LOG10P", "EXTRA"] as const;

/** A number as REGENIE writes it: 6 significant digits, `NA` when not finite. */
export function regenieNumber(v: number): string {
  if (!Number.isFinite(v)) return "NA";
  return String(Number(v.toPrecision(6)));
}

/** Cell `i` of a numeric column as a number (null → NaN); NaN for an absent column. */
function numberReader(c: Column | undefined): (i: number) => number {
  if (!c) return () => NaN;
  if (c.type === "double" || c.type === "long" || c.type === "int") {
    const v = c.values;
    const nulls = c.nulls;
    return (i) => (nulls && nulls[i] ? NaN : v[i]!);
  }
  if (c.type === "boolean") {
    const v = c.values;
    const nulls = c.nulls;
    return (i) => (nulls && nulls[i] ? NaN : v[i] ? 1 : 0);
  }
  return (i) => { const x = getValue(c, i); return x === null || x === undefined ? NaN : Number(x); };
}

/** Cell `i` of a column as text (`""` for null, as a row joined with spaces would have it). */
function textReader(c: Column | undefined, name: string): (i: number) => string {
  if (!c) throw new GlowtsError("MAP_PARTITIONS", `regenieColumns: the results have no column '${name}'`);
  if (c.type === "string") { const v = c.values; return (i) => v[i] ?? ""; }
  return (i) => { const x = getValue(c, i); return x === null || x === undefined ? "" : String(x); };
}

/** The elements of row `i` of a list<string> column (null elements as null). */
function listStrings(c: Column | undefined, name: string): (i: number) => (string | null)[] {
  if (!c || c.type !== "list") throw new GlowtsError("MAP_PARTITIONS", `regenieColumns: the results have no list column '${name}'`);
  const child = c.child;
  return (i) => {
    if (isNull(c, i)) return [];
    const [a, b] = listRange(c, i);
    const out: (string | null)[] = [];
    for (let j = a; j < b; j++) { const x = getValue(child, j); out.push(x === null || x === undefined ? null : String(x)); }
    return out;
  };
}

/** GWAS result batch → the `.regenie` columns and `phenotype` (see the module doc). */
export function regenieColumns(batch: VariantBatch): VariantBatch {
  const m = batch.numRows;
  const cols = batch.columns;
  const phenotype = textReader(cols["phenotype"], "phenotype");
  const contig = textReader(cols["contigName"], "contigName");
  const ref = textReader(cols["referenceAllele"], "referenceAllele");
  const names = listStrings(cols["names"], "names");
  const alts = listStrings(cols["alternateAlleles"], "alternateAlleles");
  const start = numberReader(cols["start"]);
  const effect = numberReader(cols["effect"]);
  const se = numberReader(cols["stderror"]);
  const tvalue = numberReader(cols["tvalue"]);
  const chisq = cols["chisq"] ? numberReader(cols["chisq"]) : null;
  const l10 = numberReader(cols["negLog10pValue"]);
  if (!cols["negLog10pValue"]) throw new GlowtsError("MAP_PARTITIONS", "regenieColumns: the results have no column 'negLog10pValue'");
  // A1FREQ, INFO and N over the samples with the row's trait observed where ./sample-subset.ts made them
  const own = new Map<string, { freq: (i: number) => number; info: (i: number) => number; n: (i: number) => number }>();
  const base = { freq: numberReader(cols["A1FREQ"]), info: numberReader(cols["INFO"]), n: numberReader(cols["N"]) };
  const statsFor = (ph: string): typeof base => {
    let s = own.get(ph);
    if (!s) {
      const pick = (k: string, fallback: (i: number) => number): ((i: number) => number) => {
        const c = cols[`${k}.${ph}`];
        if (!c) return fallback;
        const r = numberReader(c);
        return (i) => (isNull(c, i) ? fallback(i) : r(i));
      };
      s = { freq: pick("A1FREQ", base.freq), info: pick("INFO", base.info), n: pick("N", base.n) };
      own.set(ph, s);
    }
    return s;
  };
  const text = (): string[] => new Array<string>(m);
  const CHROM = text(), ID = text(), ALLELE0 = text(), ALLELE1 = text(), A1FREQ = text(), INFO = text(), TEST = text();
  const BETA = text(), SE = text(), CHISQ = text(), LOG10P = text(), EXTRA = text(), PHENO = text();
  const GENPOS = new Float64Array(m);
  const N = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const ph = phenotype(i);
    const st = statsFor(ph);
    const nm = names(i);
    const t = tvalue(i);
    const lp = l10(i);
    CHROM[i] = contig(i);
    GENPOS[i] = start(i) + 1;
    ID[i] = nm[nm.length - 1] ?? ".";
    ALLELE0[i] = ref(i);
    ALLELE1[i] = alts(i).join(",");
    A1FREQ[i] = regenieNumber(st.freq(i));
    INFO[i] = regenieNumber(st.info(i));
    N[i] = st.n(i);
    TEST[i] = "ADD";
    BETA[i] = regenieNumber(effect(i));
    SE[i] = regenieNumber(se(i));
    CHISQ[i] = regenieNumber(chisq ? chisq(i) : t * t);
    LOG10P[i] = regenieNumber(lp);
    EXTRA[i] = Number.isFinite(lp) ? "NA" : "TEST_FAIL";
    PHENO[i] = ph;
  }
  const s = (values: (string | null)[]): Column => ({ type: "string", values });
  return {
    numRows: m,
    columns: {
      CHROM: s(CHROM), GENPOS: { type: "long", values: GENPOS }, ID: s(ID), ALLELE0: s(ALLELE0), ALLELE1: s(ALLELE1),
      A1FREQ: s(A1FREQ), INFO: s(INFO), N: { type: "double", values: N }, TEST: s(TEST), BETA: s(BETA), SE: s(SE),
      CHISQ: s(CHISQ), LOG10P: s(LOG10P), EXTRA: s(EXTRA), phenotype: s(PHENO),
    },
  };
}
