/**
 * leftOverlapJoin / leftSemiOverlapJoin with a frame (not a danfo table) on the right: a GFF3 file
 * of seeded random intervals plus edge cases touching a variant without overlapping it, read with
 * `glow.read("gff")`, joined to the qc-cohort fixture's variants. Oracle: `bedtools intersect -loj`
 * / `-u` on the same half-open intervals (the GFF's 1-based closed [s, e] is BED's [s-1, e)). Exact.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as glow from "../../dist/index.js";

const VCF = path.resolve(process.cwd(), "notebooks/fixtures/qc-cohort.vcf.gz");
let HAS_BEDTOOLS = true;
try { execFileSync("bedtools", ["--version"]); } catch { HAS_BEDTOOLS = false; }
if (!HAS_BEDTOOLS) console.warn("overlap-join-frame.bedtools: bedtools not installed, skipping");

describe.skipIf(!HAS_BEDTOOLS)("overlap joins with a frame on the right vs bedtools intersect", () => {
  let dir = "";
  let gff = "";
  let left: { contig: string; start: number; end: number }[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "overlap-frame-"));
    const rows = await glow.read("vcf", VCF).select("contigName", "start", "end").collect();
    left = rows.map((r) => ({ contig: String(r.contigName), start: Number(r.start), end: Number(r.end) }));
    let seed = 777;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const iv: [string, number, number][] = [];
    for (const c of ["1", "2", "3"]) for (let k = 0; k < 150; k++) { const s = Math.floor(rnd() * 3e6); iv.push([c, s, s + 1 + Math.floor(rnd() * 30000)]); }
    for (const v of left.slice(0, 30)) { iv.push([v.contig, v.start - 10, v.start], [v.contig, v.end, v.end + 5], [v.contig, v.start, v.end]); }
    gff = path.join(dir, "b.gff3");
    writeFileSync(gff, "##gff-version 3\n" + iv.map(([c, s, e], j) => `${c}\tsim\tgene\t${s + 1}\t${e}\t.\t+\t.\tID=g${j}\n`).join(""));
    writeFileSync(path.join(dir, "b.bed"), iv.map(([c, s, e], j) => `${c}\t${s}\t${e}\tg${j}\n`).join(""));
    writeFileSync(path.join(dir, "a.bed"), left.map((v, i) => `${v.contig}\t${v.start}\t${v.end}\tv${i}\n`).join(""));
  });
  afterAll(async () => { if (dir) rmSync(dir, { recursive: true, force: true }); await glow.shutdown(); });

  const bedtools = (...args: string[]) =>
    execFileSync("bedtools", ["intersect", "-a", path.join(dir, "a.bed"), "-b", path.join(dir, "b.bed"), ...args], { encoding: "utf8", maxBuffer: 1 << 28 })
      .trim().split("\n").filter((l) => l !== "");
  const index = (r: Record<string, unknown>) => left.findIndex((v) => v.contig === String(r.contigName) && v.start === Number(r.start));

  it("leftOverlapJoin(frame, gffFrame) gives bedtools -loj's pairs", async () => {
    const genes = glow.read("gff", gff).select("seqId", "start", "end", "ID");
    const joined = glow.leftOverlapJoin(glow.read("vcf", VCF).select("contigName", "start", "end"), genes, { rightContig: "seqId" });
    expect((await joined.schema()).map((f) => f.name)).toEqual(["contigName", "start", "end", "ID"]);
    const got = (await joined.collect()).map((r) => `v${index(r)}\t${r.ID ?? "."}`);
    const want = bedtools("-loj").map((l) => { const f = l.split("\t"); return `${f[3]}\t${f[7]}`; });
    expect(want.some((l) => !l.endsWith("\t."))).toBe(true);
    expect(want.some((l) => l.endsWith("\t."))).toBe(true);
    expect(got.sort()).toEqual(want.sort());
  });

  it("leftSemiOverlapJoin(frame, gffFrame) keeps bedtools -u's variants, once each", async () => {
    const rows = await glow.leftSemiOverlapJoin(glow.read("vcf", VCF), glow.read("gff", gff), { rightContig: "seqId" }).select("contigName", "start").collect();
    const want = bedtools("-u").map((l) => l.split("\t")[3]!);
    expect(want.length).toBeGreaterThan(30);
    expect(rows.map((r) => `v${index(r)}`).sort()).toEqual(want.sort());
  });
});
