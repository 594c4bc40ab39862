/** Plain-text renderings of rows and schemas (show(), toString()). */
import type { Field, VariantBatch } from "../core/column.js";
import { getValue, typeToString } from "../core/column.js";

/** Short text for a value in a table cell. */
export function formatCell(v: unknown, max = 40): string {
  let s: string;
  if (v === null || v === undefined) s = "null";
  else if (typeof v === "number") s = Number.isInteger(v) ? String(v) : Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v);
  else if (typeof v === "string") s = v;
  else if (typeof v === "boolean") s = String(v);
  else if (Array.isArray(v)) {
    if (v.length > 0 && typeof v[0] === "object" && v[0] !== null && !Array.isArray(v[0])) s = `[${v.length} genotypes]`;
    else {
      const parts = v.slice(0, 6).map((x) => formatCell(x, 12));
      s = `[${parts.join(", ")}${v.length > 6 ? `, … (${v.length})` : ""}]`;
    }
  } else s = JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A fixed-width text table of the first rows of a batch. */
export function batchToText(b: VariantBatch, maxRows = 20): string {
  const names = Object.keys(b.columns);
  const n = Math.min(maxRows, b.numRows);
  const cells: string[][] = [names];
  for (let i = 0; i < n; i++) cells.push(names.map((k) => formatCell(getValue(b.columns[k]!, i))));
  const widths = names.map((_, j) => Math.max(...cells.map((r) => r[j]!.length)));
  const line = (r: string[]): string => `|${r.map((c, j) => c.padEnd(widths[j]!)).join("|")}|`;
  const sep = `+${widths.map((w) => "-".repeat(w)).join("+")}+`;
  const out = [sep, line(cells[0]!), sep, ...cells.slice(1).map(line), sep];
  if (b.numRows > n) out.push(`only showing top ${n} rows`);
  return out.join("\n");
}

/** Spark-like `printSchema` text. */
export function schemaToText(schema: Field[]): string {
  return ["root", ...schema.map((f) => ` |-- ${f.name}: ${typeToString(f.type)}`)].join("\n");
}
