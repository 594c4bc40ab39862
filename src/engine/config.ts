/** Global execution settings (`glow.config`). */
import { readFileSync } from "node:fs";
import { availableParallelism, totalmem } from "node:os";
import { GlowtsError } from "../core/errors.js";

/**
 * The CPUs a cgroup quota grants this process (containers: Docker `--cpus`, Kubernetes limits,
 * Binder), or null when there is no quota. Reads cgroup v2 `cpu.max` (`"<quota> <period>"` or
 * `"max <period>"`), else cgroup v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us` (quota -1 = none).
 * @param read reads a file's text (tests pass fixtures); a missing file means that cgroup version is absent.
 */
export function cgroupCpuQuota(read: (file: string) => string | null = readOrNull): number | null {
  const v2 = read("/sys/fs/cgroup/cpu.max");
  if (v2 !== null) {
    const [quota, period] = v2.trim().split(/\s+/);
    if (quota === "max") return null;
    const q = Number(quota), p = Number(period);
    return q > 0 && p > 0 ? q / p : null;
  }
  const q1 = read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us") ?? read("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us");
  const p1 = read("/sys/fs/cgroup/cpu/cpu.cfs_period_us") ?? read("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us");
  if (q1 === null || p1 === null) return null;
  const q = Number(q1.trim()), p = Number(p1.trim());
  return q > 0 && p > 0 ? q / p : null;
}

function readOrNull(file: string): string | null {
  try { return readFileSync(file, "utf8"); } catch { return null; }
}

/**
 * The default worker count: the cores Node may use (`availableParallelism`, which follows CPU
 * affinity), capped by the container's CPU quota (rounded down, at least 1).
 */
export function defaultWorkers(cores: number = availableParallelism(), quota: number | null = cgroupCpuQuota()): number {
  const n = quota === null ? cores : Math.min(cores, Math.floor(quota));
  return Math.max(1, n);
}

export interface EngineConfig {
  /** Worker threads for actions. 0 runs partitions on the calling thread. @defaultValue the cores, capped by the container's CPU quota ({@link defaultWorkers}) */
  workers: number;
  /** Partitions in flight per worker (bounds memory). @defaultValue 2 */
  inflightPerWorker: number;
  /** Show a progress bar on a terminal for long actions. @defaultValue true */
  progress: boolean;
  /** Target variants per partition for readers that cut by variant count. */
  variantsPerPartition?: number | undefined;
  /** Target compressed bytes per partition for readers that cut by bytes. */
  bytesPerPartition?: number | undefined;
  /**
   * Heap cap of each worker thread in MB (V8's old generation; typed-array data is outside it). A
   * partition that exceeds it fails with `WORKER_OUT_OF_MEMORY` and its worker is replaced.
   * @defaultValue half the machine's memory shared by the workers, at least 512 MB
   */
  workerHeapMb?: number | undefined;
  /**
   * Young-generation size of each worker thread in MB (V8's `maxYoungGenerationSizeMb`). A small
   * one collects short-lived objects — and the typed arrays they hold, e.g. a partition's bytes as
   * read — more often: less memory, a little more GC time. @defaultValue V8's default (≈ 48 MB)
   */
  workerYoungGenerationMb?: number | undefined;
  /** Show full internal stack traces in kernel errors (the glowts Jupyter kernel). @defaultValue false */
  debug: boolean;
  /**
   * Figures shown in a notebook also carry a PNG (for untrusted notebooks and exports; about 0.2 s
   * per figure). `false` sends SVG and HTML only. @defaultValue true
   */
  figurePng: boolean;
}

const state: EngineConfig = {
  workers: defaultWorkers(),
  inflightPerWorker: 2,
  progress: true,
  debug: false,
  figurePng: true,
};

/**
 * Reads or changes the execution settings.
 * @example `glow.config({ workers: 1 })` for a one-thread run; `glow.config().workers` to read.
 */
export function config(update: Partial<EngineConfig> = {}): Readonly<EngineConfig> {
  for (const [k, v] of Object.entries(update)) {
    if (v === undefined) continue;
    (state as unknown as Record<string, unknown>)[k] = v;
  }
  if (!Number.isInteger(state.workers) || state.workers < 0) state.workers = 1;
  if (state.workerHeapMb !== undefined && !(Number.isFinite(state.workerHeapMb) && state.workerHeapMb >= 16)) {
    const bad = state.workerHeapMb;
    delete state.workerHeapMb;
    throw new GlowtsError("OPTION", `config: option 'workerHeapMb' must be a number of megabytes ≥ 16; got ${String(bad)}`, { option: "workerHeapMb" });
  }
  if (state.workerYoungGenerationMb !== undefined && !(Number.isFinite(state.workerYoungGenerationMb) && state.workerYoungGenerationMb >= 1)) {
    const bad = state.workerYoungGenerationMb;
    delete state.workerYoungGenerationMb;
    throw new GlowtsError("OPTION", `config: option 'workerYoungGenerationMb' must be a number of megabytes ≥ 1; got ${String(bad)}`, { option: "workerYoungGenerationMb" });
  }
  return { ...state };
}

/** The heap cap in MB of each of `threads` worker threads (`workerHeapMb` or the default). */
export function workerHeapCap(threads: number): number {
  const set = state.workerHeapMb;
  if (set !== undefined) return Math.round(set);
  return Math.max(512, Math.floor(totalmem() / 2 ** 20 / 2 / Math.max(1, threads)));
}
