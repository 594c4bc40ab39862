/** Progress reporting for long actions: a callback, a terminal bar, or a notebook display hook. */

export interface Progress {
  /** What is running, e.g. `count`, `linearRegression`. */
  action: string;
  partitionsDone: number;
  partitionsTotal: number;
  rows: number;
  elapsedMs: number;
  done: boolean;
}

export type ProgressCallback = (p: Progress) => void;

type Factory = (action: string) => ProgressCallback | undefined;
let defaultFactory: Factory = terminalProgress;

/** Replaces the default progress display (the notebook kernel installs its own). */
export function setDefaultProgress(factory: Factory): void { defaultFactory = factory; }

/** The progress callback to use for an action, given the user's option. */
export function progressFor(action: string, option: ProgressCallback | boolean | undefined, enabled: boolean): ProgressCallback | undefined {
  if (typeof option === "function") return option;
  if (option === false || !enabled) return undefined;
  return defaultFactory(action);
}

/** A bar on stderr, drawn only on a terminal and only after the first second. */
export function terminalProgress(action: string): ProgressCallback | undefined {
  const stream = process.stderr;
  if (!stream.isTTY) return undefined;
  let shown = false;
  return (p) => {
    if (!p.done && p.elapsedMs < 1000) return;
    const width = 30;
    const frac = p.partitionsTotal > 0 ? p.partitionsDone / p.partitionsTotal : 1;
    const bar = "█".repeat(Math.round(frac * width)).padEnd(width, "░");
    const line = `${action} ${bar} ${p.partitionsDone}/${p.partitionsTotal} partitions, ${p.rows} rows, ${(p.elapsedMs / 1000).toFixed(1)} s`;
    if (p.done && !shown) return;
    shown = true;
    stream.write(`\r${line}${p.done ? "\n" : ""}`);
  };
}
