// plink2 reads what glowts writes (PLINK bed/bim/fam, BGEN 1.2, bgzipped VCF) and reports the same
// variant count, per-variant observation counts and allele frequencies (`plink2 --freq`) as for the
// source files. Tolerance: OBS_CT exact; ALT_FREQS within 1e-9 absolute (same hard calls; BGEN
// written at 16 bits holds hard calls exactly).
import { describe, expect, it, afterAll } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as glow from "../../../dist/index.js";

function has(tool: string): boolean {
  try { execFileSync("sh", ["-c", `command -v ${tool}`]); return true; } catch { return false; }
}
const ok = has("plink2");
const dir = mkdtempSync(path.join(tmpdir(), "glowts-plink2-"));
afterAll(async () => { rmSync(dir, { recursive: true, force: true }); await glow.shutdown(); });

function freq(args: string[], out: string): Map<string, [number, number]> {
  execFileSync("plink2", [...args, "--freq", "--out", out, "--threads", "1"], { stdio: "pipe" });
  const lines = readFileSync(`${out}.afreq`, "utf8").trim().split("\n");
  const head = lines[0]!.replace(/^#/, "").split("\t");
  const id = head.indexOf("ID"), f = head.indexOf("ALT_FREQS"), n = head.indexOf("OBS_CT");
  return new Map(lines.slice(1).map((l) => { const p = l.split("\t"); return [p[id]!, [Number(p[f]), Number(p[n])]]; }));
}

describe.skipIf(!ok)("plink2 reads glowts output", () => {
  if (!ok) console.warn("skipping: plink2 is not on PATH");
  it("bed/bim/fam, bgen and vcf written from a PLINK frame give the source's --freq", async () => {
    glow.config({ variantsPerPartition: 128 });
    const c = await glow.simulate.cohort({ samples: 301, variants: 700, seed: 9, out: dir, formats: ["plink"], missingness: 0.03 });
    const src = glow.read("plink", c.files.bed!);
    const want = freq(["--bfile", c.files.plinkPrefix!], path.join(dir, "src"));
    expect(want.size).toBe(700);
    await src.write("plink", path.join(dir, "w"));
    await src.write("bgen", path.join(dir, "w.bgen"), { bitsPerProbability: 16 });
    await src.write("bigvcf", path.join(dir, "w.vcf.bgz"));
    const got = {
      plink: freq(["--bfile", path.join(dir, "w")], path.join(dir, "fp")),
      bgen: freq(["--bgen", path.join(dir, "w.bgen"), "ref-first"], path.join(dir, "fb")),
      vcf: freq(["--vcf", path.join(dir, "w.vcf.bgz")], path.join(dir, "fv")),
    };
    for (const [fmt, m] of Object.entries(got)) {
      expect(m.size, fmt).toBe(want.size);
      for (const [id, [f, n]] of want) {
        const g = m.get(id);
        expect(g, `${fmt} ${id}`).toBeDefined();
        expect(g![1], `${fmt} ${id} OBS_CT`).toBe(n);
        expect(Math.abs(g![0] - f), `${fmt} ${id} ALT_FREQS`).toBeLessThanOrEqual(1e-9);
      }
    }
    glow.config({ variantsPerPartition: undefined });
  });
});
