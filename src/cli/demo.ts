/**
 * `glowts demo` / `npm run demo`: the whole workflow on a simulated cohort, with known truth —
 * simulate → read back → variant QC → GloWGR LOCO offsets → linear and logistic GWAS → results
 * (TSV, Parquet), Manhattan and QQ plots (SVG) and one self-contained HTML report with the plan, the
 * models' cross-validated r², the top hits, λGC and power/FDR against the simulator's truth.
 */
import { mkdirSync } from "node:fs";
import * as path from "node:path";
import { writeTextAtomic } from "../io/writers/atomic.js";
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
  const stage = (s: string): void => log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${s}`);

  // 1. simulate --------------------------------------------------------------------------------
  stage(`simulating ${samples} samples × ${variants} variants (2 populations, 2 quantitative + 1 binary trait)`);
  const cohort = await glow.simulate.cohort({
    samples, variants, chromosomes: 4, seed, populations: 2, fst: 0.05, ld: 0.6, causal: 25, heritability: 0.5,
    quantitativeTraits: 2, binaryTraits: 1, prevalence: 0.25, pcs: 2, populationEffect: 0.4,
    out: path.join(out, "data"), prefix: "cohort", formats: ["plink"],
  });
  const bed = cohort.files.bed!;

  // 2. read back and QC ------------------------------------------------------------------------
  stage(`reading ${path.relative(process.cwd(), bed)} back and running variant QC`);
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
  const plan = await qcPass.explain(false);
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
  const figures: { title: string; svg: string; file: string }[] = [];
  for (const [kind, batch, traits] of [["linear", linBatch, quant.columns as string[]], ["logistic", logBatch, binary.columns as string[]]] as const) {
    for (const t of traits) {
      const m = glow.plot.manhattan(batch, { phenotype: t, title: `Manhattan plot — ${t} (${kind})` });
      const q = glow.plot.qq(batch, { phenotype: t, title: `QQ plot — ${t}` });
      for (const [name, fig] of [[`manhattan-${t}`, m], [`qq-${t}`, q]] as const) {
        const file = path.join(resultsDir, `${name}.svg`);
        fig.save(file);
        figures.push({ title: name, svg: fig.svg, file });
      }
    }
  }
  const rows = [...glow.batchRows(linBatch), ...glow.batchRows(logBatch)].map((r) => ({
    contigName: String(r["contigName"]), start: Number(r["start"]), pvalue: Number(r["pvalue"]), phenotype: String(r["phenotype"]),
  }));
  const evaluation = glow.simulate.evaluate(rows, cohort.truth);
  const top = glow.batchRows(linBatch).concat(glow.batchRows(logBatch))
    .filter((r) => typeof r["pvalue"] === "number")
    .sort((a, b) => (a["pvalue"] as number) - (b["pvalue"] as number))
    .slice(0, 15)
    .map((r) => ({
      phenotype: r["phenotype"], variant: (r["names"] as string[])[0], contigName: r["contigName"], position: (r["start"] as number) + 1,
      effect: r["effect"], pvalue: r["pvalue"], causal: cohort.truth.causal.some((c) => c.trait === r["phenotype"] && c.id === (r["names"] as string[])[0]) ? "yes" : "",
    }));
  const { htmlTable } = glow;
  const { escapeHtml, wrapHtml } = glow.internal;
  const report = `<!doctype html><html><head><meta charset="utf-8"><title>glowts demo report</title></head><body>
${wrapHtml(`<h1>glowts demo</h1>
<p>Simulated cohort: ${samples} samples × ${variants} variants on 4 chromosomes, 2 populations (Fst 0.05), traits ${escapeHtml(cohort.traits.join(", "))} (h² 0.5, 25 causal variants each), seed ${seed}. Wall time ${((Date.now() - t0) / 1000).toFixed(1)} s.</p>
<h2>Plan after QC</h2><pre>${escapeHtml(plan)}</pre>
<p>${kept} variants passed QC (call rate ≥ 0.95, 0.01 ≤ alt frequency ≤ 0.99, HWE p ≥ 1e-10); monomorphic ones are dropped before testing.</p>
<h2>GloWGR level-1 models</h2>
${htmlTable(cvDf.best.map((b) => ({ label: b.label, alpha: b.alpha, alpha_value: b.alphaValue, r2_mean: b.mean })), ["label", "alpha", "alpha_value", "r2_mean"], { caption: "quantitative traits: best alpha by cross-validated r²" })}
${htmlTable(binFit.cvDf.best.map((b) => ({ label: b.label, alpha: b.alpha, alpha_value: b.alphaValue, log_loss_mean: b.mean })), ["label", "alpha", "alpha_value", "log_loss_mean"], { caption: "binary traits: best alpha by cross-validated log-loss" })}
<h2>Power, FDR and λGC against the truth</h2>
${htmlTable(evaluation.traits as unknown as Record<string, unknown>[], ["trait", "variantsTested", "causal", "hits", "trueHits", "power", "fdr", "lambdaGc", "causalFoundGenomeWide", "causalFoundSuggestive"], { caption: `hits at p < ${evaluation.threshold}, attributed to a causal variant within ${evaluation.windowBp} bp` })}
<h2>Top hits</h2>
${htmlTable(top, ["phenotype", "variant", "contigName", "position", "effect", "pvalue", "causal"])}
<h2>Plots</h2>
${figures.map((f) => `<div>${f.svg}</div>`).join("\n")}`, "report")}
</body></html>`;
  writeTextAtomic(path.join(out, "report.html"), report);
  log("");
  log(evaluation.toString());
  log("");
  stage(`done: ${path.join(out, "report.html")}`);
  await glow.shutdown();
  return 0;
}
