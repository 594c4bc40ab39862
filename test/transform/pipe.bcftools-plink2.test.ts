// pipe against the same tools run directly on the whole file: every partition of a VCF is piped
// through bcftools (VCF → VCF, VCF → text) or plink2 (VCF → text), and the union of the partitions'
// outputs must equal the tool's own output on the file (exact; plink2's frequencies as printed).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as glow from "../../dist/index.js";

const data = path.resolve(process.cwd(), "../shared/data/glow");
const vcf = path.join(data, "biallelic.CEUTrio.HiSeq.WGS.b37.NA12878.20.21.vcf");
const has = (tool: string): boolean => spawnSync(tool, ["--version"], { stdio: "ignore" }).status === 0;
const haveData = existsSync(vcf);
const haveBcftools = has("bcftools");
const havePlink2 = spawnSync("plink2", ["--version"], { stdio: "ignore" }).status === 0;
if (!haveData) console.warn(`pipe test: ${vcf} is absent; skipping`);
if (!haveBcftools) console.warn("pipe test: bcftools is not installed; skipping its tests");
if (!havePlink2) console.warn("pipe test: plink2 is not installed; skipping its test");

let tmp = "";
beforeAll(() => { tmp = mkdtempSync(path.join(tmpdir(), "glowts-pipe-")); glow.config({ bytesPerPartition: 40_000 }); });
afterAll(async () => { glow.config({ bytesPerPartition: undefined }); rmSync(tmp, { recursive: true, force: true }); await glow.shutdown(); });

type Row = Record<string, unknown>;
const site = (r: Row): unknown[] => [r["contigName"], r["start"], r["referenceAllele"], r["alternateAlleles"], r["INFO_DP"], (r["genotypes"] as Row[]).map((g) => [g["calls"], g["conditionalQuality"]])];

describe.skipIf(!haveData)("pipe", () => {
  it("splits the file into several partitions (so per-partition piping is exercised)", async () => {
    expect(await glow.read("vcf", vcf).numPartitions()).toBeGreaterThan(3);
  });

  it.skipIf(!haveBcftools)("VCF → bcftools view -i → VCF equals bcftools on the whole file", async () => {
    const df = glow.read("vcf", vcf);
    const piped = await glow.transform("pipe", df, {
      cmd: JSON.stringify(["bcftools", "view", "-i", "INFO/DP>60 && GT=\"het\""]), input_formatter: "vcf", output_formatter: "vcf",
    }).collect({ workers: 2, onProgress: false });
    const direct = path.join(tmp, "direct.vcf");
    execFileSync("bcftools", ["view", "-i", "INFO/DP>60 && GT=\"het\"", "-o", direct, vcf]);
    const expected = await glow.read("vcf", direct).collect({ workers: 0, onProgress: false });
    expect(expected.length).toBeGreaterThan(10);
    expect(piped.map(site)).toEqual(expected.map(site));
  });

  it.skipIf(!haveBcftools)("VCF → bcftools query → text equals bcftools query on the whole file", async () => {
    const fmt = "%CHROM\t%POS\t%REF\t%ALT\t%INFO/AC\t%QUAL\t[%GT]\n";
    const piped = await glow.transform("pipe", glow.read("vcf", vcf), { cmd: ["bcftools", "query", "-f", fmt], inputFormatter: "vcf", outputFormatter: "text" })
      .collect({ workers: 2, onProgress: false });
    const direct = execFileSync("bcftools", ["query", "-f", fmt, vcf], { encoding: "utf8" }).trimEnd().split("\n");
    expect(piped.map((r) => r["text"])).toEqual(direct);
  });

  it.skipIf(!havePlink2)("VCF → plink2 --freq (env_* passes the work directory) equals plink2 on the whole file", async () => {
    // plink2 reads its input twice, so the user's command stages stdin in a file first.
    const script = 'd=$(mktemp -d "$WORK/p.XXXXXX") && cat > "$d/in.vcf" && plink2 --vcf "$d/in.vcf" --freq --out "$d/o" >/dev/null && grep -v "^#" "$d/o.afreq"';
    const piped = await glow.transform("pipe", glow.read("vcf", vcf), { cmd: ["sh", "-c", script], inputFormatter: "vcf", outputFormatter: "text", env_WORK: tmp })
      .collect({ workers: 2, onProgress: false });
    execFileSync("plink2", ["--vcf", vcf, "--freq", "--out", path.join(tmp, "direct")], { stdio: "ignore" });
    const direct = readFileSync(path.join(tmp, "direct.afreq"), "utf8").trimEnd().split("\n").filter((l) => !l.startsWith("#"));
    expect(direct.length).toBeGreaterThan(1000);
    expect(piped.map((r) => r["text"])).toEqual(direct);
  });

  it.skipIf(!haveBcftools)("a failing command fails the action with the command, its exit code and its stderr", async () => {
    const err = await glow.transform("pipe", glow.read("vcf", vcf), { cmd: ["bcftools", "view", "--no-such-option"], inputFormatter: "vcf", outputFormatter: "vcf" })
      .count({ workers: 2, onProgress: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(glow.GlowtsError);
    expect((err as glow.GlowtsError).code).toBe("PIPE");
    expect((err as Error).message).toMatch(/command 'bcftools view --no-such-option' exited with code [1-9]\d*; stderr \(tail\): .*no-such-option/s);
    const missing = await glow.transform("pipe", glow.read("vcf", vcf), { cmd: ["no-such-tool-glowts"], inputFormatter: "text", outputFormatter: "text" })
      .count({ workers: 0, onProgress: false }).catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/could not be started/);
  });

  it.skipIf(!haveBcftools)("quarantineTable keeps failed partitions' inputs as files instead of failing", async () => {
    const q = path.join(tmp, "quarantine");
    const df = glow.read("vcf", vcf);
    const parts = await df.numPartitions();
    // The command fails exactly for the partitions holding chromosome 21 records.
    const n = await glow.transform("pipe", df, {
      cmd: ["sh", "-c", "bcftools view - > \"$TMPF\" 2>/dev/null; if grep -q '^21\t' \"$TMPF\"; then echo boom >&2; exit 3; fi; cat \"$TMPF\""],
      inputFormatter: "vcf", outputFormatter: "vcf", env_TMPF: path.join(tmp, "t.vcf"), quarantineTable: q,
    }).count({ workers: 0, onProgress: false });
    const files = readdirSync(q);
    const inputs = files.filter((f) => f.endsWith(".vcf"));
    expect(inputs.length).toBeGreaterThan(0);
    expect(inputs.length).toBeLessThan(parts);
    expect(files.filter((f) => f.endsWith(".stderr.txt")).length).toBe(inputs.length);
    expect(readFileSync(path.join(q, files.find((f) => f.endsWith(".stderr.txt"))!), "utf8")).toMatch(/exited with code 3; stderr \(tail\): boom/);
    // The rows that survive are exactly those of the partitions that did not fail.
    const quarantined = (await Promise.all(inputs.map((f) => glow.read("vcf", path.join(q, f)).count({ workers: 0, onProgress: false })))).reduce((a, b) => a + b, 0);
    expect(n + quarantined).toBe(await df.count({ workers: 0, onProgress: false }));
  });
});
