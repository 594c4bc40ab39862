/**
 * A small flag parser for REGENIE-style command lines (`--flag value`, `--flag=value`, bare
 * switches). Unknown flags, missing values and bad numbers raise {@link UsageError}, which the
 * command line prints as one line and turns into exit code 2.
 */
import { parseDouble } from "../core/numbers.js";

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type FlagKind = "string" | "number" | "int" | "switch" | "list";

export interface FlagSpec {
  kind: FlagKind;
  help: string;
  /** Other spellings (e.g. `--phenoColList` and `--phenoCol`). */
  aliases?: string[];
}

export type ParsedFlags = Record<string, string | number | boolean | string[] | undefined>;

/** Parses `argv` against `specs` (keys without the leading dashes). */
export function parseFlags(argv: string[], specs: Record<string, FlagSpec>): ParsedFlags {
  const byName = new Map<string, string>();
  for (const [k, s] of Object.entries(specs)) {
    byName.set(k.toLowerCase(), k);
    for (const a of s.aliases ?? []) byName.set(a.toLowerCase(), k);
  }
  const out: ParsedFlags = {};
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i]!;
    if (!tok.startsWith("--")) throw new UsageError(`unexpected argument '${tok}'`);
    let name = tok.slice(2);
    let value: string | undefined;
    const eq = name.indexOf("=");
    if (eq >= 0) { value = name.slice(eq + 1); name = name.slice(0, eq); }
    const key = byName.get(name.toLowerCase());
    if (!key) throw new UsageError(`unknown flag '--${name}'`);
    const spec = specs[key]!;
    if (spec.kind === "switch") {
      if (value !== undefined) throw new UsageError(`flag '--${name}' takes no value`);
      out[key] = true;
      continue;
    }
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) throw new UsageError(`flag '--${name}' needs a value`);
      value = next;
      i++;
    }
    if (spec.kind === "number" || spec.kind === "int") {
      const n = parseDouble(value, false) ?? NaN;
      if (!Number.isFinite(n) || (spec.kind === "int" && !Number.isInteger(n))) throw new UsageError(`flag '--${name}' needs ${spec.kind === "int" ? "an integer" : "a number"}, got '${value}'`);
      out[key] = n;
    } else if (spec.kind === "list") {
      out[key] = value.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
    } else out[key] = value;
  }
  return out;
}

/** Help text listing flags. */
export function flagsHelp(specs: Record<string, FlagSpec>): string {
  return Object.entries(specs)
    .map(([k, s]) => `  --${k}${s.kind === "switch" ? "" : s.kind === "list" ? " a,b,c" : s.kind === "string" ? " VALUE" : " N"}`.padEnd(30) + s.help)
    .join("\n");
}
