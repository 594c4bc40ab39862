/**
 * A failed cell as a Jupyter error (`ename`, `evalue`, `traceback`), built from what tslab's executor
 * reports through its console: the thrown value (`console.error(e)`) or TypeScript diagnostics
 * (`console.error("%s%d:%d - %s", file, line, column, message)`).
 *
 * - `GlowtsError` → `ename` `GlowtsError[CODE]`, `evalue` its one-line message (it names the file and
 *   record); other errors keep their name (`TypeError`...).
 * - TypeScript diagnostics → `ename` `TypeScriptError`, `evalue` the first message with its line.
 * - `traceback` is short: the header line, then the user's cell with the failing line marked (for a
 *   runtime error: the line calling the outermost glowts function on the stack; tslab compiles cells
 *   without source maps, so stack line numbers cannot be used). `glow.config({ debug: true })`
 *   appends the full stack.
 */

/** The content of a Jupyter `error` message (and of a failed `execute_reply`). */
export interface JupyterError {
  ename: string;
  evalue: string;
  traceback: string[];
}

const RED = "\u001b[0;31m";
const GREEN = "\u001b[0;32m";
const RESET = "\u001b[0m";
const CONTEXT = 2;
const MAX_LINES = 8;

interface ErrorLike { name?: unknown; message?: unknown; stack?: unknown; code?: unknown; option?: unknown }

function isErrorLike(v: unknown): v is ErrorLike {
  return v instanceof Error || (typeof v === "object" && v !== null && typeof (v as ErrorLike).message === "string" && typeof (v as ErrorLike).stack === "string");
}

/** A diagnostic as tslab's executor logs it. */
interface Diagnostic { line: number; column: number; message: string }

function asDiagnostic(args: unknown[]): Diagnostic | null {
  if (args[0] !== "%s%d:%d - %s" || args.length < 5) return null;
  return { line: Number(args[2]), column: Number(args[3]), message: String(args[4]) };
}

function firstLine(s: string): string {
  const line = s.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.trim();
}

/**
 * Builds the Jupyter error of a failed cell.
 * @param captured the argument lists the executor passed to `console.error` during the cell
 * @param code the cell's source
 * @param count the cell's execution count (`In [n]`)
 * @param debug append the full stack (`glow.config({ debug: true })`)
 */
export function jupyterError(captured: readonly unknown[][], code: string, count: number, debug = false): JupyterError {
  const diagnostics = captured.map(asDiagnostic).filter((d): d is Diagnostic => d !== null);
  if (diagnostics.length > 0) return typeScriptError(diagnostics, code, count);
  const err = captured.flat().find(isErrorLike);
  if (err) return runtimeError(err, code, count, debug);
  const text = captured.map((a) => a.map(String).join(" ")).join("\n") || "the cell failed";
  return { ename: "Error", evalue: firstLine(text), traceback: [`${RED}Error${RESET}: ${firstLine(text)}`] };
}

function typeScriptError(diags: Diagnostic[], code: string, count: number): JupyterError {
  const d0 = diags[0]!;
  const lines = code.split("\n");
  const tb = [`${RED}TypeScriptError${RESET}: ${d0.message}`];
  for (const d of diags) {
    tb.push(`In [${count}], line ${d.line}:${d.column} — ${d.message}`);
    const src = lines[d.line - 1];
    if (src !== undefined) tb.push(`${GREEN}----> ${String(d.line).padStart(3)}${RESET} | ${src}`, `${" ".repeat(13 + Math.max(0, d.column - 1))}^`);
  }
  const more = diags.length > 1 ? ` (and ${diags.length - 1} more)` : "";
  return { ename: "TypeScriptError", evalue: `line ${d0.line}:${d0.column}: ${d0.message}${more}`, traceback: tb };
}

/** A stack frame: the function name and whether it runs in a cell (tslab runs cells as `evalmachine`). */
interface Frame { name: string; inCell: boolean; internal: boolean }

function frames(stack: string): Frame[] {
  const out: Frame[] = [];
  for (const raw of stack.split("\n")) {
    const m = /^\s*at (?:async )?(.*?)(?: \((.*)\))?$/.exec(raw);
    if (!m) continue;
    const where = m[2] ?? m[1] ?? "";
    const fn = m[2] !== undefined ? (m[1] ?? "") : "";
    out.push({
      name: fn.split(".").pop()?.replace(/^<anonymous>$/, "") ?? "",
      inCell: where.startsWith("evalmachine."),
      internal: where.startsWith("node:") || where.includes("/tslab/"),
    });
  }
  return out;
}

/** The 1-based cell line that calls the outermost glowts function on the stack, or 0. */
function failingLine(stack: string, lines: readonly string[]): number {
  const fs = frames(stack);
  const firstCell = fs.findIndex((f) => f.inCell);
  const library = (firstCell >= 0 ? fs.slice(0, firstCell) : fs).filter((f) => !f.inCell && !f.internal && f.name !== "");
  for (const f of [...library].reverse()) {
    const re = new RegExp(`(^|[^\\w$])${f.name.replace(/[$]/g, "\\$")}\\s*\\(`);
    const i = lines.findIndex((l) => re.test(l) && !/^\s*\/\//.test(l));
    if (i >= 0) return i + 1;
  }
  return 0;
}

function runtimeError(e: ErrorLike, code: string, count: number, debug: boolean): JupyterError {
  const name = typeof e.name === "string" && e.name ? e.name : "Error";
  const isGlowts = name === "GlowtsError" && typeof e.code === "string";
  const ename = isGlowts ? `GlowtsError[${String(e.code)}]` : name;
  const evalue = firstLine(String(e.message ?? ""));
  const stack = typeof e.stack === "string" ? e.stack : "";
  const lines = code.replace(/\n+$/, "").split("\n");
  const at = failingLine(stack, lines);
  const tb = [`${RED}${ename}${RESET}: ${evalue}`];
  if (isGlowts && typeof e.option === "string") tb.push(`option: ${e.option}`);
  tb.push(`In [${count}]:`);
  const from = at > 0 ? Math.max(1, at - CONTEXT) : 1;
  const to = at > 0 ? Math.min(lines.length, at + CONTEXT) : Math.min(lines.length, MAX_LINES);
  for (let i = from; i <= to; i++) {
    tb.push(i === at ? `${GREEN}----> ${String(i).padStart(3)}${RESET} | ${lines[i - 1]}` : `      ${String(i).padStart(3)} | ${lines[i - 1]}`);
  }
  if (to < lines.length && at === 0) tb.push("      …");
  if (debug && stack) tb.push("", ...stack.split("\n"));
  else tb.push("(glow.config({ debug: true }) shows the full stack)");
  return { ename, evalue, traceback: tb };
}
