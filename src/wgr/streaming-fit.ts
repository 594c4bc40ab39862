/**
 * GloWGR level 0 over a {@link StreamedBlockMatrix}: each header block is read once, fitted (map →
 * leave-one-sample-block-out reduce → solve, per sample block) and applied to itself in the same
 * task, and only its model blocks and reduced rows (samples × alphas × labels) are kept.
 *
 * The header block's values travel to a fit worker by transfer (no copy is kept on this thread) and
 * at most one header block per worker is in flight, so memory is bounded by
 * `workers × (variantsPerBlock × samples)` values plus the level-0 predictions — REGENIE's memory
 * shape — instead of samples × variants. Each header block runs the same stage functions as the
 * materialized path on the same rows, and the results are put back in the materialized order, so
 * the model and the reduced matrix are bit-identical to `RidgeReduction` on the materialized
 * `blockDf` for any number of workers.
 */
import { GlowtsError } from "../core/errors.js";
import { config } from "../engine/config.js";
import type { AlphaDict } from "./alphas.js";
import { BlockMatrix } from "./block-matrix.js";
import type { FitReply, ReducedRows } from "./fit-worker.js";
import { runFitApplyTask } from "./fit-worker.js";
import { fitTask, getPool } from "./parallel.js";
import { RidgeModel, ridgeApply, type RidgeModelBlock, type RidgeSolver, type WgrInputs } from "./ridge-stages.js";
import { concatBlockMatrices, type StreamedBlockMatrix } from "./streamed-blocks.js";

/** Progress of a streamed fit: header blocks done out of the total. */
export type StreamedFitProgress = (done: number, total: number) => void;

function reducedMatrix(r: ReducedRows): BlockMatrix {
  return new BlockMatrix({
    header: r.header, size: r.size, values: r.values, headerBlock: r.headerBlock, sampleBlock: r.sampleBlock,
    sortKey: r.sortKey, mu: r.mu, sig: r.sig, alpha: r.alpha, label: r.label,
  });
}

/**
 * Fits and applies RidgeReduction's level-0 models header block by header block.
 * @param workers fit threads (default `glow.config().workers`; 0 or 1: on this thread)
 * @returns the model (Glow's `model_df`) and the reduced block matrix (`reduced_block_df`)
 */
export async function ridgeReduceStreamed(
  source: StreamedBlockMatrix, inputs: WgrInputs, alphas: AlphaDict, solver: RidgeSolver, workers?: number,
  onProgress?: StreamedFitProgress,
): Promise<{ model: RidgeModel; reduced: BlockMatrix }> {
  const w = workers ?? config().workers;
  const total = source.layout.length;
  const models: RidgeModelBlock[][] = new Array(total);
  const reduced: BlockMatrix[] = new Array(total);
  let done = 0;
  const finish = (index: number, blocks: RidgeModelBlock[], red: ReducedRows | undefined): void => {
    if (!red) throw new GlowtsError("WGR_WORKER", "streamed fit: a worker returned no reduced rows");
    models[index] = blocks;
    reduced[index] = reducedMatrix(red);
    onProgress?.(++done, total);
  };
  if (w <= 1) {
    for await (const { index, block } of source.headerBlocks()) {
      const task = fitTask(block, [...Array(block.numRows).keys()], "reduction", inputs, alphas, solver, false);
      const r = runFitApplyTask({ ...task, apply: true });
      finish(index, r.blocks, r.reduced);
    }
  } else {
    const pool = getPool(w);
    const inFlight = new Set<Promise<void>>();
    let failure: unknown;
    for await (const { index, block } of source.headerBlocks()) {
      if (failure) break;
      const task = { ...fitTask(block, [...Array(block.numRows).keys()], "reduction", inputs, alphas, solver, false), apply: true };
      const buffers = [...new Set(block.values.map((v) => v.buffer as ArrayBuffer))];
      const p: Promise<void> = pool.run(task, { transferList: buffers }).then(
        (reply: FitReply) => {
          if (reply.error) throw GlowtsError.fromJSON(reply.error);
          finish(index, reply.blocks!, reply.reduced);
        },
      ).catch((e: unknown) => { failure ??= e; }).finally(() => inFlight.delete(p));
      inFlight.add(p);
      // One header block per worker in flight: reading waits for a free worker.
      while (inFlight.size >= w) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (failure) throw failure;
  }
  return { model: new RidgeModel(models.flat()), reduced: concatBlockMatrices(reduced) };
}

/**
 * RidgeReduction.transform over a streamed matrix with a given model (e.g. after `modelDf` was
 * replaced or the alphas changed): reads the header blocks again and applies the model, on this thread.
 */
export async function ridgeApplyStreamed(source: StreamedBlockMatrix, model: RidgeModel, inputs: WgrInputs, alphas: AlphaDict): Promise<BlockMatrix> {
  const reduced: BlockMatrix[] = new Array(source.layout.length);
  for await (const { index, block } of source.headerBlocks()) reduced[index] = ridgeApply(block, model, inputs, alphas);
  return concatBlockMatrices(reduced);
}
