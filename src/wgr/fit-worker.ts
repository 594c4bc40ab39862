/**
 * Worker-thread entry for GloWGR's parallel fits: one task = one reduce group (a header block at
 * level 0, a label at level 1) run through map → reduce → solve with the same code as the calling
 * thread, so results do not depend on the number of workers.
 */
import { Piscina } from "piscina";
import { asGlowtsError, type SerializedGlowtsError } from "../core/errors.js";
import { BlockMatrixBuilder, type SampleBlocks } from "./block-matrix.js";
import type { AlphaDict } from "./alphas.js";
import { WgrInputs, ridgeApply, ridgeFit, type GroupMode, type RidgeModelBlock, type RidgeSolver } from "./ridge-stages.js";
import { SampleTable } from "./sample-table.js";
import { regenieLevel0Block, type RegenieLevel0BlockTask } from "./regenie-level0-block.js";

/** A serializable table. */
export interface TablePayload {
  index: string[];
  columns: string[];
  values: Float64Array;
}

/** One fit task. Row values are copies (not views) so that only they cross the thread boundary. */
export interface FitTask {
  mode: GroupMode;
  rows: {
    header: string[]; size: Int32Array; values: Float64Array[]; indices: (Int32Array | null)[] | null;
    headerBlock: string[]; sampleBlock: string[]; sortKey: Float64Array; mu: Float64Array; sig: Float64Array;
    alpha: string[] | null; label: string[] | null;
  };
  labels: TablePayload;
  cov: TablePayload;
  sampleBlocks: SampleBlocks;
  alphas: AlphaDict;
  solver: RidgeSolver;
  /**
   * Also apply the fitted model to the task's rows (RidgeReduction.transform for this header block)
   * and return the reduced rows: the streamed level 0 fits and transforms each header block once.
   */
  apply?: boolean;
}

/** Reduced rows of one header block (the columns of {@link BlockMatrix} after a reduction). */
export interface ReducedRows {
  header: string[]; size: Int32Array; values: Float64Array[]; headerBlock: string[]; sampleBlock: string[];
  sortKey: Float64Array; mu: Float64Array; sig: Float64Array; alpha: string[]; label: string[];
}

export interface FitReply {
  blocks?: RidgeModelBlock[];
  reduced?: ReducedRows;
  error?: SerializedGlowtsError;
}

/** Runs one task (also callable on the calling thread). */
export function runFitTask(task: FitTask): RidgeModelBlock[] {
  return runFitApplyTask(task).blocks;
}

/** Runs one task: the fit, and with `task.apply` the reduced rows of the task's block. */
export function runFitApplyTask(task: FitTask): { blocks: RidgeModelBlock[]; reduced?: ReducedRows } {
  const b = new BlockMatrixBuilder();
  const r = task.rows;
  for (let i = 0; i < r.header.length; i++) {
    b.add({
      header: r.header[i]!, size: r.size[i]!, values: r.values[i]!, indices: r.indices ? r.indices[i] ?? null : null,
      header_block: r.headerBlock[i]!, sample_block: r.sampleBlock[i]!, sort_key: r.sortKey[i]!, mu: r.mu[i]!, sig: r.sig[i]!,
      alpha: r.alpha ? r.alpha[i]! : undefined, label: r.label ? r.label[i]! : undefined,
    });
  }
  const inputs = new WgrInputs(
    new SampleTable(task.labels.index, task.labels.columns, task.labels.values),
    new SampleTable(task.cov.index, task.cov.columns, task.cov.values),
    task.sampleBlocks,
  );
  const bm = b.build();
  const model = ridgeFit(bm, task.mode, inputs, task.alphas, task.solver);
  if (!task.apply) return { blocks: model.blocks };
  const red = ridgeApply(bm, model, inputs, task.alphas);
  return {
    blocks: model.blocks,
    reduced: {
      header: red.header, size: red.size, values: red.values, headerBlock: red.headerBlock, sampleBlock: red.sampleBlock,
      sortKey: red.sortKey, mu: red.mu, sig: red.sig, alpha: red.alpha ?? [], label: red.label ?? [],
    },
  };
}

/** A task of the fit pool: a Glow reduce group, or one header block of the regenie preset's level 0. */
export type FitPoolTask = FitTask | RegenieLevel0BlockTask;

function isRegenieLevel0(task: FitPoolTask): task is RegenieLevel0BlockTask {
  return (task as RegenieLevel0BlockTask).kind === "regenie-level0";
}

/** The regenie level-0 block in this worker; its predictions moved back. */
function regenieLevel0Task(task: RegenieLevel0BlockTask): unknown {
  const out = regenieLevel0Block(task);
  const reply = { out };
  if (!out) return reply;
  const list = [out.buffer as ArrayBuffer];
  const movable = {
    get [Piscina.transferableSymbol]() { return list; },
    get [Piscina.valueSymbol]() { return reply; },
  };
  return Piscina.move(movable as never);
}

export default function fitTask(task: FitPoolTask): unknown {
  try {
    if (isRegenieLevel0(task)) return regenieLevel0Task(task);
    const { blocks, reduced } = runFitApplyTask(task);
    const reply: FitReply = reduced ? { blocks, reduced } : { blocks };
    const buffers = new Set<ArrayBuffer>(blocks.map((x) => x.coefficients.buffer as ArrayBuffer));
    if (reduced) for (const v of reduced.values) buffers.add(v.buffer as ArrayBuffer);
    const list = [...buffers];
    const movable = {
      get [Piscina.transferableSymbol]() { return list; },
      get [Piscina.valueSymbol]() { return reply; },
    };
    return Piscina.move(movable as never);
  } catch (e) {
    return { error: asGlowtsError(e, "WGR_WORKER").toJSON() } satisfies FitReply;
  }
}

/** A no-op task: submitting it makes the pool start a thread (used to replace a dead worker). */
export function ping(): number {
  return 0;
}
