/**
 * Glow's `gff` data source: GFF3 files (plain, gzip or bgzip), one partition per file.
 *
 * Schema (Glow's): `seqId, source, type, start (0-based long), end (long), score (double),
 * strand, phase (int)`, then the official attribute tags present in the data, in Glow's order
 * (`ID, Name, Alias[], Parent[], Target, Gap, DerivesFrom, Note[], Dbxref[], OntologyTerm[],
 * Is_circular (boolean)`), then every other tag alphabetically as a string column. Tags match
 * ignoring case and underscores. `.` in a base column is null. `#` lines are skipped and reading
 * stops at the embedded FASTA section (`##FASTA` or a line starting with `>`).
 *
 * `plan` reads every file once to discover the tags (as Glow infers the schema from the data).
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { GlowtsError, optionError } from "../../core/errors.js";
import type { Column, Field, VariantBatch } from "../../core/column.js";
import { col } from "../../core/column.js";
import type { FormatReader, PartitionSpec, SourcePlan } from "../../core/source.js";

/** Options of the `gff` reader (none besides the path). */
export type GffReadOptions = Record<string, never>;

/** Glow's official GFF3 attribute tags, in schema order; `list` tags split values on `,`. */
export const GFF_OFFICIAL_TAGS: readonly { name: string; kind: "string" | "list" | "boolean" }[] = [
  { name: "ID", kind: "string" },
  { name: "Name", kind: "string" },
  { name: "Alias", kind: "list" },
  { name: "Parent", kind: "list" },
  { name: "Target", kind: "string" },
  { name: "Gap", kind: "string" },
  { name: "DerivesFrom", kind: "string" },
  { name: "Note", kind: "list" },
  { name: "Dbxref", kind: "list" },
  { name: "OntologyTerm", kind: "list" },
  { name: "Is_circular", kind: "boolean" },
];

/** Tag matching key: lower case without underscores. */
export function gffTagKey(tag: string): string {
  return tag.toLowerCase().replace(/_/g, "");
}
const OFFICIAL = new Map(GFF_OFFICIAL_TAGS.map((t) => [gffTagKey(t.name), t]));

interface GffRecord {
  base: (string | null)[];
  line: number;
  attrs: Map<string, string>;
}

/** The text of a GFF file, gunzipped when it starts with the gzip magic (bgzip is multi-member gzip). */
function fileText(file: string): string {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new GlowtsError("FILE_NOT_FOUND", `cannot read GFF file: ${(e as Error).message}`, { file });
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new GlowtsError("GFF_PARSE", `corrupt gzip data: ${(e as Error).message}`, { file });
    }
  }
  return new TextDecoder().decode(bytes);
}

/** Parses the feature lines of one file (stops at the FASTA section). */
export function parseGff(file: string): GffRecord[] {
  const lines = fileText(file).split(/\r?\n/);
  const out: GffRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith("##FASTA") || line.startsWith(">")) break;
    if (line === "" || line.startsWith("#")) continue;
    const f = line.split("\t");
    if (f.length !== 9) {
      throw new GlowtsError("GFF_PARSE", `expected 9 tab-separated columns, found ${f.length}`, { file, record: `line ${i + 1}` });
    }
    const attrs = new Map<string, string>();
    const a = f[8]!;
    if (a !== "." && a !== "") {
      for (const part of a.split(";")) {
        if (part.trim() === "") continue;
        const eq = part.indexOf("=");
        if (eq < 0) {
          throw new GlowtsError("GFF_PARSE", `attribute '${part}' is not tag=value`, { file, record: `line ${i + 1}` });
        }
        attrs.set(part.slice(0, eq).trim(), part.slice(eq + 1));
      }
    }
    out.push({ base: f.slice(0, 8).map((v) => (v === "." ? null : v)), line: i + 1, attrs });
  }
  return out;
}

interface GffMeta {
  /** Attribute columns in schema order: column name, match key, kind. */
  tags: { name: string; key: string; kind: "string" | "list" | "boolean" }[];
}

function num(file: string, line: number, what: string, v: string | null, integer: boolean): number | null {
  if (v === null) return null;
  const x = Number(v);
  if (v.trim() === "" || !Number.isFinite(x) || (integer && !Number.isInteger(x))) {
    throw new GlowtsError("GFF_PARSE", `${what} '${v}' is not a${integer ? "n integer" : " number"}`, { file, record: `line ${line}` });
  }
  return x;
}

function toBatch(file: string, recs: GffRecord[], meta: GffMeta): VariantBatch {
  const n = recs.length;
  const columns: Record<string, Column> = {};
  for (const [j, name] of ["seqId", "source", "type"].entries()) columns[name] = col.strings(recs.map((r) => r.base[j]!));
  const start = new Float64Array(n), end = new Float64Array(n), score = new Float64Array(n), phase = new Int32Array(n);
  const sn = new Uint8Array(n), en = new Uint8Array(n), scn = new Uint8Array(n), pn = new Uint8Array(n);
  recs.forEach((r, i) => {
    const s = num(file, r.line, "start", r.base[3]!, true);
    const e = num(file, r.line, "end", r.base[4]!, true);
    const sc = num(file, r.line, "score", r.base[5]!, false);
    const p = num(file, r.line, "phase", r.base[7]!, true);
    if (s === null) sn[i] = 1; else start[i] = s - 1;
    if (e === null) en[i] = 1; else end[i] = e;
    if (sc === null) scn[i] = 1; else score[i] = sc;
    if (p === null) pn[i] = 1; else phase[i] = p;
  });
  const some = (m: Uint8Array): Uint8Array | undefined => (m.some((x) => x) ? m : undefined);
  columns.start = col.longs(start, some(sn));
  columns.end = col.longs(end, some(en));
  columns.score = col.doubles(score, some(scn));
  columns.strand = col.strings(recs.map((r) => r.base[6]!));
  columns.phase = col.ints(phase, some(pn));
  const keyed = recs.map((r) => {
    const m = new Map<string, string>();
    for (const [k, v] of r.attrs) if (!m.has(gffTagKey(k))) m.set(gffTagKey(k), v);
    return m;
  });
  for (const t of meta.tags) {
    const vals = keyed.map((m) => m.get(t.key) ?? null);
    if (t.kind === "list") columns[t.name] = col.stringLists(vals.map((v) => (v === null ? null : v.split(","))));
    else if (t.kind === "boolean") {
      const b = new Uint8Array(n), bn = new Uint8Array(n);
      vals.forEach((v, i) => {
        if (v === null) { bn[i] = 1; return; }
        const l = v.toLowerCase();
        if (l !== "true" && l !== "false") {
          throw new GlowtsError("GFF_PARSE", `${t.name} '${v}' is not true/false`, { file, record: `line ${recs[i]!.line}` });
        }
        b[i] = l === "true" ? 1 : 0;
      });
      columns[t.name] = col.booleans(b, some(bn));
    } else columns[t.name] = col.strings(vals);
  }
  return { numRows: n, columns };
}

/** Glow's GFF base fields. */
export const GFF_BASE_SCHEMA: readonly Field[] = [
  { name: "seqId", type: "string" },
  { name: "source", type: "string" },
  { name: "type", type: "string" },
  { name: "start", type: "long" },
  { name: "end", type: "long" },
  { name: "score", type: "double" },
  { name: "strand", type: "string" },
  { name: "phase", type: "int" },
];

/** The `gff` {@link FormatReader}. */
export const gffReader: FormatReader<GffReadOptions> = {
  format: "gff",
  normalizeOptions(options: Record<string, unknown> = {}): GffReadOptions {
    for (const k of Object.keys(options)) optionError("read gff", k, "unknown option (the gff reader takes none)");
    return {};
  },
  async plan(paths: string[]): Promise<SourcePlan> {
    const seenOfficial = new Set<string>();
    const others = new Map<string, string>();
    const partitions: PartitionSpec[] = [];
    for (const p of paths) {
      const recs = parseGff(p);
      for (const r of recs) {
        for (const tag of r.attrs.keys()) {
          const key = gffTagKey(tag);
          if (OFFICIAL.has(key)) seenOfficial.add(key);
          else if (!others.has(key)) others.set(key, tag);
        }
      }
      partitions.push({ path: p, describe: `${p} (${recs.length} features)`, estimatedRows: recs.length });
    }
    const tags: GffMeta["tags"] = [];
    for (const t of GFF_OFFICIAL_TAGS) if (seenOfficial.has(gffTagKey(t.name))) tags.push({ name: t.name, key: gffTagKey(t.name), kind: t.kind });
    for (const [key, name] of [...others].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))) tags.push({ name, key, kind: "string" });
    const schema: Field[] = [
      ...GFF_BASE_SCHEMA,
      ...tags.map((t): Field => ({ name: t.name, type: t.kind === "list" ? { list: "string" } : t.kind })),
    ];
    return { schema, sampleIds: null, partitions, meta: { tags } satisfies GffMeta };
  },
  readPartition(partition: PartitionSpec, meta: unknown): VariantBatch {
    return toBatch(partition.path, parseGff(partition.path), meta as GffMeta);
  },
};
