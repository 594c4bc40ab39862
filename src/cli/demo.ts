/**
 * `glowts demo` / `npm run demo`: the whole workflow on a simulated cohort, with known truth —
 * simulate → read back → variant QC → GloWGR LOCO offsets → linear and logistic GWAS → results
 * (TSV, Parquet), Manhattan and QQ plots (SVG) and one self-contained HTML report with the plan, the
 * models' cross-validated r², the top hits, λGC and power/FDR against the simulator's truth.
 */
import { mkdirSync } from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import { writeTextAtomic } from "../io/writers/atomic.js";
import { nearestCausal, renderDemoReport } from "./demo-report.js";
import type { FlagSpec } from "./args.js";
import { UsageError, flagsHelp, parseFlags } from "./args.js";

export const demoFlags: Record<string, FlagSpec> = {
  out: { kind: "string", help: "output folder (default glowts-demo)" },
  samples: { kind: "int", help: "samples (default 5000)" },
  variants: { kind: "int", help: "variants (default 20000)" },
  seed: { kind: "int", help: "simulation seed (default 1)" },
  threads: { kind: "int", help: "worker threads (default: all cores)" },
  wgrFraction: { kind: "number", help: "fraction of variants used for GloWGR (default 0.25; Glow's tutorial subsamples too)" },
};

export function demoHelp(): string {
  return `usage: glowts demo [--out DIR] [--samples N] [--variants M] [--seed S] [--threads T]\n\n${flagsHelp(demoFlags)}`;
}

/** Runs the demo; returns the exit code. */
export async function demo(argv: string[], log: (s: string) => void = (s) => process.stderr.write(s + "\n")): Promise<number> {
  const flags = parseFlags(argv, demoFlags);
  const out = path.resolve(String(flags["out"] ?? "glowts-demo"));
  const samples = (flags["samples"] as number | undefined) ?? 5000;
  const variants = (flags["variants"] as number | undefined) ?? 20000;
  const seed = (flags["seed"] as number | undefined) ?? 1;
  const wgrFraction = (flags["wgrFraction"] as number | undefined) ?? 0.25;
  if (samples < 50) throw new UsageError("--samples must be ≥ 50");
  if (variants < 100) throw new UsageError("--variants must be ≥ 100");
  if (!(wgrFraction > 0 && wgrFraction <= 1)) throw new UsageError("--wgrFraction must be in (0, 1]");
  const glow = await import("../index.js");
  if (typeof flags["threads"] === "number") glow.config({ workers: flags["threads"] });
  mkdirSync(out, { recursive: true });
  const t0 = Date.now();
  const stages: { stage: string; seconds: number }[] = [];
  let last = t0;
  const stage = (s: string): void => {
    const now = Date.now();
    if (stages.length) stages[stages.length - 1]!.seconds = (now - last) / 1000;
    stages.push({ stage: s, seconds: 0 });
    last = now;
    log(`[${((now - t0) / 1000).toFixed(1).padStart(6)} s] ${s}`);
  };

  // 1. simulate --------------------------------------------------------------------------------
  stage(`simulating ${samples} samples × ${variants} variants (2 populations, 2 quantitative + 1 binary trait)`);
  const cohort = await glow.simulate.cohort({
    samples, variants, chromosomes: 4, seed, populations: 2, fst: 0.05, ld: 0.6, causal: 25, heritability: 0.5,
    quantitativeTraits: 2, binaryTraits: 1, prevalence: 0.25, pcs: 2, populationEffect: 0.4,
    out: path.join(out, "data"), prefix: "cohort", formats: ["plink"],
  });
  const bed = cohort.files.bed!;

  // 2. read back and QC ------------------------------------------------------------------------
  stage(`reading ${path.basename(bed)} back and running variant QC`);
  const raw = glow.read("plink", bed);
  const sampleIds = await glow.wgr.getSampleIds(raw);
  // One QC pass computes the statistics and keeps the ids of the passing variants; the later passes
  // select those ids (a cheap set lookup) instead of recomputing the statistics.
  const qcPass = raw
    .withColumn("stats", glow.functions.callSummaryStats("genotypes"))
    .withColumn("hwe", glow.functions.hardyWeinberg("genotypes"))
    .filter(glow.col("stats.callRate").ge(0.95)
      .and(glow.col("stats.alleleFrequencies").getItem(1).ge(0.01))
      .and(glow.col("stats.alleleFrequencies").getItem(1).le(0.99))
      .and(glow.col("hwe.pValueHwe").ge(1e-10)))
    .select(glow.col("names").getItem(0).alias("id"));
  // the plan names the partitions' files relative to the output folder (the report travels with it)
  const plan = (await qcPass.explain(false)).split(out + path.sep).join("");
  const keptIds = (await qcPass.collect()).map((r) => String(r["id"]));
  const withValues = (f: typeof raw): typeof raw => f
    .withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")))
    .filter(glow.functions.arraySize(glow.functions.arrayDistinct("values")).gt(1));
  const qc = withValues(raw.filter(glow.functions.arraysOverlap("names", keptIds)));
  const kept = keptIds.length;
  stage(`QC kept ${kept} of ${variants} variants`);

  // 3. GloWGR ------------------------------------------------------------------------------------
  const step = Math.max(1, Math.round(1 / wgrFraction));
  const wgrIds = keptIds.filter((_, i) => i % step === 0);
  const wgrFrame = withValues(raw.filter(glow.functions.arraysOverlap("names", wgrIds)));
  stage(`GloWGR on every ${step}th variant (${wgrIds.length}), blocks of 500 variants, 5 sample blocks`);
  const { blockDf, sampleBlocks } = await glow.wgr.blockVariantsAndSamples(wgrFrame, sampleIds, 500, 5);
  const pheno = await glow.readSampleTable(cohort.files.phenotypes!);
  const covariates = await glow.readSampleTable(cohort.files.covariates!);
  const quant = pheno.loc({ columns: cohort.traits.filter((t) => t.startsWith("Q")) });
  const binary = pheno.loc({ columns: cohort.traits.filter((t) => t.startsWith("B")) });
  const quiet = { log: false as const };
  const reduction = new glow.wgr.RidgeReduction(blockDf, quant, sampleBlocks, covariates, quiet);
  await reduction.fitTransform();
  const regression = glow.wgr.RidgeRegression.fromRidgeReduction(reduction, [], quiet);
  const { cvDf } = await regression.fit();
  const quantOffsets = await regression.transformLoco();
  stage(`level-1 ridge: ${cvDf.best.map((b) => `${b.label} r²=${b.mean.toFixed(3)}`).join(", ")}`);
  const binReduction = new glow.wgr.RidgeReduction(blockDf, binary, sampleBlocks, covariates, quiet);
  await binReduction.fitTransform();
  const logistic = glow.wgr.LogisticRidgeRegression.fromRidgeReduction(binReduction, [], quiet);
  const binFit = await logistic.fit();
  const binOffsets = await logistic.transformLoco("linear");
  stage(`logistic level 1: ${binFit.cvDf.best.map((b) => `${b.label} log-loss=${b.mean.toFixed(3)}`).join(", ")}`);

  // 4. GWAS ---------------------------------------------------------------------------------------
  stage("linear regression GWAS (LOCO offsets, covariates)");
  const linear = glow.gwas.linearRegression(qc, quant, { covariateDf: covariates, offsetDf: quantOffsets });
  const linBatch = await linear.collectBatch();
  stage(`logistic regression GWAS (approx-Firth)`);
  const logisticRes = glow.gwas.logisticRegression(qc, binary, { covariateDf: covariates, offsetDf: binOffsets });
  const logBatch = await logisticRes.collectBatch();

  // 5. outputs ------------------------------------------------------------------------------------
  stage("writing results, plots and the report");
  const resultsDir = path.join(out, "results");
  mkdirSync(resultsDir, { recursive: true });
  const drop = (b: typeof linBatch): typeof linBatch => {
    const columns = { ...b.columns };
    delete columns["genotypes"];
    return { numRows: b.numRows, columns };
  };
  glow.io.writeBatchTsv(path.join(resultsDir, "linear.tsv"), drop(linBatch));
  await glow.io.writeBatchParquet(path.join(resultsDir, "linear.parquet"), drop(linBatch));
  glow.io.writeBatchTsv(path.join(resultsDir, "logistic.tsv"), drop(logBatch));
  await glow.io.writeBatchParquet(path.join(resultsDir, "logistic.parquet"), drop(logBatch));
  const rows = [...glow.batchRows(linBatch), ...glow.batchRows(logBatch)].map((r) => ({
    contigName: String(r["contigName"]), start: Number(r["start"]), pvalue: Number(r["pvalue"]), phenotype: String(r["phenotype"]),
  }));
  const evaluation = glow.simulate.evaluate(rows, cohort.truth);
  const traitSections: Parameters<typeof renderDemoReport>[0]["traits"] = [];
  for (const [kind, batch, traits] of [["linear", linBatch, quant.columns as string[]], ["logistic", logBatch, binary.columns as string[]]] as const) {
    for (const t of traits) {
      const model = kind === "linear" ? "linear regression" : "logistic regression (approx. Firth)";
      const m = glow.plot.manhattan(batch, { phenotype: t, title: `Manhattan plot — ${t} (${model})` });
      const q = glow.plot.qq(batch, { phenotype: t, title: `QQ plot — ${t} (${model})` });
      m.save(path.join(resultsDir, `manhattan-${t}.svg`));
      q.save(path.join(resultsDir, `qq-${t}.svg`));
      const top = glow.batchRows(batch)
        .filter((r) => r["phenotype"] === t && typeof r["pvalue"] === "number" && Number.isFinite(r["pvalue"]))
        .sort((x, y) => (x["pvalue"] as number) - (y["pvalue"] as number))
        .slice(0, 8)
        .map((r) => {
          const contigName = String(r["contigName"]);
          const position = (r["start"] as number) + 1;
          return {
            variant: (r["names"] as string[])[0] ?? "", contigName, position, effect: Number(r["effect"]), pvalue: r["pvalue"] as number,
            ...nearestCausal(cohort.truth.causal, t, contigName, position),
          };
        });
      traitSections.push({ trait: t, model, manhattanSvg: m.toSvgFile(), qqSvg: q.toSvgFile(), evaluation: evaluation.traits.find((e) => e.trait === t), top });
    }
  }
  const column = (df: typeof pheno, c: string): number[] => (df.column(c).values as unknown[]).map(Number);
  const version = (createRequire(import.meta.url)("../../package.json") as { version: string }).version;
  stage("report");
  const report = renderDemoReport({
    version, seed, samples, variants, chromosomes: 4, kept,
    qcRule: "call rate ≥ 0.95, 0.01 ≤ alt allele frequency ≤ 0.99, HWE p ≥ 1e-10; monomorphic variants dropped before testing",
    covariates: covariates.columns as string[],
    binary: (binary.columns as string[]).map((t) => {
      const v = column(binary, t);
      return { trait: t, cases: v.filter((x) => x === 1).length, controls: v.filter((x) => x === 0).length, missing: v.filter((x) => !Number.isFinite(x)).length };
    }),
    quantitative: (quant.columns as string[]).map((t) => {
      const v = column(quant, t);
      return { trait: t, observed: v.filter((x) => Number.isFinite(x)).length, missing: v.filter((x) => !Number.isFinite(x)).length };
    }),
    heritability: 0.5, causalPerTrait: 25,
    traits: traitSections, threshold: evaluation.threshold, windowBp: evaluation.windowBp,
    models: [
      ...cvDf.best.map((b) => ({ trait: b.label, kind: "ridge (quantitative)", alpha: b.alphaValue.toPrecision(3), score: `r² ${b.mean.toFixed(3)}` })),
      ...binFit.cvDf.best.map((b) => ({ trait: b.label, kind: "logistic ridge (binary)", alpha: b.alphaValue.toPrecision(3), score: `log-loss ${b.mean.toFixed(3)}` })),
    ],
    plan, stages, wallSeconds: (Date.now() - t0) / 1000,
  });
  writeTextAtomic(path.join(out, "report.html"), report);
  log("");
  log(evaluation.toString());
  log("");
  stage(`done: ${path.join(out, "report.html")}`);
  await glow.shutdown();
  return 0;
}
