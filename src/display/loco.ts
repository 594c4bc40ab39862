/**
 * Rich display of LOCO predictions (`LocoPredictions`): a compact sample × (label, chromosome) table and per-column statistics.
 *
 * Import direction: display → models. The model class implements `[MIME_BUNDLE]()` with
 * `renderAs(kind, this)` (`core/mime.ts`); this module installs its renderer into that registry
 * when it is imported (bottom of the file) and imports only the model's types.
 */
import type { LocoPredictions } from "../wgr/loco.js";
import { summaryStats } from "../stats/summary.js";
import { ELLIPSIS_ROW, htmlTable, makeBundle, registerRenderer, type MimeBundle, type TableColumn } from "../core/mime.js";
import { plural, title, meta, flexRow, listHead, type Row, type TableRows } from "./model-html.js";

/** Options of {@link renderLocoPredictions}. */
export interface LocoDisplayOptions {
  /** Sample rows shown. @defaultValue 6 */
  rows?: number | undefined;
  /** Label × chromosome columns shown. @defaultValue 12 */
  maxColumns?: number | undefined;
}

/**
 * The MIME bundle of leave-one-chromosome-out predictions (GWAS offsets): a compact sample ×
 * (label, chromosome) table of the first samples and the distribution of each column.
 */
export function renderLocoPredictions(loco: Pick<LocoPredictions, "chromosomes" | "tables" | "sampleIds" | "labels" | "toString">, options: LocoDisplayOptions = {}): MimeBundle {
  const ids = loco.sampleIds;
  const labels = loco.labels;
  const cs = loco.chromosomes;
  const maxColumns = options.maxColumns ?? 12;
  const pairs: { label: string; c: string; ci: number; li: number }[] = [];
  labels.forEach((label, li) => cs.forEach((c, ci) => pairs.push({ label, c, ci, li })));
  const shown = pairs.slice(0, maxColumns);
  const k = Math.min(options.rows ?? 6, ids.length);
  const cols: TableColumn[] = [
    { key: "sample_id", align: "left" },
    ...shown.map((p, j) => ({ key: `p${j}`, label: labels.length > 1 ? `${p.label} · chr ${p.c}` : `chr ${p.c}`, dtype: labels.length > 1 ? undefined : p.label })),
    ...(pairs.length > shown.length ? [{ key: "more", label: "…", align: "left" as const }] : []),
  ];
  const rows: TableRows = [];
  for (let i = 0; i < k; i++) {
    const r: Row = { sample_id: ids[i] };
    shown.forEach((p, j) => {
      const t = loco.tables[p.ci]!;
      r[`p${j}`] = t.values[p.li * t.numRows + i];
    });
    if (pairs.length > shown.length) r["more"] = "…";
    rows.push(r);
  }
  if (ids.length > k) rows.push(ELLIPSIS_ROW);
  const statRows: TableRows = pairs.slice(0, 40).map((p) => {
    const t = loco.tables[p.ci]!;
    const s = summaryStats(t.values.subarray(p.li * t.numRows, (p.li + 1) * t.numRows));
    return { label: p.label, contigName: p.c, mean: s.mean, sd: s.sd, min: s.min, max: s.max, missing: s.missing };
  });
  if (pairs.length > 40) statRows.push(ELLIPSIS_ROW);
  const shape = `${plural(ids.length, "sample")} × ${plural(labels.length, "label")} × ${plural(cs.length, "chromosome")}`;
  const html = [
    title("LocoPredictions", shape),
    meta(`chromosomes: ${listHead(cs, 12)} · labels: ${listHead(labels)} · column "chr c" = the prediction from every chromosome except c`),
    flexRow([
      htmlTable(rows, cols, { caption: `first ${k} samples` }),
      htmlTable(statRows, [{ key: "label", align: "left" }, { key: "contigName", align: "left" }, "mean", "sd", "min", "max", "missing"], { caption: "each column over all samples" }),
    ]),
  ].join("");
  return makeBundle(html, loco.toString(), "loco");
}

registerRenderer("locoPredictions", (x: LocoPredictions) => renderLocoPredictions(x));
