/**
 * `glow.simulate.cohort`: a seeded cohort with known truth — genotypes with an allele-frequency
 * spectrum, Balding–Nichols population structure and local LD, covariates that carry the structure,
 * and quantitative/binary traits with a chosen heritability — written as PLINK, BGEN and VCF
 * through glowts' writers, with phenotype and covariate files in REGENIE's text format.
 *
 * Model (per trait t): y = g·√h² / sd(g) + Σ covariate effects + e·√(1−h²) with e ~ N(0,1), where
 * g = Σ_{j∈causal} β_j (x_j − 2p_j)/√(2p_j(1−p_j)), β_j ~ N(0,1). Binary traits threshold the
 * standardized liability at Φ⁻¹(1 − prevalence).
 * LD: each haplotype keeps a latent uniform u; at each next variant u is kept with probability
 * `ld` and redrawn otherwise; the allele is 1 when u < p (so neighbouring variants are correlated).
 * Structure: population k's frequency is Beta(p(1−F)/F, (1−p)(1−F)/F) around the ancestral p.
 */
import { mkdirSync } from "node:fs";
import * as path from "node:path";
import { GlowtsError } from "../core/errors.js";
import { Random, normalQuantile } from "./random.js";
import { bgenCohortWriter, plinkCohortWriter, vcfCohortWriter, type CohortWriter, type HardCallChunk, type PlinkSample } from "./writers.js";
import { writeTextAtomic } from "../io/writers/atomic.js";

export interface CohortOptions {
  /** @defaultValue 1000 */ samples?: number;
  /** @defaultValue 5000 */ variants?: number;
  /** Number of chromosomes (named "1".."n"), variants split evenly. @defaultValue 2 */ chromosomes?: number;
  /** @defaultValue 42 */ seed?: number;
  /** Minor-allele frequencies are uniform on [mafMin, 0.5]. @defaultValue 0.05 */ mafMin?: number;
  /** Number of populations (Balding–Nichols). @defaultValue 1 */ populations?: number;
  /** Fst of each population against the ancestral frequencies. @defaultValue 0 */ fst?: number;
  /** Probability that a haplotype keeps its latent state to the next variant (local LD). @defaultValue 0.5 */ ld?: number;
  /** Causal variants per trait. @defaultValue 20 */ causal?: number;
  /** Heritability h² of each trait. @defaultValue 0.5 */ heritability?: number;
  /** @defaultValue 1 */ quantitativeTraits?: number;
  /** @defaultValue 0 */ binaryTraits?: number;
  /** Case fraction of binary traits. @defaultValue 0.2 */ prevalence?: number;
  /** Principal-component-like covariates that carry population structure. @defaultValue 2 */ pcs?: number;
  /** Effect (in trait sd) of the population on the trait (confounding). @defaultValue 0.3 */ populationEffect?: number;
  /** Fraction of phenotype values set missing (NA). @defaultValue 0 */ missingness?: number;
  /** Output folder (created). Without it nothing is written. */ out?: string;
  /** File name prefix inside `out`. @defaultValue "cohort" */ prefix?: string;
  /** Formats to write. @defaultValue ["plink", "bgen"] */ formats?: ("plink" | "bgen" | "vcf")[];
  /** Bits per probability of the BGEN. @defaultValue 8 */ bgenBits?: 8 | 16;
  /** Variants generated per chunk. @defaultValue 1000 */ chunkSize?: number;
}

export const cohortDefaults: Required<Omit<CohortOptions, "out">> = {
  samples: 1000, variants: 5000, chromosomes: 2, seed: 42, mafMin: 0.05, populations: 1, fst: 0, ld: 0.5,
  causal: 20, heritability: 0.5, quantitativeTraits: 1, binaryTraits: 0, prevalence: 0.2, pcs: 2,
  populationEffect: 0.3, missingness: 0, prefix: "cohort", formats: ["plink", "bgen"], bgenBits: 8, chunkSize: 1000,
};

/** A causal variant of a trait. */
export interface CausalVariant { trait: string; variantIndex: number; id: string; contigName: string; position: number; effect: number; frequency: number }

export interface CohortTruth {
  causal: CausalVariant[];
  heritability: number;
  /** Realized h² per trait: var(genetic part)/var(genetic + noise). */
  realizedHeritability: Record<string, number>;
  /** Genetic value (scaled to variance h²) of each sample, per trait. */
  geneticValue: Record<string, Float64Array>;
  /** Ancestral allele frequency of every variant. */
  ancestralFrequency: Float64Array;
  /** Population of each sample. */
  population: Int32Array;
  /** Population allele frequency of every variant (variant-major, `populations` per variant). */
  populationFrequency: Float64Array;
  /** Observed alt-allele frequency of every variant in the simulated genotypes. */
  observedFrequency: Float64Array;
  /** Observed alt-allele frequency per population (variant-major). */
  observedPopulationFrequency: Float64Array;
}

export interface Cohort {
  options: Required<Omit<CohortOptions, "out">> & { out?: string | undefined };
  /** `FID_IID` ids (what the readers return with mergeFidIid). */
  sampleIds: string[];
  samples: PlinkSample[];
  traits: string[];
  /** Trait values by name, NaN where missing. */
  phenotypes: Record<string, Float64Array>;
  covariateNames: string[];
  covariates: Record<string, Float64Array>;
  truth: CohortTruth;
  /** Paths of what was written (absent when `out` was not given). */
  files: { plinkPrefix?: string; bed?: string; bgen?: string; vcf?: string; phenotypes?: string; covariates?: string };
  /** Variant ids in file order. */
  variantIds: string[];
}

function check(name: string, v: number, ok: boolean, what: string): void {
  if (!ok) throw new GlowtsError("OPTION", `simulate.cohort: option '${name}' ${what}; got ${v}`, { option: name });
}

/**
 * Simulates a cohort (see the module doc for the model) and optionally writes it.
 * @example
 * ```ts
 * const c = await glow.simulate.cohort({ samples: 2000, variants: 10000, out: "sim", formats: ["plink"] });
 * const df = glow.read("plink", c.files.bed!);
 * ```
 */
export async function cohort(options: CohortOptions = {}): Promise<Cohort> {
  const o = { ...cohortDefaults, ...options };
  check("samples", o.samples, Number.isInteger(o.samples) && o.samples >= 2, "must be an integer ≥ 2");
  check("variants", o.variants, Number.isInteger(o.variants) && o.variants >= 1, "must be an integer ≥ 1");
  check("chromosomes", o.chromosomes, Number.isInteger(o.chromosomes) && o.chromosomes >= 1 && o.chromosomes <= o.variants, "must be an integer in [1, variants]");
  check("fst", o.fst, o.fst >= 0 && o.fst < 1, "must be in [0, 1)");
  check("heritability", o.heritability, o.heritability >= 0 && o.heritability <= 1, "must be in [0, 1]");
  check("prevalence", o.prevalence, o.prevalence > 0 && o.prevalence < 1, "must be in (0, 1)");
  check("ld", o.ld, o.ld >= 0 && o.ld < 1, "must be in [0, 1)");
  check("mafMin", o.mafMin, o.mafMin > 0 && o.mafMin <= 0.5, "must be in (0, 0.5]");
  check("missingness", o.missingness, o.missingness >= 0 && o.missingness < 1, "must be in [0, 1)");
  const rng = new Random(o.seed);
  const N = o.samples, M = o.variants, K = Math.max(1, o.populations);

  // samples and populations
  const samples: PlinkSample[] = [];
  const population = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    population[i] = Math.floor((i * K) / N);
    samples.push({ fid: `F${i + 1}`, iid: `I${i + 1}`, sex: 1 + rng.int(2) });
  }
  const sampleIds = samples.map((s) => `${s.fid}_${s.iid}`);

  // variant layout
  const perChr = Math.ceil(M / o.chromosomes);
  const contig: string[] = new Array(M);
  const position = new Float64Array(M);
  const ids: string[] = new Array(M);
  const ref: string[] = new Array(M);
  const alt: string[] = new Array(M);
  const bases = ["A", "C", "G", "T"];
  let pos = 0;
  for (let j = 0; j < M; j++) {
    const c = Math.floor(j / perChr);
    if (j % perChr === 0) pos = 10000;
    pos += 1 + rng.int(2000);
    contig[j] = String(c + 1);
    position[j] = pos;
    ids[j] = `snp${j + 1}`;
    const r = rng.int(4);
    ref[j] = bases[r]!;
    alt[j] = bases[(r + 1 + rng.int(3)) % 4]!;
  }

  // frequencies
  const pAnc = new Float64Array(M);
  const pPop = new Float64Array(M * K);
  for (let j = 0; j < M; j++) {
    const maf = o.mafMin + (0.5 - o.mafMin) * rng.uniform();
    const p = rng.bernoulli(0.5) ? maf : 1 - maf;
    pAnc[j] = p;
    for (let k = 0; k < K; k++) {
      let q = p;
      if (o.fst > 0) {
        const a = (p * (1 - o.fst)) / o.fst;
        const b = ((1 - p) * (1 - o.fst)) / o.fst;
        q = Math.min(1 - 1e-4, Math.max(1e-4, rng.beta(a, b)));
      }
      pPop[j * K + k] = q;
    }
  }

  // traits and causal variants
  const traits: string[] = [];
  for (let t = 0; t < o.quantitativeTraits; t++) traits.push(`Q${t + 1}`);
  for (let t = 0; t < o.binaryTraits; t++) traits.push(`B${t + 1}`);
  const causal: CausalVariant[] = [];
  const causalByVariant = new Map<number, { trait: number; effect: number }[]>();
  traits.forEach((name, t) => {
    for (const j of rng.choose(M, Math.min(o.causal, M))) {
      const effect = rng.normal();
      causal.push({ trait: name, variantIndex: j, id: ids[j]!, contigName: contig[j]!, position: position[j]!, effect, frequency: pAnc[j]! });
      const list = causalByVariant.get(j) ?? [];
      list.push({ trait: t, effect });
      causalByVariant.set(j, list);
    }
  });
  const g = traits.map(() => new Float64Array(N));

  // writers
  const files: Cohort["files"] = {};
  const writers: CohortWriter[] = [];
  if (o.out) {
    mkdirSync(o.out, { recursive: true });
    const base = path.join(o.out, o.prefix);
    try {
      if (o.formats.includes("plink")) { writers.push(await plinkCohortWriter(base, samples)); files.plinkPrefix = base; files.bed = `${base}.bed`; }
      if (o.formats.includes("bgen")) { writers.push(await bgenCohortWriter(`${base}.bgen`, sampleIds, { bitsPerProbability: o.bgenBits, compressionLevel: 1 })); files.bgen = `${base}.bgen`; }
      if (o.formats.includes("vcf")) {
        const contigs = [...new Set(contig)].map((name) => ({ name }));
        writers.push(await vcfCohortWriter(`${base}.vcf.gz`, sampleIds, contigs));
        files.vcf = `${base}.vcf.gz`;
      }
    } catch (e) {
      for (const w of writers) w.abort();
      throw e;
    }
  }

  // genotypes, chunk by chunk
  // Latent states and thresholds as unsigned 32-bit integers: one random word per decision.
  const latent = new Uint32Array(2 * N);
  for (let h = 0; h < 2 * N; h++) latent[h] = rng.nextU32();
  const keepBelow = Math.floor(o.ld * 4294967296);
  const thresholds = new Float64Array(K);
  const observed = new Float64Array(M);
  const popCount = new Float64Array(M * K);
  const popSize = new Float64Array(K);
  for (let i = 0; i < N; i++) popSize[population[i]!]!++;
  try {
    for (let from = 0; from < M; from += o.chunkSize) {
      const to = Math.min(M, from + o.chunkSize);
      const m = to - from;
      const dos = new Int8Array(m * N);
      for (let j = from; j < to; j++) {
        const row = (j - from) * N;
        const fresh = j === 0 || contig[j] !== contig[j - 1];
        for (let k = 0; k < K; k++) thresholds[k] = pPop[j * K + k]! * 4294967296;
        simulateVariant(rng, latent, thresholds, population, fresh, keepBelow, dos, row);
        let total = 0;
        for (let i = 0; i < N; i++) { const d = dos[row + i]!; total += d; popCount[j * K + population[i]!]! += d; }
        observed[j] = total / (2 * N);
        for (let k = 0; k < K; k++) popCount[j * K + k] = popCount[j * K + k]! / (2 * popSize[k]!);
        const effects = causalByVariant.get(j);
        if (effects) {
          const p = pAnc[j]!;
          const sd = Math.sqrt(2 * p * (1 - p));
          for (const { trait, effect } of effects) {
            const gt = g[trait]!;
            for (let i = 0; i < N; i++) gt[i]! += (effect * (dos[row + i]! - 2 * p)) / sd;
          }
        }
      }
      const chunk: HardCallChunk = {
        contigName: contig.slice(from, to), position: position.subarray(from, to), id: ids.slice(from, to),
        referenceAllele: ref.slice(from, to), alternateAllele: alt.slice(from, to), dosages: dos,
      };
      for (const w of writers) await w.write(chunk);
      if (m > 0 && writers.length > 0) await new Promise((r) => setImmediate(r)); // keep the event loop responsive
    }
  } catch (e) {
    for (const w of writers) w.abort();
    throw e;
  }

  // covariates: age, sex, PCs carrying population structure
  const covariates: Record<string, Float64Array> = {};
  const age = new Float64Array(N);
  const sex = new Float64Array(N);
  for (let i = 0; i < N; i++) { age[i] = Math.round(50 + 10 * rng.normal()); sex[i] = samples[i]!.sex === 2 ? 1 : 0; }
  covariates["age"] = age;
  covariates["sex"] = sex;
  const popAxis: Float64Array[] = [];
  for (let l = 0; l < o.pcs; l++) {
    const centers = Array.from({ length: K }, () => rng.normal());
    const pc = new Float64Array(N);
    for (let i = 0; i < N; i++) pc[i] = (K > 1 ? centers[population[i]!]! : 0) + 0.2 * rng.normal();
    covariates[`PC${l + 1}`] = pc;
    popAxis.push(Float64Array.from(centers));
  }
  const popEffect = Array.from({ length: K }, () => (K > 1 ? o.populationEffect * rng.normal() : 0));

  // phenotypes
  const phenotypes: Record<string, Float64Array> = {};
  const realized: Record<string, number> = {};
  const geneticValue: Record<string, Float64Array> = {};
  traits.forEach((name, t) => {
    const gt = g[t]!;
    const sdG = sd(gt);
    const y = new Float64Array(N);
    const gen = new Float64Array(N);
    const noise = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      gen[i] = sdG > 0 ? (gt[i]! * Math.sqrt(o.heritability)) / sdG : 0;
      noise[i] = rng.normal() * Math.sqrt(1 - o.heritability);
      const cov = 0.02 * (age[i]! - 50) / 10 + 0.1 * sex[i]! + popEffect[population[i]!]!;
      y[i] = gen[i]! + noise[i]! + cov;
    }
    realized[name] = variance(gen) / (variance(gen) + variance(noise));
    geneticValue[name] = gen;
    if (name.startsWith("B")) {
      const mu = mean(y), s = sd(y);
      const thr = normalQuantile(1 - o.prevalence);
      for (let i = 0; i < N; i++) y[i] = (y[i]! - mu) / s > thr ? 1 : 0;
    }
    for (let i = 0; i < N; i++) if (o.missingness > 0 && rng.uniform() < o.missingness) y[i] = NaN;
    phenotypes[name] = y;
  });

  for (const w of writers) await w.close();
  if (o.out) {
    const base = path.join(o.out, o.prefix);
    files.phenotypes = `${base}.phenotypes.txt`;
    files.covariates = `${base}.covariates.txt`;
    writeTextAtomic(files.phenotypes, regenieTable(samples, traits, phenotypes));
    writeTextAtomic(files.covariates, regenieTable(samples, Object.keys(covariates), covariates));
  }
  return {
    options: { ...o },
    sampleIds, samples, traits, phenotypes, covariateNames: Object.keys(covariates), covariates,
    truth: {
      causal, heritability: o.heritability, realizedHeritability: realized, geneticValue, ancestralFrequency: pAnc, population,
      populationFrequency: pPop, observedFrequency: observed, observedPopulationFrequency: popCount,
    },
    files, variantIds: ids,
  };
}

/** Hot loop: one variant's genotypes for every sample (kept small so that V8 optimizes it). */
function simulateVariant(
  rng: Random, latent: Uint32Array, thresholds: Float64Array, population: Int32Array, fresh: boolean, keepBelow: number, dos: Int8Array, row: number,
): void {
  const n = population.length;
  for (let i = 0; i < n; i++) {
    const thr = thresholds[population[i]!]!;
    const h = 2 * i;
    if (fresh || rng.nextU32() >= keepBelow) latent[h] = rng.nextU32();
    if (fresh || rng.nextU32() >= keepBelow) latent[h + 1] = rng.nextU32();
    dos[row + i] = (latent[h]! < thr ? 1 : 0) + (latent[h + 1]! < thr ? 1 : 0);
  }
}

/** REGENIE's phenotype/covariate format: `FID IID c1 c2 ...`, NA for missing. */
export function regenieTable(samples: PlinkSample[], names: string[], values: Record<string, Float64Array>): string {
  const lines = [["FID", "IID", ...names].join(" ")];
  samples.forEach((s, i) => {
    lines.push([s.fid, s.iid, ...names.map((n) => { const v = values[n]![i]!; return Number.isNaN(v) ? "NA" : String(v); })].join(" "));
  });
  return lines.join("\n") + "\n";
}

function mean(a: Float64Array): number { let s = 0; for (const v of a) s += v; return s / a.length; }
function variance(a: Float64Array): number { const m = mean(a); let s = 0; for (const v of a) s += (v - m) ** 2; return s / (a.length - 1); }
function sd(a: Float64Array): number { return Math.sqrt(variance(a)); }
