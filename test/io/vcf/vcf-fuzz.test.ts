/**
 * Seeded fuzz of the VCF reader: thousands of byte flips, truncations, insertions and deletions of a
 * small VCF, plain and bgzipped, read with 'strict' (and some 'silent') stringency and random
 * partition sizes; plus byte flips of a tabix index with a region read. Oracle: each read either
 * returns rows or throws a GlowtsError — never another exception type, never a hang (vitest's
 * timeout; the file takes ~5 s on an idle 2-core machine).
 */
import { afterAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { vcfReader } from "../../../dist/io/vcf/reader.js";
import { compressBgzf } from "../../../dist/io/bgzf.js";
import { GlowtsError } from "../../../dist/core/errors.js";
import { seeded as seededRandom } from "../../helpers/seeded.js";

const DATA = path.resolve(process.cwd(), "../shared/data");
const HAS_DATA = existsSync(DATA);
if (!HAS_DATA) console.warn(`VCF tabix-index fuzz skipped: reference data folder ${DATA} is absent`);

// Thousands of small rewrites: prefer a RAM disk when there is one (file writes dominate otherwise).
const tmp = mkdtempSync(path.join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "glowts-vcf-fuzz-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));


const HEADER = [
  "##fileformat=VCFv4.3",
  '##INFO=<ID=NS,Number=1,Type=Integer,Description="Samples">',
  '##INFO=<ID=AF,Number=A,Type=Float,Description="AF">',
  '##INFO=<ID=AA,Number=1,Type=String,Description="Ancestral">',
  '##INFO=<ID=DB,Number=0,Type=Flag,Description="dbSNP">',
  '##INFO=<ID=CS,Number=.,Type=String,Description="list, with \\"quotes\\"">',
  '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
  '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="GQ">',
  '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="AD">',
  '##FORMAT=<ID=GP,Number=G,Type=Float,Description="GP">',
  "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNA1\tNA2\tNA3",
];

function makeVcf(rnd: () => number, n: number): string {
  const lines = HEADER.slice();
  const gt = ["0/0", "0|1", "1/1", "./.", "1", "0/1/2", "."];
  for (let i = 0; i < n; i++) {
    const alts = rnd() < 0.3 ? "G,T" : rnd() < 0.1 ? "." : "G";
    const info = [`NS=${i % 4}`, `AF=${(rnd()).toFixed(3)}${alts === "G,T" ? ",0.1" : ""}`, rnd() < 0.5 ? "DB" : "AA=T", rnd() < 0.3 ? "CS=a,b,." : "END=" + (1000 + i * 10 + 3)];
    const samples = [0, 1, 2].map(() => `${gt[Math.floor(rnd() * gt.length)]}:${Math.floor(rnd() * 99)}:${Math.floor(rnd() * 30)},${Math.floor(rnd() * 30)}:0.1,nan,Inf`);
    lines.push([rnd() < 0.5 ? "20" : "21", 1000 + i * 10, rnd() < 0.5 ? "." : `rs${i};x${i}`, "A", alts, rnd() < 0.2 ? "." : (rnd() * 100).toFixed(2), rnd() < 0.5 ? "PASS" : "q10;s50", info.join(";"), "GT:GQ:AD:GP", ...samples].join("\t"));
  }
  return lines.join("\n") + "\n";
}

function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  const kind = rnd();
  if (kind < 0.15) return src.subarray(0, Math.floor(rnd() * src.length)); // truncation
  const out = Buffer.from(src);
  if (kind < 0.85) {
    const flips = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < flips; k++) {
      const at = Math.floor(rnd() * out.length);
      out[at] = rnd() < 0.5 ? out[at]! ^ (1 + Math.floor(rnd() * 255)) : [9, 10, 58, 59, 44, 46, 0][Math.floor(rnd() * 7)]!;
    }
    return out;
  }
  // Delete or duplicate a span.
  const at = Math.floor(rnd() * out.length);
  const len = 1 + Math.floor(rnd() * 40);
  if (kind < 0.93) return Buffer.concat([out.subarray(0, at), out.subarray(Math.min(out.length, at + len))]);
  return Buffer.concat([out.subarray(0, at), out.subarray(at, at + len), out.subarray(at)]);
}

interface Outcome { ok: number; errors: Map<string, number> }

async function readOnce(file: string, options: Record<string, unknown>, bytesPerPartition: number | undefined, region?: { contigName: string; start: number; end: number }): Promise<number> {
  const o = vcfReader.normalizeOptions(options);
  const plan = await vcfReader.plan([file], o, { bytesPerPartition, region });
  let rows = 0;
  for (const p of plan.partitions) {
    const b = await vcfReader.readPartition(p, plan.meta, o);
    // Structural sanity of what came back.
    for (const c of Object.values(b.columns)) {
      if (c.type === "genotypes") expect(c.nSamples).toBe(plan.sampleIds ? plan.sampleIds.length : c.nSamples);
    }
    rows += b.numRows;
  }
  return rows;
}

async function fuzz(label: string, makeBytes: (rnd: () => number) => Uint8Array, iterations: number, seed: number, maxRows: number, minPartition: number): Promise<Outcome> {
  const rnd = seededRandom(seed);
  const file = path.join(tmp, label);
  const outcome: Outcome = { ok: 0, errors: new Map() };
  for (let i = 0; i < iterations; i++) {
    const bytes = makeBytes(rnd);
    writeFileSync(file, bytes);
    const stringency = rnd() < 0.75 ? "strict" : "silent";
    // Random partition sizes (at least ~1/20 of a plain file, so that a read stays cheap).
    const bpp = rnd() < 0.5 ? undefined : minPartition + Math.floor(rnd() * 600);
    try {
      const n = await readOnce(file, { validationStringency: stringency }, bpp);
      expect(n).toBeLessThanOrEqual(maxRows + 2);
      outcome.ok++;
    } catch (e) {
      if (!(e instanceof GlowtsError)) {
        throw new Error(`${label} iteration ${i} (seed ${seed}): non-GlowtsError ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`);
      }
      outcome.errors.set(e.code, (outcome.errors.get(e.code) ?? 0) + 1);
    }
  }
  return outcome;
}

describe("VCF reader fuzz (seeded)", () => {
  const text = Buffer.from(makeVcf(seededRandom(11), 40));

  it("the unmutated files read cleanly with strict stringency", async () => {
    const plain = path.join(tmp, "clean.vcf");
    const bgz = path.join(tmp, "clean.vcf.gz");
    writeFileSync(plain, text);
    writeFileSync(bgz, compressBgzf(text, 300));
    expect(await readOnce(plain, { validationStringency: "strict" }, undefined)).toBe(40);
    expect(await readOnce(bgz, { validationStringency: "strict" }, 1)).toBe(40);
  });

  it("plain VCF: 1200 mutations → rows or GlowtsError", async () => {
    const r = await fuzz("plain.vcf", (rnd) => mutate(text, rnd), 1200, 20240601, 40, 1500);
    console.log("plain fuzz outcomes", r.ok, "ok;", Object.fromEntries(r.errors));
    expect(r.ok + [...r.errors.values()].reduce((s, x) => s + x, 0)).toBe(1200);
    expect(r.ok).toBeGreaterThan(0);
    expect(r.errors.size).toBeGreaterThan(0);
  });

  it("BGZF VCF: 1200 mutations (of the compressed bytes, or of the text before compression) → rows or GlowtsError", async () => {
    const z = compressBgzf(text, 300);
    const r = await fuzz("bgzf.vcf.gz", (rnd) => (rnd() < 0.5 ? mutate(z, rnd) : compressBgzf(mutate(text, rnd), 150 + Math.floor(rnd() * 400))), 1200, 777, 40, 300);
    expect(r.errors.get("VCF_PARSE") ?? 0).toBeGreaterThan(0);
    console.log("bgzf fuzz outcomes", r.ok, "ok;", Object.fromEntries(r.errors));
    expect(r.errors.get("BGZF_FORMAT") ?? 0).toBeGreaterThan(0);
    expect(r.ok + [...r.errors.values()].reduce((s, x) => s + x, 0)).toBe(1200);
  });
});

describe.skipIf(!HAS_DATA)("tabix index fuzz (seeded)", () => {
  it("250 mutated .tbi files with a region read → rows or GlowtsError", async () => {
    const src = path.join(DATA, "glow/tabix-test-vcf/CEUTrio.HiSeq.WGS.b37.NA12878.20.21.vcf.gz");
    const vcf = path.join(tmp, "tbi.vcf.gz");
    writeFileSync(vcf, readFileSync(src));
    const tbi = readFileSync(`${src}.tbi`);
    const rnd = seededRandom(99);
    let ok = 0;
    let failed = 0;
    for (let i = 0; i < 250; i++) {
      writeFileSync(`${vcf}.tbi`, mutate(tbi, rnd));
      try {
        await readOnce(vcf, {}, undefined, { contigName: rnd() < 0.5 ? "20" : "21", start: 10_000_000, end: 10_100_000 });
        ok++;
      } catch (e) {
        if (!(e instanceof GlowtsError)) throw new Error(`tbi iteration ${i}: non-GlowtsError ${e instanceof Error ? e.stack : String(e)}`);
        failed++;
      }
    }
    expect(ok + failed).toBe(250);
    expect(failed).toBeGreaterThan(0);
  });
});
