/**
 * Parsers of PLINK 2's text companions of a `.pgen`: `.psam` (samples) and `.pvar` (variants).
 *
 * `.psam`: a header line `#FID IID ...` or `#IID ...` (columns found by name), or no header (a PLINK
 * 1 `.fam`: FID IID father mother sex phenotype). `.pvar`: `##` meta lines (kept: `##INFO` and
 * `##contig`), a header line `#CHROM POS ID REF ALT [QUAL] [FILTER] [INFO] [CM]` (any order), or no
 * header (a PLINK 1 `.bim`: CHROM ID CM POS ALT REF, where allele 1 is ALT). Fields are split on tabs
 * and spaces as plink2 does for `.pvar`/`.psam`.
 */
import { GlowtsError } from "../../core/errors.js";
import type { Column, ListColumn } from "../../core/column.js";
import { col } from "../../core/column.js";
import { makeFieldDef, parseStructuredMeta, type VcfFieldDef } from "../vcf/header.js";

const WS = /[ \t]+/;

function fields(line: string): string[] {
  const t = line.trim();
  return t === "" ? [] : t.split(WS);
}

/** Parsed `.psam`. */
export interface PsamSamples {
  sampleIds: string[];
  familyIds: (string | null)[];
  individualIds: string[];
}

/**
 * Parses a `.psam` (or `.fam`).
 *
 * @param options.mergeFidIid - sample id `FID_IID` (true) or `IID` (false); a `.psam` without a FID
 *   column gives `IID` either way (PLINK 2 treats such samples as having no family id).
 * @throws GlowtsError `PGEN_PSAM` naming the file and line on a missing IID column, a short line or a
 *   duplicate sample id.
 */
export function parsePsam(text: string, options: { mergeFidIid: boolean; file?: string }): PsamSamples {
  const lines = text.split("\n");
  let fidCol = 0;
  let iidCol = 1;
  let width = 6;
  let first = 0;
  const fail = (i: number, msg: string): never => {
    throw new GlowtsError("PGEN_PSAM", `Failed while parsing .psam: ${msg}`, { file: options.file, record: `line ${i + 1}` });
  };
  // Skip leading "##" lines; a "#FID"/"#IID" line is the header.
  while (first < lines.length && lines[first]!.startsWith("##")) first++;
  const head = lines[first];
  if (head !== undefined && head.startsWith("#")) {
    const cols = fields(head.slice(1)).map((c) => c.toUpperCase());
    iidCol = cols.indexOf("IID");
    fidCol = cols.indexOf("FID");
    if (iidCol < 0) fail(first, `the header line has no IID column (${head.trim()})`);
    if (fidCol > 0) fail(first, "FID must be the first column of the header line");
    width = cols.length;
    first++;
  }
  const sampleIds: string[] = [];
  const familyIds: (string | null)[] = [];
  const individualIds: string[] = [];
  const seen = new Map<string, number>();
  for (let i = first; i < lines.length; i++) {
    let line = lines[i]!;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (line.trim() === "") continue;
    const f = fields(line);
    if (f.length < Math.max(iidCol, fidCol) + 1 || (head?.startsWith("#") && f.length !== width)) {
      fail(i, `line has ${f.length} field(s), expected ${width}`);
    }
    const iid = f[iidCol]!;
    const fid = fidCol >= 0 ? f[fidCol]! : null;
    const id = options.mergeFidIid && fid !== null ? `${fid}_${iid}` : iid;
    const before = seen.get(id);
    if (before !== undefined) fail(i, `duplicate sample id '${id}' (first on line ${before})`);
    seen.set(id, i + 1);
    sampleIds.push(id);
    familyIds.push(fid);
    individualIds.push(iid);
  }
  return { sampleIds, familyIds, individualIds };
}

/** The layout of a `.pvar`, from its header (plain data: it is sent to the workers). */
export interface PvarLayout {
  /** Column index of each known column (-1 when absent). */
  chrom: number;
  pos: number;
  id: number;
  ref: number;
  alt: number;
  qual: number;
  filter: number;
  info: number;
  cm: number;
  /** Number of columns of a record line. */
  width: number;
  /** `##INFO` definitions (in header order). */
  infoDefs: VcfFieldDef[];
  /** The values (`<ID=...>`) of the `##contig` lines, in order. */
  contigs: string[];
  /** Byte offset of the first record line, and its 1-based line number. */
  dataOffset: number;
  dataLine: number;
}

/**
 * Reads the header of a `.pvar` (its `##` lines and `#CHROM` line, or none).
 *
 * @param text - the start of the file (at least through the first record line).
 * @throws GlowtsError `PGEN_PVAR` when the header lacks CHROM, POS, ID, REF or ALT.
 */
export function parsePvarHeader(text: string, file?: string): PvarLayout {
  const infoDefs: VcfFieldDef[] = [];
  const contigs: string[] = [];
  let offset = 0;
  let line = 1;
  for (;;) {
    const nl = text.indexOf("\n", offset);
    const raw = text.slice(offset, nl < 0 ? text.length : nl).replace(/\r$/, "");
    if (raw.startsWith("##")) {
      const eq = raw.indexOf("=");
      const key = raw.slice(2, eq < 0 ? raw.length : eq);
      if (eq > 0 && (key === "INFO" || key === "contig")) {
        const kv = parseStructuredMeta(raw.slice(eq + 1));
        if (kv && key === "contig" && kv.get("ID")) contigs.push(raw.slice(eq + 1));
        if (kv && key === "INFO") {
          const def = makeFieldDef(kv);
          if (typeof def !== "string") infoDefs.push(def);
        }
      }
    } else if (raw.startsWith("#")) {
      const cols = fields(raw.slice(1)).map((c) => c.toUpperCase());
      const at = (name: string): number => cols.indexOf(name);
      const layout: PvarLayout = {
        chrom: at("CHROM"), pos: at("POS"), id: at("ID"), ref: at("REF"), alt: at("ALT"),
        qual: at("QUAL"), filter: at("FILTER"), info: at("INFO"), cm: at("CM"),
        width: cols.length, infoDefs: at("INFO") >= 0 ? infoDefs.filter((d) => d.id !== "END") : [], contigs,
        dataOffset: nl < 0 ? text.length : nl + 1, dataLine: line + 1,
      };
      for (const need of ["chrom", "pos", "id", "ref", "alt"] as const) {
        if (layout[need] < 0) {
          throw new GlowtsError("PGEN_PVAR", `Failed while parsing .pvar: the header line has no ${need.toUpperCase()} column`, { file, record: `line ${line}` });
        }
      }
      return layout;
    } else {
      // No header: a .bim (CHROM ID CM POS ALT REF), or the 5-column form without CM.
      const w = fields(raw).length;
      const bim = w !== 5;
      return {
        chrom: 0, id: 1, cm: bim ? 2 : -1, pos: bim ? 3 : 2, alt: bim ? 4 : 3, ref: bim ? 5 : 4,
        qual: -1, filter: -1, info: -1, width: bim ? 6 : 5, infoDefs: [], contigs, dataOffset: offset, dataLine: line,
      };
    }
    if (nl < 0) throw new GlowtsError("PGEN_PVAR", "Failed while parsing .pvar: no variant lines", { file, record: `line ${line}` });
    offset = nl + 1;
    line++;
  }
}

/** The Glow field name of an INFO key. */
export function infoFieldName(id: string): string {
  return `INFO_${id}`;
}

/** Parsed `.pvar` records of one partition, as columns. */
export interface PvarColumns {
  count: number;
  columns: Record<string, Column>;
  /** Number of ALT alleles of each record. */
  numAlts: Int32Array;
  start: Float64Array;
  end: Float64Array;
}

function listOf(child: Column, offsets: Int32Array, nulls?: Uint8Array): ListColumn {
  return nulls ? { type: "list", child, offsets, nulls } : { type: "list", child, offsets };
}

/**
 * Parses `.pvar` record lines (a slice starting at a line start).
 *
 * @param options.expected - the number of records the slice must hold.
 * @throws GlowtsError `PGEN_PVAR` naming the file and line on a malformed record or a count mismatch.
 */
export function parsePvarRecords(text: string, layout: PvarLayout, options: { firstLine: number; file?: string; expected: number }): PvarColumns {
  const n = options.expected;
  const contig: string[] = new Array(n);
  const ref: string[] = new Array(n);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const cm = new Float64Array(n);
  const qual = new Float64Array(n);
  const qualNulls = new Uint8Array(n);
  const names: string[][] = new Array(n);
  const alts: string[][] = new Array(n);
  const filters: (string[] | null)[] = new Array(n);
  const infos: (Map<string, string | true> | null)[] = new Array(n);
  const fail = (line: number, msg: string): never => {
    throw new GlowtsError("PGEN_PVAR", `Failed while parsing .pvar: ${msg}`, { file: options.file, record: `line ${line}` });
  };
  let r = 0;
  let line = options.firstLine - 1;
  let offset = 0;
  while (offset < text.length) {
    const nl = text.indexOf("\n", offset);
    const raw = text.slice(offset, nl < 0 ? text.length : nl);
    offset = nl < 0 ? text.length : nl + 1;
    line++;
    const f = fields(raw);
    if (f.length === 0 || f[0]!.startsWith("#")) continue;
    if (r >= n) fail(line, `more variant lines than the ${n} expected (.pgen has fewer variants than .pvar, or the file changed)`);
    if (f.length !== layout.width) fail(line, `line has ${f.length} field(s), expected ${layout.width}`);
    const pos = Number(f[layout.pos]);
    if (!Number.isSafeInteger(pos) || !/^\d+$/.test(f[layout.pos]!)) fail(line, `POS '${f[layout.pos]}' is not a non-negative integer`);
    contig[r] = f[layout.chrom]!;
    ref[r] = f[layout.ref]!;
    start[r] = pos - 1;
    end[r] = pos - 1 + ref[r]!.length;
    const id = f[layout.id]!;
    names[r] = id === "." ? [] : [id];
    const alt = f[layout.alt]!;
    alts[r] = alt === "." ? [] : alt.split(",");
    if (layout.cm >= 0) {
      const v = Number(f[layout.cm]);
      if (!Number.isFinite(v)) fail(line, `CM '${f[layout.cm]}' is not a number`);
      cm[r] = v;
    }
    if (layout.qual >= 0) {
      const q = f[layout.qual]!;
      if (q === ".") qualNulls[r] = 1;
      else {
        const v = Number(q);
        if (Number.isNaN(v)) fail(line, `QUAL '${q}' is not a number`);
        qual[r] = v;
      }
    }
    if (layout.filter >= 0) {
      const fl = f[layout.filter]!;
      filters[r] = fl === "." ? [] : fl.split(";");
    }
    if (layout.info >= 0 && layout.infoDefs.length > 0) {
      const info = f[layout.info]!;
      const m = new Map<string, string | true>();
      if (info !== ".") {
        for (const kv of info.split(";")) {
          const eq = kv.indexOf("=");
          if (eq < 0) m.set(kv, true);
          else m.set(kv.slice(0, eq), kv.slice(eq + 1));
        }
      }
      infos[r] = m;
    }
    r++;
  }
  if (r !== n) fail(line, `found ${r} variant line(s) where the .pgen has ${n} (the .pvar and .pgen disagree)`);
  const columns: Record<string, Column> = {
    contigName: col.strings(contig),
    start: col.longs(start),
    end: col.longs(end),
    names: col.stringLists(names),
    referenceAllele: col.strings(ref),
    alternateAlleles: col.stringLists(alts),
  };
  if (layout.qual >= 0) columns["qual"] = col.doubles(qual, qualNulls);
  if (layout.filter >= 0) columns["filters"] = col.stringLists(filters);
  if (layout.cm >= 0) columns["position"] = col.doubles(cm);
  for (const def of layout.infoDefs) columns[infoFieldName(def.id)] = infoColumn(def, infos, n, options.file);
  return { count: n, columns, start, end, numAlts: Int32Array.from(alts, (a) => a.length) };
}

function parseNumber(s: string, int: boolean): number | null {
  if (s === "." || s === "") return null;
  const v = Number(s);
  if (Number.isNaN(v) && s.toLowerCase() !== "nan") return null;
  return int ? Math.trunc(v) : v;
}

function infoColumn(def: VcfFieldDef, infos: (Map<string, string | true> | null)[], n: number, _file?: string): Column {
  const nulls = new Uint8Array(n);
  if (def.elementType === "boolean") {
    const v = new Uint8Array(n);
    for (let r = 0; r < n; r++) v[r] = infos[r]?.has(def.id) ? 1 : 0;
    return col.booleans(v);
  }
  const raw = (r: number): string | null => {
    const x = infos[r]?.get(def.id);
    return x === undefined || x === true ? null : x;
  };
  if (!def.isArray) {
    if (def.elementType === "string") return col.strings(Array.from({ length: n }, (_, r) => raw(r)));
    const int = def.elementType === "int";
    const v = int ? new Int32Array(n) : new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const s = raw(r);
      const x = s === null ? null : parseNumber(s, int);
      if (x === null) nulls[r] = 1;
      else v[r] = x;
    }
    return int ? col.ints(v as Int32Array, nulls) : col.doubles(v as Float64Array, nulls);
  }
  const offsets = new Int32Array(n + 1);
  const items: (string | null)[] = [];
  for (let r = 0; r < n; r++) {
    const s = raw(r);
    if (s === null) nulls[r] = 1;
    else for (const e of s.split(",")) items.push(e === "." ? null : e);
    offsets[r + 1] = items.length;
  }
  if (def.elementType === "string") return listOf(col.strings(items), offsets, nulls);
  const int = def.elementType === "int";
  const v = int ? new Int32Array(items.length) : new Float64Array(items.length);
  const cn = new Uint8Array(items.length);
  items.forEach((s, k) => {
    const x = s === null ? null : parseNumber(s, int);
    if (x === null) cn[k] = 1;
    else v[k] = x;
  });
  const child: Column = int ? col.ints(v as Int32Array, cn) : col.doubles(v as Float64Array, cn);
  return listOf(child, offsets, nulls);
}
