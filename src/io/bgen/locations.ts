/**
 * Where the variant blocks of a BGEN file are: from its bgenix `.bgi` index (a SQLite database
 * with a `Variant` table) or from a scan of the variant headers. Both give the same
 * {@link VariantLocations}, optionally pruned to a region, from which partitions are cut.
 */
import initSqlJs from "sql.js";
import { GlowtsError } from "../../core/errors.js";
import type { RegionHint } from "../../core/source.js";
import type { RandomAccessFile } from "../files.js";
import { withContext } from "./bytes.js";
import type { BgenHeader } from "./header.js";
import { skimVariant, type BgenLayoutInfo, type BgenVariantSkim } from "./variant.js";

/** Variant blocks in file order: `[starts[i], ends[i])` is the block of variant `ordinals[i]`. */
export interface VariantLocations {
  starts: number[];
  ends: number[];
  ordinals: number[];
}

/**
 * Could a variant at 1-based `position` with a reference allele of `refLength` characters
 * overlap the region? (Glow rows: `start = position - 1`, `end = start + refLength`.)
 */
export function mayOverlap(region: RegionHint | undefined, contig: string, position: number, refLength: number): boolean {
  if (!region) return true;
  if (region.contigName !== undefined && region.contigName !== contig) return false;
  const start = position - 1;
  if (region.end !== undefined && !(start < region.end)) return false;
  if (region.start !== undefined && !(start + refLength > region.start)) return false;
  return true;
}

/** True when the region hint restricts anything. */
export function isRestrictive(region: RegionHint | undefined): region is RegionHint {
  return !!region && (region.contigName !== undefined || region.start !== undefined || region.end !== undefined);
}

let sqlJs: ReturnType<typeof initSqlJs> | null = null;

/**
 * Variant locations from a `.bgi` index, or a reason string when the index cannot be trusted
 * for this file (other variant count, blocks not covering the file contiguously).
 */
export async function readBgiLocations(
  bgiBytes: Uint8Array,
  header: BgenHeader,
  fileSize: number,
  region: RegionHint | undefined,
): Promise<VariantLocations | string> {
  sqlJs ??= initSqlJs();
  const SQL = await sqlJs;
  let db: InstanceType<typeof SQL.Database> | null = null;
  try {
    db = new SQL.Database(bgiBytes);
    const stats = db.exec(
      "SELECT COUNT(*), MIN(file_start_position), MAX(file_start_position + size_in_bytes), MIN(size_in_bytes) FROM Variant",
    );
    const row = stats[0]?.values[0];
    if (!row) return "index has no Variant table";
    const [count, min, max, minSize] = row.map((x) => Number(x ?? 0)) as [number, number, number, number];
    if (count !== header.nVariants) return `index lists ${count} variants, the file header ${header.nVariants}`;
    if (count > 0) {
      if (min !== header.firstVariantOffset) return `index starts at offset ${min}, the file at ${header.firstVariantOffset}`;
      if (max > fileSize) return `index reaches offset ${max} beyond the file size ${fileSize}`;
      if (!(minSize > 0)) return "index has an empty variant block";
      // Each block must start where the previous one ends.
      const gaps = db.exec(
        "SELECT COUNT(*) FROM (SELECT file_start_position AS s, LAG(file_start_position + size_in_bytes) " +
          "OVER (ORDER BY file_start_position) AS prev FROM Variant) WHERE prev IS NOT NULL AND prev != s",
      );
      if (Number(gaps[0]?.values[0]?.[0] ?? 1) !== 0) return "index blocks do not tile the file";
    }
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (isRestrictive(region)) {
      if (region.contigName !== undefined) { where.push("chromosome = ?"); params.push(region.contigName); }
      if (region.end !== undefined) { where.push("position - 1 < ?"); params.push(region.end); }
      if (region.start !== undefined) { where.push("position - 1 + length(CAST(allele1 AS BLOB)) > ?"); params.push(region.start); }
    }
    const sql =
      "SELECT file_start_position, size_in_bytes, ord FROM (SELECT file_start_position, size_in_bytes, chromosome, position, allele1, " +
      "ROW_NUMBER() OVER (ORDER BY file_start_position) - 1 AS ord FROM Variant)" +
      (where.length ? ` WHERE ${where.join(" AND ")}` : "") +
      " ORDER BY file_start_position";
    const stmt = db.prepare(sql);
    const out: VariantLocations = { starts: [], ends: [], ordinals: [] };
    try {
      stmt.bind(params);
      while (stmt.step()) {
        const r = stmt.get();
        const s = Number(r[0]);
        out.starts.push(s);
        out.ends.push(s + Number(r[1]));
        out.ordinals.push(Number(r[2]));
      }
    } finally {
      stmt.free();
    }
    return out;
  } catch (e) {
    return `unreadable index (${e instanceof Error ? e.message : String(e)})`;
  } finally {
    db?.close();
  }
}

/**
 * Variant locations from a scan of the variant headers (each genotype block is skipped by its
 * stored length, not read). Reads in windows so that each variant costs about one small read.
 * @throws GlowtsError naming the file and the variant when the file ends early or a header
 * is corrupt.
 */
export function scanLocations(raf: RandomAccessFile, header: BgenHeader, region: RegionHint | undefined): VariantLocations {
  const info: BgenLayoutInfo = { layout: header.layout, compression: header.compression, nSamples: header.nSamples };
  const out: VariantLocations = { starts: [], ends: [], ordinals: [] };
  const restrict = isRestrictive(region) ? region : undefined;
  const MIN_WINDOW = 1 << 16;
  let window = new Uint8Array(0);
  let windowStart = 0;
  let pos = header.firstVariantOffset;
  for (let v = 0; v < header.nVariants; v++) {
    const record = `variant ${v} (offset ${pos})`;
    if (pos >= raf.size) {
      throw new GlowtsError("BGEN_TRUNCATED", `file ends after ${v} of the ${header.nVariants} variants its header declares`, { file: raf.file, record });
    }
    let want = MIN_WINDOW;
    let skim: BgenVariantSkim | null = null;
    while (skim === null) {
      const coversEof = pos >= windowStart && windowStart + window.length >= raf.size;
      if (!coversEof && (pos < windowStart || pos + want > windowStart + window.length)) {
        window = raf.read(pos, want);
        windowStart = pos;
      }
      try {
        skim = skimVariant(window, pos - windowStart, info);
      } catch (e) {
        const short = e instanceof GlowtsError && e.code === "BGEN_TRUNCATED";
        if (short && windowStart + window.length < raf.size) {
          want *= 4; // identifying data longer than the window: widen and retry
          continue;
        }
        throw withContext(e, "BGEN_CORRUPT", { file: raf.file, record });
      }
    }
    const next = windowStart + skim.next;
    if (next > raf.size) {
      throw new GlowtsError("BGEN_TRUNCATED", `variant block runs past the end of the file (to offset ${next}, file size ${raf.size})`, { file: raf.file, record });
    }
    if (!restrict || mayOverlap(restrict, skim.contigName, skim.position, skim.refLength)) {
      out.starts.push(pos);
      out.ends.push(next);
      out.ordinals.push(v);
    }
    pos = next;
  }
  return out;
}
