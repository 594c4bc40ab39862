/**
 * VCF header: parsing `##INFO`/`##FORMAT` meta lines and the `#CHROM` line (pure, over text),
 * merging the headers of several files, and inferring Glow's variant schema from them
 * (`sc/vcf/VCFSchemaInferrer.scala`).
 */
import { GlowtsError } from "../../core/errors.js";
import type { DataType, Field } from "../../core/column.js";
import { genotypeField, genotypesField, variantFields } from "../../core/schema.js";

/** A VCF meta-line value type. */
export type VcfType = "Integer" | "Float" | "String" | "Character" | "Flag";
/** Glow's element types for VCF values. */
export type VcfElementType = "int" | "double" | "string" | "boolean";
/** How strictly malformed input is treated (Glow's `validationStringency`). */
export type ValidationStringency = "silent" | "lenient" | "strict";

/** One `##INFO` or `##FORMAT` line. */
export interface VcfFieldDef {
  id: string;
  /** As Glow's `vcf_header_count` metadata: an integer, `A`, `R`, `G` or `UNBOUNDED`. */
  count: string;
  type: VcfType;
  description: string;
  /** Glow's element type (Integer → int, Float → double, String/Character → string, Flag → boolean). */
  elementType: VcfElementType;
  /** Number A/R/G/./n>1 gives an array column; Number 0 or 1 (and every Flag) a scalar. */
  isArray: boolean;
}

/** What the reader needs from one file's header. */
export interface VcfHeader {
  info: VcfFieldDef[];
  format: VcfFieldDef[];
  /** Sample ids from the `#CHROM` line (after FORMAT). */
  sampleIds: string[];
  /** Number of header lines (the `#CHROM` line included). */
  lineCount: number;
  /** `##fileformat` value, if present. */
  fileformat?: string | undefined;
  /** The values (`<ID=...,...>`) of the `##contig` lines, in order. */
  contigs?: string[] | undefined;
}

const FIXED_COLUMNS = ["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO"];

/**
 * Glow's names for standard FORMAT keys (`GenotypeFields.aliases`). GT becomes two fields,
 * `phased` and `calls`; any other key keeps its ID.
 */
export const FORMAT_ALIASES: Readonly<Record<string, string>> = {
  DP: "depth",
  FT: "filters",
  GL: "genotypeLikelihoods",
  PL: "phredLikelihoods",
  GP: "posteriorProbabilities",
  GQ: "conditionalQuality",
  HQ: "haplotypeQualities",
  EC: "expectedAlleleCounts",
  MQ: "mappingQuality",
  AD: "alleleDepths",
};

/**
 * Parses a structured meta-line value `<ID=x,Number=1,Type=Integer,Description="...">` into its
 * key/value pairs (quoted values may contain `,`, `>` and backslash escapes; a missing final `>` is
 * tolerated, as htsjdk does).
 * @returns null when the text does not start with `<` or a key has no `=`
 */
export function parseStructuredMeta(text: string): Map<string, string> | null {
  if (text[0] !== "<") return null;
  const out = new Map<string, string>();
  let i = 1;
  const n = text.length;
  while (i < n) {
    if (text[i] === ">") break;
    let k = i;
    while (k < n && text[k] !== "=" && text[k] !== "," && text[k] !== ">") k++;
    if (k >= n || text[k] !== "=") return null;
    const key = text.slice(i, k).trim();
    i = k + 1;
    let value = "";
    if (text[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const ch = text[i]!;
        if (ch === "\\" && i + 1 < n) { value += text[i + 1]; i += 2; continue; }
        if (ch === '"') { i++; closed = true; break; }
        value += ch;
        i++;
      }
      if (!closed) return null;
    } else {
      let j = i;
      while (j < n && text[j] !== "," && text[j] !== ">") j++;
      value = text.slice(i, j);
      i = j;
    }
    if (!out.has(key)) out.set(key, value);
    if (text[i] === ",") i++;
    else if (text[i] === ">" || i >= n) break;
    else return null;
  }
  return out;
}

const TYPES: Record<string, VcfType> = {
  integer: "Integer", float: "Float", string: "String", character: "Character", flag: "Flag",
};

/**
 * Builds a field definition from a meta line's key/value pairs.
 * @returns an error message instead when ID, Number or Type is missing or invalid
 */
export function makeFieldDef(kv: Map<string, string>): VcfFieldDef | string {
  const id = kv.get("ID");
  if (!id) return "missing ID";
  const t = TYPES[(kv.get("Type") ?? "").toLowerCase()];
  if (!t) return `invalid Type '${kv.get("Type") ?? ""}'`;
  const num = kv.get("Number");
  if (num === undefined) return "missing Number";
  let count: string;
  let isArray: boolean;
  if (/^\d+$/.test(num)) {
    const n = Number(num);
    count = String(n);
    isArray = n > 1;
  } else if (num === "A" || num === "R" || num === "G") {
    count = num;
    isArray = true;
  } else if (num === ".") {
    count = "UNBOUNDED";
    isArray = true;
  } else {
    return `invalid Number '${num}'`;
  }
  if (t === "Flag") {
    // htsjdk turns a Flag with a variable count into count 0; Glow reads every flag as a boolean.
    if (!/^\d+$/.test(count)) count = "0";
    isArray = false;
  }
  const elementType: VcfElementType =
    t === "Integer" ? "int" : t === "Float" ? "double" : t === "Flag" ? "boolean" : "string";
  return { id, count, type: t, description: kv.get("Description") ?? "", elementType, isArray };
}

/**
 * Parses the header lines of a VCF (every line up to and including `#CHROM`).
 *
 * Malformed `##INFO`/`##FORMAT` lines throw with `strict` stringency, are skipped with a warning
 * with `lenient`, and are skipped silently with `silent`. A missing `#CHROM` line always throws
 * (as htsjdk does).
 *
 * @param lines the header lines (without newlines); parsing stops at the `#CHROM` line
 * @param file the file name, for errors
 * @throws GlowtsError `VCF_HEADER` naming the file and line
 */
export function parseVcfHeader(lines: readonly string[], file: string, stringency: ValidationStringency = "silent"): VcfHeader {
  const info: VcfFieldDef[] = [];
  const format: VcfFieldDef[] = [];
  let fileformat: string | undefined;
  const contigs: string[] = [];
  const bad = (i: number, msg: string): void => {
    if (stringency === "strict") throw new GlowtsError("VCF_HEADER", msg, { file, record: `line ${i + 1}` });
    if (stringency === "lenient") console.warn(`glowts: ${file} line ${i + 1}: ${msg} (skipped)`);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.endsWith("\r") ? lines[i]!.slice(0, -1) : lines[i]!;
    if (line.startsWith("##")) {
      const eq = line.indexOf("=");
      if (eq < 0) continue;
      const key = line.slice(2, eq);
      if (key === "fileformat") fileformat = line.slice(eq + 1);
      if (key === "contig" && line[eq + 1] === "<") contigs.push(line.slice(eq + 1));
      if (key !== "INFO" && key !== "FORMAT") continue;
      const kv = parseStructuredMeta(line.slice(eq + 1));
      if (!kv) { bad(i, `malformed ##${key} line`); continue; }
      const def = makeFieldDef(kv);
      if (typeof def === "string") { bad(i, `malformed ##${key} line: ${def}`); continue; }
      (key === "INFO" ? info : format).push(def);
    } else if (line.startsWith("#CHROM")) {
      const cols = line.split("\t");
      if (stringency === "strict") {
        for (let k = 0; k < FIXED_COLUMNS.length; k++) {
          if (cols[k] !== FIXED_COLUMNS[k]) {
            throw new GlowtsError("VCF_HEADER", `#CHROM line: expected column ${k + 1} to be ${FIXED_COLUMNS[k]}, found '${cols[k] ?? ""}'`, { file, record: `line ${i + 1}` });
          }
        }
        if (cols.length > 8 && cols[8] !== "FORMAT") {
          throw new GlowtsError("VCF_HEADER", `#CHROM line: expected column 9 to be FORMAT, found '${cols[8]}'`, { file, record: `line ${i + 1}` });
        }
      }
      // Trailing tabs make no empty-named samples (Glow's header parsing splits as Java's
      // String.split, which drops trailing empty strings; Glow's normalizer fixtures have them).
      while (cols.length > 9 && cols[cols.length - 1] === "") cols.pop();
      const sampleIds = cols.length > 9 ? cols.slice(9) : [];
      const seen = new Set<string>();
      for (const s of sampleIds) {
        if (seen.has(s)) throw new GlowtsError("VCF_HEADER", `sample id '${s}' appears more than once in the #CHROM line`, { file, record: `line ${i + 1}` });
        seen.add(s);
      }
      return { info: dedupe(info, file, "INFO"), format: dedupe(format, file, "FORMAT"), sampleIds, lineCount: i + 1, fileformat, contigs };
    } else if (line.startsWith("#")) {
      continue;
    } else {
      break;
    }
  }
  throw new GlowtsError("VCF_HEADER", "no #CHROM header line before the first record (is this a VCF file?)", { file });
}

function sameSchema(a: VcfFieldDef, b: VcfFieldDef): boolean {
  return a.type === b.type && a.count === b.count;
}

function dedupe(defs: VcfFieldDef[], file: string, kind: string): VcfFieldDef[] {
  return mergeFieldDefs([defs], [file], kind);
}

/**
 * Merges the INFO (or FORMAT) definitions of several headers: lines with the same ID must agree on
 * Type and Number (the first description wins); order is first appearance.
 * @throws GlowtsError `VCF_HEADER` for incompatible duplicate IDs
 */
export function mergeFieldDefs(lists: VcfFieldDef[][], files: string[], kind: string): VcfFieldDef[] {
  const byId = new Map<string, { def: VcfFieldDef; file: string }>();
  for (let i = 0; i < lists.length; i++) {
    for (const d of lists[i]!) {
      const prev = byId.get(d.id);
      if (!prev) byId.set(d.id, { def: d, file: files[i] ?? "" });
      else if (!sameSchema(prev.def, d)) {
        throw new GlowtsError(
          "VCF_HEADER",
          `incompatible ##${kind} lines for ID ${d.id}: Number=${prev.def.count},Type=${prev.def.type} (${prev.file}) vs Number=${d.count},Type=${d.type}. Header lines with the same ID must have the same count and type.`,
          { file: files[i] },
        );
      }
    }
  }
  return [...byId.values()].map((v) => v.def);
}

function metadata(d: VcfFieldDef): Record<string, string> {
  return { vcf_header_count: d.count, vcf_header_description: d.description };
}

function valueType(d: VcfFieldDef): DataType {
  return d.isArray ? { list: d.elementType } : d.elementType;
}

/** Glow's genotype field name(s) for a FORMAT key. */
export function genotypeFieldNames(id: string): string[] {
  if (id === "GT") return ["phased", "calls"];
  return [FORMAT_ALIASES[id] ?? id];
}

/** The genotype struct fields for the FORMAT definitions, `sampleId` first when included. */
export function genotypeSchema(format: readonly VcfFieldDef[], includeSampleIds: boolean): Field[] {
  const out: Field[] = [];
  if (includeSampleIds) out.push(genotypeField("sampleId"));
  for (const d of format) {
    if (d.id === "GT") {
      out.push({ ...genotypeField("phased"), metadata: metadata(d) });
      out.push({ ...genotypeField("calls"), metadata: metadata(d) });
    } else {
      out.push({ name: genotypeFieldNames(d.id)[0]!, type: valueType(d), metadata: metadata(d) });
    }
  }
  return out;
}

/**
 * Glow's VCF schema: `contigName, start, end, names, referenceAllele, alternateAlleles, qual,
 * filters, splitFromMultiAllelic`, one `INFO_<ID>` per INFO line (or `attributes` when
 * `flattenInfoFields` is false), then `genotypes`. INFO `END` is never a column: it sets `end`.
 */
export function vcfSchema(info: readonly VcfFieldDef[], format: readonly VcfFieldDef[], options: { includeSampleIds: boolean; flattenInfoFields: boolean }): Field[] {
  const fields: Field[] = variantFields(
    "contigName", "start", "end", "names", "referenceAllele", "alternateAlleles", "qual", "filters", "splitFromMultiAllelic",
  );
  if (options.flattenInfoFields) {
    for (const d of infoColumns(info)) fields.push({ name: `INFO_${d.id}`, type: valueType(d), metadata: metadata(d) });
  } else {
    fields.push({ name: "attributes", type: { list: { struct: [{ name: "key", type: "string" }, { name: "value", type: "string" }] } } });
  }
  fields.push(genotypesField(genotypeSchema(format, options.includeSampleIds)));
  return fields;
}

/** The INFO definitions that become `INFO_*` columns (all but END). */
export function infoColumns(info: readonly VcfFieldDef[]): VcfFieldDef[] {
  return info.filter((d) => d.id !== "END");
}
