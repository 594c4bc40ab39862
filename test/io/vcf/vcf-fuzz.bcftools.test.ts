/**
 * Seeded fuzz of the VCF reader against bcftools (issue 12): a small multi-sample VCF (seeded,
 * made here) is mutated — truncated at a random offset, bytes overwritten, a line or a column
 * deleted — and read by bcftools (`bcftools view`, which parses every record and fails on a bad
 * one, piped into `bcftools query`; `query` alone reports errors but exits 0) and by glowts
 * (`validationStringency: "strict"`).
 * Plain text, and BGZF + .tbi with a region read (`bcftools query -r` uses the index; glowts
 * prunes with the same .tbi). Where bcftools rejects, glowts must raise a GlowtsError; where it
 * accepts, glowts must return the same CHROM, POS, REF, ALT, sample ids and GT of every row in
 * bcftools' order, or raise a GlowtsError of a class listed below (bcftools is knowingly lax).
 * `GLOWTS_FUZZ_CASES=200 npx vitest run test/io/vcf/vcf-fuzz.bcftools.test.ts` for a longer run.
 */
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { vcfReader } from "../../../dist/io/vcf/reader.js";
import { getValue } from "../../../dist/core/column.js";
import type { RegionHint } from "../../../dist/core/source.js";
import type { GlowtsError } from "../../../dist/core/errors.js";
import {
  caseCount, describeTally, formatGt, haveTool, mutateBytes, mutateText, runFuzzSuite, runGlowts, runTool, seeded,
} from "../fuzz-oracle.js";

const SKIP = !haveTool("bcftools") ? "bcftools is not installed" : !haveTool("bgzip") || !haveTool("tabix") ? "bgzip/tabix are not installed" : null;
if (SKIP) console.warn(`VCF bcftools fuzz skipped: ${SKIP}`);
const tmp = mkdtempSync(path.join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "glowts-vcf-oracle-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const HEADER = [
  "##fileformat=VCFv4.2",
  "##contig=<ID=20,length=63025520>",
  "##contig=<ID=21,length=48129895>",
  '##INFO=<ID=NS,Number=1,Type=Integer,Description="Samples">',
  '##INFO=<ID=AF,Number=A,Type=Float,Description="AF">',
  '##INFO=<ID=DB,Number=0,Type=Flag,Description="dbSNP">',
  '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
  '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="GQ">',
  '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="AD">',
  "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNA1\tNA2\tNA3\tNA4",
];

/** A sorted 4-sample VCF: SNPs and indels, 1-2 ALT alleles, phased/unphased/haploid/missing calls. */
function makeVcf(n: number): string {
  const rnd = seeded(20261202);
  const gt = ["0/0", "0|1", "1/1", "./.", "0/1", "1|1", "."];
  const lines = HEADER.slice();
  for (let i = 0; i < n; i++) {
    const chrom = i < n / 2 ? "20" : "21";
    const multi = rnd() < 0.25;
    const ref = rnd() < 0.2 ? "AC" : "A";
    const alt = multi ? "G,T" : rnd() < 0.2 ? "ACC" : "G";
    const samples = [0, 1, 2, 3].map(() => {
      const g = gt[Math.floor(rnd() * gt.length)]!;
      const ad = multi ? "3,4,5" : "7,2";
      return `${g}:${Math.floor(rnd() * 99)}:${ad}`;
    });
    const af = multi ? "0.25,0.5" : (rnd() * 0.5).toFixed(3);
    const info = `NS=${1 + (i % 4)};AF=${af}${rnd() < 0.3 ? ";DB" : ""}`;
    lines.push([chrom, 1000 + (i % (n / 2)) * 37, rnd() < 0.5 ? "." : `rs${i}`, ref, alt, (rnd() * 100).toFixed(1), "PASS", info, "GT:GQ:AD", ...samples].join("\t"));
  }
  return lines.join("\n") + "\n";
}

const QUERY = "%CHROM\t%POS\t%REF\t%ALT[\t%SAMPLE=%GT]\n";

/** `bcftools view [-r region] file | bcftools query`, failing when either fails. */
function bcftools(file: string, region?: string): ReturnType<typeof runTool> {
  const r = region ? `-r '${region}' ` : "";
  return runTool("bash", ["-o", "pipefail", "-c", `bcftools view ${r}-Ov '${file}' | bcftools query -f '${QUERY.replace(/\t/g, "\\t").replace(/\n/g, "\\n")}' -`], parseQuery);
}

function parseQuery(stdout: string): string[] {
  return stdout.split("\n").filter((l) => l.length > 0);
}

type Row = Record<string, any>;
async function glowtsRows(file: string, region?: RegionHint): Promise<string[]> {
  const o = vcfReader.normalizeOptions({ validationStringency: "strict" });
  const plan = await vcfReader.plan([file], o, region ? { region } : {});
  const out: string[] = [];
  for (const p of plan.partitions) {
    const b = await vcfReader.readPartition(p, plan.meta, o);
    for (let i = 0; i < b.numRows; i++) {
      const r: Row = {};
      for (const [k, c] of Object.entries(b.columns)) r[k] = getValue(c, i);
      // The region read returns what the index points to; keep the rows overlapping the region
      // as bcftools -r does (1-based inclusive [start+1, end] against [POS, POS+len(REF)-1]).
      if (region && !(r["contigName"] === region.contigName && r["start"] < region.end! && r["end"] > region.start!)) continue;
      const alts = (r["alternateAlleles"] as string[]).join(",") || ".";
      const gts = (r["genotypes"] as Row[]).map((g) => `\t${g["sampleId"]}=${formatGt(g["calls"], g["phased"])}`).join("");
      out.push(`${r["contigName"]}\t${r["start"] + 1}\t${r["referenceAllele"]}\t${alts}${gts}`);
    }
  }
  return out;
}

/**
 * Where bcftools accepts and glowts (strict) raises: bcftools view re-emits INFO/QUAL/FORMAT
 * values without checking them against their declared Type, and accepts header meta lines that
 * lack Number/Type (it assumes defaults), where Glow's strict stringency rejects both. Listed by the glowts
 * error's field so that a GT/POS/REF/ALT error is never excused.
 */
function laxClass(e: GlowtsError): string | null {
  const m = e.message;
  // htslib reads POS with strtol-like parsing: '1r58' is 1, '.' is 0 (and then fails only in view
  // when it breaks the order). Glow rejects both.
  if (/invalid POS/.test(m)) return "POS with non-digits (htslib takes the leading digits)";
  if (e.code === "VCF_HEADER" && !/#CHROM/.test(m)) return "header meta line bcftools completes with defaults (e.g. no Number)";
  if (/\b(INFO|QUAL|FORMAT)\b/.test(m) && !/\bGT\b/.test(m)) return "INFO/QUAL/FORMAT value not of its declared type (bcftools view passes it through)";
  return null;
}

describe.skipIf(SKIP !== null)("VCF fuzz vs bcftools (seeded)", () => {
  const clean = Buffer.from(makeVcf(40), "latin1");
  const headerLines = HEADER.length;

  it(`plain VCF: ${caseCount(60)} mutations — bcftools and glowts agree`, async () => {
    const file = path.join(tmp, "plain.vcf");
    writeFileSync(file, clean);
    const base = bcftools(file);
    expect(base.kind).toBe("accepted");
    expect(await glowtsRows(file)).toEqual((base as { data: string[] }).data);
    const tally = await runFuzzSuite({
      name: "vcf plain",
      cases: caseCount(60),
      seed: 101,
      make: (rand, i) => {
        const m = mutateText(clean, rand, headerLines);
        writeFileSync(file, m.bytes);
        if (process.env["GLOWTS_FUZZ_SAVE"] && Number(process.env["GLOWTS_FUZZ_ONLY"]) === i) writeFileSync(process.env["GLOWTS_FUZZ_SAVE"], m.bytes);
        return m.what;
      },
      tool: () => bcftools(file),
      glowts: () => runGlowts(() => glowtsRows(file)),
      laxClass,
    });
    console.log(describeTally("vcf plain (bcftools view | query)", tally));
    expect(tally.disagreements).toEqual([]);
    expect(tally.bothRejected).toBeGreaterThan(0);
    expect(tally.bothEqual).toBeGreaterThan(0);
  }, 120_000);

  it(`BGZF + .tbi region read: ${caseCount(40)} mutations — bcftools -r and glowts agree`, async () => {
    const gz = path.join(tmp, "calls.vcf.gz");
    const region: RegionHint = { contigName: "20", start: 1200, end: 1600 };
    const regionArg = `20:${region.start! + 1}-${region.end}`;
    const tool = () => bcftools(gz, regionArg);
    const index = (): boolean => spawnSync("tabix", ["-f", "-p", "vcf", gz], { stdio: "ignore" }).status === 0;
    const bgzip = (text: Uint8Array): void => {
      const r = spawnSync("bgzip", ["-c"], { input: text, maxBuffer: 64 << 20 });
      writeFileSync(gz, r.stdout);
    };
    bgzip(clean);
    expect(index()).toBe(true);
    const cleanGz = new Uint8Array(readFileSync(gz));
    const cleanTbi = new Uint8Array(readFileSync(`${gz}.tbi`));
    const base = tool();
    expect(base.kind).toBe("accepted");
    expect((base as { data: string[] }).data.length).toBeGreaterThan(3);
    expect(await glowtsRows(gz, region)).toEqual((base as { data: string[] }).data);
    let unindexable = 0;
    const tally = await runFuzzSuite({
      name: "vcf bgzf+tbi",
      cases: caseCount(40),
      seed: 202,
      make: (rand) => {
        if (rand() < 0.5) {
          // damaged compressed bytes, the index of the clean file beside them
          const m = mutateBytes(cleanGz, rand);
          writeFileSync(gz, m.bytes);
          writeFileSync(`${gz}.tbi`, cleanTbi);
          return `compressed ${m.what}`;
        }
        // damaged text, compressed and indexed anew (when tabix accepts it)
        const m = mutateText(clean, rand, headerLines);
        bgzip(m.bytes);
        if (!index()) {
          // tabix refuses the text (e.g. unsorted positions): no index to read the region with
          unindexable++;
          if (existsSync(`${gz}.tbi`)) unlinkSync(`${gz}.tbi`);
          return null;
        }
        return `text ${m.what}`;
      },
      tool,
      glowts: () => runGlowts(() => glowtsRows(gz, region)),
      // bcftools -r parses only the records overlapping the region; glowts parses every line of
      // the BGZF chunks the index points to. An error in a line the region read does not show is
      // excused only when bcftools rejects the whole file.
      laxClass: (e) => laxClass(e) ?? (bcftools(gz).kind === "rejected" ? "bad record outside the region (bcftools -r skips it; bcftools view of the whole file rejects it)" : null),
    });
    console.log(describeTally("vcf bgzf+tbi region (bcftools view -r | query)", tally) + ` (skipped: texts tabix refuses to index: ${unindexable})`);
    expect(tally.disagreements).toEqual([]);
    expect(tally.bothRejected).toBeGreaterThan(0);
    expect(tally.bothEqual).toBeGreaterThan(0);
  }, 120_000);
});
