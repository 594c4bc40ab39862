/**
 * `glowts step1/step2 --pgen` (REGENIE's flag). Oracle: the same commands on the PLINK 1 fileset the
 * pgen was made from with `plink2 --bfile example --make-pgen` (REGENIE's example data): step 2
 * gives the same `.regenie` rows (every field, as text: exact), step 1 the same `.loco` files (exact).
 * Also REGENIE's own example.pgen (shipped with its data, a pgen of the same genotypes). Skips with a
 * message when plink2 or ../shared/data is absent.
 */
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const DATA = path.resolve(process.cwd(), "../shared/data");
const R = path.join(DATA, "regenie");
const CLI = path.resolve("dist/cli/main.js");
const HAVE_DATA = existsSync(path.join(R, "example.bed"));
const HAVE_PLINK2 = spawnSync("plink2", ["--version"], { stdio: "ignore" }).status === 0;
if (!HAVE_DATA || !HAVE_PLINK2) console.warn("glowts --pgen: skipped (needs plink2 and ../shared/data/regenie)");

function run(args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args, "--threads", "2"], { encoding: "utf8", env: { ...process.env, GLOWTS_DEBUG: "" } });
  return { status: r.status, stderr: r.stderr };
}

describe.skipIf(!HAVE_DATA || !HAVE_PLINK2)("glowts step1/step2 --pgen = --bed on the fileset it was made from", () => {
  let dir = "";
  let pgen = "";
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "glowts-cli-pgen-"));
    pgen = path.join(dir, "example");
    execFileSync("plink2", ["--silent", "--bfile", path.join(R, "example"), "--make-pgen", "--out", pgen], { stdio: "pipe" });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("step 2: identical .regenie rows (with covariates)", () => {
    const common = ["--phenoFile", path.join(R, "phenotype.txt"), "--covarFile", path.join(R, "covariates.txt"), "--bsize", "200"];
    for (const [flag, input, out] of [["--bed", path.join(R, "example"), "bed"], ["--pgen", pgen, "pgen"], ["--pgen", path.join(R, "example"), "regeniePgen"]] as const) {
      const r = run(["step2", flag, input, ...common, "--out", path.join(dir, out)]);
      expect(r.status, r.stderr).toBe(0);
    }
    for (const t of ["Y1", "Y2"]) {
      const bed = readFileSync(path.join(dir, `bed_${t}.regenie`), "utf8");
      expect(bed.trim().split("\n").length).toBe(1001);
      expect(readFileSync(path.join(dir, `pgen_${t}.regenie`), "utf8")).toBe(bed);
      expect(readFileSync(path.join(dir, `regeniePgen_${t}.regenie`), "utf8")).toBe(bed);
    }
  });

  it("step 1: identical .loco files", () => {
    const common = ["--phenoFile", path.join(R, "phenotype.txt"), "--covarFile", path.join(R, "covariates.txt"), "--bsize", "100"];
    for (const [flag, input, out] of [["--bed", path.join(R, "example"), "fbed"], ["--pgen", `${pgen}.pgen`, "fpgen"]] as const) {
      const r = run(["step1", flag, input, ...common, "--out", path.join(dir, out)]);
      expect(r.status, r.stderr).toBe(0);
    }
    const locos = readdirSync(dir).filter((f) => f.startsWith("fbed_") && f.endsWith(".loco")).sort();
    expect(locos.length).toBe(2);
    for (const f of locos) {
      expect(readFileSync(path.join(dir, f.replace("fbed_", "fpgen_")), "utf8")).toBe(readFileSync(path.join(dir, f), "utf8"));
    }
  });

  it("step 1 with --keep, --remove, --extract, --exclude: identical .loco files (--bed reads the .bed itself, --pgen goes through the frame)", () => {
    // every 3rd sample kept but the first, every 4th variant left out of 900 extracted
    writeFileSync(path.join(dir, "keep.txt"), Array.from({ length: 500 }, (_, i) => i + 1).filter((i) => i % 3 !== 0).map((i) => `${i} ${i}`).join("\n") + "\n");
    writeFileSync(path.join(dir, "remove.txt"), "1 1\n");
    writeFileSync(path.join(dir, "extract.txt"), Array.from({ length: 900 }, (_, i) => String(i + 1)).join("\n") + "\n");
    writeFileSync(path.join(dir, "exclude.txt"), Array.from({ length: 1000 }, (_, i) => i + 1).filter((i) => i % 4 === 0).join("\n") + "\n");
    const common = [
      "--phenoFile", path.join(R, "phenotype.txt"), "--covarFile", path.join(R, "covariates.txt"), "--bsize", "100",
      "--keep", path.join(dir, "keep.txt"), "--remove", path.join(dir, "remove.txt"),
      "--extract", path.join(dir, "extract.txt"), "--exclude", path.join(dir, "exclude.txt"),
    ];
    for (const [flag, input, out] of [["--bed", path.join(R, "example"), "kbed"], ["--pgen", `${pgen}.pgen`, "kpgen"]] as const) {
      const r = run(["step1", flag, input, ...common, "--out", path.join(dir, out)]);
      expect(r.status, r.stderr).toBe(0);
    }
    const log = readFileSync(path.join(dir, "kbed.log"), "utf8");
    expect(log).toMatch(/samples analysed: 333 of 500/);
    expect(log).toMatch(/675 variants with ≥ 2 distinct values/);
    const locos = readdirSync(dir).filter((f) => f.startsWith("kbed_") && f.endsWith(".loco")).sort();
    expect(locos.length).toBe(2);
    for (const f of locos) {
      const text = readFileSync(path.join(dir, f), "utf8");
      expect(text.split("\n")[0]!.split(" ").length).toBe(334);
      expect(readFileSync(path.join(dir, f.replace("kbed_", "kpgen_")), "utf8")).toBe(text);
    }
  });
});
