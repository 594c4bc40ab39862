/**
 * Test-only reader for the QCTool-exported VCF twins of the BGEN test files: just what the
 * comparisons need (coordinates, IDs, alleles, sample names, GT and GP). Not a VCF reader.
 */
import { readFileSync } from "node:fs";

export interface TwinGenotype {
  /** Hard call from GT (-1 = no call); null when the FORMAT has no GT. */
  calls: number[] | null;
  phased: boolean;
  /** GP values as printed (null entries for '.'), plus their printed text for precision. */
  gp: (number | null)[];
  gpText: string[];
}

export interface TwinRow {
  contigName: string;
  /** 0-based start (POS - 1). */
  start: number;
  /** start + len(REF). */
  end: number;
  /** ID split on ';' and ',' (QCTool joins variant id and rsid with either). */
  ids: string[];
  referenceAllele: string;
  alternateAlleles: string[];
  genotypes: TwinGenotype[];
}

export interface TwinVcf {
  sampleIds: string[];
  rows: TwinRow[];
}

function parseGT(gt: string): { calls: number[]; phased: boolean } {
  const phased = gt.includes("|");
  const calls = gt.split(/[|/]/).map((a) => (a === "." ? -1 : Number(a)));
  return { calls, phased };
}

/** Parses a QCTool VCF twin. */
export function readTwinVcf(file: string): TwinVcf {
  const text = readFileSync(file, "utf8");
  let sampleIds: string[] = [];
  const rows: TwinRow[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("##")) continue;
    const f = line.split("\t");
    if (line.startsWith("#CHROM")) {
      sampleIds = f.slice(9);
      continue;
    }
    const [chrom, pos, id, ref, alt, , , , format] = f as [string, string, string, string, string, string, string, string, string];
    const keys = format.split(":");
    const gtIdx = keys.indexOf("GT");
    const gpIdx = keys.indexOf("GP");
    const genotypes: TwinGenotype[] = f.slice(9).map((cell) => {
      const parts = cell.split(":");
      const gt = gtIdx >= 0 ? parseGT(parts[gtIdx]!) : null;
      const gpText = gpIdx >= 0 ? parts[gpIdx]!.split(",") : [];
      return {
        calls: gt ? gt.calls : null,
        phased: gt ? gt.phased : false,
        gp: gpText.map((x) => (x === "." ? null : Number(x))),
        gpText,
      };
    });
    const start = Number(pos) - 1;
    rows.push({
      contigName: chrom,
      start,
      end: start + ref.length,
      ids: id === "." ? [] : id.split(/[;,]/),
      referenceAllele: ref,
      alternateAlleles: alt === "." ? [] : alt.split(","),
      genotypes,
    });
  }
  return { sampleIds, rows };
}

/** Half a unit in the last printed decimal place of a number's text (e.g. "0.0278019" → 5e-8). */
export function printedHalfUlp(text: string): number {
  const m = /^-?\d*(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(text);
  if (!m) return 0;
  const decimals = (m[1] ?? "").length;
  const exp = m[2] ? Number(m[2]) : 0;
  return 0.5 * 10 ** -(decimals - exp);
}
