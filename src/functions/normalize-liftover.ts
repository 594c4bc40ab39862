/**
 * The column functions that come with the transformers: Glow's `normalize_variant` and
 * `lift_over_coordinates`, as expressions evaluated per partition in the workers.
 */
import * as path from "node:path";
import type { Column, DataType, ListColumn, StructColumn, VariantBatch } from "../core/column.js";
import { col as columns, columnLength, getValue } from "../core/column.js";
import type { ColLike } from "../core/expr.js";
import { fnCall } from "../core/expr.js";
import { GlowtsError } from "../core/errors.js";
import { openFasta } from "../io/fasta.js";
import { readChainFile } from "../io/chain.js";
import { booleans } from "./columns.js";
import { registerFunction, type ColumnFunction } from "../core/function-registry.js";
import { normalizeAlleles, type NormalizationResult } from "./normalize-alleles.js";
import { liftOverInterval } from "./liftover.js";

/**
 * Glow's `normalize_variant(contigName, start, end, refAllele, altAlleles, refGenomePathString)`:
 * the left-aligned, trimmed variant as `{start, end, referenceAllele, alternateAlleles,
 * normalizationStatus{changed, errorMessage}}` (same algorithm as `normalize_variants`).
 * @param referenceGenomePath FASTA with `.fai` (or bgzip with `.fai` and `.gzi`)
 * @example
 * ```ts
 * df.withColumn("normalized", glow.functions.normalizeVariant("contigName", "start", "end",
 *   "referenceAllele", "alternateAlleles", "ref.fa"));
 * ```
 */
export function normalizeVariant(contigName: ColLike, start: ColLike, end: ColLike, refAllele: ColLike, altAlleles: ColLike, referenceGenomePath: string): import("../core/expr.js").Col {
  if (typeof referenceGenomePath !== "string" || referenceGenomePath === "") throw new GlowtsError("OPTION", "normalize_variant: referenceGenomePath is required", { option: "referenceGenomePath" });
  const p = path.resolve(referenceGenomePath);
  openFasta(p);
  return fnCall("normalizeVariant", [contigName, start, end, refAllele, altAlleles], { referenceGenomePath: p });
}

/**
 * Glow's `lift_over_coordinates(contigName, start, end, chainFile, minMatchRatio=0.95)`:
 * `{contigName, start, end}` in the destination assembly (Picard's LiftOver rules: exactly one
 * chain must cover `minMatchRatio` of the bases), or null when the interval does not lift.
 * @param chainFile a UCSC chain file, plain or gzip
 */
export function liftOverCoordinates(contigName: ColLike, start: ColLike, end: ColLike, chainFile: string, minMatchRatio = 0.95): import("../core/expr.js").Col {
  if (typeof chainFile !== "string" || chainFile === "") throw new GlowtsError("OPTION", "lift_over_coordinates: chainFile is required", { option: "chainFile" });
  if (!(minMatchRatio >= 0 && minMatchRatio <= 1)) throw new GlowtsError("OPTION", `lift_over_coordinates: minMatchRatio must be in [0, 1], got ${minMatchRatio}`, { option: "minMatchRatio" });
  const p = path.resolve(chainFile);
  readChainFile(p);
  return fnCall("liftOverCoordinates", [contigName, start, end], { chainFile: p, minMatchRatio });
}

const statusType: DataType = { struct: [{ name: "changed", type: "boolean" }, { name: "errorMessage", type: "string" }] };

/** The normalizationResult struct type. */
export const normalizationResultType: DataType = {
  struct: [
    { name: "start", type: "long" }, { name: "end", type: "long" }, { name: "referenceAllele", type: "string" },
    { name: "alternateAlleles", type: { list: "string" } }, { name: "normalizationStatus", type: statusType },
  ],
};

const liftedType: DataType = { struct: [{ name: "contigName", type: "string" }, { name: "start", type: "long" }, { name: "end", type: "long" }] };

function num(c: Column, i: number): number | null {
  const v = getValue(c, i);
  return typeof v === "number" ? v : null;
}

/** The evaluators, keyed by function name, in the engine's column-function shape. */
const normalizeLiftoverFunctions: Record<string, ColumnFunction> = {
  normalizeVariant: {
    evaluate: ([contig, start, end, ref, alts], p) => {
      const fasta = openFasta(String(p["referenceGenomePath"]));
      const n = columnLength(contig!);
      const res: NormalizationResult[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const c = getValue(contig!, i), s = num(start!, i), e = num(end!, i), r = getValue(ref!, i), a = getValue(alts!, i);
        if (typeof c !== "string" || s === null || e === null || typeof r !== "string" || !Array.isArray(a)) {
          res[i] = { start: s ?? 0, end: e ?? 0, referenceAllele: typeof r === "string" ? r : "", alternateAlleles: [], normalizationStatus: { changed: false, errorMessage: "missing contigName, start, end, referenceAllele or alternateAlleles" } };
        } else res[i] = normalizeAlleles(c, s, e, r, a.map(String), fasta);
      }
      const status: StructColumn = { type: "struct", fields: {
        changed: booleans(res.map((x) => x.normalizationStatus.changed)),
        errorMessage: { type: "string", values: res.map((x) => x.normalizationStatus.errorMessage) },
      } };
      const alt: ListColumn = columns.stringLists(res.map((x) => x.alternateAlleles));
      return { type: "struct", fields: {
        start: columns.longs(Float64Array.from(res, (x) => x.start)), end: columns.longs(Float64Array.from(res, (x) => x.end)),
        referenceAllele: { type: "string", values: res.map((x) => x.referenceAllele) }, alternateAlleles: alt, normalizationStatus: status,
      } };
    },
    type: () => normalizationResultType,
  },
  liftOverCoordinates: {
    evaluate: ([contig, start, end], p) => {
      const chains = readChainFile(String(p["chainFile"]));
      const ratio = typeof p["minMatchRatio"] === "number" ? p["minMatchRatio"] : 0.95;
      const n = columnLength(contig!);
      const names: (string | null)[] = new Array(n);
      const s = new Float64Array(n), e = new Float64Array(n), nulls = new Uint8Array(n);
      let anyNull = false;
      for (let i = 0; i < n; i++) {
        const c = getValue(contig!, i), a = num(start!, i), b = num(end!, i);
        const r = typeof c === "string" && a !== null && b !== null ? liftOverInterval(chains, c, a, b, ratio) : null;
        if (!r) { nulls[i] = 1; anyNull = true; names[i] = null; continue; }
        names[i] = r.contigName; s[i] = r.start; e[i] = r.end;
      }
      return { type: "struct", fields: { contigName: { type: "string", values: names }, start: columns.longs(s), end: columns.longs(e) }, nulls: anyNull ? nulls : undefined };
    },
    type: () => liftedType,
  },
};

for (const [name, fn] of Object.entries(normalizeLiftoverFunctions)) registerFunction(name, fn);
