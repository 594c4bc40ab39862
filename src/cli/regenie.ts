/**
 * `glowts step1` / `glowts step2`: REGENIE's command line for the common path, running GloWGR
 * (step 1, LOCO predictions) and Glow's GWAS regression (step 2) and writing REGENIE's output files
 * (`<out>_<i>.loco`, `<out>_pred.list`, `<out>_<trait>.regenie`), so that a REGENIE script runs
 * with glowts instead.
 *
 * As REGENIE: the analysed samples are those in the genotype, phenotype, covariate (and, in step
 * 2, prediction) files, after `--keep/--remove`; the log says what each file contributed and lost.
 * Genotypes are alt-allele hard-call dosages (`genotypeStates`), missing ones mean-imputed over the
 * analysed samples; A1FREQ is over the analysed samples. Step 1 (quantitative traits) is
 * `glow.wgr.regenieRidge` (REGENIE's ridge: covariates regressed out of traits and genotypes,
 * λ = m(1−h²)/h², fold-specific level 1; `--cv K` folds = sample blocks, `--bsize` variants per
 * block); `.loco` files hold the genetic part of the prediction in units of the residualized,
 * unit-variance trait, one row per chromosome 1–22 and 23 (X) — chromosomes without variants get
 * the whole-genome prediction —, as REGENIE writes them (NA for a sample whose phenotype is
 * missing). Binary traits (`--bt`) use REGENIE's level 1 for them (`glow.wgr.regenieLogisticLevel1`:
 * ridge logistic regression on the level-0 predictions with the covariates' null-model linear
 * predictor as offset; predictions on the logit scale, without that offset). Step 2
 * passes a `.loco` row to `glow.gwas` as the offset, which subtracts it from the trait residualized
 * on the covariates (over the trait's observed samples) and scaled to unit variance: the scale
 * REGENIE's `.loco` rows are in, so REGENIE's files and glowts' are interchangeable.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { setFlagsFromString as setV8Flags } from "node:v8";
import { GlowtsError } from "../core/errors.js";
import { parseDouble } from "../core/numbers.js";
import { parseRegenieLoco } from "../io/sample-table.js";
import { writeTextAtomic, writeTextFilesAtomic } from "../io/writers/atomic.js";
import { writeRegenieFiles } from "../io/writers/regenie.js";
import { REGENIE_COLUMNS } from "./regenie-columns.js";
import { CONTIGS_METADATA } from "../core/schema.js";
import { BED_HEADER_BYTES, bedBlockSize } from "../io/plink/bed-codec.js";
import { accessSync, constants as fsConstants, statSync } from "node:fs";
import type { FlagSpec, ParsedFlags } from "./args.js";
import { UsageError, flagsHelp, parseFlags } from "./args.js";
import { config as engineConfig } from "../engine/config.js";
import { blockPlinkVariants } from "../wgr/packed-bed-blocks.js";

/**
 * Genotype bytes per partition in step 1 (unless the user set a partition size with `glow.config`).
 * Step 1 decodes every genotype of a partition to float64 values, several copies of them per
 * partition in flight; at the readers' default (1 MB of .bed bytes ≈ 32 MB of values per copy)
 * the engine's workers held ≈ 0.5 GB before any fit. 256 kB ≈ 8 MB per copy.
 */
export const STEP1_BYTES_PER_PARTITION = 1 << 18;

/**
 * Young generation of the engine's workers in step 2 and of the fit workers in step 1 (unless set with `glow.config`), in MB. The
 * workers allocate little on their heaps but read each partition's genotype bytes: with V8's
 * default (≈ 48 MB) dozens of partitions' bytes wait for a collection, ≈ 60 MB per worker.
 */
export const STEP2_WORKER_YOUNG_GENERATION_MB = 2;

/**
 * Step 2's calling thread parses the input tables and then waits on the workers. Their strings
 * survive a few scavenges, on which V8 doubles the young generation up to 32 MB, memory it keeps
 * for the rest of the run; a growth factor of 1 (a V8 flag read at each growth) keeps it at its
 * initial 2 MB: ≈ 20 MB less peak RSS at 10,000 samples, the same results.
 */
function keepYoungGenerationSmall(): void {
  setV8Flags("--semi-space-growth-factor=1");
}

const common: Record<string, FlagSpec> = {
  bed: { kind: "string", help: "PLINK prefix (reads PREFIX.bed/.bim/.fam)" },
  bgen: { kind: "string", help: "BGEN file" },
  pgen: { kind: "string", help: "PLINK 2 prefix (reads PREFIX.pgen/.pvar/.psam; hard calls)" },
  sample: { kind: "string", help: "Oxford .sample file for a BGEN without sample ids" },
  phenoFile: { kind: "string", help: "phenotype file (FID IID Y1 Y2 ...)" },
  phenoColList: { kind: "list", help: "phenotypes to analyse (default: all)" },
  covarFile: { kind: "string", help: "covariate file (FID IID C1 C2 ...)" },
  covarColList: { kind: "list", help: "covariates to use (default: all)" },
  bt: { kind: "switch", help: "binary traits" },
  bsize: { kind: "int", help: "variants per block" },
  keep: { kind: "string", help: "file of FID IID to keep" },
  remove: { kind: "string", help: "file of FID IID to remove" },
  extract: { kind: "string", help: "file of variant ids to keep" },
  exclude: { kind: "string", help: "file of variant ids to remove" },
  threads: { kind: "int", help: "worker threads (default: all cores)" },
  out: { kind: "string", help: "output prefix" },
  "ref-first": { kind: "switch", help: "first BGEN allele is the reference (always the case in glowts)" },
  step: { kind: "int", help: "1 or 2 (implied by the command)" },
  lowmem: { kind: "switch", help: "accepted for compatibility (no effect)" },
  "lowmem-prefix": { kind: "string", help: "accepted for compatibility (no effect)" },
  split: { kind: "switch", help: "one output file per trait (always the case in glowts)" },
  catCovarList: { kind: "list", help: "categorical covariates (one-hot encoded, first level in sorted order is the reference)" },
  "1": { kind: "switch", help: "binary traits are coded 1/2 (control/case) instead of 0/1" },
  cc12: { kind: "switch", help: "same as --1" },
};

export const step1Flags: Record<string, FlagSpec> = {
  ...common,
  loocv: { kind: "switch", help: "leave-one-out cross validation (not supported: use --cv)" },
  cv: { kind: "int", help: "number of cross-validation folds = sample blocks (default 5)" },
};

export const step2Flags: Record<string, FlagSpec> = {
  ...common,
  pred: { kind: "string", help: "step 1 _pred.list (LOCO offsets)" },
  firth: { kind: "switch", help: "Firth correction for binary traits (with --approx)" },
  approx: { kind: "switch", help: "approximate Firth (the only Firth mode)" },
  pThresh: { kind: "number", help: "p-value threshold below which Firth is applied (default 0.05)" },
  minMAC: { kind: "number", help: "skip variants with a minor allele count below this (default 5)" },
};

function need(flags: ParsedFlags, name: string): string {
  const v = flags[name];
  if (typeof v !== "string" || v === "") throw new UsageError(`--${name} is required`);
  return v;
}

function needFile(file: string, flag: string): string {
  if (!existsSync(file)) throw new UsageError(`--${flag}: file not found: ${file}`);
  return file;
}

/** Reads a whitespace-separated list of ids (first column, or FID_IID when two columns). */
function readIdFile(file: string, flag: string, twoColumns: boolean): Set<string> {
  const text = readFileSync(needFile(file, flag), "utf8");
  const ids = new Set<string>();
  text.split(/\r?\n/).forEach((line) => {
    const f = line.trim().split(/\s+/).filter((x) => x !== "");
    if (f.length === 0) return;
    ids.add(twoColumns && f.length >= 2 ? `${f[0]}_${f[1]}` : f[0]!);
  });
  return ids;
}

type Glow = typeof import("../index.js");
type Frame = import("../frame/variant-frame.js").VariantFrame;

/**
 * What {@link loadInputs} and step 2 use of the package. Step 2 imports these modules alone (step 1
 * them and its GloWGR modules): the package entry also loads the display, the plots and all of GloWGR
 * (≈ 45 MB of RSS and 0.5 s).
 */
type Lib = Pick<Glow, "read" | "config" | "functions" | "col" | "shutdown"> & {
  io: Pick<Glow["io"], "parseOxfordSampleFile">;
  gwas: Pick<Glow["gwas"], "linearRegression" | "logisticRegression">;
};

async function stepTwoLib(): Promise<Lib> {
  const [read, config, functions, expr, sampleFile, gwas, pool] = await Promise.all([
    import("../frame/read.js"), import("../engine/config.js"), import("../functions/index.js"), import("../core/expr.js"),
    import("../io/bgen/sample-file.js"), import("../gwas/api.js"), import("../engine/pool.js"),
  ]);
  return {
    read: read.read, config: config.config, functions, col: expr.col, shutdown: pool.shutdown,
    io: { parseOxfordSampleFile: sampleFile.parseOxfordSampleFile },
    gwas: { linearRegression: gwas.linearRegression, logisticRegression: gwas.logisticRegression },
  };
}

/** What step 1 uses of the package: {@link Lib} and REGENIE's GloWGR (imported alone, as step 2's modules). */
type StepOneLib = Lib & {
  wgr: Pick<Glow["wgr"], "blockVariantsAndSamples" | "regenieLevel0" | "regenieRidgeLevel1" | "regenieLogisticLevel1">;
};

async function stepOneLib(): Promise<StepOneLib> {
  const [base, streamed, ridge, logistic] = await Promise.all([
    stepTwoLib(), import("../wgr/streamed-blocks.js"), import("../wgr/regenie-ridge.js"), import("../wgr/regenie-logistic.js"),
  ]);
  return {
    ...base,
    wgr: {
      blockVariantsAndSamples: streamed.blockVariantsAndSamples, regenieLevel0: ridge.regenieLevel0,
      regenieRidgeLevel1: ridge.regenieRidgeLevel1, regenieLogisticLevel1: logistic.regenieLogisticLevel1,
    },
  };
}

/** A numeric sample table in the `{index, columns, data}` form glow.wgr and glow.gwas accept. */
interface Table { index: string[]; columns: string[]; data: Record<string, Float64Array> }

/** A `FID IID c1 c2 …` file: ids (FID_IID), header and string cells. */
interface RawTable { file: string; ids: string[]; header: string[]; cells: string[][] }

function readRawTable(file: string, flag: string): RawTable {
  const text = readFileSync(needFile(file, flag), "utf8");
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  if (lines.length === 0) throw new GlowtsError("TABLE", `--${flag} ${file}: empty file`, { file });
  const header = lines[0]!.trim().split(/\s+/);
  if (header.length < 3 || header[0] !== "FID" || header[1] !== "IID") throw new GlowtsError("TABLE", `--${flag} ${file}: the header must start with FID IID and name at least one column`, { file, record: "line 1" });
  const ids: string[] = [];
  const cells: string[][] = [];
  const seen = new Set<string>();
  lines.slice(1).forEach((l, i) => {
    const f = l.trim().split(/\s+/);
    if (f.length !== header.length) throw new GlowtsError("TABLE", `--${flag} ${file}: line ${i + 2} has ${f.length} fields, the header ${header.length}`, { file, record: `line ${i + 2}` });
    const id = `${f[0]}_${f[1]}`;
    if (seen.has(id)) throw new GlowtsError("TABLE", `--${flag} ${file}: sample ${id} appears twice`, { file, record: `line ${i + 2}` });
    seen.add(id);
    ids.push(id);
    cells.push(f.slice(2));
  });
  return { file, ids, header: header.slice(2), cells };
}

const MISSING = new Set(["NA", "na", "NaN", "nan", "."]);

/** Numeric columns of a raw table; `NA` → NaN; anything else not finite is an error naming file, column and sample. */
function numericColumns(t: RawTable, flag: string, names: string[], missing: Set<string>): Table {
  const data: Record<string, Float64Array> = {};
  for (const name of names) {
    const j = t.header.indexOf(name);
    if (j < 0) throw new GlowtsError("TABLE", `--${flag} ${t.file}: no column '${name}' (columns: ${t.header.join(", ")})`, { file: t.file });
    const v = new Float64Array(t.ids.length);
    t.cells.forEach((row, i) => {
      const c = row[j]!;
      if (missing.has(c)) { v[i] = NaN; return; }
      const x = parseDouble(c, false) ?? NaN;
      if (!Number.isFinite(x)) throw new GlowtsError("VALUE", `--${flag} ${t.file}: column '${name}', sample ${t.ids[i]}: '${c}' is not a finite number`, { file: t.file, record: `sample ${t.ids[i]}, column ${name}` });
      v[i] = x;
    });
    data[name] = v;
  }
  return { index: t.ids, columns: names, data };
}

/** Rows of `t` for `ids` (in that order). */
function subsetTable(t: Table, ids: string[]): Table {
  const pos = new Map(t.index.map((s, i) => [s, i]));
  const data: Record<string, Float64Array> = {};
  for (const c of t.columns) { const src = t.data[c]!; data[c] = Float64Array.from(ids, (s) => src[pos.get(s)!]!); }
  return { index: ids, columns: [...t.columns], data };
}

interface Inputs<G extends Lib = Lib> {
  glow: G;
  /**
   * Genotypes of the analysed samples with A1FREQ, MAC, N, INFO: `values` (mean-imputed over
   * them), or, when `packed`, `genotypes` in PLINK `.bed` codes restricted to them (./sample-subset.ts
   * `subsetBedSamples`; `meanSubstitute(genotypeStates(genotypes))` gives the same values).
   */
  frame: Frame;
  /** True when `frame` has packed `genotypes` instead of `values` (step 2 with `--bed`/`--pgen`). */
  packed: boolean;
  /** The genotype file's variants after `--extract/--exclude` (the columns as read). */
  variants: Frame;
  /** Analysed samples in the genotype file's order. */
  sampleIds: string[];
  phenotypes: Table;
  covariates: Table | null;
  traits: string[];
  out: string;
  logLines: string[];
  /** With `--bed`: what GloWGR needs to read the packed `.bed` itself (step 1, see wgr/packed-bed-blocks.ts). */
  plink?: { bed: string; famSamples: number; keep: number[]; keepVariant?: (id: string) => boolean };
}

/** Reads genotypes, phenotypes and covariates as both steps need them; `extraIds` is the prediction files' samples (step 2). */
async function loadInputs(flags: ParsedFlags, step: 1, log: (s: string) => void, extraIds?: { what: string; ids: Set<string> }): Promise<Inputs<StepOneLib>>;
async function loadInputs(flags: ParsedFlags, step: 2, log: (s: string) => void, extraIds?: { what: string; ids: Set<string> }): Promise<Inputs>;
async function loadInputs(flags: ParsedFlags, step: 1 | 2, log: (s: string) => void, extraIds?: { what: string; ids: Set<string> }): Promise<Inputs> {
  const glow: Lib = step === 1 ? await stepOneLib() : await stepTwoLib();
  const logLines: string[] = [];
  const say = (s: string): void => { logLines.push(s); log(s); };
  if (typeof flags["threads"] === "number") {
    if (flags["threads"] < 1) throw new UsageError("--threads must be ≥ 1");
    glow.config({ workers: flags["threads"] });
  }
  if (flags["step"] !== undefined && flags["step"] !== step) throw new UsageError(`--step ${String(flags["step"])} contradicts the command step${step}`);
  const out = need(flags, "out");
  checkOutFolder(out);
  const sources = ["bed", "bgen", "pgen"].filter((k) => flags[k] !== undefined);
  if (sources.length !== 1) throw new UsageError("give exactly one of --bed, --bgen or --pgen");
  let frame: Frame;
  let fileIds: string[];
  let plinkBed: string | undefined;
  if (flags["pgen"]) {
    const prefix = String(flags["pgen"]).replace(/\.pgen$/, "");
    for (const ext of [".pgen", ".pvar", ".psam"]) needFile(prefix + ext, "pgen");
    frame = glow.read("pgen", `${prefix}.pgen`);
    const ids = (await frame.sampleIds())!;
    // REGENIE identifies samples by FID_IID; a .psam without FID gives FID = IID.
    const head = readFileSync(`${prefix}.psam`, "utf8").split("\n").find((l) => !l.startsWith("##")) ?? "";
    const hasFid = !head.startsWith("#") || /^#FID\b/i.test(head);
    fileIds = hasFid ? ids : ids.map((i) => `${i}_${i}`);
    say(`genotypes: ${prefix}.pgen/.pvar/.psam, ${fileIds.length} samples (hard calls)`);
  } else if (flags["bed"]) {
    const prefix = String(flags["bed"]).replace(/\.bed$/, "");
    for (const ext of [".bed", ".bim", ".fam"]) needFile(prefix + ext, "bed");
    frame = glow.read("plink", `${prefix}.bed`, { famDelimiter: "whitespace", bimDelimiter: "whitespace" });
    fileIds = (await frame.sampleIds())!;
    plinkBed = `${prefix}.bed`;
    say(`genotypes: ${prefix}.bed/.bim/.fam, ${fileIds.length} samples`);
  } else {
    const bgen = needFile(String(flags["bgen"]), "bgen");
    const opts: Record<string, unknown> = {};
    let idsFromSampleFile: string[] | undefined;
    if (flags["sample"]) {
      const sf = needFile(String(flags["sample"]), "sample");
      opts["sampleFilePath"] = sf;
      // REGENIE identifies samples by FID_IID: ID_1 and ID_2 of the .sample file.
      const id1 = glow.io.parseOxfordSampleFile(readFileSync(sf, "utf8"), "ID_1", sf);
      const id2 = glow.io.parseOxfordSampleFile(readFileSync(sf, "utf8"), "ID_2", sf);
      idsFromSampleFile = id1.map((a, i) => `${a}_${id2[i]}`);
    }
    frame = glow.read("bgen", bgen, opts);
    const ids = await frame.sampleIds();
    fileIds = idsFromSampleFile && (ids === null || flags["sample"]) ? idsFromSampleFile : ids ?? [];
    if (fileIds.length === 0) throw new UsageError(`--bgen ${bgen} has no sample ids: give --sample`);
    say(`genotypes: ${bgen}, ${fileIds.length} samples (expected dosages from the probabilities)`);
  }
  const extract = flags["extract"] ? readIdFile(String(flags["extract"]), "extract", false) : null;
  const exclude = flags["exclude"] ? readIdFile(String(flags["exclude"]), "exclude", false) : null;
  if (extract) frame = frame.filter(glow.functions.arraysOverlap("names", [...extract]));
  if (exclude) frame = frame.filter(glow.functions.arraysOverlap("names", [...exclude]).not());

  // phenotypes
  const phenoRaw = readRawTable(need(flags, "phenoFile"), "phenoFile");
  const traits = (flags["phenoColList"] as string[] | undefined) ?? phenoRaw.header;
  const bt = Boolean(flags["bt"]);
  const coding12 = Boolean(flags["1"] || flags["cc12"]);
  if (coding12 && !bt) throw new UsageError("--1/--cc12 apply to binary traits: add --bt");
  const phenoAll = numericColumns(phenoRaw, "phenoFile", traits, bt ? new Set([...MISSING, "-9"]) : MISSING);
  if (bt) {
    for (const t of traits) {
      const v = phenoAll.data[t]!;
      v.forEach((x, i) => {
        if (Number.isNaN(x)) return;
        const y = coding12 ? x - 1 : x;
        if (y !== 0 && y !== 1) {
          throw new GlowtsError("VALUE", `--phenoFile ${phenoRaw.file}: column '${t}', sample ${phenoAll.index[i]}: ${x} is not a binary value (${coding12 ? "1 = control, 2 = case with --1" : "0 = control, 1 = case; use --1 for 1/2 coding"}; NA or -9 = missing)`, { file: phenoRaw.file, record: `sample ${phenoAll.index[i]}, column ${t}` });
        }
        v[i] = y;
      });
    }
  }
  // covariates (categorical ones one-hot, reference = first level in sorted order)
  let covAll: Table | null = null;
  const catCols = (flags["catCovarList"] as string[] | undefined) ?? [];
  if (flags["covarFile"]) {
    const covRaw = readRawTable(String(flags["covarFile"]), "covarFile");
    for (const c of catCols) if (!covRaw.header.includes(c)) throw new GlowtsError("TABLE", `--catCovarList: no column '${c}' in ${covRaw.file} (columns: ${covRaw.header.join(", ")})`, { file: covRaw.file });
    const wanted = (flags["covarColList"] as string[] | undefined) ?? covRaw.header.filter((c) => !catCols.includes(c));
    covAll = numericColumns(covRaw, "covarFile", wanted.filter((c) => !catCols.includes(c)), MISSING);
    for (const c of catCols) {
      const j = covRaw.header.indexOf(c);
      const vals = covRaw.cells.map((r) => r[j]!);
      const levels = [...new Set(vals.filter((v) => !MISSING.has(v)))].sort();
      for (const lev of levels.slice(1)) {
        const name = `${c}_${lev}`;
        covAll.columns.push(name);
        covAll.data[name] = Float64Array.from(vals, (v) => (MISSING.has(v) ? NaN : v === lev ? 1 : 0));
      }
      say(`categorical covariate ${c}: ${levels.length} levels, reference '${levels[0]}'`);
    }
  } else if (catCols.length) throw new UsageError("--catCovarList needs --covarFile");

  // samples: genotype ∩ phenotype ∩ covariates ∩ predictions, then --keep/--remove
  const keep = flags["keep"] ? readIdFile(String(flags["keep"]), "keep", true) : undefined;
  const remove = flags["remove"] ? readIdFile(String(flags["remove"]), "remove", true) : undefined;
  const inPheno = new Set(phenoAll.index);
  const inCov = covAll ? new Set(covAll.index) : null;
  const sets: [string, Set<string>][] = [["phenotype file", inPheno]];
  if (inCov) sets.push(["covariate file", inCov]);
  if (extraIds) sets.push([extraIds.what, extraIds.ids]);
  let ids = fileIds;
  for (const [what, set] of sets) {
    const before = ids.length;
    ids = ids.filter((s) => set.has(s));
    const inGeno = new Set(fileIds);
    const extra = [...set].filter((s) => !inGeno.has(s)).length;
    say(`  ${what}: ${set.size} samples (${extra} not in the genotype file); ${before - ids.length} sample(s) dropped as absent from it`);
  }
  if (keep) { const b = ids.length; ids = ids.filter((s) => keep.has(s)); say(`  --keep: ${b - ids.length} sample(s) dropped`); }
  if (remove) { const b = ids.length; ids = ids.filter((s) => !remove.has(s)); say(`  --remove: ${b - ids.length} sample(s) dropped`); }
  say(`samples analysed: ${ids.length} of ${fileIds.length} in the genotype file`);
  if (ids.length < 2) throw new GlowtsError("SAMPLES", `only ${ids.length} sample(s) are in every input file`);
  const phenotypes = subsetTable(phenoAll, ids);
  const covariates = covAll ? subsetTable(covAll, ids) : null;
  for (const t of traits) {
    const v = phenotypes.data[t]!;
    let first = NaN;
    let varies = false;
    let nObs = 0;
    for (const x of v) { if (Number.isNaN(x)) continue; nObs++; if (Number.isNaN(first)) first = x; else if (x !== first) varies = true; }
    if (!varies) throw new GlowtsError("VALUE", `--phenoFile ${phenoRaw.file}: column '${t}' is constant (or has < 2 values) over the ${ids.length} analysed samples`, { file: phenoRaw.file, record: `column ${t}` });
    const k = 1 + (covariates ? covariates.columns.length : 0);
    if (nObs <= k) throw new GlowtsError("VALUE", `--covarFile: ${k} covariate column(s) (intercept included) for ${nObs} samples with '${t}' observed: more covariates than samples`, { record: `column ${t}` });
  }
  if (covariates) {
    for (const c of covariates.columns) {
      const v = covariates.data[c]!;
      const i = v.findIndex((x) => Number.isNaN(x));
      if (i >= 0) throw new GlowtsError("VALUE", `--covarFile ${String(flags["covarFile"])}: column '${c}', sample ${ids[i]}: missing value (remove the sample with --remove or impute it)`, { file: String(flags["covarFile"]), record: `sample ${ids[i]}, column ${c}` });
      if (v.every((x) => x === v[0])) throw new GlowtsError("VALUE", `--covarFile ${String(flags["covarFile"])}: column '${c}' is constant over the analysed samples`, { file: String(flags["covarFile"]), record: `column ${c}` });
    }
  }
  const pos = new Map(fileIds.map((s, i) => [s, i]));
  const keepPos = ids.map((s) => pos.get(s)!);
  const subsetModule = new URL("./sample-subset.js", import.meta.url).href;
  // per-trait A1FREQ/N/INFO over the samples with the trait observed (only for traits with missing values)
  const traitSamples = traits.flatMap((t) => {
    const v = phenotypes.data[t]!;
    if (!v.some((x) => Number.isNaN(x))) return [];
    const observed: number[] = [];
    v.forEach((x, i) => { if (!Number.isNaN(x)) observed.push(i); });
    return [{ name: t, observed }];
  });
  // Step 2 on PLINK codes (--bed, --pgen): the genotypes stay packed, the GWAS kernel decodes them
  if (step === 2 && !flags["bgen"]) {
    const packedFrame = frame.mapPartitions(subsetModule, "subsetBedSamples", { keep: keepPos, traits: traitSamples });
    return { glow, frame: packedFrame, packed: true, variants: frame, sampleIds: ids, phenotypes, covariates, traits, out, logLines };
  }
  // BGEN: expected dosages from the probabilities (REGENIE's default); PLINK: hard calls
  const withValues = flags["bgen"]
    ? frame.mapPartitions(new URL("./bgen-dosage.js", import.meta.url).href, "bgenDosage", {})
    : frame.withColumn("values", glow.functions.genotypeStates("genotypes"));
  const values = withValues.mapPartitions(subsetModule, "subsetSamples", { keep: keepPos, traits: traitSamples });
  const keepVariant = extract || exclude ? (id: string) => (!extract || extract.has(id)) && !(exclude && exclude.has(id)) : undefined;
  const plink = plinkBed ? { bed: plinkBed, famSamples: fileIds.length, keep: keepPos, keepVariant } : undefined;
  return { glow, frame: values, packed: false, variants: frame, sampleIds: ids, phenotypes, covariates, traits, out, logLines, plink };
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return "NA";
  return String(Number(v.toPrecision(6)));
}

/** REGENIE's chromosome code: 1–22 as numbers, X/XY/PAR → 23, a `chr` prefix dropped. */
export function regenieChromosome(contig: string): number | null {
  const c = contig.replace(/^chr/i, "").toUpperCase();
  if (/^[0-9]+$/.test(c)) return Number(c);
  if (c === "X" || c === "XY" || c === "PAR1" || c === "PAR2" || c === "X_PAR1" || c === "X_PAR2") return 23;
  return null;
}

/** Writes `<out>.log` (command line, inputs, counts, timings) next to the outputs. */
function writeLog(out: string, command: string, argv: string[], lines: string[], t0: number): void {
  const text = [
    `glowts ${command}`, `start: ${new Date(t0).toISOString()}`, "",
    "options in effect:", `  glowts ${command} ${argv.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(" ")}`, "",
    ...lines, "", `elapsed: ${((Date.now() - t0) / 1000).toFixed(2)} s`, `end: ${new Date().toISOString()}`,
  ].join("\n") + "\n";
  writeTextAtomic(path.resolve(`${out}.log`), text);
}

/** `glowts step1`: LOCO predictions written as REGENIE `.loco` files and `_pred.list`. */
export async function step1(argv: string[], log: (s: string) => void = (s) => process.stdout.write(s + "\n")): Promise<number> {
  const t0 = Date.now();
  const flags = parseFlags(argv, step1Flags);
  if (flags["loocv"]) throw new UsageError("--loocv is not supported; use --cv K");
  const bsize = (flags["bsize"] as number | undefined) ?? 1000;
  if (bsize < 1) throw new UsageError("--bsize must be ≥ 1");
  const cv = (flags["cv"] as number | undefined) ?? 5;
  if (cv < 2) throw new UsageError("--cv must be ≥ 2");
  const outDir = path.dirname(path.resolve(need(flags, "out")));
  if (!existsSync(outDir)) throw new UsageError(`--out: folder does not exist: ${outDir}`);
  const cfg = engineConfig();
  if (cfg.bytesPerPartition === undefined && cfg.variantsPerPartition === undefined) engineConfig({ bytesPerPartition: STEP1_BYTES_PER_PARTITION });
  // as in step 2: small young generations on this thread and the fit workers (each block's task and
  // reply buffers are garbage at once): 5,000 × 20,000, 2 threads: peak RSS ≈ 305 → 275 MB, same .loco
  keepYoungGenerationSmall();
  if (cfg.workerYoungGenerationMb === undefined) engineConfig({ workerYoungGenerationMb: STEP2_WORKER_YOUNG_GENERATION_MB });
  const inp = await loadInputs(flags, 1, log);
  const { glow, frame, sampleIds, phenotypes, covariates, traits, out, logLines } = inp;
  const say = (s: string): void => { logLines.push(s); log(s); };
  const values = frame.filter(glow.functions.arraySize(glow.functions.arrayDistinct("values")).gt(1));
  say(`step 1: ${sampleIds.length} samples, ${traits.length} trait(s), blocks of ${bsize} variants, ${cv} folds`);
  // streamed: the genotypes are read again per header block by the fits (memory: header blocks, not
  // samples × variants); a .bed is read by GloWGR itself, its header blocks decoded in the fit workers
  const { blockDf, sampleBlocks } = inp.plink
    ? blockPlinkVariants({ ...inp.plink, sampleIds }, bsize, cv)
    : await glow.wgr.blockVariantsAndSamples(values, sampleIds, bsize, cv, { materialize: false });
  const nVariants = new Set(blockDf.header).size;
  say(`  ${nVariants} variants with ≥ 2 distinct values in ${new Set(blockDf.headerBlock).size} blocks`);
  // REGENIE's level 0 (ridge on the trait residualized on the covariates), then level 1: ridge for
  // quantitative traits, ridge logistic regression with the covariates' null-model offset for --bt
  const l0 = await glow.wgr.regenieLevel0(blockDf, phenotypes, sampleBlocks, covariates, { log: (m: string) => say(`  ${m}`) });
  const r = flags["bt"]
    ? glow.wgr.regenieLogisticLevel1(l0, phenotypes, covariates, { log: (m: string) => say(`  ${m}`) })
    : glow.wgr.regenieRidgeLevel1(l0, { log: (m: string) => say(`  ${m}`) });
  const loco = r.loco;
  const full = r.full;
  const present = new Map<number, string>();
  for (const c of loco.chromosomes) {
    const code = regenieChromosome(c);
    if (code === null) { say(`  warning: chromosome '${c}' has no REGENIE code (1-22, X): its LOCO row is not written`); continue; }
    present.set(code, c);
  }
  const rowsOut = Math.max(23, ...present.keys());
  const order = sampleIds;
  const predLines: string[] = [];
  const files: { path: string; text: string }[] = [];
  traits.forEach((trait, i) => {
    const lines = [["FID_IID", ...order].join(" ")];
    for (let code = 1; code <= rowsOut; code++) {
      const c = present.get(code);
      const get = c !== undefined ? (s: string) => loco.get(s, c, trait) : (s: string) => full.get(s, trait);
      const y = phenotypes.data[trait]!; // samples without the phenotype have no prediction (NA, as REGENIE)
      lines.push([code, ...order.map((s, j) => (Number.isNaN(y[j]!) ? "NA" : fmt(get(s))))].join(" "));
    }
    const file = path.resolve(`${out}_${i + 1}.loco`);
    files.push({ path: file, text: lines.join("\n") + "\n" });
    predLines.push(`${trait} ${file}`);
  });
  files.push({ path: path.resolve(`${out}_pred.list`), text: predLines.join("\n") + "\n" });
  writeTextFilesAtomic(files); // all or nothing
  for (const f of files) say(`  wrote ${f.path}`);
  writeLog(out, "step1", argv, logLines, t0);
  await glow.shutdown();
  return 0;
}

/** The rows of one `.loco` file: chromosome code → values in the order of `samples`. */
interface LocoRows { samples: Map<string, number>; rows: Map<number, Float64Array> }

/** A `.loco` file (io's parser, from its bytes) by REGENIE chromosome code. */
function locoRows(file: string): LocoRows {
  const loco = parseRegenieLoco(readFileSync(file), file);
  const n = loco.sampleIds.length;
  const rows = new Map<number, Float64Array>();
  loco.contigNames.forEach((c, i) => rows.set(Number(c), loco.values.subarray(i * n, (i + 1) * n)));
  return { samples: new Map(loco.sampleIds.map((s, i) => [s, i])), rows };
}

/** Reads a REGENIE `_pred.list` and its `.loco` files: trait → chromosome code → values per sample. */
function readPredList(file: string): { byTrait: Map<string, LocoRows>; ids: Set<string> } {
  const byTrait = new Map<string, LocoRows>();
  let ids = null as Set<string> | null;
  const dir = path.dirname(path.resolve(file));
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 2 || f[0] === "") continue;
    // as written, else relative to the list, else the file name next to the list (a list moved with its files)
    const loco = [f[1]!, path.resolve(dir, f[1]!), path.join(dir, path.basename(f[1]!))].find((x) => existsSync(x)) ?? f[1]!;
    if (!existsSync(loco)) throw new GlowtsError("FILE", `--pred ${file}: the .loco file of '${f[0]}' does not exist: ${loco}`, { file });
    const rows = locoRows(loco);
    byTrait.set(f[0]!, rows);
    const set = new Set(rows.samples.keys());
    ids = ids ? new Set([...(ids as Set<string>)].filter((s: string) => set.has(s))) : set;
  }
  return { byTrait, ids: ids ?? new Set() };
}

/**
 * The number of variants as read and their contigs. A whole `.bed` fileset (`bed`, no
 * `--extract/--exclude`): the contigs its reader found scanning the `.bim` (the schema's `contigs`
 * metadata) and the count from the `.bed`'s size (which the reader checked against the `.bim`);
 * otherwise one pass over the variants (reading their genotype bytes, which would then wait for the
 * workers' garbage collections next to the GWAS pass's).
 */
async function variantsRead(variants: Frame, bed: string | null): Promise<{ total: number; contigs: Set<string> }> {
  if (bed !== null) {
    const listed = (await variants.schema()).find((f) => f.name === "contigName")?.metadata?.[CONTIGS_METADATA];
    const samples = (await variants.sampleIds())?.length;
    if (listed !== undefined && samples !== undefined) {
      const contigs = new Set(listed.split("\n").filter((c) => c !== "").map((c) => /^<ID=(.*)>$/.exec(c)?.[1] ?? c));
      return { total: (statSync(bed).size - BED_HEADER_BYTES) / bedBlockSize(samples), contigs };
    }
  }
  let total = 0;
  const contigs = new Set<string>();
  for await (const b of variants.select("contigName")) {
    total += b.numRows;
    const c = b.columns["contigName"] as { values: (string | null)[] };
    for (const v of c.values) if (v !== null) contigs.add(v);
  }
  return { total, contigs };
}

/** `glowts step2`: association tests written as REGENIE `.regenie` files, one per trait. */
export async function step2(argv: string[], log: (s: string) => void = (s) => process.stdout.write(s + "\n")): Promise<number> {
  const t0 = Date.now();
  const flags = parseFlags(argv, step2Flags);
  if (flags["firth"] && !flags["approx"]) throw new UsageError("--firth needs --approx (only the approximate Firth correction is available)");
  if (flags["approx"] && !flags["firth"]) throw new UsageError("--approx needs --firth");
  if ((flags["firth"] || flags["pThresh"] !== undefined) && !flags["bt"]) throw new UsageError("--firth/--pThresh apply to binary traits: add --bt");
  const minMAC = (flags["minMAC"] as number | undefined) ?? 5;
  if (minMAC < 0) throw new UsageError("--minMAC must be ≥ 0");
  keepYoungGenerationSmall();
  let pred = flags["pred"] ? readPredList(needFile(String(flags["pred"]), "pred")) : null;
  const loco = pred !== null;
  if (engineConfig().workerYoungGenerationMb === undefined) engineConfig({ workerYoungGenerationMb: STEP2_WORKER_YOUNG_GENERATION_MB });
  const inp = await loadInputs(flags, 2, log, pred ? { what: "prediction files", ids: pred.ids } : undefined);
  const { glow, frame, sampleIds, phenotypes, covariates, traits, out, logLines } = inp;
  const say = (s: string): void => { logLines.push(s); log(s); };
  const options: Record<string, unknown> = { genotypeSampleIds: sampleIds };
  if (covariates) options["covariateDf"] = covariates;
  const wholeBed = flags["bed"] && !flags["extract"] && !flags["exclude"] ? `${String(flags["bed"]).replace(/\.bed$/, "")}.bed` : null;
  const { total, contigs } = await variantsRead(inp.variants, wholeBed);
  if (pred) {
    // REGENIE's .loco rows are in units of the trait residualized on the covariates and scaled to
    // unit variance, which is the scale on which glow.gwas subtracts offsets. Each row is
    // residualized on [1, covariates] over the trait's observed samples first (glow.gwas does not
    // residualize offsets, as Glow; the covariate part of a prediction would only add noise to the
    // residual variance), so that the test is plink2 --glm's on y − s·loco. A sample whose phenotype
    // is missing has no prediction (NA, as REGENIE writes it): it is left out of that trait's test,
    // so its offset is 0; an observed sample without one is an error.
    const index: string[] = [];
    const data: Record<string, Float64Array> = {};
    const sorted = [...contigs].sort();
    const nS = sampleIds.length;
    for (const t of traits) {
      data[t] = new Float64Array(sorted.length * nS);
      if (!pred.byTrait.has(t)) throw new GlowtsError("FILE", `--pred: no .loco file for trait '${t}'`, { file: String(flags["pred"]) });
    }
    const contigName: string[] = [];
    for (const c of sorted) for (const s of sampleIds) { index.push(s); contigName.push(c); }
    for (const t of traits) {
      const rows = pred.byTrait.get(t)!;
      const col = sampleIds.map((s) => rows.samples.get(s)!);
      const y = phenotypes.data[t]!;
      const dst = data[t]!;
      sorted.forEach((c, ci) => {
        const code = regenieChromosome(c);
        const row = code === null ? undefined : rows.rows.get(code);
        if (!row) throw new GlowtsError("FILE", `--pred: the .loco file of '${t}' has no row for chromosome ${c}`, { file: String(flags["pred"]) });
        for (let i = 0; i < nS; i++) {
          const v = row[col[i]!]!;
          const observed = !Number.isNaN(y[i]!);
          const s = sampleIds[i]!;
          if (!Number.isFinite(v) && observed) throw new GlowtsError("FILE", `--pred: the .loco file of '${t}' has no prediction (${String(v)}) for sample ${s} on chromosome ${code}, whose phenotype is observed`, { file: String(flags["pred"]), record: `sample ${s}, chromosome ${code}` });
          dst[ci * nS + i] = observed ? v : 0;
        }
      });
    }
    const cols: Float64Array[] = [new Float64Array(nS).fill(1), ...(covariates ? covariates.columns.map((c) => covariates.data[c]!) : [])];
    traits.forEach((t) => {
      const y = phenotypes.data[t]!;
      const obs = Uint8Array.from(y, (v) => (Number.isNaN(v) ? 0 : 1));
      const all = data[t]!;
      for (let c = 0; c * nS < all.length; c++) residualizeInPlace(all, c * nS, nS, cols, obs);
    });
    // a plain {index, columns, data} table: loading danfo (and tfjs) would cost ≈ 80 MB of RSS
    options["offsetDf"] = { index, columns: ["sample_id", "contigName", ...traits], data: { sample_id: index, contigName, ...data } };
    pred = null; // the .loco rows (23 × samples per trait) are not needed any more
  }
  say(`step 2: ${sampleIds.length} samples, ${traits.length} trait(s)${flags["bt"] ? ", logistic" : ", linear"}${loco ? ", LOCO offsets" : ""}`);
  let tested = frame.filter(glow.col("MAC").ge(minMAC));
  // packed genotypes: the standard values expression, which the GWAS kernel computes itself from the codes
  if (inp.packed) tested = tested.withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")));
  let result;
  if (flags["bt"]) {
    options["correction"] = flags["firth"] ? "approx-firth" : "none";
    if (flags["pThresh"] !== undefined) options["pvalueThreshold"] = flags["pThresh"];
    result = glow.gwas.logisticRegression(tested, phenotypeDf(phenotypes), options);
  } else {
    result = glow.gwas.linearRegression(tested, phenotypeDf(phenotypes), options);
  }
  const fileNames = traitFileNames(traits);
  // the rows go to the files from the workers, partition by partition (./regenie-columns.ts formats them there)
  const regenie = result.mapPartitions(new URL("./regenie-columns.js", import.meta.url).href, "regenieColumns", {});
  const rows = await writeRegenieFiles(regenie, path.resolve(`${out}_{}.regenie`), Object.fromEntries(REGENIE_COLUMNS.map((c) => [c, glow.col(c)])), traits, { splitFileNames: Object.fromEntries(fileNames) });
  const kept = rows / traits.length; // one row per tested variant and trait
  say(`  variants: ${total} read, ${total - kept} skipped with MAC < ${minMAC}, ${kept} tested`);
  for (const t of traits) if (fileNames.get(t) !== t) say(`  trait '${t}' is written as '${fileNames.get(t)!}' in the file name (characters other than letters, digits, '.', '_', '-' replaced by '_')`);
  for (const t of traits) say(`  wrote ${path.resolve(`${out}_${fileNames.get(t)!}.regenie`)} (${kept} variants)`);
  writeLog(out, "step2", argv, logLines, t0);
  await glow.shutdown();
  return 0;
}

function phenotypeDf(t: Table): Table {
  return t;
}

/** Least squares residuals of `v[o .. o+n)` on the columns `cols` over the samples with `obs` (others untouched). */
function residualizeInPlace(v: Float64Array, o: number, n: number, cols: Float64Array[], obs: Uint8Array): void {
  const m = cols.length;
  const A = cols.map((a) => cols.map((b) => { let t = 0; for (let i = 0; i < n; i++) if (obs[i]) t += a[i]! * b[i]!; return t; }));
  const b = cols.map((a) => { let t = 0; for (let i = 0; i < n; i++) if (obs[i]) t += a[i]! * v[o + i]!; return t; });
  for (let p = 0; p < m; p++) { // Gaussian elimination with partial pivoting
    let piv = p;
    for (let r = p + 1; r < m; r++) if (Math.abs(A[r]![p]!) > Math.abs(A[piv]![p]!)) piv = r;
    [A[p], A[piv]] = [A[piv]!, A[p]!];
    [b[p], b[piv]] = [b[piv]!, b[p]!];
    for (let r = p + 1; r < m; r++) { const f = A[r]![p]! / A[p]![p]!; for (let c = p; c < m; c++) A[r]![c]! -= f * A[p]![c]!; b[r]! -= f * b[p]!; }
  }
  const beta = new Array<number>(m).fill(0);
  for (let p = m - 1; p >= 0; p--) { let t = b[p]!; for (let c = p + 1; c < m; c++) t -= A[p]![c]! * beta[c]!; beta[p] = t / A[p]![p]!; }
  for (let i = 0; i < n; i++) if (obs[i]) { let f = 0; for (let c = 0; c < m; c++) f += cols[c]![i]! * beta[c]!; v[o + i]! -= f; }
}

/** Help for a step. */
export function stepHelp(step: 1 | 2): string {
  return `usage: glowts step${step} [REGENIE flags]\n\n${flagsHelp(step === 1 ? step1Flags : step2Flags)}`;
}

export { UsageError, GlowtsError };

/**
 * The part of an output file name that names a trait: characters other than letters, digits, `.`,
 * `_` and `-` become `_` (a name with `/` or `..` cannot leave `--out`'s folder), and a name made
 * only of dots is prefixed with `_`. Distinct traits that would share a file name are an error.
 */
export function traitFileNames(traits: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const owner = new Map<string, string>();
  for (const t of traits) {
    let n = t.replace(/[^A-Za-z0-9._-]/g, "_");
    if (n === "" || /^\.+$/.test(n)) n = `_${n}`;
    const prev = owner.get(n);
    if (prev !== undefined && prev !== t) throw new UsageError(`traits '${prev}' and '${t}' would both be written as ${n} in an output file name: rename one (--phenoColList)`);
    owner.set(n, t);
    out.set(t, n);
  }
  return out;
}

/** `--out`'s folder must exist and be writable before anything is computed. */
export function checkOutFolder(out: string): void {
  const dir = path.dirname(path.resolve(out));
  let st;
  try { st = statSync(dir); } catch { throw new UsageError(`--out: folder does not exist: ${dir}`); }
  if (!st.isDirectory()) throw new UsageError(`--out: not a folder: ${dir}`);
  try { accessSync(dir, fsConstants.W_OK); } catch { throw new UsageError(`--out: folder is not writable: ${dir}`); }
}
