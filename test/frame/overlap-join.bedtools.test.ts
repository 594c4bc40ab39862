/**
 * leftOverlapJoin / leftSemiOverlapJoin vs `bedtools intersect -loj` / `-u` on the same half-open
 * intervals: the qc-cohort fixture's variants (left) and seeded random intervals plus edge cases
 * that touch a variant without overlapping it (right). Exact: the same (variant, interval) pairs.
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
if (!HAS_BEDTOOLS) console.warn("overlap-join.bedtools: bedtools not installed, skipping");

describe.skipIf(!HAS_BEDTOOLS)("overlap joins vs bedtools intersect", () => {
  let dir = "";
  let left: { contig: string; start: number; end: number }[] = [];
  const right = { contigName: [] as string[], start: [] as number[], end: [] as number[], gene: [] as string[] };
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "overlap-"));
    const rows = await glow.read("vcf", VCF).select("contigName", "start", "end").collect();
    left = rows.map((r) => ({ contig: String(r.contigName), start: Number(r.start), end: Number(r.end) }));
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const add = (c: string, s: number, e: number) => {
      right.contigName.push(c); right.start.push(s); right.end.push(e); right.gene.push(`g${right.gene.length}`);
    };
    for (const c of ["1", "2", "3"]) for (let k = 0; k < 150; k++) { const s = Math.floor(rnd() * 3e6); add(c, s, s + 1 + Math.floor(rnd() * 30000)); }
    for (const v of left.slice(0, 30)) { add(v.contig, v.start - 10, v.start); add(v.contig, v.end, v.end + 5); add(v.contig, v.start, v.end); }
    writeFileSync(path.join(dir, "a.bed"), left.map((v, i) => `${v.contig}\t${v.start}\t${v.end}\tv${i}\n`).join(""));
    writeFileSync(path.join(dir, "b.bed"), right.gene.map((g, j) => `${right.contigName[j]}\t${right.start[j]}\t${right.end[j]}\t${g}\n`).join(""));
  });
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  const bedtools = (...args: string[]) =>
    execFileSync("bedtools", ["intersect", "-a", path.join(dir, "a.bed"), "-b", path.join(dir, "b.bed"), ...args], { encoding: "utf8", maxBuffer: 1 << 28 })
      .trim().split("\n").filter((l) => l !== "");

  it("leftOverlapJoin gives bedtools -loj's pairs (nulls where nothing overlaps)", async () => {
    const dfd = await import("danfojs");
    const table = new dfd.DataFrame(right);
    const frame = glow.read("vcf", VCF).select("contigName", "start", "end").withColumn("v", glow.col("start"));
    const got = (await glow.leftOverlapJoin(frame, table).collect()).map((r) => {
      const i = left.findIndex((v) => v.contig === String(r.contigName) && v.start === Number(r.start));
      return `v${i}\t${r.gene ?? "."}`;
    });
    const want = bedtools("-loj").map((l) => { const f = l.split("\t"); return `${f[3]}\t${f[7]}`; });
    expect(want.some((l) => !l.endsWith("\t."))).toBe(true);
    expect(want.some((l) => l.endsWith("\t."))).toBe(true);
    expect(got.sort()).toEqual(want.sort());
  });

  it("leftSemiOverlapJoin keeps bedtools -u's variants, once each", async () => {
    const dfd = await import("danfojs");
    const table = new dfd.DataFrame(right);
    const rows = await glow.leftSemiOverlapJoin(glow.read("vcf", VCF), table).select("contigName", "start").collect();
    const got = rows.map((r) => `v${left.findIndex((v) => v.contig === String(r.contigName) && v.start === Number(r.start))}`);
    const want = bedtools("-u").map((l) => l.split("\t")[3]!);
    expect(want.length).toBeGreaterThan(30);
    expect(got.sort()).toEqual(want.sort());
  });
});
