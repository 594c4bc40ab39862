/**
 * GloWGR linear ridge models against Glow's `test-data/wgr/ridge-regression` oracles, following
 * `python/glow/wgr/tests/test_ridge_regression.py`: the map/reduce/solve/apply pieces against the
 * reference formulas recomputed here from X0.csv and pts.csv, one- and two-level regression
 * against the same formulas on X1.csv / X2.csv, and LOCO against level1YHatLoco.csv /
 * level2YHatLoco.csv (Glow's own earlier outputs).
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import * as wgr from "../../dist/wgr/index.js";
import {
  HAVE_DATA, WGR, addDiag, allclose, csvColumn, csvTable, inv, maxRelErr, mul, readCsv, seededNormals, silent,
  standardizeColumns, transpose, type Csv, type M,
} from "./helpers.js";

const D = path.join(WGR, "ridge-regression");
if (!HAVE_DATA) console.warn("skipping GloWGR ridge-regression oracle tests: ../shared/data is absent");

const ALPHAS = [0.1, 1, 10];
const TEST_GROUP = "0";
const TEST_BLOCK = "chr_1_block_0";
const TEST_LABEL = "sim100";

describe.skipIf(!HAVE_DATA)("glow/wgr/ridge-regression oracles", () => {
  let X0: Csv, X1: Csv, X2: Csv, pts: Csv;
  let labels: ReturnType<typeof csvTable>;
  let stdLabelRows: Map<string, number[]>;
  let sampleBlocks: wgr.SampleBlocks;
  let blockDf: wgr.BlockMatrix, level1Df: wgr.BlockMatrix, level2Df: wgr.BlockMatrix;
  let headers: string[];
  let ids: string[];

  beforeAll(async () => {
    X0 = readCsv(path.join(D, "X0.csv"));
    X1 = readCsv(path.join(D, "X1.csv"));
    X2 = readCsv(path.join(D, "X2.csv"));
    pts = readCsv(path.join(D, "pts.csv"));
    labels = csvTable(pts);
    const std = standardizeColumns(pts.rows);
    stdLabelRows = new Map(pts.ids.map((id, i) => [id, std[i]!]));
    sampleBlocks = await wgr.readSampleBlocksParquet(path.join(D, "groupedIDs.snappy.parquet"));
    blockDf = await wgr.readBlockMatrixParquet(path.join(D, "blockedGT.snappy.parquet"));
    level1Df = await wgr.readBlockMatrixParquet(path.join(D, "level1BlockedGT.snappy.parquet"));
    level2Df = await wgr.readBlockMatrixParquet(path.join(D, "level2BlockedGT.snappy.parquet"));
    ids = sampleBlocks[TEST_GROUP]!;
    // headers of the test block, ordered by sort_key (Glow: orderBy('sort_key'))
    const rows: number[] = [];
    for (let i = 0; i < blockDf.numRows; i++) if (blockDf.headerBlock[i] === TEST_BLOCK && blockDf.sampleBlock[i] === TEST_GROUP) rows.push(i);
    rows.sort((a, b) => blockDf.sortKey[a]! - blockDf.sortKey[b]!);
    headers = rows.map((i) => blockDf.header[i]!);
  });

  /** Rows of a CSV for the given ids and columns. */
  const pick = (c: Csv, rowIds: string[], cols: string[]): M => {
    const at = new Map(c.ids.map((id, i) => [id, i]));
    const js = cols.map((h) => c.header.indexOf(h) - 1);
    return rowIds.map((id) => js.map((j) => c.rows[at.get(id)!]![j]!));
  };
  const others = (c: Csv, exclude: string[]): string[] => c.ids.filter((id) => !exclude.includes(id));
  const rawLabelRows = (rowIds: string[]): M => pick(pts, rowIds, pts.header.slice(1));
  const stdLabelRowsOf = (rowIds: string[]): M => rowIds.map((id) => stdLabelRows.get(id)!);
  const emptyInputs = (labelTable: wgr.SampleTable): InstanceType<typeof wgr.stages.WgrInputs> =>
    new wgr.stages.WgrInputs(labelTable, new wgr.SampleTable([], []), sampleBlocks);
  const flat = (m: M): number[] => m.flat();

  /** B = [inv(XᵀX + a·I)·XᵀY for a in alphas] (alpha-major columns), as the Glow tests compute it. */
  const ridgeB = (Xo: M, Yo: M, nCov = 0, alphas = ALPHAS): M => {
    const xtx = mul(transpose(Xo), Xo);
    const xty = mul(transpose(Xo), Yo);
    const blocks = alphas.map((a) => mul(inv(addDiag(xtx, xtx.map((_, i) => (i < nCov ? 1 : a)))), xty));
    return xtx.map((_, i) => blocks.flatMap((b) => b[i]!));
  };

  // tolerance for the stage pieces: |a − b| ≤ 1e-9 + 1e-9·|b| (Glow: np.allclose, rtol 1e-5, atol 1e-8)
  const TOL = { rtol: 1e-9, atol: 1e-9 };

  it("map_normal_eqn: XᵀX and XᵀY of (chr_1_block_0, sample block 0) equal X0 recomputation", () => {
    const ne = wgr.stages.ridgeMap(blockDf, "reduction", emptyInputs(wgr.toSampleTable(labels)))
      .find((n) => n.headerBlock === TEST_BLOCK && n.sampleBlock === TEST_GROUP)!;
    expect(ne.headers).toEqual(headers);
    const Xin = pick(X0, ids, headers);
    expect(allclose(ne.xtx, flat(mul(transpose(Xin), Xin)), TOL.rtol, TOL.atol)).toBe(true);
    expect(allclose(ne.xty, flat(mul(transpose(Xin), rawLabelRows(ids))), TOL.rtol, TOL.atol)).toBe(true);
  });

  it("reduce_normal_eqn: leave-one-block-out sums equal the X0 rows outside sample block 0", () => {
    const inputs = emptyInputs(wgr.toSampleTable(labels));
    const ne = wgr.stages.ridgeReduce(wgr.stages.ridgeMap(blockDf, "reduction", inputs))
      .find((n) => n.headerBlock === TEST_BLOCK && n.sampleBlock === TEST_GROUP)!;
    const out = others(X0, ids);
    const Xo = pick(X0, out, headers);
    expect(allclose(ne.xtx, flat(mul(transpose(Xo), Xo)), TOL.rtol, TOL.atol)).toBe(true);
    expect(allclose(ne.xty, flat(mul(transpose(Xo), rawLabelRows(out))), TOL.rtol, TOL.atol)).toBe(true);
  });

  it("solve_normal_eqn: coefficients equal inv(XᵀX + aI)·XᵀY per alpha (alpha-major columns)", () => {
    const alphas = wgr.stages.createAlphaDict(ALPHAS);
    const model = wgr.stages.ridgeFit(blockDf, "reduction", emptyInputs(wgr.toSampleTable(labels)), alphas);
    const mb = model.get(TEST_BLOCK, TEST_GROUP, "all")!;
    const out = others(X0, ids);
    const B = ridgeB(pick(X0, out, headers), rawLabelRows(out));
    expect(mb.alphaNames).toEqual(ALPHAS.flatMap((_, i) => pts.header.slice(1).map(() => `alpha_${i}`)));
    expect(allclose(mb.coefficients, flat(B), TOL.rtol, TOL.atol)).toBe(true);
  });

  it("apply_model: reduced values of (chr_1_block_0, sample block 0) equal X_in·B", () => {
    const alphas = wgr.stages.createAlphaDict(ALPHAS);
    const inputs = emptyInputs(wgr.toSampleTable(labels));
    const model = wgr.stages.ridgeFit(blockDf, "reduction", inputs, alphas);
    const reduced = wgr.stages.ridgeApply(blockDf, model, inputs, alphas);
    const out = others(X0, ids);
    const XB = mul(pick(X0, ids, headers), ridgeB(pick(X0, out, headers), rawLabelRows(out)));
    const labelNames = pts.header.slice(1);
    let checked = 0;
    ALPHAS.forEach((_, a) => labelNames.forEach((l, li) => {
      const i = reduced.header.findIndex((h, r) => h === `${TEST_BLOCK}_alpha_${a}_label_${l}` && reduced.sampleBlock[r] === TEST_GROUP);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(allclose(reduced.values[i]!, XB.map((r) => r[a * labelNames.length + li]!), TOL.rtol, TOL.atol)).toBe(true);
      checked++;
    }));
    expect(checked).toBe(12);
  });

  it("RidgeReduction.fit (standardized labels, no intercept) equals the X0 formula", async () => {
    const rr = new wgr.RidgeReduction(blockDf, labels, sampleBlocks, null, { addIntercept: false, alphas: ALPHAS, ...silent });
    const model = await rr.fit();
    const mb = model.get(TEST_BLOCK, TEST_GROUP, "all")!;
    const out = others(X0, ids);
    expect(allclose(mb.coefficients, flat(ridgeB(pick(X0, out, headers), stdLabelRowsOf(out))), TOL.rtol, TOL.atol)).toBe(true);
  });

  it("RidgeReduction.transform with covariates (penalty 1 on covariates) equals [C|X]·B", async () => {
    const rnd = seededNormals(42);
    const cov = { index: pts.ids, columns: ["cov1", "cov2"], data: { cov1: pts.ids.map(() => rnd()), cov2: pts.ids.map(() => rnd()) } };
    const stdCov = standardizeColumns(pts.ids.map((_, i) => [cov.data.cov1[i]!, cov.data.cov2[i]!]));
    const covRows = new Map(pts.ids.map((id, i) => [id, stdCov[i]!]));
    const rr = new wgr.RidgeReduction(blockDf, labels, sampleBlocks, cov, { addIntercept: false, alphas: ALPHAS, ...silent });
    const reduced = await rr.fitTransform();
    const out = others(X0, ids);
    const withCov = (rowIds: string[]): M => {
      const x = pick(X0, rowIds, headers);
      return rowIds.map((id, i) => [...covRows.get(id)!, ...x[i]!]);
    };
    const XB = mul(withCov(ids), ridgeB(withCov(out), stdLabelRowsOf(out), 2));
    const labelNames = pts.header.slice(1);
    ALPHAS.forEach((_, a) => labelNames.forEach((l, li) => {
      const i = reduced.header.findIndex((h, r) => h === `${TEST_BLOCK}_alpha_${a}_label_${l}` && reduced.sampleBlock[r] === TEST_GROUP);
      expect(allclose(reduced.values[i]!, XB.map((r) => r[a * labelNames.length + li]!), TOL.rtol, TOL.atol)).toBe(true);
    }));
  });

  /** Glow's `__calculate_y_hat`: leave-one-block-out ridge on X_base's columns for one label. */
  const calculateYHat = (Xbase: Csv, label: string, cov?: Map<string, number[]>) => {
    const groups = Object.keys(sampleBlocks).sort();
    const cols = Xbase.header.slice(1).filter((c) => c.includes(label));
    const nCov = cov ? cov.values().next().value!.length : 0;
    const design = (rowIds: string[]): M => {
      const x = pick(Xbase, rowIds, cols);
      return rowIds.map((id, i) => [...(cov ? cov.get(id)! : []), ...x[i]!]);
    };
    const yOf = (rowIds: string[]): M => rowIds.map((id) => [stdLabelRows.get(id)![pts.header.indexOf(label) - 1]!]);
    const fits = groups.map((g) => {
      const gi = sampleBlocks[g]!;
      const out = Xbase.ids.filter((id) => !gi.includes(id));
      return { gi, Xin: design(gi), B: ridgeB(design(out), yOf(out), nCov), yin: yOf(gi).map((r) => r[0]!) };
    });
    const r2 = ALPHAS.map((_, a) => {
      let s = 0;
      for (const f of fits) {
        const pred = mul(f.Xin, f.B).map((r) => r[a]!);
        const mean = f.yin.reduce((x, y) => x + y, 0) / f.yin.length;
        const tot = f.yin.reduce((x, y) => x + (y - mean) ** 2, 0);
        const res = f.yin.reduce((x, y, i) => x + (y - pred[i]!) ** 2, 0);
        s += 1 - res / tot;
      }
      return s / fits.length;
    });
    let best = 0;
    r2.forEach((v, a) => { if (v > r2[best]!) best = a; });
    const yHat = new Map<string, number>();
    for (const f of fits) mul(f.Xin, f.B).forEach((r, i) => yHat.set(f.gi[i]!, r[best]!));
    return { bestAlpha: `alpha_${best}`, bestR2: r2[best]!, yHat };
  };

  const checkRegression = (cv: wgr.CrossValidation, yHat: wgr.SampleTable, ref: ReturnType<typeof calculateYHat>): void => {
    const row = cv.best.find((b) => b.label === TEST_LABEL)!;
    expect(row.alpha).toBe(ref.bestAlpha); // best alpha equal
    expect(Math.abs(row.mean - ref.bestR2)).toBeLessThanOrEqual(1e-8 * Math.abs(ref.bestR2)); // r2 within 1e-8 relative
    const got = pts.ids.map((id) => yHat.get(id, TEST_LABEL));
    const want = pts.ids.map((id) => ref.yHat.get(id)!);
    expect(maxRelErr(got, want)).toBeLessThan(1e-8); // ŷ within 1e-8 relative
  };

  it("one-level regression (RidgeReduction → RidgeRegression.fromRidgeReduction) matches the X1 formula for sim100", async () => {
    const rr = new wgr.RidgeReduction(blockDf, labels, sampleBlocks, null, { addIntercept: false, alphas: ALPHAS, ...silent });
    await rr.fit();
    const reduced = await rr.transform();
    // the sim100 level-1 features are X1's columns after per-block standardization
    let maxAbs = 0;
    const x1 = new Map(X1.header.slice(1).map((h) => [h, csvColumn(X1, h)]));
    for (let i = 0; i < reduced.numRows; i++) {
      if (reduced.label![i] !== TEST_LABEL) continue;
      const col = x1.get(reduced.header[i]!)!;
      sampleBlocks[reduced.sampleBlock[i]!]!.forEach((id, s) => {
        maxAbs = Math.max(maxAbs, Math.abs((reduced.values[i]![s]! - reduced.mu[i]!) / reduced.sig[i]! - col.get(id)!));
      });
    }
    expect(maxAbs).toBeLessThan(1e-10);
    const reg = wgr.RidgeRegression.fromRidgeReduction(rr, ALPHAS, silent);
    const { cvDf } = await reg.fit();
    checkRegression(cvDf, await reg.transformToTable(), calculateYHat(X1, TEST_LABEL));
  });

  it("two-level regression (RidgeRegression on level2BlockedGT) matches the X2 formula for sim100", async () => {
    const reg = new wgr.RidgeRegression(level2Df, labels, sampleBlocks, null, { addIntercept: false, alphas: ALPHAS, ...silent });
    const { cvDf } = await reg.fit();
    checkRegression(cvDf, await reg.transformToTable(), calculateYHat(X2, TEST_LABEL));
  });

  it("two-level regression with covariates matches the X2 formula with [C | X2]", async () => {
    const rnd = seededNormals(7);
    const raw = pts.ids.map(() => [rnd(), rnd()]);
    const std = standardizeColumns(raw);
    const stdCov = { index: pts.ids, columns: ["cov1", "cov2"], data: { cov1: std.map((r) => r[0]!), cov2: std.map((r) => r[1]!) } };
    const reg = new wgr.RidgeRegression(level2Df, labels, sampleBlocks, stdCov, { addIntercept: false, alphas: ALPHAS, ...silent });
    const { cvDf } = await reg.fit();
    checkRegression(cvDf, await reg.transformToTable(), calculateYHat(X2, TEST_LABEL, new Map(pts.ids.map((id, i) => [id, std[i]!]))));
  });

  it("tie break: duplicated alphas still give one best row per label", async () => {
    const std = { index: pts.ids, columns: pts.header.slice(1), data: Object.fromEntries(pts.header.slice(1).map((l, j) => [l, pts.ids.map((id) => stdLabelRows.get(id)![j]!)])) };
    const reg = new wgr.RidgeRegression(level1Df.limit(5), std, sampleBlocks, null, { addIntercept: false, alphas: [0.1, 0.2, 0.1, 0.2], ...silent });
    const { cvDf } = await reg.fit();
    expect(cvDf.best.length).toBe(pts.header.length - 1);
    // ties go to the larger alpha value
    for (const b of cvDf.best) expect(b.alphaValue).toBe(0.2);
  });

  it("fitTransform equals fit then transform (reduction and regression)", async () => {
    const rr = new wgr.RidgeReduction(blockDf.limit(5), labels, sampleBlocks, null, { addIntercept: false, alphas: ALPHAS, ...silent });
    await rr.fit();
    const a = await rr.transform();
    const b = await rr.fitTransform();
    expect(b.toRows()).toEqual(a.toRows());
    const reg = new wgr.RidgeRegression(level1Df.limit(5), labels, sampleBlocks, null, { addIntercept: false, alphas: ALPHAS, ...silent });
    await reg.fit();
    const y0 = await reg.transformToTable();
    await reg.fit();
    const y1 = await reg.transformToTable();
    expect(Array.from(y1.values)).toEqual(Array.from(y0.values));
  });

  it("generated alphas equal the explicit sorted generated list (reduction and regression)", async () => {
    const bd = blockDf.limit(5);
    const h = wgr.stages.countLabelFreeHeaders(bd.header);
    const gen = Object.values(wgr.stages.alphasForHeaderCount(h)).sort((x, y) => x - y);
    const r0 = new wgr.RidgeReduction(bd, labels, sampleBlocks, null, { addIntercept: false, ...silent });
    const r1 = new wgr.RidgeReduction(bd, labels, sampleBlocks, null, { addIntercept: false, alphas: gen, ...silent });
    expect(r0.getAlphas()).toEqual(r1.getAlphas());
    expect((await r0.fitTransform()).toRows()).toEqual((await r1.fitTransform()).toRows());
    const l1 = level1Df.limit(5);
    const g1 = Object.values(wgr.stages.alphasForHeaderCount(wgr.stages.countLabelFreeHeaders(l1.header))).sort((x, y) => x - y);
    const q0 = new wgr.RidgeRegression(l1, labels, sampleBlocks, null, { addIntercept: false, ...silent });
    const q1 = new wgr.RidgeRegression(l1, labels, sampleBlocks, null, { addIntercept: false, alphas: g1, ...silent });
    const f0 = await q0.fit();
    const f1 = await q1.fit();
    expect(f0.cvDf.toRows()).toEqual(f1.cvDf.toRows());
    expect(Array.from((await q0.transformToTable()).values)).toEqual(Array.from((await q1.transformToTable()).values));
  });

  const checkLoco = (loco: wgr.LocoPredictions, ref: Csv): number => {
    // ref rows: sample_id, contigName, labels... (Glow's y_hat_df written with to_csv)
    const labelsRef = ref.header.slice(2);
    const got: number[] = [];
    const want: number[] = [];
    ref.rows.forEach((r, i) => {
      const contig = String(r[0]);
      labelsRef.forEach((l, j) => {
        got.push(loco.get(ref.ids[i]!, contig, l));
        want.push(r[j + 1]!);
      });
    });
    // same row order as Glow: chromosome, then the label table's sample order
    const rowsRef = ref.ids.map((id, i) => `${id}|${ref.rows[i]![0]}`);
    const rowsGot = loco.chromosomes.flatMap((c) => loco.sampleIds.map((id) => `${id}|${c}`));
    expect(rowsGot).toEqual(rowsRef);
    return maxRelErr(got, want);
  };

  for (const level of ["level1", "level2"] as const) {
    for (const given of [true, false]) {
      it(`${level} LOCO (${given ? "given" : "inferred"} contigs) equals ${level}YHatLoco.csv within 1e-8 relative`, async () => {
        const bm = level === "level1" ? level1Df : level2Df;
        const reg = new wgr.RidgeRegression(bm, labels, sampleBlocks, null, { addIntercept: false, alphas: ALPHAS, ...silent });
        await reg.fit();
        const loco = await reg.transformLocoToTable(given ? ["1", "2", "3"] : undefined);
        expect(loco.chromosomes).toEqual(["1", "2", "3"]);
        const err = checkLoco(loco, readCsv(path.join(D, `${level}YHatLoco.csv`)));
        expect(err).toBeLessThan(1e-8);
      });
    }
  }

  it("transformLoco returns a danfo DataFrame indexed by sample_id|contigName with sample_id, contigName columns", async () => {
    const reg = new wgr.RidgeRegression(level2Df, labels, sampleBlocks, null, { addIntercept: false, alphas: ALPHAS, ...silent });
    const df = await reg.fitTransformLoco();
    const ref = readCsv(path.join(D, "level2YHatLoco.csv"));
    expect(df.columns).toEqual(["sample_id", "contigName", ...ref.header.slice(2)]);
    expect(df.index[0]).toBe(wgr.locoIndex(ref.ids[0]!, String(ref.rows[0]![0])));
    const back = wgr.locoFromDanfo(df as never);
    expect(checkLoco(back, ref)).toBeLessThan(1e-8);
  });
});

describe.skipIf(!HAVE_DATA)("worker independence", () => {
  it("the level-0 fit on 2 worker threads equals the single-thread fit exactly", async () => {
    const D0 = path.join(WGR, "ridge-regression");
    const bm = await wgr.readBlockMatrixParquet(path.join(D0, "blockedGT.snappy.parquet"));
    const sb = await wgr.readSampleBlocksParquet(path.join(D0, "groupedIDs.snappy.parquet"));
    const labels = wgr.stages.fillNaAndStandardize(wgr.toSampleTable(csvTable(readCsv(path.join(D0, "pts.csv")))));
    const inputs = new wgr.stages.WgrInputs(labels, wgr.stages.prepareCovariates(new wgr.SampleTable([], []), labels, true), sb);
    const alphas = wgr.stages.createAlphaDict([0.1, 1, 10]);
    const one = await wgr.stages.ridgeFitParallel(bm, "reduction", inputs, alphas, "auto", 1);
    const two = await wgr.stages.ridgeFitParallel(bm, "reduction", inputs, alphas, "auto", 2, 0);
    await wgr.shutdownWgrWorkers();
    expect(two.toRows()).toEqual(one.toRows());
  });
});
