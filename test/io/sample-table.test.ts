/**
 * readSampleTable / readRegenieLoco / readRegeniePredList / tableToMatrix against the raw text of
 * REGENIE's example tables, Glow's GWAS CSVs and REGENIE step-1 .loco files, parsed independently
 * here (split on whitespace/commas, Number()). Tolerance: exact (the values are the same doubles).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import {
  offsetKey,
  parseOffsetKey,
  parseSampleTable,
  readRegenieLoco,
  readRegeniePredList,
  readSampleTable,
  tableToMatrix,
} from "../../dist/io/sample-table.js";
import { GlowtsError } from "../../dist/core/errors.js";

const DATA = path.resolve(process.cwd(), "../shared/data");
const HAS_DATA = existsSync(DATA);
if (!HAS_DATA) console.warn(`sample-table tests skipped: reference data folder ${DATA} is absent`);
const REGENIE = path.join(DATA, "regenie");
const GLOW_REGENIE = path.join(DATA, "glow/regenie");
const GWAS = path.join(DATA, "glow/gwas");

/** Independent raw parse: header + rows of tokens. */
function rawTable(file: string, sep: RegExp | string): { header: string[]; rows: string[][] } {
  let buf = readFileSync(file);
  if (file.endsWith(".gz")) buf = gunzipSync(buf);
  const lines = buf.toString("utf8").split("\n").filter((l) => l.trim() !== "");
  const split = (l: string) => l.trim().split(sep);
  return { header: split(lines[0]!), rows: lines.slice(1).map(split) };
}

const num = (s: string): number => (s === "NA" || s === "nan" || s === "NaN" || s === "" ? NaN : Number(s));

async function expectGlowtsError(p: Promise<unknown> | (() => unknown), check: (e: GlowtsError) => void): Promise<void> {
  let err: unknown;
  try {
    if (typeof p === "function") await p();
    else await p;
  } catch (e) {
    err = e;
  }
  expect(err, "expected a GlowtsError").toBeInstanceOf(GlowtsError);
  check(err as GlowtsError);
}

describe("sample-table module loading", () => {
  it("danfojs-node is imported lazily (no top-level import in the built module)", () => {
    const js = readFileSync(path.resolve(process.cwd(), "dist/io/sample-table.js"), "utf8");
    expect(js).not.toMatch(/^import[^;]*from\s*["']danfojs-node["']/m);
    expect(js).toMatch(/import\(["']danfojs-node["']\)/);
  });

  it("parseSampleTable (pure): FID IID → FID_IID, NA → NaN, strings kept, ragged row names its line", () => {
    const t = parseSampleTable("FID IID a b\n1 1 0.5 x\n1 2 NA NA\n", {}, "mem.txt");
    expect(t.index).toEqual(["1_1", "1_2"]);
    expect(t.columns).toEqual(["a", "b"]);
    expect(Array.from(t.data[0] as Float64Array)).toEqual([0.5, NaN]);
    expect(t.data[1]).toEqual(["x", null]);
    expect(() => parseSampleTable("id,a\ns1,1\ns2,1,2\n", {}, "mem.csv")).toThrow(/mem\.csv line 3/);
  });
});

describe.skipIf(!HAS_DATA)("readSampleTable vs raw text (needs ../shared/data)", () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(path.join(tmpdir(), "glowts-table-")); });
  afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

  for (const name of ["phenotype.txt", "covariates.txt", "phenotype_bin_wNA.txt"]) {
    it(`REGENIE ${name}: indexed by FID_IID, numeric columns equal the raw tokens`, async () => {
      const file = path.join(REGENIE, name);
      const raw = rawTable(file, /\s+/);
      const df = await readSampleTable(file);
      expect(df.columns).toEqual(raw.header.slice(2));
      expect(df.index).toEqual(raw.rows.map((r) => `${r[0]}_${r[1]}`));
      expect(df.dtypes.every((d: string) => d === "float32")).toBe(true);
      let nan = 0;
      raw.header.slice(2).forEach((c, j) => {
        const got = df.column(c).values as number[];
        const want = raw.rows.map((r) => num(r[j + 2]!));
        expect(got).toEqual(want);
        nan += got.filter((v) => Number.isNaN(v)).length;
      });
      const naTokens = raw.rows.flat().filter((s) => s === "NA").length;
      expect(nan).toBe(naTokens);
      if (name === "phenotype_bin_wNA.txt") expect(naTokens).toBeGreaterThan(0);
    });
  }

  it("REGENIE covariates.txt.gz (gzip by magic bytes) equals covariates.txt; mergeFidIid=false gives IID", async () => {
    const a = await readSampleTable(path.join(REGENIE, "covariates.txt"));
    const b = await readSampleTable(path.join(REGENIE, "covariates.txt.gz"));
    expect(b.index).toEqual(a.index);
    expect(b.values).toEqual(a.values);
    const c = await readSampleTable(path.join(REGENIE, "covariates.txt"), { mergeFidIid: false, sep: "whitespace" });
    expect(c.index).toEqual(rawTable(path.join(REGENIE, "covariates.txt"), /\s+/).rows.map((r) => r[1]));
  });

  it("REGENIE covariates_wBin.txt (tabs): a string column stays string; tableToMatrix skips it by default", async () => {
    const file = path.join(REGENIE, "covariates_wBin.txt");
    const raw = rawTable(file, "\t");
    const df = await readSampleTable(file);
    expect(df.columns).toEqual(["V1", "V2", "V3", "V4", "V5"]);
    expect(df.column("V5").values).toEqual(raw.rows.map((r) => r[6]));
    const m = tableToMatrix(df, df.index as string[]);
    expect(m.columns).toEqual(["V1", "V2", "V3", "V4"]);
    await expectGlowtsError(() => tableToMatrix(df, df.index as string[], ["V5"]), (e) => expect(e.code).toBe("OPTION"));
  });

  for (const name of ["covariates.csv.gz", "continuous-phenotypes.csv.gz", "binary-phenotypes.csv.gz", "continuous-offsets.csv.gz"]) {
    it(`Glow gwas/${name}: gzip CSV indexed by sample_id, values equal the raw text`, async () => {
      const file = path.join(GWAS, name);
      const raw = rawTable(file, ",");
      const df = await readSampleTable(file);
      const explicit = await readSampleTable(file, { indexColumn: "sample_id", sep: "," });
      expect(df.index).toEqual(raw.rows.map((r) => r[0]));
      expect(explicit.index).toEqual(df.index);
      expect(df.columns).toEqual(raw.header.slice(1));
      const m = tableToMatrix(df, df.index as string[]);
      const n = raw.rows.length;
      expect(m.nRows).toBe(n);
      raw.header.slice(1).forEach((_, j) => {
        for (let i = 0; i < n; i++) if (m.matrix[j * n + i] !== num(raw.rows[i]![j + 1]!)) throw new Error(`${name} row ${i} col ${j}`);
      });
    });
  }

  it("option `columns` selects and orders columns; unknown columns/options are OPTION errors", async () => {
    const file = path.join(REGENIE, "covariates.txt");
    const df = await readSampleTable(file, { columns: ["V3", "V1"] });
    expect(df.columns).toEqual(["V3", "V1"]);
    await expectGlowtsError(readSampleTable(file, { columns: ["V9"] }), (e) => {
      expect(e.code).toBe("OPTION");
      expect(e.message).toContain("V9");
    });
    await expectGlowtsError(readSampleTable(file, { index_col: "x" } as never), (e) => expect(e.code).toBe("OPTION"));
  });

  it("errors: a missing file and a ragged row name the file (and the line)", async () => {
    await expectGlowtsError(readSampleTable(path.join(dir, "nope.txt")), (e) => {
      expect(e.code).toBe("FILE_NOT_FOUND");
      expect(e.file).toBe(path.join(dir, "nope.txt"));
    });
    const ragged = path.join(dir, "ragged.txt");
    const lines = readFileSync(path.join(REGENIE, "phenotype.txt"), "utf8").split("\n");
    lines[4] = lines[4] + " 7";
    writeFileSync(ragged, lines.join("\n"));
    await expectGlowtsError(readSampleTable(ragged), (e) => {
      expect(e.code).toBe("TABLE_PARSE");
      expect(e.file).toBe(ragged);
      expect(e.record).toBe("line 5");
    });
    const dup = path.join(dir, "dup.csv");
    writeFileSync(dup, "sample_id,a\ns1,1\ns1,2\n");
    await expectGlowtsError(readSampleTable(dup), (e) => {
      expect(e.code).toBe("TABLE_PARSE");
      expect(e.message).toContain("s1");
    });
  });

  it("tableToMatrix aligns rows to a permuted id list (column-major) and lists missing ids", async () => {
    const file = path.join(REGENIE, "phenotype.txt");
    const raw = rawTable(file, /\s+/);
    const df = await readSampleTable(file);
    const ids = raw.rows.map((r) => `${r[0]}_${r[1]}`).reverse().slice(0, 50);
    const m = tableToMatrix(df, ids, ["Y2", "Y1"]);
    expect(m.columns).toEqual(["Y2", "Y1"]);
    expect(m.sampleIds).toEqual(ids);
    const byId = new Map(raw.rows.map((r) => [`${r[0]}_${r[1]}`, r]));
    ids.forEach((id, i) => {
      expect(m.matrix[i]).toBe(num(byId.get(id)![3]!));
      expect(m.matrix[50 + i]).toBe(num(byId.get(id)![2]!));
    });
    await expectGlowtsError(() => tableToMatrix(df, ["1_1", "x_y", "999_999"]), (e) => {
      expect(e.code).toBe("SAMPLE_MISMATCH");
      expect(e.message).toContain("'x_y'");
      expect(e.message).toContain("'999_999'");
      expect(e.message).toContain("2 of 3");
    });
  });
});

describe.skipIf(!HAS_DATA)("REGENIE .loco offsets (needs ../shared/data)", () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(path.join(tmpdir(), "glowts-loco-")); });
  afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

  it("readRegenieLoco(fit_lin_out_1.loco): long form keyed by (FID_IID, contig), values equal the raw text", async () => {
    const file = path.join(GLOW_REGENIE, "fit_lin_out_1.loco");
    const raw = rawTable(file, /\s+/);
    const df = await readRegenieLoco(file, { trait: "Y1" });
    const samples = raw.header.slice(1);
    const contigs = raw.rows.map((r) => r[0]!);
    expect(df.columns).toEqual(["Y1"]);
    expect(df.shape).toEqual([samples.length * contigs.length, 1]);
    expect(parseOffsetKey((df.index as string[])[0]!)).toEqual([samples[0], contigs[0]]);
    for (const contig of contigs) {
      const m = tableToMatrix(df, samples, ["Y1"], { contigName: contig });
      const row = raw.rows.find((r) => r[0] === contig)!;
      expect(Array.from(m.matrix)).toEqual(row.slice(1).map(num));
    }
    const dflt = await readRegenieLoco(file);
    expect(dflt.columns).toEqual(["fit_lin_out_1"]);
  });

  it("readRegeniePredList merges Y1 and Y2 (paths resolved next to the list), as Glow's tests merge them", async () => {
    const df = await readRegeniePredList(path.join(GLOW_REGENIE, "fit_lin_out_pred.list"));
    expect(df.columns).toEqual(["Y1", "Y2"]);
    const y1 = await readRegenieLoco(path.join(GLOW_REGENIE, "fit_lin_out_1.loco"), { trait: "Y1" });
    const y2 = await readRegenieLoco(path.join(GLOW_REGENIE, "fit_lin_out_2.loco"), { trait: "Y2" });
    expect(df.index).toEqual(y1.index);
    expect(df.column("Y1").values).toEqual(y1.column("Y1").values);
    expect(df.column("Y2").values).toEqual(y2.column("Y2").values);
  });

  it("a two-level CSV read with indexColumns ['sample_id','contigName'] matches the .loco it was written from", async () => {
    const file = path.join(GLOW_REGENIE, "fit_lin_out_1.loco");
    const raw = rawTable(file, /\s+/);
    const samples = raw.header.slice(1);
    const lines = ["sample_id,contigName,Y1"];
    for (const r of raw.rows) samples.forEach((s, j) => lines.push(`${s},${r[0]},${r[j + 1]}`));
    const csv = path.join(dir, "offsets.csv");
    writeFileSync(csv, lines.join("\n") + "\n");
    const df = await readSampleTable(csv, { indexColumns: ["sample_id", "contigName"] });
    expect(df.columns).toEqual(["Y1"]);
    expect((df.index as string[])[0]).toBe(offsetKey(samples[0]!, raw.rows[0]![0]!));
    const loco = await readRegenieLoco(file, { trait: "Y1" });
    for (const contig of ["1", "12", "23"]) {
      expect(tableToMatrix(df, samples, ["Y1"], { contigName: contig }).matrix).toEqual(tableToMatrix(loco, samples, ["Y1"], { contigName: contig }).matrix);
    }
    await expectGlowtsError(() => tableToMatrix(df, samples, ["Y1"], { contigName: "X" }), (e) => {
      expect(e.code).toBe("SAMPLE_MISMATCH");
      expect(e.message).toContain("contig 'X'");
    });
  });

  it("errors: a ragged .loco row names its line; a bad header names line 1", async () => {
    const text = readFileSync(path.join(GLOW_REGENIE, "fit_lin_out_1.loco"), "utf8").split("\n");
    text[3] = text[3]!.trim().split(" ").slice(0, -1).join(" ");
    const bad = path.join(dir, "bad.loco");
    writeFileSync(bad, text.join("\n"));
    await expectGlowtsError(readRegenieLoco(bad), (e) => {
      expect(e.code).toBe("LOCO_PARSE");
      expect(e.file).toBe(bad);
      expect(e.record).toBe("line 4");
    });
    const noHeader = path.join(dir, "nohead.loco");
    writeFileSync(noHeader, text.slice(1).join("\n"));
    await expectGlowtsError(readRegenieLoco(noHeader), (e) => {
      expect(e.code).toBe("LOCO_PARSE");
      expect(e.record).toBe("line 1");
    });
  });
});
