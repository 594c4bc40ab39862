/**
 * BGEN reader versus the QCTool-exported VCF twins and the cases of Glow's `BgenReaderSuite`
 * (test data: shared/data/glow/bgen, see its README).
 *
 * Tolerances: coordinates, names, alleles, sample ids and hard calls exact; posterior
 * probabilities within 1/(2^bits − 1) plus half a unit in the last decimal QCTool printed
 * (its VCFs carry 6 significant digits, coarser than 16/32-bit BGEN values).
 */
import { afterAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import initSqlJs from "sql.js";
import { GlowtsError } from "../../../dist/core/errors.js";
import { BGEN_DIR, DATA, canonical, expectSameData, readBgen, type ReadResult } from "./bgen-read.js";
import { printedHalfUlp, readTwinVcf } from "./bgen-vcf-twin.js";

const HAVE_DATA = existsSync(BGEN_DIR);
if (!HAVE_DATA) console.warn(`bgen tests skipped: test data folder ${DATA} is absent`);

const f = (name: string): string => path.join(BGEN_DIR, name);
const TMP = mkdtempSync(path.join(os.tmpdir(), "glowts-bgen-qctool-"));
afterAll(() => { rmSync(TMP, { recursive: true, force: true }); });

async function compareBgenToVcf(bgenName: string, vcfName: string, bits: number): Promise<ReadResult> {
  const got = await readBgen(f(bgenName));
  const twin = readTwinVcf(f(vcfName));
  expect(got.rows.length).toBe(twin.rows.length);
  const tol = 1 / (2 ** bits - 1);
  let compared = 0;
  got.rows.forEach((br, i) => {
    const vr = twin.rows[i]!;
    expect(br.contigName).toBe(vr.contigName);
    expect(br.start).toBe(vr.start);
    expect(br.end).toBe(vr.end);
    const names = [...new Set((br.names as string[]).filter((n) => n !== ""))].sort();
    expect(names).toEqual([...vr.ids].sort());
    expect(br.referenceAllele).toBe(vr.referenceAllele);
    expect(br.alternateAlleles).toEqual(vr.alternateAlleles);
    expect(br.genotypes.length).toBe(vr.genotypes.length);
    br.genotypes.forEach((bg: any, s: number) => {
      // QCTool invents ids ("NA0", "sample_0", ...) when the BGEN has none: compare real ids only.
      if (bg.sampleId !== undefined && bg.sampleId !== twin.sampleIds[s]) {
        throw new Error(`${bgenName} sample ${s}: id ${bg.sampleId} vs ${twin.sampleIds[s]}`);
      }
      const vg = vr.genotypes[s]!;
      const probs = bg.posteriorProbabilities as number[];
      if (vg.gp.every((x) => x === null)) {
        if (probs.length !== 0) throw new Error(`${bgenName} row ${i} sample ${s}: missing in VCF, got ${JSON.stringify(probs)}`);
        return;
      }
      if (probs.length !== vg.gp.length) throw new Error(`${bgenName} row ${i} sample ${s}: ${probs.length} probabilities vs ${vg.gp.length}`);
      for (let j = 0; j < probs.length; j++) {
        const diff = Math.abs(probs[j]! - vg.gp[j]!);
        if (!(diff <= tol + printedHalfUlp(vg.gpText[j]!))) {
          throw new Error(`${bgenName} row ${i} sample ${s} prob ${j}: ${probs[j]} vs ${vg.gpText[j]} (tolerance ${tol})`);
        }
        compared++;
      }
    });
  });
  expect(compared).toBeGreaterThan(0);
  return got;
}

async function compareHardCalls(bgenName: string, vcfName: string, threshold: number | undefined, filterPloidy = false): Promise<void> {
  const got = await readBgen(f(bgenName), threshold === undefined ? {} : { hardCallThreshold: threshold });
  const twin = readTwinVcf(f(vcfName));
  expect(got.rows.length).toBe(twin.rows.length);
  let n = 0;
  got.rows.forEach((br, i) => {
    const vr = twin.rows[i]!;
    expect(br.start).toBe(vr.start);
    br.genotypes.forEach((bg: any, s: number) => {
      let want = vr.genotypes[s]!.calls!;
      if (filterPloidy && want.length !== 2) want = want.map(() => -1); // Glow: non-diploids are no-calls
      if (JSON.stringify(bg.calls) !== JSON.stringify(want)) {
        throw new Error(`${bgenName} row ${i} sample ${s}: calls ${JSON.stringify(bg.calls)} vs GT ${JSON.stringify(want)}`);
      }
      n++;
    });
  });
  expect(n).toBeGreaterThan(0);
}

function sampleColumn(file: string, col: number): string[] {
  return readFileSync(file, "utf8").split("\n").slice(2).filter((l) => l.trim() !== "").map((l) => l.trim().split(/\s+/)[col]!);
}

async function expectGlowtsError(p: Promise<unknown>, code: string, file?: string): Promise<GlowtsError> {
  let err: unknown;
  try { await p; } catch (e) { err = e; }
  expect(err).toBeInstanceOf(GlowtsError);
  const g = err as GlowtsError;
  expect(g.code).toBe(code);
  if (file !== undefined) expect(g.message).toContain(file);
  return g;
}

describe.skipIf(!HAVE_DATA)("bgen vs QCTool VCF twins (Glow BgenReaderSuite compareBgenToVcf)", () => {
  it("unphased 8 bit", async () => { await compareBgenToVcf("example.8bits.bgen", "example.8bits.vcf", 8); });
  it("unphased 16 bit (with missing samples)", async () => {
    const r = await compareBgenToVcf("example.16bits.bgen", "example.16bits.vcf", 16);
    // A missing sample has empty probabilities (QCTool prints '.'), and no call.
    const missing = r.rows.flatMap((row) => row.genotypes.filter((g: any) => g.posteriorProbabilities.length === 0));
    expect(missing.length).toBeGreaterThan(0);
    for (const g of missing) expect(g.calls).toEqual([-1, -1]);
  });
  it("unphased 32 bit", async () => { await compareBgenToVcf("example.32bits.bgen", "example.32bits.vcf", 32); });
  it("no sample identifier block", async () => { await compareBgenToVcf("example.16bits.nosampleids.bgen", "example.16bits.vcf", 16); });
  it("zstd compressed (16 bits despite its name)", async () => { await compareBgenToVcf("example.8bits.zstd.bgen", "example.8bits.vcf", 8); });
  it("uncompressed (16 bits despite its name)", async () => { await compareBgenToVcf("example.8bits.uncompressed.bgen", "example.8bits.vcf", 8); });
  it("3 bits (no twin: against the 16-bit VCF within 1/7)", async () => { await compareBgenToVcf("example.3bits.bgen", "example.16bits.vcf", 3); });
  it("phased 16 bit", async () => { await compareBgenToVcf("phased.16bits.bgen", "phased.16bits.vcf", 16); });
  it("phased 8 bit", async () => { await compareBgenToVcf("phased.8bits.bgen", "phased.8bits.vcf", 8); });
  it("complex 16 bit (multi-allelic, ploidy 1-4, mixed phasing)", async () => {
    const r = await compareBgenToVcf("complex.16bits.bgen", "complex.16bits.vcf", 16);
    expect(new Set(r.rows.flatMap((row) => row.genotypes.map((g: any) => g.ploidy)))).toEqual(new Set([1, 2, 3, 4]));
  });

  it("names are [variantId, rsid]: rsid matches the bgenix index", async () => {
    const SQL = await initSqlJs();
    const db = new SQL.Database(readFileSync(f("example.16bits.bgen.bgi")));
    const res = db.exec("SELECT rsid, position FROM Variant ORDER BY file_start_position")[0]!;
    db.close();
    const { rows } = await readBgen(f("example.16bits.bgen"));
    expect(rows.map((r) => r.names[1])).toEqual(res.values.map((v) => v[0]));
    expect(rows.map((r) => r.start)).toEqual(res.values.map((v) => Number(v[1]) - 1));
    expect(rows.every((r) => r.names[0] !== r.names[1] && r.names[0].startsWith("SNPID"))).toBe(true);
  });
});

describe.skipIf(!HAVE_DATA)("bgen hard calls vs QCTool thresholded GT (Glow compareHardCalls)", () => {
  it("default threshold (0.9)", async () => { await compareHardCalls("example.16bits.bgen", "example.16bits.threshold-0.9.vcf", undefined); });
  it("threshold 0.9", async () => { await compareHardCalls("example.16bits.bgen", "example.16bits.threshold-0.9.vcf", 0.9); });
  it("threshold 0.95", async () => { await compareHardCalls("example.16bits.bgen", "example.16bits.threshold-0.95.vcf", 0.95); });
  it("phased", async () => { await compareHardCalls("phased.16bits.bgen", "phased.16bits.threshold-0.9.vcf", 0.9); });
  it("mixed phased and ploidy (non-diploids are -1s)", async () => {
    await compareHardCalls("complex.16bits.bgen", "complex.16bits.threshold-0.9.vcf", 0.9, true);
  });
});

describe.skipIf(!HAVE_DATA)("bgen sample ids (Glow BgenReaderSuite sample-file cases)", () => {
  const oxford = f("example.16bits.oxford");
  it("sample ids from a .sample file (ID_2)", async () => {
    const r = await readBgen(`${oxford}.bgen`, { sampleFilePath: `${oxford}.sample`, sampleIdColumn: "ID_2" });
    expect(r.rows[0]!.genotypes.map((g: any) => g.sampleId)).toEqual(sampleColumn(`${oxford}.sample`, 1));
    expect(r.plan.sampleIds).toEqual(sampleColumn(`${oxford}.sample`, 1));
  });
  it("default column is ID_2", async () => {
    const r = await readBgen(`${oxford}.bgen`, { sampleFilePath: `${oxford}.sample` });
    expect(r.rows[0]!.genotypes.map((g: any) => g.sampleId)).toEqual(sampleColumn(`${oxford}.sample`, 1));
  });
  it("same data as the file with a sample block", async () => {
    const a = await readBgen(`${oxford}.bgen`, { sampleFilePath: `${oxford}.sample` });
    const b = await readBgen(f("example.16bits.bgen"));
    expectSameData(canonical(a), canonical(b));
  });
  it("corrupted .sample file: GlowtsError naming it", async () => {
    const e = await expectGlowtsError(readBgen(`${oxford}.bgen`, { sampleFilePath: `${oxford}.corrupted.sample` }), "BGEN_SAMPLE_FILE", "example.16bits.oxford.corrupted.sample");
    expect(e.record).toBe("line 4");
  });
  it("the .sample file is used only when the bgen has no sample block", async () => {
    const r = await readBgen(f("example.16bits.bgen"), { sampleFilePath: f("example.fake.sample") });
    const ids = r.rows[0]!.genotypes.map((g: any) => g.sampleId as string);
    expect(ids.length).toBe(500);
    expect(ids.some((s: string) => s.startsWith("fake"))).toBe(false);
  });
  it("unknown column: GlowtsError", async () => {
    await expectGlowtsError(readBgen(`${oxford}.bgen`, { sampleFilePath: `${oxford}.sample`, sampleIdColumn: "FAKE" }), "BGEN_SAMPLE_FILE", "FAKE");
  });
  it("another column (ID_1)", async () => {
    const r = await readBgen(`${oxford}.bgen`, { sampleFilePath: f("example.sample"), sampleIdColumn: "ID_1" });
    expect(r.rows[0]!.genotypes.map((g: any) => g.sampleId)).toEqual(sampleColumn(f("example.sample"), 0));
  });
  it("default column absent from the file: GlowtsError", async () => {
    await expectGlowtsError(readBgen(`${oxford}.bgen`, { sampleFilePath: f("example.sample") }), "BGEN_SAMPLE_FILE", "example.sample");
  });
  it("sample count differs from the bgen: GlowtsError naming the .sample file", async () => {
    const short = path.join(TMP, "three.sample");
    writeFileSync(short, readFileSync(`${oxford}.sample`, "utf8").split("\n").slice(0, 5).join("\n") + "\n");
    await expectGlowtsError(readBgen(`${oxford}.bgen`, { sampleFilePath: short }), "BGEN_SAMPLE_FILE", short);
  });
});

describe.skipIf(!HAVE_DATA)("bgen schema (Glow BgenReaderSuite schema cases)", () => {
  const gFields = (r: ReadResult): string[] => {
    const g = r.plan.schema.find((x) => x.name === "genotypes")!.type as { genotypes: { name: string }[] };
    return g.genotypes.map((x) => x.name);
  };
  it("Glow's column order", async () => {
    const r = await readBgen(f("example.16bits.bgen"));
    expect(r.plan.schema.map((x) => x.name)).toEqual(["contigName", "start", "end", "names", "referenceAllele", "alternateAlleles", "genotypes"]);
    expect(gFields(r)).toEqual(["sampleId", "phased", "calls", "ploidy", "posteriorProbabilities"]);
    expect(Object.keys(r.rows[0]!)).toEqual(r.plan.schema.map((x) => x.name));
    expect(Object.keys(r.rows[0]!.genotypes[0])).toEqual(gFields(r));
  });
  it("no sampleId without ids", async () => {
    const r = await readBgen(f("example.16bits.nosampleids.bgen"));
    expect(gFields(r)).not.toContain("sampleId");
    expect(r.plan.sampleIds).toBeNull();
  });
  it("sampleId when at least one file has ids", async () => {
    const r = await readBgen([f("example.16bits.nosampleids.bgen"), f("example.16bits.bgen")]);
    expect(gFields(r)).toContain("sampleId");
    expect(r.rows.length).toBe(398);
  });
  it("sampleId when a .sample file is given", async () => {
    const r = await readBgen(f("example.16bits.nosampleids.bgen"), { sampleFilePath: f("example.16bits.oxford.sample") });
    expect(gFields(r)).toContain("sampleId");
  });
  it("includeSampleIds=false", async () => {
    const r = await readBgen(f("example.16bits.bgen"), { includeSampleIds: false });
    expect(gFields(r)).not.toContain("sampleId");
    expect(r.rows[0]!.genotypes[0].sampleId).toBeUndefined();
  });
  it("emitHardCalls=false", async () => {
    const r = await readBgen(f("example.16bits.bgen"), { emitHardCalls: false });
    expect(gFields(r)).not.toContain("calls");
    expect(r.rows[0]!.genotypes[0].calls).toBeUndefined();
  });
  it("dense lists for uniform data, ragged otherwise", async () => {
    const g = (r: ReadResult) => (r.batches[0]!.columns["genotypes"] as any).fields;
    const regular = await readBgen(f("example.8bits.bgen"));
    expect(g(regular).calls.width).toBe(2);
    expect(g(regular).posteriorProbabilities.offsets).toBeDefined(); // has missing samples
    const complex = await readBgen(f("complex.16bits.bgen"));
    expect(g(complex).calls.offsets).toBeDefined();
  });
});

describe.skipIf(!HAVE_DATA)("bgen options, files and index", () => {
  it("unknown options are rejected", async () => {
    const e = await expectGlowtsError(readBgen(f("example.16bits.bgen"), { hardCallTreshold: 0.5 }), "OPTION", "hardCallTreshold");
    expect(e.option).toBe("hardCallTreshold");
    await expectGlowtsError(readBgen(f("example.16bits.bgen"), { emitHardCalls: "maybe" }), "OPTION", "emitHardCalls");
  });
  it("option names are case-insensitive and accept Spark-style strings", async () => {
    const a = await readBgen(f("complex.16bits.bgen"), { HARDCALLTHRESHOLD: "0.95", emithardcalls: "true" });
    const b = await readBgen(f("complex.16bits.bgen"), { hardCallThreshold: 0.95 });
    expect(a.rows).toEqual(b.rows);
  });
  it("skips files without the .bgen extension unless ignoreExtension", async () => {
    const r = await readBgen([f("example.8bits.bgen"), f("example.8bits.vcf")]);
    expect(r.rows.length).toBe(199);
    await expectGlowtsError(readBgen([f("example.8bits.bgen"), f("example.8bits.vcf")], { ignoreExtension: true }), "BGEN_MAGIC", "example.8bits.vcf");
  });
  it("index and no index give the same rows", async () => {
    const withIndex = await readBgen(f("example.16bits.bgen"));
    const noIndexFile = await readBgen(f("example.16bits.noindex.bgen"));
    const indexOff = await readBgen(f("example.16bits.bgen"), { useBgenIndex: false });
    expectSameData(canonical(noIndexFile), canonical(withIndex));
    expectSameData(canonical(indexOff), canonical(withIndex));
  });
  it("zstd equals uncompressed (same 16-bit data)", async () => {
    const z = await readBgen(f("example.8bits.zstd.bgen"));
    const u = await readBgen(f("example.8bits.uncompressed.bgen"));
    expectSameData(canonical(z), canonical(u));
  });
  it("a stale index is ignored (rows still right)", async () => {
    const p = path.join(TMP, "x.bgen");
    copyFileSync(f("example.8bits.bgen"), p);
    copyFileSync(f("example.16bits.bgen.bgi"), `${p}.bgi`); // index of another file
    const r = await readBgen(p);
    const ref = await readBgen(f("example.8bits.bgen"));
    expectSameData(canonical(r), canonical(ref));
  });
});
