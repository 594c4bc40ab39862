/**
 * The glowts Jupyter kernel: tslab's TypeScript kernel with one change — a cell's last value that
 * has a rich rendering (a glowts object, a figure, a danfo DataFrame, anything implementing
 * `Symbol.for("jupyter.mimebundle")`) is sent as `display_data` with its whole MIME bundle instead
 * of being printed with `util.inspect`; long actions draw a live progress bar in the cell.
 *
 * How it hooks into tslab (1.0.22, pinned): tslab's executor (`dist/executor.js` `createExecutor`)
 * compiles and runs a cell, then passes the last value to the `console.log` it was given. tslab's
 * own `startKernel` gives it the real console; this module builds the same executor with a console
 * whose `log` recognises rich values and queues their (possibly async) rendering, and wraps the
 * executor so that a cell is not reported finished before its displays are sent. Everything else
 * (the ZeroMQ server, completion, inspection, interrupts) is tslab's, started as tslab starts it.
 * See kernel/README.md.
 */
import { createRequire } from "node:module";
import { randomBytes } from "node:crypto";
import { config } from "../engine/config.js";
import { setDefaultProgress, type Progress, type ProgressCallback } from "../engine/progress.js";
import { jupyterError, type JupyterError } from "./kernel-errors.js";
import { installModuleFallback } from "./kernel-resolve.js";
import { fileURLToPath } from "node:url";
import * as path from "node:path";
import { escapeHtml, GLOWTS_STYLE, type MimeBundle } from "../core/mime.js";
import { isRichDisplayable, KERNEL_HOOK, toMimeBundle } from "./index.js";

const require = createRequire(import.meta.url);

/** Jupyter `display_data` content as tslab's `writeDisplayData` takes it. */
export interface DisplayData {
  data: Record<string, string>;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}

/** tslab's display writer: `update` = true sends `update_display_data` for the same display id. */
export type WriteDisplayData = (data: DisplayData, update: boolean) => void;

/** The console interface tslab's executor logs through. */
export interface ExecutorConsole {
  log(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/** The part of tslab's Executor this module wraps. */
export interface TslabExecutor {
  execute(src: string): Promise<boolean>;
  interrupt(): void;
  close(): void;
  [k: string]: unknown;
}

/**
 * A console for tslab's executor: rich last values are rendered (awaiting async renderings such as
 * a VariantFrame's first rows) and sent with `send`; anything else goes to `fallback.log` as tslab
 * would print it. `flush()` waits for the queued renderings and rethrows the first failure.
 */
export function createRichConsole(send: (bundle: MimeBundle) => void, fallback: ExecutorConsole = console): ExecutorConsole & {
  flush(): Promise<void>; pending(): number;
  /** From now on, `error` calls are recorded instead of printed. */
  startCapture(): void;
  /** Stops recording and returns the recorded `error` argument lists. */
  stopCapture(): unknown[][];
} {
  let queue: Promise<void>[] = [];
  let captured: unknown[][] | null = null;
  return {
    log(...args: unknown[]): void {
      if (args.length === 1 && isRichDisplayable(args[0])) {
        const p = toMimeBundle(args[0]).then(send);
        p.catch(() => undefined); // reported by flush()
        queue.push(p);
      } else fallback.log(...args);
    },
    error(...args: unknown[]): void {
      if (captured) captured.push(args);
      else fallback.error(...args);
    },
    startCapture(): void { captured = []; },
    stopCapture(): unknown[][] { const c = captured ?? []; captured = null; return c; },
    async flush(): Promise<void> {
      const q = queue;
      queue = [];
      await Promise.all(q);
    },
    pending: () => queue.length,
  };
}

/**
 * Wraps tslab's executor so that `execute` resolves after the cell's rich displays were sent.
 * A failing rendering fails the cell (its error is printed like a cell error); an interrupt stops
 * the wait.
 */
export function wrapExecutor<E extends TslabExecutor>(inner: E, rich: { flush(): Promise<void> }, errorOut: ExecutorConsole = console): E {
  let rejectWait: ((e: Error) => void) | undefined;
  const wrapped = Object.create(inner) as E;
  wrapped.execute = async (src: string): Promise<boolean> => {
    let ok = await inner.execute(src);
    try {
      await new Promise<void>((resolve, reject) => {
        rejectWait = reject;
        rich.flush().then(resolve, reject);
      });
    } catch (e) {
      errorOut.error(e);
      ok = false;
    } finally {
      rejectWait = undefined;
    }
    return ok;
  };
  wrapped.interrupt = (): void => {
    inner.interrupt();
    rejectWait?.(new Error("Interrupted while rendering the display"));
  };
  return wrapped;
}

/** Options of {@link notebookProgress}. */
export interface NotebookProgressOptions {
  /** Actions shorter than this show no bar. @defaultValue 500 (env GLOWTS_PROGRESS_DELAY_MS) */
  delayMs?: number | undefined;
  /** Minimum time between redraws. @defaultValue 200 */
  intervalMs?: number | undefined;
}

/**
 * A progress factory for `setDefaultProgress` that draws an HTML bar in the running cell and
 * updates it in place (`update_display_data` with one display id per action). When the action
 * ends the bar is replaced by a one-line summary.
 * @param writer returns the current cell's display writer (null outside a cell: nothing is drawn)
 */
export function notebookProgress(writer: () => WriteDisplayData | null | undefined, options: NotebookProgressOptions = {}): (action: string) => ProgressCallback {
  const envDelay = Number(process.env["GLOWTS_PROGRESS_DELAY_MS"]);
  const delay = options.delayMs ?? (Number.isFinite(envDelay) && envDelay >= 0 ? envDelay : 500);
  const interval = options.intervalMs ?? 200;
  return (action: string) => {
    const id = `glowts-progress-${randomBytes(6).toString("hex")}`;
    let shown = false;
    let last = 0;
    return (p: Progress) => {
      if (!p.done && p.elapsedMs < delay) return;
      if (p.done && !shown) return;
      const now = Date.now();
      if (!p.done && shown && now - last < interval) return;
      const write = writer();
      if (!write) return;
      last = now;
      write({ data: progressBundle(action, p), metadata: {}, transient: { display_id: id } }, shown);
      shown = true;
    };
  };
}

/** The HTML/text of a progress bar or, when done, of its summary line. */
export function progressBundle(action: string, p: Progress): Record<string, string> {
  const secs = (p.elapsedMs / 1000).toFixed(1);
  const text = `${action}: ${p.partitionsDone}/${p.partitionsTotal} partitions, ${p.rows.toLocaleString("en-US")} rows, ${secs} s${p.done ? " (done)" : ""}`;
  const bar = p.done ? "✓ " : `<progress value="${p.partitionsDone}" max="${Math.max(1, p.partitionsTotal)}" style="width:240px;vertical-align:middle"></progress> `;
  const html = `<div class="glowts glowts-progress"><style>${GLOWTS_STYLE}</style><div class="glowts-meta">${bar}${escapeHtml(text)}</div></div>`;
  return { "text/html": html, "text/plain": text };
}

/** Converters for tslab's executor, created on first use (as tslab's own kernel does). */
function converterSet(createConverter: (o: { isJS: boolean; isBrowser: boolean }) => { close(): void }): Record<string, unknown> {
  let node: { close(): void } | undefined;
  let browser: { close(): void } | undefined;
  return {
    get node() { return (node ??= createConverter({ isJS: false, isBrowser: false })); },
    get browser() { return (browser ??= createConverter({ isJS: false, isBrowser: true })); },
    close() { node?.close(); browser?.close(); },
  };
}

const PUBLISH = Symbol("glowts.publish");
const ERROR = Symbol("glowts.error");

/** An execute_request's content, with the kernel's per-request additions. */
interface ExecuteRequest {
  code: string;
  [PUBLISH]?: (type: string, content: unknown) => void;
  [ERROR]?: JupyterError;
}

/** The parts of tslab's JupyterHandlerImpl the kernel overrides (tslab/dist/jupyter.js). */
interface TslabHandler {
  execCount: number;
  handleKernel(): Record<string, unknown>;
  handleExecute(req: ExecuteRequest, writeStream: unknown, writeDisplayData: unknown): Promise<Record<string, unknown>>;
  handleExecuteImpl(req: ExecuteRequest, writeStream: unknown, writeDisplayData: unknown): Promise<unknown>;
}

/** tslab's ZmqMessage (the part used here). */
interface ZmqMessage {
  content: unknown;
  createReply(): { header: { msg_type: string }; content: unknown; signAndSend(key: string, sock: unknown): void };
}

/** The parts of tslab's ZmqServer the kernel overrides. */
interface TslabServer {
  connInfo: { key: string };
  iopub: unknown;
  init(): Promise<void>;
  handleExecute(sock: unknown, msg: ZmqMessage): Promise<void>;
}

/** The tslab version this kernel was written against (internals are used: keep it exact). */
export const TSLAB_VERSION = "1.0.22";

/**
 * Starts the kernel on a Jupyter connection file (what `kernel/kernels/glowts/launcher.mjs` calls).
 * @param connectionFile the `{connection_file}` Jupyter passes
 */
export async function startKernel(connectionFile: string): Promise<void> {
  const tslabVersion = (require("tslab/package.json") as { version: string }).version;
  if (tslabVersion !== TSLAB_VERSION) {
    console.error(`glowts kernel: tslab ${tslabVersion} is installed but the kernel was written against ${TSLAB_VERSION}; rich display may break`);
  }
  // cells may import glowts/danfojs from this install when the notebook's folder has none
  installModuleFallback(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", ".."));
  const { createConverter } = require("tslab/dist/converter.js") as { createConverter: (o: { isJS: boolean; isBrowser: boolean }) => { close(): void } };
  const { createExecutor } = require("tslab/dist/executor.js") as { createExecutor: (root: string, convs: unknown, c: ExecutorConsole) => TslabExecutor };
  const jupyter = require("tslab/dist/jupyter.js") as {
    lastWriteDisplayData: WriteDisplayData | null;
    JupyterHandlerImpl: new (executor: TslabExecutor, isJs: boolean) => TslabHandler;
    ZmqServer: new (handler: unknown, configPath: string) => TslabServer;
  };
  const send = (bundle: MimeBundle): void => {
    const write = jupyter.lastWriteDisplayData;
    if (!write) { console.log(bundle["text/plain"]); return; }
    write({ data: bundle as Record<string, string>, metadata: {}, transient: {} }, false);
  };
  (globalThis as Record<symbol, unknown>)[KERNEL_HOOK] = send;
  setDefaultProgress(notebookProgress(() => jupyter.lastWriteDisplayData));

  const rich = createRichConsole(send, console);
  const convs = converterSet(createConverter);
  (convs as { node: unknown }).node; // warm the TypeScript converter, as tslab does
  const executor = wrapExecutor(createExecutor(process.cwd(), convs, rich), rich, rich);

  class GlowtsHandler extends jupyter.JupyterHandlerImpl {
    override handleKernel(): Record<string, unknown> {
      const reply = super.handleKernel();
      reply["banner"] = `glowts (TypeScript) — tslab ${tslabVersion}, Node ${process.version}`;
      return reply;
    }

    // tslab sends neither execute_input (so nbconvert keeps no execution counts) nor error messages
    // (a failure was stderr text): publish both, and put ename/evalue/traceback in the reply.
    override async handleExecute(req: ExecuteRequest, ws: unknown, wd: unknown): Promise<Record<string, unknown>> {
      const reply = await super.handleExecute(req, ws, wd);
      const err = req[ERROR];
      return reply["status"] === "error" && err ? { ...reply, ...err } : reply;
    }

    override async handleExecuteImpl(req: ExecuteRequest, ws: unknown, wd: unknown): Promise<unknown> {
      const count = this.execCount + 1;
      req[PUBLISH]?.("execute_input", { code: req.code, execution_count: count });
      rich.startCapture();
      try {
        return await super.handleExecuteImpl(req, ws, wd);
      } catch (e) {
        const err = jupyterError(rich.stopCapture(), req.code, count, config().debug);
        req[ERROR] = err;
        req[PUBLISH]?.("error", err);
        throw e;
      } finally {
        for (const args of rich.stopCapture()) console.error(...args); // messages of a cell that succeeded
      }
    }
  }

  class GlowtsServer extends jupyter.ZmqServer {
    override async handleExecute(sock: unknown, msg: ZmqMessage): Promise<void> {
      (msg.content as ExecuteRequest)[PUBLISH] = (type, content) => {
        const m = msg.createReply();
        m.header.msg_type = type;
        m.content = content;
        m.signAndSend(this.connInfo.key, this.iopub);
      };
      await super.handleExecute(sock, msg);
    }
  }
  const server = new GlowtsServer(new GlowtsHandler(executor, false), connectionFile);
  process.on("SIGINT", () => executor.interrupt());
  process.on("uncaughtException", (err) => console.error("UncaughtException:", err));
  process.on("unhandledRejection", (reason) => console.error("UnhandledPromiseRejection:", reason));
  await server.init();
}
