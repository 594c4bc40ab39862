/**
 * Fixture loading and a small, independent dense-matrix toolkit for recomputing Glow's oracle
 * formulas in the tests (numpy-style: plain nested arrays, Gauss–Jordan inverse).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const DATA = path.resolve(process.cwd(), "../shared/data");
export const HAVE_DATA = existsSync(DATA);
export const WGR = path.join(DATA, "glow/wgr");

/** A CSV with a first id column: header, ids, rows of numbers (empty → NaN). */
export interface Csv {
  header: string[];
  ids: string[];
  rows: number[][];
}

export function readCsv(file: string): Csv {
  const lines = readFileSync(file, "utf8").split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0]!.split(",");
  const ids: string[] = [];
  const rows: number[][] = [];
  for (const l of lines.slice(1)) {
    const f = l.split(",");
    ids.push(f[0]!);
    rows.push(f.slice(1).map((x) => (x === "" ? NaN : Number(x))));
  }
  return { header, ids, rows };
}

/** A CSV as the plain `{index, columns, data}` table form accepted by glow.wgr (ids as strings). */
export function csvTable(c: Csv, idTransform: (s: string) => string = (s) => s): { index: string[]; columns: string[]; data: Record<string, number[]> } {
  const columns = c.header.slice(1);
  const data: Record<string, number[]> = {};
  columns.forEach((name, j) => (data[name] = c.rows.map((r) => r[j]!)));
  return { index: c.ids.map(idTransform), columns, data };
}

/** Column `name` of a CSV, per id. */
export function csvColumn(c: Csv, name: string): Map<string, number> {
  const j = c.header.indexOf(name) - 1;
  if (j < 0) throw new Error(`no column ${name}`);
  return new Map(c.ids.map((id, i) => [id, c.rows[i]![j]!]));
}

export type M = number[][];

export function transpose(a: M): M {
  return a[0] ? a[0].map((_, j) => a.map((r) => r[j]!)) : [];
}

export function mul(a: M, b: M): M {
  const n = a.length;
  const k = b.length;
  const m = b[0]?.length ?? 0;
  const out: M = Array.from({ length: n }, () => new Array<number>(m).fill(0));
  for (let i = 0; i < n; i++) for (let t = 0; t < k; t++) {
    const w = a[i]![t]!;
    for (let j = 0; j < m; j++) out[i]![j]! += w * b[t]![j]!;
  }
  return out;
}

/** Inverse by Gauss–Jordan elimination with partial pivoting. */
export function inv(a: M): M {
  const n = a.length;
  const w = a.map((r, i) => [...r, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(w[r]![c]!) > Math.abs(w[p]![c]!)) p = r;
    [w[c], w[p]] = [w[p]!, w[c]!];
    const d = w[c]![c]!;
    for (let j = 0; j < 2 * n; j++) w[c]![j]! /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = w[r]![c]!;
      if (f === 0) continue;
      for (let j = 0; j < 2 * n; j++) w[r]![j]! -= f * w[c]![j]!;
    }
  }
  return w.map((r) => r.slice(n));
}

/** A + diag(d). */
export function addDiag(a: M, d: number[]): M {
  return a.map((r, i) => r.map((v, j) => (i === j ? v + d[i]! : v)));
}

/** pandas-style standardization of the columns (ddof = 1, NaN → mean). */
export function standardizeColumns(rows: M): M {
  const n = rows.length;
  const p = rows[0]?.length ?? 0;
  const out: M = rows.map((r) => [...r]);
  for (let j = 0; j < p; j++) {
    const vals = rows.map((r) => r[j]!).filter((v) => !Number.isNaN(v));
    const mean = vals.reduce((s, v) => s + v, 0) / vals.length;
    const sd = Math.sqrt(vals.reduce((s, v) => s + (v - mean) ** 2, 0) / (vals.length - 1));
    for (let i = 0; i < n; i++) out[i]![j] = ((Number.isNaN(rows[i]![j]!) ? mean : rows[i]![j]!) - mean) / sd;
  }
  return out;
}

/** Largest |a−b| / max(|b|, floor) over paired arrays. */
export function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-300): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), floor);
    if (!(e <= m)) m = e; // NaN propagates
  }
  return m;
}

/** numpy.allclose(a, b) with explicit tolerances: |a−b| ≤ atol + rtol·|b|. */
export function allclose(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, atol: number): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i]! - b[i]!) <= atol + rtol * Math.abs(b[i]!))) return false;
  return true;
}

/** A seeded normal generator (Box–Muller over a 32-bit LCG), for random covariates as Glow's tests use. */
export function seededNormals(seed: number): () => number {
  let s = seed >>> 0;
  const u = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

export const silent = { log: false as const };
