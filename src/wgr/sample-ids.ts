/** Glow's `get_sample_ids`. */
import { GlowtsError } from "../core/errors.js";
import type { VariantFrame } from "../frame/variant-frame.js";

/**
 * The sample ids of a variant frame, with Glow's checks: they must be present, non-empty and unique
 * (a frame has one sample list for every row, so Glow's "same on every row" check holds by
 * construction here).
 * @throws GlowtsError `SAMPLE_IDS` when the source has no sample ids, an empty id, or duplicates
 * @see Glow `glow.wgr.get_sample_ids`
 */
export async function getSampleIds(frame: VariantFrame): Promise<string[]> {
  const ids = await frame.sampleIds();
  if (ids === null) throw new GlowtsError("SAMPLE_IDS", "getSampleIds: the data has no sample ids (read it with includeSampleIds: true)");
  if (ids.length === 0) throw new GlowtsError("SAMPLE_IDS", "getSampleIds: the data has no samples");
  const seen = new Set<string>();
  for (const id of ids) {
    if (id === "" ) throw new GlowtsError("SAMPLE_IDS", "getSampleIds: sample ids must be non-empty");
    if (seen.has(id)) throw new GlowtsError("SAMPLE_IDS", `getSampleIds: sample ids must be unique; '${id}' is repeated`);
    seen.add(id);
  }
  return ids;
}
