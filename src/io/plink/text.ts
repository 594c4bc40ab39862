/**
 * Pure parsers for the PLINK 1 text companions of a `.bed`: `.fam` (samples) and `.bim` (variants).
 *
 * A line is split on the configured delimiter and must have exactly 6 fields; fields are trimmed.
 * The default delimiter `"whitespace"` splits on runs of spaces/tabs (PLINK's specification; REGENIE's
 * example `.fam` is tab-delimited); an explicit `bimDelimiter`/`famDelimiter` splits on that string
 * as Glow does. Lines starting with `#` are skipped. In a `.fam`, a blank line before the last
 * record and a repeated sample id are errors naming the line (as plink2): either would silently
 * shift or merge samples.
 */
import { GlowtsError } from "../../core/errors.js";
import { parseDouble as parseDoubleText } from "../../core/numbers.js";

/** A delimiter as given by the user (`"\t"`, `" "`, `","`, ...) or `"whitespace"`. */
export type PlinkDelimiter = string;

/** The sentinel delimiter value that splits on runs of spaces and tabs. */
export const WHITESPACE_DELIMITER = "whitespace";

const WS_RE = /[ \t]+/;

/** Control characters other than tab: no PLINK text field holds one (plink2 stops a token there). */
const CONTROL_RE = /[\x00-\x08\x0a-\x1f\x7f]/;

/** Splits one line (no newline) into trimmed fields. */
export function splitPlinkLine(line: string, delimiter: PlinkDelimiter): string[] {
  if (delimiter === WHITESPACE_DELIMITER) {
    const t = line.trim();
    return t === "" ? [] : t.split(WS_RE);
  }
  const parts = line.split(delimiter);
  for (let i = 0; i < parts.length; i++) parts[i] = parts[i]!.trim();
  return parts;
}

/** Is this line (without `\n`) a record, i.e. not blank and not a `#` comment? */
export function isPlinkRecordLine(line: string): boolean {
  const t = line.trim();
  return t !== "" && t[0] !== "#";
}

function describeDelimiter(d: PlinkDelimiter): string {
  if (d === WHITESPACE_DELIMITER) return "whitespace";
  return `'${d.replace(/\t/g, "\\t")}'`;
}

function delimiterHint(line: string, delimiter: PlinkDelimiter, option: string): string {
  if (delimiter === WHITESPACE_DELIMITER) return "";
  const alternatives: [string, string][] = [
    ["\t", "'\\t'"],
    [" ", "' '"],
    [",", "','"],
  ];
  for (const [d, shown] of alternatives) {
    if (d !== delimiter && splitPlinkLine(line, d).length === 6) {
      return ` (the line looks ${shown}-delimited: pass ${option}: ${shown === "'\\t'" ? '"\\t"' : shown} or "whitespace")`;
    }
  }
  if (splitPlinkLine(line, WHITESPACE_DELIMITER).length === 6) return ` (pass ${option}: "whitespace" to split on runs of spaces/tabs)`;
  return "";
}

/** Parsed `.fam` file. */
export interface FamSamples {
  /** Glow's sample ids: `FID_IID` when `mergeFidIid`, else `IID`. */
  sampleIds: string[];
  familyIds: string[];
  individualIds: string[];
}

/**
 * Parses a `.fam` file (6 fields: FID IID father mother sex phenotype).
 *
 * @param text - whole file contents.
 * @param options.delimiter - field delimiter (Glow's `famDelimiter`; default `"whitespace"`).
 * @param options.mergeFidIid - sample id `FID_IID` (true) or `IID` (false).
 * @param options.file - file name used in errors.
 * @throws GlowtsError `PLINK_FAM` naming the file and line when a line does not have 6 fields, on a
 *   blank line before the last record, or on a duplicate sample id.
 */
export function parseFam(
  text: string,
  options: { delimiter: PlinkDelimiter; mergeFidIid: boolean; file?: string },
): FamSamples {
  const sampleIds: string[] = [];
  const familyIds: string[] = [];
  const individualIds: string[] = [];
  const lines = text.split("\n");
  const seen = new Map<string, number>();
  let blankLine = 0;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (line.trim() === "") { if (blankLine === 0) blankLine = i + 1; continue; }
    if (!isPlinkRecordLine(line)) continue;
    if (blankLine !== 0) {
      throw new GlowtsError("PLINK_FAM", "Failed while parsing FAM file: blank line before the last sample (it would shift the samples after it)", { file: options.file, record: `line ${blankLine}` });
    }
    const cc = CONTROL_RE.exec(line);
    if (cc) {
      throw new GlowtsError("PLINK_FAM", `Failed while parsing FAM file: control character 0x${cc[0].charCodeAt(0).toString(16)} in the line (plink2 rejects it)`, { file: options.file, record: `line ${i + 1}` });
    }
    const f = splitPlinkLine(line, options.delimiter);
    if (f.length !== 6) {
      throw new GlowtsError(
        "PLINK_FAM",
        `Failed while parsing FAM file: line has ${f.length} field(s) delimited by ${describeDelimiter(options.delimiter)}, expected 6` +
          delimiterHint(line, options.delimiter, "famDelimiter"),
        { file: options.file, record: `line ${i + 1}` },
      );
    }
    const fid = f[0]!;
    const iid = f[1]!;
    if (iid === "") {
      throw new GlowtsError("PLINK_FAM", "Failed while parsing FAM file: empty individual id", { file: options.file, record: `line ${i + 1}` });
    }
    const id = options.mergeFidIid ? `${fid}_${iid}` : iid;
    const before = seen.get(id);
    if (before !== undefined) {
      throw new GlowtsError("PLINK_FAM", `Failed while parsing FAM file: duplicate sample id '${id}' (first on line ${before})`, { file: options.file, record: `line ${i + 1}` });
    }
    seen.set(id, i + 1);
    familyIds.push(fid);
    individualIds.push(iid);
    sampleIds.push(id);
  }
  return { sampleIds, familyIds, individualIds };
}

/** Columnar `.bim` records. */
export interface BimRecords {
  count: number;
  contigName: string[];
  variantId: string[];
  /** Genetic position (cM). */
  position: Float64Array;
  /** 1-based base-pair coordinate. */
  basePair: Float64Array;
  /** Allele 1 (Glow: alternate). */
  allele1: string[];
  /** Allele 2 (Glow: reference). */
  allele2: string[];
}

const INT_RE = /^[+-]?\d+$/;
/** Parses a double like Java's `toDouble` (decimal, exponent, NaN, Infinity); null if invalid. */
function parseDouble(s: string): number | null {
  return parseDoubleText(s) ?? null;
}

/**
 * Parses `.bim` text (a whole file or a slice that starts at a line start).
 *
 * @param text - the text.
 * @param options.delimiter - field delimiter (Glow's `bimDelimiter`; default `"whitespace"`).
 * @param options.firstLine - 1-based line number of the first line of `text` (for errors).
 * @param options.file - file name used in errors.
 * @param options.expected - if set, the number of records the text must hold.
 * @throws GlowtsError `PLINK_BIM` naming the file and line on a malformed record.
 */
export function parseBim(
  text: string,
  options: { delimiter: PlinkDelimiter; firstLine?: number; file?: string; expected?: number },
): BimRecords {
  const lines = text.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const cap = options.expected ?? lines.length;
  const contigName: string[] = [];
  const variantId: string[] = [];
  const allele1: string[] = [];
  const allele2: string[] = [];
  let position: Float64Array = new Float64Array(cap);
  let basePair: Float64Array = new Float64Array(cap);
  let n = 0;
  const first = options.firstLine ?? 1;
  const fail = (i: number, msg: string): never => {
    throw new GlowtsError("PLINK_BIM", `Failed while parsing BIM file: ${msg}`, { file: options.file, record: `line ${first + i}` });
  };
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (!isPlinkRecordLine(line)) continue;
    const cc = CONTROL_RE.exec(line);
    if (cc) fail(i, `control character 0x${cc[0].charCodeAt(0).toString(16)} in the line (plink2 rejects it)`);
    const f = splitPlinkLine(line, options.delimiter);
    if (f.length !== 6) {
      fail(i, `line has ${f.length} field(s) delimited by ${describeDelimiter(options.delimiter)}, expected 6` + delimiterHint(line, options.delimiter, "bimDelimiter"));
    }
    const pos = parseDouble(f[2]!);
    if (pos === null) return fail(i, `genetic position '${f[2]}' is not a number`);
    if (!INT_RE.test(f[3]!)) fail(i, `base-pair coordinate '${f[3]}' is not an integer`);
    const bp = Number(f[3]!);
    if (!Number.isSafeInteger(bp)) fail(i, `base-pair coordinate '${f[3]}' is out of range`);
    if (n >= position.length) {
      if (options.expected !== undefined) fail(i, `more records than the ${options.expected} expected (the file changed?)`);
      const grow = (a: Float64Array): Float64Array => { const b = new Float64Array(Math.max(16, a.length * 2)); b.set(a); return b; };
      position = grow(position);
      basePair = grow(basePair);
    }
    contigName.push(f[0]!);
    variantId.push(f[1]!);
    position[n] = pos;
    basePair[n] = bp;
    allele1.push(f[4]!);
    allele2.push(f[5]!);
    n++;
  }
  if (options.expected !== undefined && n !== options.expected) {
    throw new GlowtsError("PLINK_BIM", `Failed while parsing BIM file: expected ${options.expected} records, found ${n} (the file changed?)`, {
      file: options.file,
      record: `lines ${first}..${first + lines.length - 1}`,
    });
  }
  return {
    count: n,
    contigName,
    variantId,
    position: n === position.length ? position : position.slice(0, n),
    basePair: n === basePair.length ? basePair : basePair.slice(0, n),
    allele1,
    allele2,
  };
}
