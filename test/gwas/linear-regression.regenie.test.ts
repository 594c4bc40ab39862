/**
 * REGENIE step 2 (v1.0.6.7, quantitative traits) with REGENIE's own step-1 LOCO predictions as
 * offsets (reference §3, "How Glow's inputs map to REGENIE's"): `glow/regenie/test_lin_out_Y{1,2}.regenie`
 * from `--step 2 --bgen example.bgen --covarFile covariates.txt --phenoFile phenotype.txt
 * --pred fit_lin_out_pred.list --ref-first` (see test_lin_out.log).
 *
 * Glow's mapping: phenotypes/covariates indexed by FID_IID, intercept added, LOCO offsets = the
 * `.loco` files melted to (FID_IID, contig), values = genotype_states of the hard calls (no
 * mean substitution). Every variant (1000 × Y1, Y2) is compared, not only Glow's first 100, at
 * Glow's tolerance np.isclose(rtol 1e-2, atol 1e-3) on BETA, SE and p = 10^-LOG10P.
 *
 * Allele orientation: REGENIE reports the effect of ALLELE1 (the BGEN's second allele); Glow's PLINK
 * convention makes BIM allele 1 the alt, i.e. the other allele, so effects are sign-flipped where
 * our alt allele is REGENIE's ALLELE0.
 */
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { DATA, HAVE_DATA, locoOffsetTable, median, parseFidIidTable, readBed, readRegenie, readText, relErr, toFrame } from "./helpers.js";
import { linearRegression } from "../../dist/gwas/index.js";
import * as glow from "../../dist/index.js";

const R = path.join(DATA, "glow/regenie");
const BED = path.join(DATA, "regenie/example");

type Row = Record<string, unknown>;

interface Summary { fails: number; median: { beta: number; se: number; p: number }; max: { beta: number; se: number; p: number } }

/** Compares result rows to one trait's REGENIE output; returns the error summary. */
function compare(rows: Row[], trait: string): Summary {
  const reg = readRegenie(path.join(R, `test_lin_out_${trait}.regenie`));
  const byId = new Map<string, Row>();
  for (const r of rows) if (r["phenotype"] === trait) byId.set((r["names"] as string[]).at(-1)!, r);
  const eb: number[] = [], es: number[] = [], ep: number[] = [];
  let fails = 0;
  const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-3 + 1e-2 * Math.abs(b);
  for (const g of reg) {
    const r = byId.get(g.id);
    expect(r, `variant ${g.id}`).toBeDefined();
    const alt = (r!["alternateAlleles"] as string[])[0]!;
    const ref = r!["referenceAllele"] as string;
    expect([alt, ref].sort()).toEqual([g.allele0, g.allele1].sort());
    const beta = (alt === g.allele1 ? 1 : -1) * (r!["effect"] as number);
    const se = r!["stderror"] as number;
    const p = r!["pvalue"] as number;
    const pRegenie = 10 ** -g.log10p;
    eb.push(relErr(beta, g.beta)); es.push(relErr(se, g.se)); ep.push(relErr(p, pRegenie));
    if (!close(beta, g.beta) || !close(se, g.se) || !close(p, pRegenie)) fails++;
  }
  expect(eb.length).toBe(1000);
  return {
    fails,
    median: { beta: median(eb), se: median(es), p: median(ep) },
    max: { beta: Math.max(...eb), se: Math.max(...es), p: Math.max(...ep) },
  };
}

const fmt = (s: Summary): string =>
  `fails ${s.fails}/1000; median rel err BETA ${s.median.beta.toExponential(2)}, SE ${s.median.se.toExponential(2)}, p ${s.median.p.toExponential(2)}; ` +
  `max BETA ${s.max.beta.toExponential(2)}, SE ${s.max.se.toExponential(2)}, p ${s.max.p.toExponential(2)}`;

describe.skipIf(!HAVE_DATA)("linearRegression vs REGENIE step 2 with LOCO offsets (../shared/data/glow/regenie)", () => {
  const phenotypes = HAVE_DATA ? parseFidIidTable(readText(path.join(R, "phenotype.txt"))) : null!;
  const covariates = HAVE_DATA ? parseFidIidTable(readText(path.join(R, "covariates.txt"))) : null!;
  const offsets = HAVE_DATA ? locoOffsetTable({ Y1: path.join(R, "fit_lin_out_1.loco"), Y2: path.join(R, "fit_lin_out_2.loco") }) : null!;

  afterAll(async () => { await glow.shutdown(); });

  test("every variant of Y1 and Y2 within rtol 1e-2 / atol 1e-3 (genotypes from example.bed)", async () => {
    const v = readBed(BED);
    const res = await linearRegression(toFrame(v, 250), phenotypes, { covariateDf: covariates, offsetDf: offsets });
    const rows = await res.collect();
    expect(rows).toHaveLength(2000);
    for (const trait of ["Y1", "Y2"]) {
      const s = compare(rows, trait);
      console.log(`REGENIE ${trait} (example.bed): ${fmt(s)}`);
      expect(s.fails).toBe(0);
    }
  });

  test("Glow's pipeline: glow.read('bgen') hard calls → genotypeStates, tables from readSampleTable / readRegeniePredList; PLINK .bed gives the same results (≤1e-12 relative, allele-flipped; effect/t relative to max(|x|, se or 1))", async () => {
    const { readSampleTable, readRegeniePredList } = await import("../../dist/io/sample-table.js");
    const pheno = await readSampleTable(path.join(R, "phenotype.txt"));
    const covs = await readSampleTable(path.join(R, "covariates.txt"));
    const offs = await readRegeniePredList(path.join(R, "fit_lin_out_pred.list"));
    const bgen = glow.read("bgen", path.join(R, "example.bgen")).withColumn("values", glow.functions.genotypeStates("genotypes"));
    const fromBgen = await (linearRegression(bgen, pheno, { covariateDf: covs, offsetDf: offs })).collect();
    for (const trait of ["Y1", "Y2"]) {
      const s = compare(fromBgen, trait);
      console.log(`REGENIE ${trait} (glow.read bgen): ${fmt(s)}`);
      expect(s.fails).toBe(0);
    }
    const bed = glow.read("plink", `${BED}.bed`, { famDelimiter: "\t" }).withColumn("values", glow.functions.genotypeStates("genotypes"));
    const fromBed = await (linearRegression(bed, pheno, { covariateDf: covs, offsetDf: offs })).collect();
    const key = (r: Row): string => `${(r["names"] as string[]).at(-1)}/${r["phenotype"]}`;
    const bedByKey = new Map(fromBed.map((r) => [key(r), r]));
    // Relative differences; effect and tvalue relative to max(|value|, their scale: stderror and 1),
    // since near-zero effects are differences of large sums.
    let worst = 0;
    for (const a of fromBgen) {
      const b = bedByKey.get(key(a))!;
      const flip = (a["alternateAlleles"] as string[])[0] === (b["alternateAlleles"] as string[])[0] ? 1 : -1;
      expect(flip).toBe(-1); // BGEN alt = second allele, PLINK alt = BIM allele 1
      const se = a["stderror"] as number;
      for (const [c, sign, scale] of [["effect", flip, se], ["stderror", 1, 0], ["tvalue", flip, 1], ["pvalue", 1, 0]] as const) {
        const x = a[c] as number;
        worst = Math.max(worst, Math.abs(sign * (b[c] as number) - x) / Math.max(Math.abs(x), scale));
      }
    }
    console.log(`bgen vs bed: worst relative difference ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-12);
  });
});
