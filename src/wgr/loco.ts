/**
 * Leave-one-chromosome-out predictions (Glow `transform_loco`; reference §2.6) and their table form.
 *
 * Glow returns a pandas DataFrame with a MultiIndex (sample_id, contigName). danfo has no
 * MultiIndex, so {@link LocoPredictions.toDanfo} gives a DataFrame whose
 * - index is the string `${sample_id}|${contigName}` (see {@link locoIndex}), and whose
 * - first two columns are `sample_id` and `contigName`, followed by one float column per label.
 * Rows are ordered by chromosome (string-sorted), then by the label table's sample order — Glow's
 * order. Consumers (e.g. GWAS offsets) should read the `sample_id`/`contigName` columns, or use the
 * typed {@link LocoPredictions} directly.
 */
import { GlowtsError } from "../core/errors.js";
import { cellToNumber } from "../core/numbers.js";
import { columnTable } from "../core/table.js";
import { formatNumber } from "../linalg/ridge-matrix.js";
import { SampleTable } from "./sample-table.js";
import { MIME_BUNDLE, renderAs, type MimeBundle } from "../core/mime.js";

/** The danfo index string of a (sample id, contig) pair. */
export function locoIndex(sampleId: string, contigName: string): string {
  return `${sampleId}|${contigName}`;
}

/** Per-chromosome prediction tables (same samples and labels in each). */
export class LocoPredictions {
  private readonly byChrom = new Map<string, SampleTable>();

  constructor(readonly chromosomes: string[], readonly tables: SampleTable[]) {
    if (chromosomes.length !== tables.length) throw new GlowtsError("LOCO", "LocoPredictions: one table per chromosome expected");
    chromosomes.forEach((c, i) => this.byChrom.set(c, tables[i]!));
  }

  /** Sample ids (the label table's order). */
  get sampleIds(): string[] {
    return this.tables[0]?.index ?? [];
  }

  /** Label names. */
  get labels(): string[] {
    return this.tables[0]?.columns ?? [];
  }

  /** Predictions of one chromosome (sample × label). */
  forChromosome(contigName: string): SampleTable {
    const t = this.byChrom.get(contigName);
    if (!t) throw new GlowtsError("LOCO", `no LOCO predictions for contig '${contigName}' (have ${this.chromosomes.join(", ")})`);
    return t;
  }

  /** ŷ for (sample id, contig, label); NaN when absent. */
  get(sampleId: string, contigName: string, label: string): number {
    const t = this.byChrom.get(contigName);
    return t ? t.get(sampleId, label) : NaN;
  }

  /** Plain rows `{sample_id, contigName, <label>: value, …}` in Glow's order. */
  toRows(): Record<string, string | number>[] {
    const out: Record<string, string | number>[] = [];
    this.chromosomes.forEach((c, ci) => {
      const t = this.tables[ci]!;
      const n = t.numRows;
      for (let i = 0; i < n; i++) {
        const r: Record<string, string | number> = { sample_id: t.index[i]!, contigName: c };
        t.columns.forEach((l, j) => (r[l] = t.values[j * n + i]!));
        out.push(r);
      }
    });
    return out;
  }

  /** The predictions as a danfo DataFrame (see the module description for the layout). */
  async toDanfo(): Promise<import("danfojs").DataFrame> {
    const dfd = await import("danfojs");
    const data: Record<string, (string | number)[]> = { sample_id: [], contigName: [] };
    for (const l of this.labels) data[l] = [];
    const index: string[] = [];
    this.chromosomes.forEach((c, ci) => {
      const t = this.tables[ci]!;
      const n = t.numRows;
      for (let i = 0; i < n; i++) {
        index.push(locoIndex(t.index[i]!, c));
        data["sample_id"]!.push(t.index[i]!);
        data["contigName"]!.push(c);
      }
      t.columns.forEach((l, j) => {
        const col = data[l]!;
        for (let i = 0; i < n; i++) col.push(t.values[j * n + i]!);
      });
    });
    return new dfd.DataFrame(data, { index });
  }

  toString(maxRows = 6): string {
    const lines = [`LocoPredictions: ${this.sampleIds.length} samples × ${this.labels.length} label(s) × ${this.chromosomes.length} chromosome(s) [${this.chromosomes.join(", ")}]`];
    const labels = this.labels.slice(0, 6);
    const cells = [["sample_id", "contigName", ...labels]];
    let k = 0;
    outer: for (const [ci, c] of this.chromosomes.entries()) {
      const t = this.tables[ci]!;
      for (let i = 0; i < t.numRows; i++) {
        if (k++ >= maxRows) break outer;
        cells.push([t.index[i]!, c, ...labels.map((l) => formatNumber(t.get(t.index[i]!, l)))]);
      }
    }
    const w = cells[0]!.map((_, j) => Math.max(...cells.map((r) => r[j]!.length)));
    for (const r of cells) lines.push(r.map((v, j) => (j < 2 ? v.padEnd(w[j]!) : v.padStart(w[j]!))).join("  "));
    const total = this.sampleIds.length * this.chromosomes.length;
    if (total > maxRows) lines.push(`… ${total - maxRows} more rows`);
    return lines.join("\n");
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /** Jupyter rich display (a compact sample × (label, chromosome) table and per-column statistics); rendered by `src/display/loco.ts`. */
  [MIME_BUNDLE](): Promise<MimeBundle> {
    return renderAs("locoPredictions", this);
  }
}

/**
 * Reads a LOCO DataFrame in the layout of {@link LocoPredictions.toDanfo} (or any danfo frame with
 * `sample_id`, `contigName` and numeric label columns) back into typed tables.
 */
export function locoFromDanfo(df: { columns: string[]; column(name: string): { values: unknown[] } }): LocoPredictions {
  if (!df.columns.includes("sample_id") || !df.columns.includes("contigName")) {
    throw new GlowtsError("LOCO", "a LOCO DataFrame needs sample_id and contigName columns");
  }
  const t = columnTable(df, "LOCO DataFrame", "LOCO");
  const ids = Array.from(t.column("sample_id"), String);
  const contigs = Array.from(t.column("contigName"), String);
  const labels = t.columns.filter((c) => c !== "sample_id" && c !== "contigName");
  const cols = labels.map((l) => Array.from(t.column(l), (v) => cellToNumber(v) ?? NaN));
  const order = [...new Set(contigs)];
  const tables = order.map((c) => {
    const rows: number[] = [];
    contigs.forEach((x, i) => { if (x === c) rows.push(i); });
    const n = rows.length;
    const v = new Float64Array(n * labels.length);
    labels.forEach((_, j) => rows.forEach((r, i) => (v[j * n + i] = cols[j]![r]!)));
    return new SampleTable(rows.map((r) => ids[r]!), [...labels], v);
  });
  return new LocoPredictions(order, tables);
}
