/**
 * The BGEN reader through `glow.read` and the worker pool: the rows equal a direct
 * plan/readPartition decode (itself checked against QCTool in bgen.qctool.test.ts), region
 * filters prune and are re-applied, and errors from workers arrive as GlowtsError with context.
 */
import { afterAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as glow from "../../../dist/index.js";
import { BGEN_DIR, REGENIE_DIR, readBgen } from "./bgen-read.js";

const HAVE_DATA = existsSync(BGEN_DIR) && existsSync(REGENIE_DIR);
if (!HAVE_DATA) console.warn("bgen frame tests skipped: shared test data is absent");
const TMP = mkdtempSync(path.join(os.tmpdir(), "glowts-bgen-frame-"));
afterAll(async () => {
  await glow.shutdown();
  rmSync(TMP, { recursive: true, force: true });
});

describe.skipIf(!HAVE_DATA)("glow.read('bgen', ...)", () => {
  it("collect() equals the direct decode (REGENIE example_3chr.bgen, 2 workers)", async () => {
    const p = path.join(REGENIE_DIR, "example_3chr.bgen");
    const direct = await readBgen(p);
    const df = glow.read("bgen", p);
    expect(await df.count()).toBe(500);
    expect(await df.sampleIds()).toEqual(direct.plan.sampleIds);
    const rows = await df.collect({ workers: 2 });
    expect(rows).toEqual(direct.rows);
  });

  it("a contig/start filter gives exactly the overlapping rows", async () => {
    const p = path.join(REGENIE_DIR, "example_3chr.bgen");
    const all = (await readBgen(p)).rows;
    const rows = await glow.read("bgen", p)
      .filter(glow.col("contigName").eq("3").and(glow.col("start").ge(460)))
      .collect();
    expect(rows).toEqual(all.filter((r) => r.contigName === "3" && r.start >= 460));
  });

  it("options reach the workers (hardCallThreshold, includeSampleIds)", async () => {
    const p = path.join(BGEN_DIR, "example.16bits.bgen");
    const direct = await readBgen(p, { hardCallThreshold: 0.95, includeSampleIds: false });
    const rows = await glow.read("bgen", p, { hardCallThreshold: 0.95, includeSampleIds: false }).collect({ workers: 2 });
    expect(rows).toEqual(direct.rows);
  });

  it("a corrupted block fails the action with a GlowtsError naming file and variant", async () => {
    const p = path.join(TMP, "bad.bgen");
    const b = new Uint8Array(readFileSync(path.join(BGEN_DIR, "example.16bits.nosampleids.bgen")));
    for (let i = 200_000; i < 200_040; i++) b[i] ^= 0xa5;
    writeFileSync(p, b);
    let err: unknown;
    try { await glow.read("bgen", p).collect({ workers: 2 }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(glow.GlowtsError);
    const g = err as InstanceType<typeof glow.GlowtsError>;
    expect(g.file).toBe(p);
    expect(g.record).toMatch(/^variant \d+/);
  });
});
