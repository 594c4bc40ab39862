/**
 * `estimateLocoOffsets` equals the manual pipeline (Glow's `test_estimate_loco_offsets.py`): the
 * ridge route on pts.csv and the logistic route on binary_phenotypes.csv (with/without intercept
 * and covariates), both over Glow's blockedGT fixture with alphas [0.1, 1, 10].
 * Tolerance: identical results expected (|a − b| ≤ 1e-12·|b| + 1e-15).
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import * as wgr from "../../dist/wgr/index.js";
import { HAVE_DATA, WGR, allclose, csvTable, readCsv, silent } from "./helpers.js";

if (!HAVE_DATA) console.warn("skipping estimateLocoOffsets tests: ../shared/data is absent");

const ALPHAS = [0.1, 1, 10];

describe.skipIf(!HAVE_DATA)("estimateLocoOffsets equals the manual pipeline (glow/wgr fixtures)", () => {
  let blockDf: wgr.BlockMatrix;
  let sampleBlocks: wgr.SampleBlocks;
  let quantitative: ReturnType<typeof csvTable>;
  let binary: ReturnType<typeof csvTable>;
  let cov: ReturnType<typeof csvTable>;

  beforeAll(async () => {
    const R = path.join(WGR, "ridge-regression");
    const L = path.join(WGR, "logistic-regression");
    blockDf = await wgr.readBlockMatrixParquet(path.join(R, "blockedGT.snappy.parquet"));
    sampleBlocks = await wgr.readSampleBlocksParquet(path.join(R, "groupedIDs.snappy.parquet"));
    quantitative = csvTable(readCsv(path.join(R, "pts.csv")));
    binary = csvTable(readCsv(path.join(L, "binary_phenotypes.csv")));
    cov = csvTable(readCsv(path.join(L, "cov.csv")));
  });

  const same = (a: wgr.LocoPredictions, b: wgr.LocoPredictions): void => {
    expect(a.chromosomes).toEqual(b.chromosomes);
    expect(a.sampleIds).toEqual(b.sampleIds);
    a.tables.forEach((t, i) => expect(allclose(t.values, b.tables[i]!.values, 1e-12, 1e-15)).toBe(true));
  };

  it("ridge route", async () => {
    const y = await wgr.estimateLocoOffsetsToTable(blockDf, quantitative, sampleBlocks, null, {
      addIntercept: false, reductionAlphas: ALPHAS, regressionAlphas: ALPHAS, ...silent,
    });
    const rr = new wgr.RidgeReduction(blockDf, quantitative, sampleBlocks, null, { addIntercept: false, alphas: ALPHAS, ...silent });
    await rr.fitTransform();
    const reg = wgr.RidgeRegression.fromRidgeReduction(rr, ALPHAS, silent);
    await reg.fit();
    same(y, await reg.transformLocoToTable());
  });

  for (const addIntercept of [false, true]) {
    for (const withCov of [false, true]) {
      it(`logistic route (intercept ${addIntercept}, covariates ${withCov})`, async () => {
        const messages: string[] = [];
        const log = (m: string): void => void messages.push(m);
        const c = withCov ? cov : null;
        const y = await wgr.estimateLocoOffsetsToTable(blockDf, binary, sampleBlocks, c, {
          addIntercept, reductionAlphas: ALPHAS, regressionAlphas: ALPHAS, log,
        });
        expect(messages).toContain("Warning: Ignoring any covariates for linear response");
        const rr = new wgr.RidgeReduction(blockDf, binary, sampleBlocks, c, { addIntercept, alphas: ALPHAS, ...silent });
        await rr.fitTransform();
        expect(rr.isBinary()).toBe(true);
        const reg = wgr.LogisticRidgeRegression.fromRidgeReduction(rr, ALPHAS, silent);
        await reg.fit();
        same(y, await reg.transformLocoToTable());
      });
    }
  }
});
