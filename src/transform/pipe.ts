/**
 * `pipe`: streams each partition through a user's command (Glow's `PipeTransformer`). The partition
 * is written to the command's stdin as VCF (`inputFormatter: "vcf"`) or as text lines
 * (`"text"`: the `text` column, or the first string column), and the command's stdout is parsed as
 * VCF or as text lines (a `text` column). The command is an argument vector run without a shell.
 *
 * A command that cannot start or exits with a non-zero code fails the action with a `PIPE` error
 * naming the command, its exit code and the tail of its stderr — unless `quarantineTable` is set:
 * then the partition's piped input is written to a file in that directory (with the stderr beside
 * it, `.stderr.txt`) and the partition contributes no rows (Glow's quarantine table, adapted to files).
 */
import { spawn } from "node:child_process";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Field, VariantBatch } from "../core/column.js";
import { getValue } from "../core/column.js";
import { GlowtsError } from "../core/errors.js";
import { detectCompression } from "../io/bgzf.js";
import { readRange } from "../io/files.js";
import { readVcfHeaderLines } from "../io/vcf/reader.js";
import { batchToVcfRecords, inferVcfHeader, vcfTextToBatch } from "../io/vcf/vcf-text.js";
import { sourceHeader, type HeaderSource } from "./header-info.js";

/** Plain-data arguments of the partition function. */
export interface PipeArgs {
  cmd: string[];
  inputFormatter: "vcf" | "text";
  outputFormatter: "vcf" | "text";
  /** `infer` (from the columns and the source header) or a VCF file whose header is used. */
  inVcfHeader: string;
  /** Extra environment variables (Glow's `env_*`). */
  env: Record<string, string>;
  /** Directory receiving failed partitions' inputs; null: failures fail the action. */
  quarantineTable: string | null;
  source?: HeaderSource | undefined;
}

const STDERR_TAIL = 4096;

function vcfInput(batch: VariantBatch, args: PipeArgs): { header: string[]; text: string } {
  let header: string[];
  const src = sourceHeader(args.source);
  if (args.inVcfHeader !== "infer") {
    header = readVcfHeaderLines(args.inVcfHeader, detectCompression(readRange(args.inVcfHeader, 0, 18)));
  } else {
    const g = batch.columns["genotypes"];
    let samples: string[] = [];
    if (g && g.type === "genotypes") {
      const fromSource = src?.lines.find((l) => l.startsWith("#CHROM"))?.split("\t").slice(9) ?? [];
      samples = g.sampleIds ?? (fromSource.length === g.nSamples ? fromSource : Array.from({ length: g.nSamples }, (_, i) => `sample_${i + 1}`));
    }
    header = inferVcfHeader(batch, src, samples);
    const extra = (src?.lines ?? []).filter((l) => l.startsWith("##contig=") || l.startsWith("##FILTER="));
    header.splice(1, 0, ...extra);
  }
  return { header, text: `${header.join("\n")}\n${batchToVcfRecords(batch)}` };
}

function textInput(batch: VariantBatch): string {
  const c = batch.columns["text"] ?? Object.values(batch.columns).find((x) => x.type === "string");
  if (!c || c.type !== "string") throw new GlowtsError("PIPE", "pipe: the text input formatter needs a string column (named 'text' or the first string column)");
  const lines: string[] = [];
  for (let i = 0; i < batch.numRows; i++) { const v = getValue(c, i); if (v !== null) lines.push(String(v)); }
  return lines.length ? `${lines.join("\n")}\n` : "";
}

/** Runs `cmd` with `input` on stdin; resolves with stdout, the exit code and the stderr tail. */
export function runCommand(cmd: string[], input: string, env: Record<string, string>): Promise<{ stdout: Buffer; code: number | null; signal: string | null; stderr: string; spawnError?: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd[0]!, cmd.slice(1), { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, ...env }, shell: false });
    const out: Buffer[] = [];
    let err = "";
    let spawnError: string | undefined;
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => { err = (err + d.toString("utf8")).slice(-STDERR_TAIL); });
    child.stdin.on("error", () => undefined); // the command may exit without reading everything (EPIPE)
    child.on("error", (e) => { spawnError = e.message; });
    child.on("close", (code, signal) => resolve({ stdout: Buffer.concat(out), code, signal, stderr: err, spawnError }));
    child.stdin.end(input);
  });
}

function emptyOutput(batch: VariantBatch, args: PipeArgs, inputHeader: string[] | null): VariantBatch {
  if (args.outputFormatter === "text") return { numRows: 0, columns: { text: { type: "string", values: [] } } };
  // The command's output schema is unknown for a quarantined partition: use the input's.
  const header = inputHeader ?? inferVcfHeader(batch, sourceHeader(args.source), []);
  return vcfTextToBatch(new TextEncoder().encode(`${header.join("\n")}\n`), "pipe");
}

/** Pipes one partition through the command (see the module doc). */
export async function pipePartition(batch: VariantBatch, args: PipeArgs): Promise<VariantBatch> {
  const input = args.inputFormatter === "vcf" ? vcfInput(batch, args) : { header: null, text: textInput(batch) };
  const r = await runCommand(args.cmd, input.text, args.env);
  const shown = args.cmd.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(" ");
  if (r.spawnError !== undefined || r.code !== 0) {
    const why = r.spawnError !== undefined ? `could not be started (${r.spawnError})` : r.signal ? `was killed by ${r.signal}` : `exited with code ${r.code}`;
    const message = `pipe: command '${shown}' ${why}${r.stderr.trim() ? `; stderr (tail): ${r.stderr.trim()}` : ""}`;
    if (args.quarantineTable === null) throw new GlowtsError("PIPE", message);
    quarantine(args.quarantineTable, batch, args.inputFormatter, input.text, message);
    return emptyOutput(batch, args, input.header);
  }
  const name = `output of '${shown}'`;
  if (args.outputFormatter === "vcf") return vcfTextToBatch(new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.byteLength), name);
  const text = r.stdout.toString("utf8");
  const lines = text.length ? text.replace(/\r?\n$/, "").split(/\r?\n/) : [];
  return { numRows: lines.length, columns: { text: { type: "string", values: lines } } };
}

function quarantine(dir: string, batch: VariantBatch, kind: "vcf" | "text", text: string, message: string): void {
  mkdirSync(dir, { recursive: true });
  const c = batch.columns["contigName"], s = batch.columns["start"];
  const first = batch.numRows > 0 && c && s ? `${String(getValue(c, 0))}_${String(getValue(s, 0))}` : "empty";
  const base = path.join(dir, `quarantine-${first.replace(/[^A-Za-z0-9_.-]/g, "_")}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  const file = `${base}.${kind === "vcf" ? "vcf" : "txt"}`;
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
  writeFileSync(`${base}.stderr.txt.tmp`, `${message}\n`);
  renameSync(`${base}.stderr.txt.tmp`, `${base}.stderr.txt`);
}

/** Output schema of {@link pipePartition}: `text` for text output; VCF output is known only when run. */
export function pipePartitionSchema(_schema: Field[], args: PipeArgs): Field[] | null {
  return args.outputFormatter === "text" ? [{ name: "text", type: "string" }] : null;
}
