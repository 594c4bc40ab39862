/**
 * `glow.read("pgen")` against plink2. Pgens are made by plink2 (`--make-pgen`, `format=2`, from
 * VCF with and without `dosage=DS`, phased and not, from PLINK 1 and from BGEN `ref-first`) from
 * Glow's/REGENIE's test data and from simulated VCFs designed so that plink2 picks every main-track
 * record type (0, 1, 2, 3, 4, 6, 7 — checked from the header), the phase track, the dosage
 * difflist / dense / bitarray tracks and phased dosages. Oracle: `plink2 --pfile P --export vcf
 * vcf-dosage=DS` of the same files, every genotype (exact) and every dosage (plink2 prints DS with 4
 * decimals: |glowts − DS| ≤ 5e-5 + 1e-9), and `plink2 --freq` (ALT_FREQS within 1e-6 as printed,
 * OBS_CT exact). Tests skip with a message when plink2 or ../shared/data is absent.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, openSync, writeSync, closeSync, statSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as glow from "../../../dist/index.js";
import { parsePgenHeader } from "../../../dist/io/pgen/codec.js";
import { seeded as rng } from "../../helpers/seeded.js";

const HAVE_PLINK2 = spawnSync("plink2", ["--version"], { stdio: "ignore" }).status === 0;
const DATA = path.resolve(process.cwd(), "../shared/data");
const HAVE_DATA = existsSync(path.join(DATA, "regenie", "example.bed"));
if (!HAVE_PLINK2) console.warn("pgen vs plink2: plink2 is not installed; skipped");
if (!HAVE_DATA) console.warn("pgen vs plink2: ../shared/data is absent; the REGENIE/Glow data cases are skipped");

const DS_TOL = 5e-5 + 1e-9;


/**
 * A VCF whose variants make plink2 choose each record type: common (2-bit), near copies of the last
 * common one (LD), its REF/ALT-inverted copies (LD inverted), rare (difflist vs hom-REF), mostly hom
 * ALT, mostly missing, two-category (1-bit); optional phase and DS (sparse, half, all fractional).
 */
function simulatedVcf(n: number, variants: number, opts: { phase: boolean; ds: boolean; seed: number; multiallelic?: boolean }): string {
  const r = rng(opts.seed);
  const ri = (k: number): number => Math.floor(r() * k);
  const out: string[] = ["##fileformat=VCFv4.2", "##contig=<ID=1,length=10000000>", "##contig=<ID=2,length=10000000>",
    '##INFO=<ID=AF,Number=A,Type=Float,Description="a">', '##INFO=<ID=TAG,Number=1,Type=String,Description="t">',
    '##INFO=<ID=FL,Number=0,Type=Flag,Description="f">', '##FORMAT=<ID=GT,Number=1,Type=String,Description="GT">'];
  if (opts.ds) out.push('##FORMAT=<ID=DS,Number=1,Type=Float,Description="DS">');
  out.push(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", ...Array.from({ length: n }, (_, i) => `s${i}`)].join("\t"));
  const kinds = ["common", "ld", "inv", "ld", "rare", "homalt", "missing", "twocat", "rare", "common"];
  let base: number[] = new Array(n).fill(0);
  let pos = 0;
  for (let v = 0; v < variants; v++) {
    const k = kinds[v % kinds.length]!;
    pos += 1 + ri(50);
    let g: number[];
    if (k === "common") { const p = 0.1 + 0.4 * r(); g = Array.from({ length: n }, () => (r() < p ? 1 : 0) + (r() < p ? 1 : 0)); }
    else if (k === "rare") g = Array.from({ length: n }, () => (r() < 0.002 ? 2 : r() < 0.01 ? 1 : 0));
    else if (k === "ld" || k === "inv") {
      g = base.map((x) => (k === "inv" ? 2 - x : x));
      for (let j = 0; j < Math.max(1, Math.floor(n / 100)); j++) g[ri(n)] = ri(3);
    } else if (k === "homalt") g = Array.from({ length: n }, () => (r() > 0.02 ? 2 : ri(2)));
    else if (k === "missing") g = Array.from({ length: n }, () => (r() > 0.03 ? -1 : ri(3)));
    else g = Array.from({ length: n }, () => (r() > 0.01 ? ri(2) : 2));
    if (k !== "ld" && k !== "inv" && k !== "missing") g = g.map((x) => (r() < 0.005 ? -1 : x));
    if (k === "common") base = g.map((x) => Math.max(0, x));
    const multi = opts.multiallelic && v % 37 === 0;
    const cells = g.map((x, i) => {
      let gt = x < 0 ? "./." : opts.phase && x === 1 ? (i % 7 ? (r() < 0.5 ? "0|1" : "1|0") : "0/1") : opts.phase ? ["0|0", "0|1", "1|1"][x]! : ["0/0", "0/1", "1/1"][x]!;
      const three = multi && v % 74 !== 0;
      if (multi && x === 1 && i % 11 === 0) gt = "0/2";
      if (multi && x === 2 && i % 13 === 0) gt = "1/2";
      if (multi && x === 2 && i % 7 === 0) gt = "2/2";
      if (three && x === 1 && i % 19 === 0) gt = "0/3";
      if (three && x === 2 && i % 17 === 0) gt = i % 2 ? "2/3" : "3/3";
      if (!opts.ds) return gt;
      const mode = v % 3;
      const noisy = (): string => Math.min(2, Math.max(0, x + (r() - 0.5) * 0.7)).toFixed(4);
      const d = x < 0 ? "." : mode === 0 && r() < 0.02 ? noisy() : mode === 1 && r() < 0.5 ? noisy() : mode === 2 ? noisy() : String(x);
      return `${gt}:${d}`;
    });
    const alt = multi ? (v % 74 !== 0 ? "C,G,T" : "C,G") : "C";
    const info = multi ? (v % 74 !== 0 ? "AF=0.1,0.01,0.01;TAG=m" : "AF=0.1,0.01;TAG=m") : `AF=0.1;TAG=t${v}${v % 2 ? ";FL" : ""}`;
    out.push([v < variants * 0.6 ? "1" : "2", String(pos), v % 5 ? `rs${v}` : ".", "A", alt, v % 3 ? "." : "30", v % 4 ? "PASS" : ".", info, opts.ds ? "GT:DS" : "GT", ...cells].join("\t"));
  }
  return out.join("\n") + "\n";
}

interface VcfRow { chrom: string; pos: number; id: string; ref: string; alt: string; gts: string[]; ds: (number | null)[] | null }

/** Parses plink2's exported VCF (GT and DS only). */
function parseExport(file: string): { samples: string[]; rows: VcfRow[] } {
  const rows: VcfRow[] = [];
  let samples: string[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line === "" || line.startsWith("##")) continue;
    const f = line.split("\t");
    if (line.startsWith("#")) { samples = f.slice(9); continue; }
    const fmt = f[8]!.split(":");
    const dsAt = fmt.indexOf("DS");
    const gts: string[] = [];
    const ds: (number | null)[] | null = dsAt >= 0 ? [] : null;
    for (const cell of f.slice(9)) {
      const parts = cell.split(":");
      gts.push(parts[0]!);
      if (ds) ds.push(parts[dsAt] === undefined || parts[dsAt] === "." ? null : Number(parts[dsAt]));
    }
    rows.push({ chrom: f[0]!, pos: Number(f[1]), id: f[2]!, ref: f[3]!, alt: f[4]!, gts, ds });
  }
  return { samples, rows };
}

/** Unphased ALT count of a VCF GT ('./.' → -1). */
function gtCalls(gt: string): [number, number] {
  const a = gt.split(/[/|]/).map((x) => (x === "." ? -1 : Number(x)));
  if (a.length === 1) return [a[0]!, a[0]!];
  return [a[0]!, a[1]!];
}

let dir = "";
function run(args: string[]): void {
  execFileSync("plink2", ["--silent", "--threads", "1", ...args], { stdio: "pipe" });
}

/** Compares glowts' rows of `prefix` with plink2's VCF export of it; returns what it saw. */
async function compareWithExport(prefix: string, opts: { variantsPerPartition?: number; bpfile?: boolean; vzs?: boolean } = {}): Promise<{ variants: number; dosages: number; calls: number }> {
  const out = path.join(dir, `${path.basename(prefix)}.exp`);
  run([opts.bpfile ? "--bpfile" : "--pfile", prefix, ...(opts.vzs ? ["vzs"] : []), "--export", "vcf", "vcf-dosage=DS", "--out", out]);
  const exp = parseExport(`${out}.vcf`);
  glow.config({ variantsPerPartition: opts.variantsPerPartition ?? 4096 });
  const frame = glow.read("pgen", prefix, { mergeFidIid: false });
  const rows = (await frame.collect({ workers: 2 })) as Record<string, any>[];
  expect(rows.length).toBe(exp.rows.length);
  const hasDosage = ((await frame.schema()).find((f: any) => f.name === "genotypes")!.type as any).genotypes.some((g: any) => g.name === "dosage");
  let dosages = 0;
  let calls = 0;
  for (let i = 0; i < rows.length; i++) {
    const g = rows[i]!;
    const e = exp.rows[i]!;
    expect(g.contigName).toBe(e.chrom);
    expect(g.start).toBe(e.pos - 1);
    expect(g.end).toBe(e.pos - 1 + e.ref.length);
    expect(g.referenceAllele).toBe(e.ref);
    expect(g.alternateAlleles).toEqual(e.alt === "." ? [] : e.alt.split(","));
    expect(g.names).toEqual(e.id === "." ? [] : [e.id]);
    expect(g.genotypes.length).toBe(exp.samples.length);
    for (let s = 0; s < exp.samples.length; s++) {
      const gt = g.genotypes[s];
      // plink2 writes FID_IID when the .psam has FIDs; glowts (mergeFidIid: false) gives the IID.
      if (gt.sampleId !== exp.samples[s] && !exp.samples[s]!.endsWith(`_${gt.sampleId}`)) throw new Error(`sample ${s}: ${gt.sampleId} vs ${exp.samples[s]}`);
      const want = gtCalls(e.gts[s]!);
      const got = [...gt.calls].sort((a: number, b: number) => a - b);
      const w = [...want].sort((a, b) => a - b);
      if (got[0] !== w[0] || got[1] !== w[1]) throw new Error(`${prefix} variant ${i} sample ${s}: calls ${JSON.stringify(gt.calls)} vs plink2 ${e.gts[s]}`);
      calls++;
      if (hasDosage) {
        const d = e.ds ? e.ds[s] : null;
        const expected = d ?? (want[0]! < 0 ? null : want[0]! + want[1]!);
        if (expected === null) {
          if (gt.dosage !== null && !Number.isNaN(gt.dosage)) throw new Error(`${prefix} variant ${i} sample ${s}: dosage ${gt.dosage} vs plink2 missing`);
        } else if (!(Math.abs(gt.dosage - expected) <= DS_TOL)) {
          throw new Error(`${prefix} variant ${i} sample ${s}: dosage ${gt.dosage} vs plink2 ${expected}`);
        }
        if (d !== null && d !== want[0]! + want[1]!) dosages++;
      }
    }
  }
  return { variants: rows.length, dosages, calls };
}

/** `plink2 --freq` ALT frequencies and observation counts equal those of glowts' calls (or dosages). */
async function compareFreq(prefix: string): Promise<void> {
  const out = path.join(dir, `${path.basename(prefix)}.f`);
  run(["--pfile", prefix, "--freq", "--out", out]);
  const lines = readFileSync(`${out}.afreq`, "utf8").trim().split("\n");
  const head = lines[0]!.replace(/^#/, "").split("\t");
  const fi = head.indexOf("ALT_FREQS");
  const oi = head.indexOf("OBS_CT");
  const rows = (await glow.read("pgen", prefix).select("genotypes").collect()) as Record<string, any>[];
  expect(rows.length).toBe(lines.length - 1);
  rows.forEach((r, i) => {
    const f = lines[i + 1]!.split("\t");
    let alt = 0;
    let obs = 0;
    // With dosages plink2 counts dosages (a sample with a dosage but no hard call is observed).
    for (const g of r.genotypes) {
      if (g.dosage !== undefined) { if (g.dosage !== null && !Number.isNaN(g.dosage)) { obs += 2; alt += g.dosage; } }
      else for (const c of g.calls) if (c >= 0) { obs++; if (c === 1) alt++; }
    }
    expect(obs).toBe(Number(f[oi]));
    if (obs > 0 && !f[fi]!.includes(",")) expect(Math.abs(alt / obs - Number(f[fi]))).toBeLessThanOrEqual(1e-6);
  });
}

/** Main-track record types (low 3 bits) and the flag bits seen in a .pgen's header. */
function recordTypes(pgen: string): { main: Set<number>; flags: Set<number>; mode: number } {
  const b = readFileSync(pgen);
  const h = parsePgenHeader((o: number, l: number) => b.subarray(o, o + l), b.length);
  const main = new Set<number>();
  const flags = new Set<number>();
  for (const t of h.types) {
    main.add(t & 7);
    for (const bit of [0x10, 0x20, 0x40, 0x60, 0x80]) if ((bit === 0x60 ? (t & 0x60) === 0x60 : (t & bit) === bit)) flags.add(bit);
  }
  return { main, flags, mode: h.mode };
}

describe.skipIf(!HAVE_PLINK2)("read pgen vs plink2 --export vcf", () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "glowts-pgen-"));
    writeFileSync(path.join(dir, "hard.vcf"), simulatedVcf(300, 400, { phase: false, ds: false, seed: 1, multiallelic: true }));
    writeFileSync(path.join(dir, "phased.vcf"), simulatedVcf(300, 400, { phase: true, ds: true, seed: 2 }));
    writeFileSync(path.join(dir, "dosage.vcf"), simulatedVcf(200, 400, { phase: false, ds: true, seed: 3 }));
    run(["--vcf", path.join(dir, "hard.vcf"), "--make-pgen", "--out", path.join(dir, "hard")]);
    run(["--vcf", path.join(dir, "phased.vcf"), "dosage=DS", "--make-pgen", "--out", path.join(dir, "phased")]);
    run(["--vcf", path.join(dir, "dosage.vcf"), "dosage=DS", "--make-pgen", "--out", path.join(dir, "dosage")]);
    run(["--vcf", path.join(dir, "dosage.vcf"), "--make-pgen", "format=2", "--out", path.join(dir, "fixed")]);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await glow.shutdown();
  });

  it("covers every main-track record type plink2 writes, the phase track and the dosage tracks", () => {
    const hard = recordTypes(path.join(dir, "hard.pgen"));
    expect([...hard.main].sort()).toEqual([0, 1, 2, 3, 4, 6, 7]);
    const phased = recordTypes(path.join(dir, "phased.pgen"));
    expect(phased.flags.has(0x10)).toBe(true); // hard-call phase
    expect(phased.flags.has(0x80)).toBe(true); // phased dosages (read past)
    const dosage = recordTypes(path.join(dir, "dosage.pgen"));
    expect(dosage.flags.has(0x20)).toBe(true); // dosage difflist
    expect(dosage.flags.has(0x60)).toBe(true); // dosage presence bitarray
    expect(recordTypes(path.join(dir, "fixed.pgen")).mode).toBe(0x02);
  });

  it("hard calls of every record type (biallelic sites only, --max-alleles 2) equal plink2's export, and --freq", async () => {
    // The multiallelic sites of hard.vcf carry 0/2 calls: they are split off first.
    run(["--pfile", path.join(dir, "hard"), "--max-alleles", "2", "--make-pgen", "--out", path.join(dir, "hard2")]);
    expect([...recordTypes(path.join(dir, "hard2.pgen")).main].sort()).toEqual([0, 1, 2, 3, 4, 6, 7]);
    const r = await compareWithExport(path.join(dir, "hard2"));
    expect(r.variants).toBeGreaterThan(380);
    await compareFreq(path.join(dir, "hard2"));
  });

  it("equals plink2 with tiny partitions (LD-compressed records whose reference is in an earlier partition)", async () => {
    run(["--pfile", path.join(dir, "hard"), "--max-alleles", "2", "--make-pgen", "--out", path.join(dir, "hard3")]);
    const r = await compareWithExport(path.join(dir, "hard3"), { variantsPerPartition: 7 });
    expect(r.variants).toBeGreaterThan(380);
  });

  it("phased hard calls with phased dosages: calls (unphased) and dosages equal plink2's", async () => {
    const r = await compareWithExport(path.join(dir, "phased"));
    expect(r.dosages).toBeGreaterThan(1000);
  });

  it("dosage difflist and bitarray tracks equal plink2's DS; fixed-width format=2 equals its calls", async () => {
    const r = await compareWithExport(path.join(dir, "dosage"), { variantsPerPartition: 33 });
    expect(r.dosages).toBeGreaterThan(1000);
    await compareFreq(path.join(dir, "dosage"));
    // --make-bpgen: .bim/.fam companions (headerless forms) instead of .pvar/.psam.
    run(["--pfile", path.join(dir, "dosage"), "--make-bpgen", "--out", path.join(dir, "bpgen")]);
    const bp = await compareWithExport(path.join(dir, "bpgen"), { bpfile: true });
    expect(bp.dosages).toBeGreaterThan(1000);
    // --make-pgen vzs: a Zstandard-compressed .pvar.zst (decompressed once by plan).
    run(["--pfile", path.join(dir, "dosage"), "--make-pgen", "vzs", "--out", path.join(dir, "vzs")]);
    expect(existsSync(path.join(dir, "vzs.pvar.zst"))).toBe(true);
    const z = await compareWithExport(path.join(dir, "vzs"), { variantsPerPartition: 64, vzs: true });
    expect(z.dosages).toBe(r.dosages);
    const f = await compareWithExport(path.join(dir, "fixed"));
    expect(f.variants).toBe(400);
    expect(((await glow.read("pgen", path.join(dir, "fixed.pgen")).schema()).find((x: any) => x.name === "genotypes")!.type as any).genotypes.map((g: any) => g.name)).toEqual(["sampleId", "calls"]);
  });

  it("more than one variant block (70,000 variants: block offsets, partitions across the 65,536 boundary)", async () => {
    const p = path.join(dir, "blocks");
    writeFileSync(`${p}.vcf`, simulatedVcf(9, 70000, { phase: false, ds: false, seed: 4 }));
    run(["--vcf", `${p}.vcf`, "--make-pgen", "--out", p]);
    const b = readFileSync(`${p}.pgen`);
    const h = parsePgenHeader((o: number, l: number) => b.subarray(o, o + l), b.length);
    expect(h.nVariants).toBe(70000);
    expect(h.offsets[65536]).toBeGreaterThan(h.offsets[65535]!);
    const r = await compareWithExport(p, { variantsPerPartition: 9000 });
    expect(r.variants).toBe(70000);
    await compareFreq(p);
  }, 120_000);

  it("reads the .pvar's QUAL, FILTER and typed INFO", async () => {
    const rows = (await glow.read("pgen", path.join(dir, "dosage")).limit(3).collect()) as Record<string, any>[];
    const pvar = readFileSync(path.join(dir, "dosage.pvar"), "utf8").split("\n").filter((l) => l && !l.startsWith("#")).slice(0, 3).map((l) => l.split("\t"));
    rows.forEach((r, i) => {
      const f = pvar[i]!;
      expect(r.qual === null ? "." : String(r.qual)).toBe(f[5]);
      expect(r.filters).toEqual(f[6] === "." ? [] : f[6]!.split(";"));
      const info = new Map<string, string | undefined>(f[7]!.split(";").map((kv) => { const [k, v] = kv.split("="); return [k!, v]; }));
      expect(r.INFO_AF).toEqual(info.get("AF")!.split(",").map(Number));
      expect(r.INFO_TAG).toBe(info.get("TAG"));
      expect(r.INFO_FL).toBe(info.has("FL"));
    });
  });

  it("multiallelic hard calls (ALT2, ALT3: both patch-set categories) equal plink2's export", async () => {
    const b = readFileSync(path.join(dir, "hard.pgen"));
    const h = parsePgenHeader((o: number, l: number) => b.subarray(o, o + l), b.length);
    expect(h.types.filter((t: number) => (t & 8) !== 0).length).toBeGreaterThanOrEqual(5);
    const r = await compareWithExport(path.join(dir, "hard"), { variantsPerPartition: 50 });
    expect(r.variants).toBe(400);
    await compareFreq(path.join(dir, "hard"));
  });

  it("corrupt files: bad magic, truncated record table / records, .pvar and .psam counts", async () => {
    const src = path.join(dir, "dosage");
    const mk = (name: string): string => {
      const p = path.join(dir, name);
      for (const ext of [".pgen", ".pvar", ".psam"]) copyFileSync(src + ext, p + ext);
      return p;
    };
    const bad = mk("badmagic");
    const fd = openSync(`${bad}.pgen`, "r+"); writeSync(fd, Buffer.from([0x6c, 0x1c]), 0, 2, 0); closeSync(fd);
    await expect(glow.read("pgen", bad).count()).rejects.toMatchObject({ code: "PGEN", file: `${bad}.pgen`, message: expect.stringMatching(/magic/) });
    const head = mk("shortheader");
    truncateSync(`${head}.pgen`, 40);
    await expect(glow.read("pgen", head).count()).rejects.toMatchObject({ code: "PGEN", message: expect.stringMatching(/truncated/) });
    const tail = mk("shortrecords");
    truncateSync(`${tail}.pgen`, statSync(`${tail}.pgen`).size - 100);
    await expect(glow.read("pgen", tail).count()).rejects.toMatchObject({ code: "PGEN", file: `${tail}.pgen`, record: expect.stringMatching(/^variant \d+$/) });
    const pvar = mk("shortpvar");
    const lines = readFileSync(`${pvar}.pvar`, "utf8").trimEnd().split("\n");
    writeFileSync(`${pvar}.pvar`, lines.slice(0, -1).join("\n") + "\n");
    await expect(glow.read("pgen", pvar).count()).rejects.toMatchObject({ code: "PGEN", message: expect.stringMatching(/400 variants.*399/) });
    const psam = mk("shortpsam");
    writeFileSync(`${psam}.psam`, readFileSync(`${psam}.psam`, "utf8").trimEnd().split("\n").slice(0, -1).join("\n") + "\n");
    await expect(glow.read("pgen", psam).count()).rejects.toMatchObject({ code: "PGEN", message: expect.stringMatching(/200 samples.*199/) });
    // A record whose bytes disagree with its length: corrupt the first record's main track type.
    const rec = mk("badrecord");
    const b = readFileSync(`${rec}.pgen`);
    const h = parsePgenHeader((o: number, l: number) => b.subarray(o, o + l), b.length);
    const v = h.types.findIndex((t: number) => (t & 7) === 4 && (t & 0x60) === 0x20);
    expect(v).toBeGreaterThanOrEqual(0);
    const at = h.offsets[v]!;
    const fd2 = openSync(`${rec}.pgen`, "r+"); writeSync(fd2, Buffer.from([0x7f]), 0, 1, at); closeSync(fd2);
    await expect(glow.read("pgen", rec).count()).rejects.toMatchObject({ code: "PGEN", file: `${rec}.pgen`, record: `variant ${v}` });
  });

  it.skipIf(!HAVE_DATA)("REGENIE's example.pgen and a pgen made from example.bed equal plink2 and glowts' PLINK reader", async () => {
    const r = await compareWithExport(path.join(DATA, "regenie", "example"));
    expect(r.variants).toBe(1000);
    const p = path.join(dir, "fromBed");
    run(["--bfile", path.join(DATA, "regenie", "example"), "--make-pgen", "--out", p]);
    await compareWithExport(p, { variantsPerPartition: 128 });
    await compareFreq(p);
    const fromPgen = (await glow.read("pgen", p).collect()) as Record<string, any>[];
    const fromBed = (await glow.read("plink", path.join(DATA, "regenie", "example.bed")).collect()) as Record<string, any>[];
    expect(fromPgen.map((r) => [r.contigName, r.start, r.referenceAllele, r.alternateAlleles, r.genotypes.map((g: any) => g.sampleId + ":" + g.calls.join("/"))]))
      .toEqual(fromBed.map((r) => [r.contigName, r.start, r.referenceAllele, r.alternateAlleles, r.genotypes.map((g: any) => g.sampleId + ":" + g.calls.join("/"))]));
    // genotypeStates reads the packed bytes (the PLINK_BED fast path) and equals the calls.
    const states = (await glow.read("pgen", p).select(glow.functions.genotypeStates("genotypes").alias("s")).collect()) as Record<string, any>[];
    expect(states.map((r) => [...r.s])).toEqual(fromBed.map((r) => r.genotypes.map((g: any) => (g.calls[0] < 0 ? -1 : g.calls[0] + g.calls[1]))));
  });

  it.skipIf(!HAVE_DATA)("BGEN imports with dosages (REGENIE's example.bgen, Glow's 16-bit example with its .sample) equal plink2's DS", async () => {
    const a = path.join(dir, "regenieBgen");
    run(["--bgen", path.join(DATA, "regenie", "example.bgen"), "ref-first", "--make-pgen", "--out", a]);
    await compareWithExport(a);
    const b = path.join(dir, "glowBgen");
    run(["--bgen", path.join(DATA, "glow", "bgen", "example.16bits.bgen"), "ref-first", "--sample", path.join(DATA, "glow", "bgen", "example.16bits.oxford.sample"), "--make-pgen", "--out", b]);
    expect(recordTypes(`${b}.pgen`).flags.has(0x40)).toBe(true); // dense dosage track
    const r = await compareWithExport(b, { variantsPerPartition: 17 });
    expect(r.dosages).toBeGreaterThan(1000);
  });
});
