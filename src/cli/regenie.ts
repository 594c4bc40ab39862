/**
 * `glowts step1` / `glowts step2`: REGENIE's command line for the common path, running GloWGR
 * (step 1, LOCO predictions) and Glow's GWAS regression (step 2) and writing REGENIE's output files
 * (`<out>_<i>.loco`, `<out>_pred.list`, `<out>_<trait>.regenie`), so that a REGENIE script runs
 * with glowts instead.
 *
 * Mapping (as Glow's tests map REGENIE): genotypes are hard-call alt dosages
 * (`genotypeStates`, missing → mean); `--remove`/`--keep` mask the phenotypes of the other samples
 * (NaN) rather than dropping them; `--cv K` is the number of sample blocks; `--bsize` is the number
 * of variants per block in step 1.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { GlowtsError } from "../core/errors.js";
import { writeTextFilesAtomic } from "../io/writers/atomic.js";
import { writeRegenieFiles } from "../io/writers/regenie.js";
import { accessSync, constants as fsConstants, statSync } from "node:fs";
import type { FlagSpec, ParsedFlags } from "./args.js";
import { UsageError, flagsHelp, parseFlags } from "./args.js";

const common: Record<string, FlagSpec> = {
  bed: { kind: "string", help: "PLINK prefix (reads PREFIX.bed/.bim/.fam)" },
  bgen: { kind: "string", help: "BGEN file" },
  pgen: { kind: "string", help: "PLINK 2 prefix (not supported yet)" },
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

interface Inputs {
  glow: typeof import("../index.js");
  frame: import("../frame/variant-frame.js").VariantFrame;
  sampleIds: string[];
  phenotypes: import("danfojs").DataFrame;
  covariates: import("danfojs").DataFrame | null;
  traits: string[];
  out: string;
}

/** Reads genotypes, phenotypes and covariates as both steps need them. */
async function loadInputs(flags: ParsedFlags, step: 1 | 2): Promise<Inputs> {
  const glow = await import("../index.js");
  if (typeof flags["threads"] === "number") {
    if (flags["threads"] < 1) throw new UsageError("--threads must be ≥ 1");
    glow.config({ workers: flags["threads"] });
  }
  if (flags["step"] !== undefined && flags["step"] !== step) throw new UsageError(`--step ${String(flags["step"])} contradicts the command step${step}`);
  const out = need(flags, "out");
  checkOutFolder(out);
  if (flags["pgen"]) throw new UsageError("--pgen: the PLINK 2 pgen reader is not supported yet; convert with plink2 --make-bed and use --bed");
  const sources = ["bed", "bgen"].filter((k) => flags[k] !== undefined);
  if (sources.length !== 1) throw new UsageError("give exactly one of --bed or --bgen");
  let frame: import("../frame/variant-frame.js").VariantFrame;
  let sampleIds: string[];
  if (flags["bed"]) {
    const prefix = String(flags["bed"]).replace(/\.bed$/, "");
    for (const ext of [".bed", ".bim", ".fam"]) needFile(prefix + ext, "bed");
    frame = glow.read("plink", `${prefix}.bed`, { famDelimiter: "whitespace", bimDelimiter: "whitespace" });
    sampleIds = (await frame.sampleIds())!;
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
    const fileIds = await frame.sampleIds();
    sampleIds = idsFromSampleFile && (fileIds === null || flags["sample"]) ? idsFromSampleFile : fileIds ?? [];
    if (sampleIds.length === 0) throw new UsageError(`--bgen ${bgen} has no sample ids: give --sample`);
  }
  if (flags["extract"]) frame = frame.filter(glow.functions.arraysOverlap("names", [...readIdFile(String(flags["extract"]), "extract", false)]));
  if (flags["exclude"]) frame = frame.filter(glow.functions.arraysOverlap("names", [...readIdFile(String(flags["exclude"]), "exclude", false)]).not());

  const phenoFile = needFile(need(flags, "phenoFile"), "phenoFile");
  const phenoCols = flags["phenoColList"] as string[] | undefined;
  let phenotypes = await glow.readSampleTable(phenoFile, phenoCols ? { columns: phenoCols } : {});
  const traits = phenotypes.columns as string[];
  if (traits.length === 0) throw new UsageError(`--phenoFile ${phenoFile}: no phenotype columns`);
  let covariates: import("danfojs").DataFrame | null = null;
  if (flags["covarFile"]) {
    const covFile = needFile(String(flags["covarFile"]), "covarFile");
    const covCols = flags["covarColList"] as string[] | undefined;
    covariates = await glow.readSampleTable(covFile, covCols ? { columns: covCols } : {});
  }
  // --keep / --remove: mask the phenotypes of the excluded samples (Glow's mapping of REGENIE's flags).
  const keep = flags["keep"] ? readIdFile(String(flags["keep"]), "keep", true) : undefined;
  const remove = flags["remove"] ? readIdFile(String(flags["remove"]), "remove", true) : undefined;
  if (keep || remove) {
    const index = phenotypes.index as string[];
    const data: Record<string, number[]> = {};
    for (const t of traits) {
      const vals = phenotypes.column(t).values as number[];
      data[t] = vals.map((v, i) => ((keep && !keep.has(index[i]!)) || (remove && remove.has(index[i]!)) ? NaN : v));
    }
    const dfd = await import("danfojs");
    phenotypes = new dfd.DataFrame(data, { index });
  }
  return { glow, frame, sampleIds, phenotypes, covariates, traits, out };
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return "NA";
  return String(Number(v.toPrecision(6)));
}

/** Packed genotype bytes per partition in step 1 (decoded values are 32× larger). */
const STEP1_BYTES_PER_PARTITION = 256 * 1024;

/** `glowts step1`: GloWGR LOCO predictions written as REGENIE `.loco` files and `_pred.list`. */
export async function step1(argv: string[], log: (s: string) => void = (s) => process.stderr.write(s + "\n")): Promise<number> {
  const flags = parseFlags(argv, step1Flags);
  if (flags["loocv"]) throw new UsageError("--loocv is not supported (GloWGR's level-1 standardization needs ≥ 2 samples per block); use --cv K");
  const bsize = (flags["bsize"] as number | undefined) ?? 1000;
  if (bsize < 1) throw new UsageError("--bsize must be ≥ 1");
  const cv = (flags["cv"] as number | undefined) ?? 5;
  if (cv < 2) throw new UsageError("--cv must be ≥ 2");
  const { glow, frame, sampleIds, phenotypes, covariates, traits, out } = await loadInputs(flags, 1);
  const values = frame
    .withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")))
    .filter(glow.functions.arraySize(glow.functions.arrayDistinct("values")).gt(1));
  log(`step 1: ${sampleIds.length} samples, ${traits.length} trait(s), blocks of ${bsize} variants, ${cv} folds`);
  // Small partitions, one in flight per worker: the streamed blocking's peak memory is a few
  // partitions of decoded values plus one header block per fit worker.
  glow.config({ bytesPerPartition: STEP1_BYTES_PER_PARTITION, inflightPerWorker: 1 });
  // Streamed: only the layout is held; each header block is read again when it is fitted (bounded memory).
  const { blockDf, sampleBlocks } = await glow.wgr.blockVariantsAndSamples(values, sampleIds, bsize, cv, { materialize: false });
  const loco = await glow.wgr.estimateLocoOffsetsToTable(blockDf, phenotypes, sampleBlocks, covariates, {
    labelType: flags["bt"] ? "binary" : "quantitative",
    log: (m: string) => log(`  ${m}`),
  });
  const predLines: string[] = [];
  const files: { path: string; text: string }[] = [];
  loco.labels.forEach((trait, i) => {
    const samples = loco.sampleIds;
    const lines = [["FID_IID", ...samples].join(" ")];
    for (const c of loco.chromosomes) lines.push([c, ...samples.map((s) => fmt(loco.get(s, c, trait)))].join(" "));
    const file = path.resolve(`${out}_${i + 1}.loco`);
    files.push({ path: file, text: lines.join("\n") + "\n" });
    predLines.push(`${trait} ${file}`);
  });
  files.push({ path: path.resolve(`${out}_pred.list`), text: predLines.join("\n") + "\n" });
  writeTextFilesAtomic(files); // all or nothing
  for (const f of files) log(`  wrote ${f.path}`);
  await glow.shutdown();
  return 0;
}

/** `glowts step2`: association tests written as REGENIE `.regenie` files, one per trait. */
export async function step2(argv: string[], log: (s: string) => void = (s) => process.stderr.write(s + "\n")): Promise<number> {
  const flags = parseFlags(argv, step2Flags);
  if (flags["firth"] && !flags["approx"]) throw new UsageError("--firth needs --approx (only the approximate Firth correction is available)");
  if (flags["approx"] && !flags["firth"]) throw new UsageError("--approx needs --firth");
  if ((flags["firth"] || flags["pThresh"] !== undefined) && !flags["bt"]) throw new UsageError("--firth/--pThresh apply to binary traits: add --bt");
  const { glow, frame, sampleIds, phenotypes, covariates, traits, out } = await loadInputs(flags, 2);
  let offsetDf: import("danfojs").DataFrame | undefined;
  if (flags["pred"]) offsetDf = await glow.readRegeniePredList(needFile(String(flags["pred"]), "pred"));
  const values = frame
    .withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")))
    .withColumn("A1FREQ", glow.functions.arrayMean("values").div(2));
  const options: Record<string, unknown> = { genotypeSampleIds: sampleIds };
  if (covariates) options["covariateDf"] = covariates;
  if (offsetDf) options["offsetDf"] = offsetDf;
  log(`step 2: ${sampleIds.length} samples, ${traits.length} trait(s)${flags["bt"] ? ", logistic" : ", linear"}${offsetDf ? ", LOCO offsets" : ""}`);
  let result;
  if (flags["bt"]) {
    options["correction"] = flags["firth"] ? "approx-firth" : "none";
    if (flags["pThresh"] !== undefined) options["pvalueThreshold"] = flags["pThresh"];
    result = glow.gwas.logisticRegression(values, phenotypes, options);
  } else {
    result = glow.gwas.linearRegression(values, phenotypes, options);
  }
  const { col, lit } = glow;
  const names = traitFileNames(traits);
  for (const t of traits) if (names.get(t) !== t) log(`  trait '${t}' is written as '${names.get(t)!}' in the file name (characters other than letters, digits, '.', '_', '-' replaced by '_')`);
  const chisq = flags["bt"] ? col("chisq") : col("tvalue").times(col("tvalue"));
  const n = await writeRegenieFiles(result, path.resolve(`${out}_{}.regenie`), {
    CHROM: col("contigName"), GENPOS: col("start").plus(1), ID: col("names").getItem(flags["bgen"] ? 1 : 0), ALLELE0: col("referenceAllele"),
    ALLELE1: col("alternateAlleles"), A1FREQ: col("A1FREQ"), INFO: lit(1), TEST: lit("ADD"), BETA: col("effect"), SE: col("stderror"),
    CHISQ: chisq, LOG10P: col("negLog10pValue"),
  }, traits, { splitFileNames: Object.fromEntries(names) });
  for (const t of traits) log(`  wrote ${path.resolve(`${out}_${names.get(t)!}.regenie`)}`);
  log(`  ${n} result rows`);
  await glow.shutdown();
  return 0;
}

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

/** Help for a step. */
export function stepHelp(step: 1 | 2): string {
  return `usage: glowts step${step} [REGENIE flags]\n\n${flagsHelp(step === 1 ? step1Flags : step2Flags)}`;
}

export { UsageError, GlowtsError };
