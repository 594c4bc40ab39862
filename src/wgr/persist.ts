/**
 * Persisting GloWGR inputs as Glow's tutorial does: the blocked genotype matrix as Parquet in Glow's
 * blocked schema (header, size, values, header_block, sample_block, sort_key, mu, sig) and the
 * sample blocks as JSON, both read back by {@link readBlockMatrixParquet} / {@link readSampleBlocksJson}.
 */
import { readFileSync } from "node:fs";
import { GlowtsError } from "../core/errors.js";
import { writeBatchParquet } from "../io/parquet/index.js";
import { writeTextAtomic } from "../io/writers/atomic.js";
import type { BlockMatrix, SampleBlocks } from "./block-matrix.js";

/** Writes a blocked matrix as Parquet (Glow's schema; the file appears only when complete). */
export async function writeBlockMatrixParquet(blockDf: BlockMatrix, path: string): Promise<void> {
  await writeBatchParquet(path, blockDf.toBatch());
}

/** Writes the sample-block mapping (`{"1": [ids], ...}`) as JSON. */
export function writeSampleBlocksJson(sampleBlocks: SampleBlocks, path: string): void {
  writeTextAtomic(path, JSON.stringify(sampleBlocks));
}

/** Reads a sample-block mapping written by {@link writeSampleBlocksJson} (or by Glow's tutorial). */
export function readSampleBlocksJson(path: string): SampleBlocks {
  let parsed: unknown;
  try { parsed = JSON.parse(readFileSync(path, "utf8")); }
  catch (e) { throw new GlowtsError("SAMPLE_BLOCKS", `cannot read sample blocks: ${(e as Error).message}`, { file: path }); }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new GlowtsError("SAMPLE_BLOCKS", "expected an object of sample-block id → sample ids", { file: path });
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) throw new GlowtsError("SAMPLE_BLOCKS", `block '${k}' must be a list of sample ids`, { file: path });
  }
  return parsed as SampleBlocks;
}
