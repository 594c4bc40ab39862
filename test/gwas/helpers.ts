/**
 * Test-only readers for the GWAS oracles' small input files, used until the format readers are
 * wired (they are not part of the library): VCF GT → mean_substitute(genotype_states), PLINK .bed
 * 2-bit codes → alt counts, whitespace/CSV sample tables, REGENIE step-1 .loco and step-2 outputs.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";

export const DATA = path.resolve(process.cwd(), "../shared/data");
export const HAVE_DATA = existsSync(DATA);
if (!HAVE_DATA) console.warn(`GWAS oracle tests skipped: ${DATA} (the shared reference data) is absent`);

export function readText(file: string): string {
  const buf = readFileSync(file);
  return (file.endsWith(".gz") ? gunzipSync(buf) : buf).toString("utf8");
}

/** A danfo-shaped table: first column is the index. */
export interface Table {
  index: string[];
  columns: string[];
  values: (number | string)[][];
}

/** Parses a delimited table whose first column is the sample id. */
export function parseTable(text: string, sep: RegExp | string = ","): Table {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0]!.trim().split(sep);
  const index: string[] = [];
  const values: (number | string)[][] = [];
  for (const line of lines.slice(1)) {
    const f = line.trim().split(sep);
    index.push(f[0]!);
    values.push(f.slice(1).map((v) => (v === "NA" || v === "" ? NaN : Number(v))));
  }
  return { index, columns: header.slice(1), values };
}

/** A REGENIE/PLINK-style table `FID IID cols...` indexed by `FID_IID`. */
export function parseFidIidTable(text: string): Table {
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  const header = lines[0]!.trim().split(/\s+/);
  const index: string[] = [];
  const values: number[][] = [];
  for (const line of lines.slice(1)) {
    const f = line.trim().split(/\s+/);
    index.push(`${f[0]}_${f[1]}`);
    values.push(f.slice(2).map((v) => (v === "NA" ? NaN : Number(v))));
  }
  return { index, columns: header.slice(2), values };
}

export interface Variants {
  contigName: string[];
  start: number[];
  end: number[];
  names: string[][];
  referenceAllele: string[];
  alternateAlleles: string[][];
  /** m×n row block. */
  values: Float64Array;
  sampleIds: string[];
}

/** genotype_states then mean_substitute of the GT calls of a small VCF. */
export function readVcfValues(file: string): Variants {
  const lines = readText(file).split("\n");
  let sampleIds: string[] = [];
  const v: Omit<Variants, "values" | "sampleIds"> = { contigName: [], start: [], end: [], names: [], referenceAllele: [], alternateAlleles: [] };
  const rows: Float64Array[] = [];
  for (const line of lines) {
    if (line.startsWith("##") || line.length === 0) continue;
    const f = line.split("\t");
    if (line.startsWith("#")) { sampleIds = f.slice(9); continue; }
    const pos = Number(f[1]);
    v.contigName.push(f[0]!);
    v.start.push(pos - 1);
    v.end.push(pos - 1 + f[3]!.length);
    v.names.push(f[2] === "." ? [] : f[2]!.split(";"));
    v.referenceAllele.push(f[3]!);
    v.alternateAlleles.push(f[4]!.split(","));
    const gtIdx = f[8]!.split(":").indexOf("GT");
    const n = f.length - 9;
    const row = new Float64Array(n);
    let sum = 0;
    let cnt = 0;
    for (let s = 0; s < n; s++) {
      const gt = f[9 + s]!.split(":")[gtIdx]!;
      const calls = gt.split(/[|/]/).map((c) => (c === "." ? -1 : Number(c)));
      const state = calls.some((c) => c < 0) || calls.length === 0 ? -1 : calls.reduce((a, b) => a + b, 0);
      row[s] = state;
      if (state !== -1) { sum += state; cnt++; }
    }
    const mean = cnt > 0 ? sum / cnt : -1;
    for (let s = 0; s < n; s++) if (row[s] === -1) row[s] = mean;
    rows.push(row);
  }
  const n = sampleIds.length;
  const values = new Float64Array(rows.length * n);
  rows.forEach((r, i) => values.set(r, i * n));
  return { ...v, values, sampleIds };
}

/**
 * PLINK 1 .bed/.bim/.fam with Glow's conventions: BIM allele1 is alt, allele2 ref; codes
 * 00 → 2 alt alleles, 10 → 1, 11 → 0, 01 (missing) → -1. Sample id FID_IID.
 */
export function readBed(prefix: string): Variants {
  const bim = readText(`${prefix}.bim`).split("\n").filter((l) => l.trim()).map((l) => l.trim().split(/\s+/));
  const fam = readText(`${prefix}.fam`).split("\n").filter((l) => l.trim()).map((l) => l.trim().split(/\s+/));
  const bed = readFileSync(`${prefix}.bed`);
  if (bed[0] !== 0x6c || bed[1] !== 0x1b || bed[2] !== 1) throw new Error("not a variant-major PLINK .bed");
  const n = fam.length;
  const m = bim.length;
  const bpv = Math.ceil(n / 4);
  const values = new Float64Array(m * n);
  const code = [2, -1, 1, 0];
  for (let v = 0; v < m; v++) {
    for (let s = 0; s < n; s++) {
      const byte = bed[3 + v * bpv + (s >> 2)]!;
      values[v * n + s] = code[(byte >> ((s & 3) * 2)) & 3]!;
    }
  }
  return {
    contigName: bim.map((b) => b[0]!),
    start: bim.map((b) => Number(b[3]) - 1),
    end: bim.map((b) => Number(b[3])),
    names: bim.map((b) => [b[1]!]),
    referenceAllele: bim.map((b) => b[5]!),
    alternateAlleles: bim.map((b) => [b[4]!]),
    values,
    sampleIds: fam.map((f) => `${f[0]}_${f[1]}`),
  };
}

/** A VariantBatch (the shape `frame.partitions()` yields) of rows [from, to). */
export function toBatch(v: Variants, from = 0, to = v.contigName.length): { numRows: number; columns: Record<string, unknown> } {
  const n = v.sampleIds.length;
  const m = to - from;
  const strList = (rows: string[][]) => {
    const offsets = new Int32Array(m + 1);
    const flat: string[] = [];
    rows.forEach((r, i) => { flat.push(...r); offsets[i + 1] = flat.length; });
    return { type: "list", child: { type: "string", values: flat }, offsets };
  };
  return {
    numRows: m,
    columns: {
      contigName: { type: "string", values: v.contigName.slice(from, to) },
      start: { type: "long", values: Float64Array.from(v.start.slice(from, to)) },
      end: { type: "long", values: Float64Array.from(v.end.slice(from, to)) },
      names: strList(v.names.slice(from, to)),
      referenceAllele: { type: "string", values: v.referenceAllele.slice(from, to) },
      alternateAlleles: strList(v.alternateAlleles.slice(from, to)),
      values: { type: "list", child: { type: "double", values: v.values.slice(from * n, to * n) }, width: n },
    },
  };
}

/** A minimal frame: `partitions()` over fixed-size slices, `sampleIds()`. */
export function toFrame(v: Variants, rowsPerPartition = v.contigName.length) {
  return {
    sampleIds: () => v.sampleIds,
    async *partitions() {
      for (let a = 0; a < v.contigName.length; a += rowsPerPartition) yield toBatch(v, a, Math.min(v.contigName.length, a + rowsPerPartition)) as never;
    },
  };
}

/**
 * REGENIE step-1 .loco (row 1: `FID_IID` + sample ids, then `contig values...`) melted into rows of
 * (sample, contig, value).
 */
export function readLoco(file: string): Map<string, Map<string, number>> {
  const lines = readText(file).split("\n").filter((l) => l.trim());
  const ids = lines[0]!.trim().split(/\s+/).slice(1);
  const out = new Map<string, Map<string, number>>();
  for (const line of lines.slice(1)) {
    const f = line.trim().split(/\s+/);
    const m = new Map<string, number>();
    ids.forEach((id, i) => m.set(id, Number(f[i + 1])));
    out.set(f[0]!, m);
  }
  return out;
}

/** LOCO offsets for traits (one .loco file each) as a table with a contigName column. */
export function locoOffsetTable(files: Record<string, string>): { index: string[]; columns: string[]; values: (number | string)[][] } {
  const traits = Object.keys(files);
  const parsed = traits.map((t) => readLoco(files[t]!));
  const index: string[] = [];
  const values: (number | string)[][] = [];
  for (const [contig, bySample] of parsed[0]!) {
    for (const id of bySample.keys()) {
      index.push(id);
      values.push([contig, ...parsed.map((p) => p.get(contig)!.get(id)!)]);
    }
  }
  return { index, columns: ["contigName", ...traits], values };
}

export interface RegenieRow {
  chrom: string; genpos: number; id: string; allele0: string; allele1: string;
  beta: number; se: number; chisq: number; log10p: number;
}

export function readRegenie(file: string): RegenieRow[] {
  const lines = readText(file).split("\n").filter((l) => l.trim());
  const h = lines[0]!.trim().split(/\s+/);
  const col = (name: string) => h.indexOf(name);
  return lines.slice(1).map((l) => {
    const f = l.trim().split(/\s+/);
    return {
      chrom: f[col("CHROM")]!, genpos: Number(f[col("GENPOS")]), id: f[col("ID")]!,
      allele0: f[col("ALLELE0")]!, allele1: f[col("ALLELE1")]!,
      beta: Number(f[col("BETA")]), se: Number(f[col("SE")]), chisq: Number(f[col("CHISQ")]), log10p: Number(f[col("LOG10P")]),
    };
  });
}

/** |a − b| / |b|. */
export function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
