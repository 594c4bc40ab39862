// `glowts demo` end to end at a small size: every output is produced, the Parquet results read
// back (hyparquet) equal the TSV ones, the report carries its sections and plots, and the
// simulated causal variants with the strongest signal are found (power > 0 at 1e-5).
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const CLI = path.resolve("dist/cli/main.js");

describe("glowts demo", () => {
  it("runs the pipeline and writes results, plots and the report", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "glowts-demo-"));
    const r = spawnSync(process.execPath, [CLI, "demo", "--out", out, "--samples", "600", "--variants", "1500", "--threads", "2"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    for (const f of ["report.html", "results/linear.tsv", "results/linear.parquet", "results/logistic.tsv", "results/logistic.parquet",
      "results/manhattan-Q1.svg", "results/qq-Q1.svg", "results/manhattan-B1.svg", "data/cohort.bed"]) {
      expect(existsSync(path.join(out, f)), f).toBe(true);
    }
    const { parquetReadObjects } = await import("hyparquet");
    const buf = readFileSync(path.join(out, "results/linear.parquet"));
    const pq = await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) });
    const [head, ...lines] = readFileSync(path.join(out, "results/linear.tsv"), "utf8").trim().split("\n");
    const cols = head!.split("\t");
    expect(pq.length).toBe(lines.length);
    const pi = cols.indexOf("pvalue"), ni = cols.indexOf("names"), phi = cols.indexOf("phenotype");
    lines.forEach((l, i) => {
      const f = l.split("\t");
      expect(pq[i]!["names"]).toEqual(f[ni]!.split(","));
      expect(pq[i]!["phenotype"]).toBe(f[phi]);
      expect(pq[i]!["pvalue"]).toBe(Number(f[pi]));
    });
    expect(new Set(pq.map((x) => x["phenotype"]))).toEqual(new Set(["Q1", "Q2"]));
    const report = readFileSync(path.join(out, "report.html"), "utf8");
    for (const s of ["Plan after QC", "GloWGR level-1 models", "Power, FDR and λGC", "Top hits", "<svg"]) expect(report).toContain(s);
    expect(r.stderr).toMatch(/found@1e-5/);
    const q1 = r.stderr.split("\n").find((l) => l.startsWith("Q1 "))!.trim().split(/\s+/);
    expect(Number(q1[q1.length - 1])).toBeGreaterThan(0); // causal loci found at 1e-5
  }, 180_000);
});
