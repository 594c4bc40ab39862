/**
 * UCSC chain files (liftOver's `.over.chain`, plain or gzip): the aligned blocks between a source
 * ("from", the chain's target) and a destination ("to", the chain's query) assembly.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { GlowtsError } from "../core/errors.js";

/** One ungapped aligned block, 0-based half-open on both sides (`to` on the chain's query strand). */
export interface ChainBlock {
  fromStart: number;
  toStart: number;
  size: number;
}

/** One chain (`chain score tName tSize tStrand tStart tEnd qName qSize qStrand qStart qEnd id`). */
export interface Chain {
  id: string;
  score: number;
  fromContig: string;
  fromStart: number;
  fromEnd: number;
  toContig: string;
  toContigSize: number;
  /** Query strand is `-`: destination coordinates count from the end of the query contig. */
  toOppositeStrand: boolean;
  blocks: ChainBlock[];
}

/** Chains of a file, grouped by source contig. */
export interface ChainIndex {
  file: string;
  byContig: Map<string, Chain[]>;
}

/**
 * Parses chain text.
 * @throws GlowtsError `CHAIN_PARSE` naming the line when a header or block line is malformed
 */
export function parseChains(text: string, file: string): ChainIndex {
  const byContig = new Map<string, Chain[]>();
  const lines = text.split("\n");
  let cur: Chain | null = null;
  let t = 0, q = 0;
  const bad = (i: number, msg: string): never => { throw new GlowtsError("CHAIN_PARSE", msg, { file, record: `line ${i + 1}` }); };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const f = line.split(/\s+/);
    if (f[0] === "chain") {
      if (f.length < 12) bad(i, "chain header needs 12 fields");
      if (f[4] !== "+") bad(i, "the source strand of a chain must be '+'");
      const nums = [f[1], f[3], f[5], f[6], f[8], f[10], f[11]].map(Number);
      if (nums.some((x) => !Number.isFinite(x))) bad(i, "non-numeric chain header field");
      cur = {
        id: f[12] ?? String(i + 1), score: nums[0]!, fromContig: f[2]!, fromStart: nums[2]!, fromEnd: nums[3]!,
        toContig: f[7]!, toContigSize: nums[4]!, toOppositeStrand: f[9] === "-", blocks: [],
      };
      t = nums[2]!; q = nums[5]!;
      let list = byContig.get(cur.fromContig);
      if (!list) byContig.set(cur.fromContig, (list = []));
      list.push(cur);
      continue;
    }
    if (!cur) bad(i, "block line before any chain header");
    const size = Number(f[0]);
    if (!Number.isInteger(size) || size < 0) bad(i, "malformed block size");
    cur!.blocks.push({ fromStart: t, toStart: q, size });
    if (f.length >= 3) {
      const dt = Number(f[1]), dq = Number(f[2]);
      if (!Number.isInteger(dt) || !Number.isInteger(dq)) bad(i, "malformed block gaps");
      t += size + dt; q += size + dq;
    } else cur = null;
  }
  return { file, byContig };
}

const cache = new Map<string, ChainIndex>();

/** Reads (and caches per thread) a chain file, gzip or plain. @throws GlowtsError `FILE_NOT_FOUND` */
export function readChainFile(file: string): ChainIndex {
  const hit = cache.get(file);
  if (hit) return hit;
  let bytes: Buffer;
  try { bytes = readFileSync(file); } catch { throw new GlowtsError("FILE_NOT_FOUND", "chain file not found", { file }); }
  const text = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString("latin1") : bytes.toString("latin1");
  const idx = parseChains(text, file);
  cache.set(file, idx);
  return idx;
}
