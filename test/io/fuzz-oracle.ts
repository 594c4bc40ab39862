/**
 * Harness of the seeded fuzz suites with an external oracle (issue 12): each case mutates a small
 * valid file, reads it with the reference tool (bcftools / plink2) and with glowts, and sorts the
 * case into one outcome:
 * - `bothRejected`: the tool fails and glowts raises a GlowtsError;
 * - `bothEqual`: both accept and give the same data;
 * - `lax:<class>`: the tool accepts, glowts raises a GlowtsError of a class the suite lists with
 *   its reason (the tool is knowingly lax there);
 * - a disagreement otherwise (the tool rejects and glowts returns rows, both accept with different
 *   data, or glowts raises where the tool accepts outside the listed classes).
 * Anything glowts throws that is not a GlowtsError fails the case at once.
 *
 * Case counts: `GLOWTS_FUZZ_CASES=N` for all suites (default: each suite's own, small for CI).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { GlowtsError } from "../../dist/core/errors.js";
export { seeded } from "../helpers/seeded.js";
import { seeded } from "../helpers/seeded.js";

export const DATA = path.resolve(process.cwd(), "../shared/data");

/** True when `tool` runs (`tool --version` exits). */
export function haveTool(tool: string): boolean {
  const r = spawnSync(tool, ["--version"], { stdio: "ignore" });
  return r.error === undefined;
}

/** Why a suite is skipped, or null when it can run. */
export function skipReason(tools: string[], files: string[]): string | null {
  for (const t of tools) if (!haveTool(t)) return `${t} is not installed`;
  if (!existsSync(DATA)) return `reference data folder ${DATA} is absent`;
  for (const f of files) if (!existsSync(f)) return `${f} is absent`;
  return null;
}

/** Number of cases: GLOWTS_FUZZ_CASES or the suite's default. */
export function caseCount(dflt: number): number {
  const v = Number(process.env["GLOWTS_FUZZ_CASES"]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : dflt;
}


/** One byte-level mutation: truncation at a random offset or 1-4 byte overwrites / bit flips. */
export function mutateBytes(src: Uint8Array, rand: () => number): { bytes: Uint8Array; what: string } {
  if (rand() < 0.25) {
    const at = Math.floor(rand() * src.length);
    return { bytes: new Uint8Array(src.subarray(0, at)), what: `truncated at ${at}` };
  }
  const b = new Uint8Array(src); // a copy (Buffer.slice would be a view)
  const flips = 1 + Math.floor(rand() * 4);
  const where: number[] = [];
  for (let i = 0; i < flips; i++) {
    const at = Math.floor(rand() * b.length);
    b[at] = rand() < 0.5 ? b[at]! ^ (1 << Math.floor(rand() * 8)) : Math.floor(rand() * 256);
    where.push(at);
  }
  return { bytes: b, what: `bytes overwritten at ${where.join(",")}` };
}

/**
 * One text-level mutation: a byte-level one (half the time), or a deleted line, or a deleted
 * tab-separated column of one line. `firstLine` keeps lines before it (e.g. the header) intact
 * for line/column deletions.
 */
export function mutateText(src: Uint8Array, rand: () => number, firstLine = 0): { bytes: Uint8Array; what: string } {
  const r = rand();
  if (r < 0.5) return mutateBytes(src, rand);
  const lines = Buffer.from(src).toString("latin1").split("\n");
  const last = lines[lines.length - 1] === "" ? lines.length - 1 : lines.length;
  if (last <= firstLine) return mutateBytes(src, rand);
  const i = firstLine + Math.floor(rand() * (last - firstLine));
  let what: string;
  if (r < 0.75) {
    lines.splice(i, 1);
    what = `line ${i + 1} deleted`;
  } else {
    const cols = lines[i]!.split(/(?<=\t)|(?<= )/);
    const c = Math.floor(rand() * cols.length);
    cols.splice(c, 1);
    lines[i] = cols.join("");
    what = `column ${c + 1} of line ${i + 1} deleted`;
  }
  return { bytes: Buffer.from(lines.join("\n"), "latin1"), what };
}

/** What the tool or glowts made of one input. */
export type Outcome = { kind: "rejected"; why: string } | { kind: "accepted"; data: string[] };

/** Runs a tool; rejected when it exits non-zero (or is killed). */
export function runTool(cmd: string, args: string[], parse: (stdout: string) => string[]): Outcome {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 << 20, timeout: 60_000 });
  if (r.error) throw r.error;
  if (r.status !== 0) return { kind: "rejected", why: (r.stderr || r.stdout || `exit ${r.status}`).trim().split("\n").slice(-2).join(" | ") };
  return { kind: "accepted", data: parse(r.stdout) };
}

/** Runs glowts; a GlowtsError is a rejection, anything else is rethrown. */
export async function runGlowts(read: () => Promise<string[]>): Promise<Outcome & { error?: GlowtsError }> {
  try {
    return { kind: "accepted", data: await read() };
  } catch (e) {
    if (e instanceof GlowtsError) return { kind: "rejected", why: `${e.code}: ${e.message}`, error: e };
    throw e;
  }
}

/** Counts per outcome, and the disagreements in full. */
export interface FuzzTally {
  cases: number;
  /** Cases the suite skipped (no valid comparison, e.g. an input the indexer refuses). */
  skipped: number;
  bothRejected: number;
  bothEqual: number;
  lax: Record<string, number>;
  /** Tool rejects for a limit of its own, glowts reads the input (class → count). */
  toolLimit: Record<string, number>;
  disagreements: string[];
}

export interface FuzzSuite {
  name: string;
  cases: number;
  seed: number;
  /** Writes case `i`'s input files; returns a description of the mutation, or null to skip the case. */
  make: (rand: () => number, i: number) => string | null;
  tool: () => Outcome;
  glowts: () => Promise<Outcome & { error?: GlowtsError }>;
  /**
   * Where the tool accepts and glowts raises: the name of the known class (the tool is lax
   * there, reason stated in the suite) or null (a disagreement).
   */
  laxClass?: (e: GlowtsError, tool: string[]) => string | null;
  /**
   * Where the tool rejects for a limit of its own rather than of the input (e.g. plink2's .pvar
   * cannot hold a chromosome split in two runs) and glowts reads the file: the name of that
   * class, or null (a disagreement).
   */
  toolLimitClass?: (why: string) => string | null;
  /** Row equality (default: identical strings). */
  sameRow?: (tool: string, ours: string) => boolean;
}

/** Runs a suite and returns its tally (the caller asserts and prints). */
export async function runFuzzSuite(s: FuzzSuite): Promise<FuzzTally> {
  const rand = seeded(s.seed);
  const t: FuzzTally = { cases: 0, skipped: 0, bothRejected: 0, bothEqual: 0, lax: {}, toolLimit: {}, disagreements: [] };
  for (let i = 0; i < s.cases; i++) {
    const only = process.env["GLOWTS_FUZZ_ONLY"];
    const what = s.make(rand, i);
    if (only !== undefined && Number(only) !== i) continue;
    if (what === null) {
      t.skipped++;
      continue;
    }
    const tool = s.tool();
    const ours = await s.glowts();
    t.cases++;
    const tag = `case ${i} (${what})`;
    if (process.env["GLOWTS_FUZZ_DEBUG"]) console.log(`${tag}: tool ${tool.kind === "rejected" ? tool.why : `${tool.data.length} rows`}; glowts ${ours.kind === "rejected" ? ours.why : `${ours.data.length} rows`}`);
    if (tool.kind === "rejected") {
      const limit = ours.kind === "accepted" ? (s.toolLimitClass?.(tool.why) ?? null) : null;
      if (ours.kind === "rejected") t.bothRejected++;
      else if (limit) t.toolLimit[limit] = (t.toolLimit[limit] ?? 0) + 1;
      else t.disagreements.push(`${tag}: the tool rejects (${tool.why}) but glowts returns ${ours.data.length} rows`);
    } else if (ours.kind === "rejected") {
      const cls = s.laxClass?.(ours.error!, tool.data) ?? null;
      if (cls) t.lax[cls] = (t.lax[cls] ?? 0) + 1;
      else t.disagreements.push(`${tag}: the tool accepts (${tool.data.length} rows) but glowts raises ${ours.why}`);
    } else {
      const diff = firstDifference(tool.data, ours.data, s.sameRow);
      if (diff === null) t.bothEqual++;
      else t.disagreements.push(`${tag}: both accept, data differ: ${diff}`);
    }
  }
  return t;
}

function firstDifference(a: string[], b: string[], same?: (x: string, y: string) => boolean): string | null {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const eq = a[i] !== undefined && b[i] !== undefined && same ? same(a[i]!, b[i]!) : a[i] === b[i];
    if (!eq) return `row ${i}: tool ${JSON.stringify(a[i]?.slice(0, 300))} vs glowts ${JSON.stringify(b[i]?.slice(0, 300))} (${a.length} vs ${b.length} rows)`;
  }
  return null;
}

/** One line for the log: counts per outcome. */
export function describeTally(name: string, t: FuzzTally): string {
  const lax = Object.entries(t.lax).map(([k, v]) => `${k} ${v}`).join(", ");
  const limit = Object.entries(t.toolLimit).map(([k, v]) => `${k} ${v}`).join(", ");
  return `fuzz ${name}: ${t.cases} cases${t.skipped ? ` (+${t.skipped} skipped)` : ""} — rejected by both ${t.bothRejected}, accepted by both with equal data ${t.bothEqual}` +
    `${lax ? `, tool lax (glowts raises) ${lax}` : ""}${limit ? `, tool's own limit (glowts reads) ${limit}` : ""}, disagreements ${t.disagreements.length}`;
}

/** Formats a call list like bcftools' %GT (`0/1`, `1|0`, `.`, `./.`). */
export function formatGt(calls: number[] | null | undefined, phased: boolean | null | undefined): string {
  if (!calls || calls.length === 0) return ".";
  return calls.map((c) => (c < 0 ? "." : String(c))).join(phased ? "|" : "/");
}
