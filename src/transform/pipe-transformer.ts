/** The calling-thread half of `pipe`: options and the plan step. */
import * as path from "node:path";
import { existsSync } from "node:fs";
import type { VariantFrame } from "../frame/variant-frame.js";
import { GlowtsError, keyword } from "../core/errors.js";
import type { Transformer } from "./registry.js";
import type { PipeArgs } from "./pipe.js";

function parseCmd(v: unknown): string[] {
  let cmd: unknown = v;
  if (typeof v === "string") {
    try { cmd = JSON.parse(v); } catch { throw new GlowtsError("OPTION", `pipe: cmd must be an argument vector (a JSON array of strings), got ${v}`, { option: "cmd" }); }
  }
  if (!Array.isArray(cmd) || cmd.length === 0 || !cmd.every((x) => typeof x === "string")) {
    throw new GlowtsError("OPTION", "pipe: cmd must be a non-empty array of strings (it is run without a shell)", { option: "cmd" });
  }
  return cmd as string[];
}

/**
 * Glow's `pipe`: `cmd` (an array of strings or its JSON text; required), `inputFormatter` and
 * `outputFormatter` (`vcf` | `text`; required), `inVcfHeader` (`infer`, the default, or a VCF path
 * whose header is written), `env_<NAME>` (environment variables), `quarantineTable` (a directory
 * for failed partitions' inputs) and `quarantineFlavor` (only `file` here).
 */
export const pipeTransformer: Transformer = {
  name: "pipe",
  options: ["cmd", "inputFormatter", "outputFormatter", "quarantineTable", "quarantineFlavor", "*prefixed"],
  apply(frame: VariantFrame, options: Record<string, unknown>): VariantFrame {
    const cmd = parseCmd(options["cmd"]);
    if (options["inputFormatter"] === undefined) throw new GlowtsError("OPTION", "pipe: option 'inputFormatter' is required ('vcf' or 'text')", { option: "inputFormatter" });
    if (options["outputFormatter"] === undefined) throw new GlowtsError("OPTION", "pipe: option 'outputFormatter' is required ('vcf' or 'text')", { option: "outputFormatter" });
    const inputFormatter = keyword("pipe", "inputFormatter", String(options["inputFormatter"]), ["vcf", "text"] as const);
    const outputFormatter = keyword("pipe", "outputFormatter", String(options["outputFormatter"]), ["vcf", "text"] as const);
    const env: Record<string, string> = {};
    let inVcfHeader = "infer";
    for (const [k, v] of Object.entries(options)) {
      const m = /^(env|in|out)(?:_|(?=[A-Z]))(.+)$/.exec(k);
      if (!m) continue;
      const [, kind, rest] = m;
      if (kind === "env") env[rest!] = String(v);
      else if (kind === "in" && /^vcf_?header$/i.test(rest!)) inVcfHeader = String(v);
      else throw new GlowtsError("OPTION", `pipe: unsupported option '${k}' (supported: inVcfHeader, env_*)`, { option: k });
    }
    if (inVcfHeader !== "infer") {
      inVcfHeader = path.resolve(inVcfHeader);
      if (!existsSync(inVcfHeader)) throw new GlowtsError("FILE_NOT_FOUND", "pipe: inVcfHeader file not found", { file: inVcfHeader, option: "inVcfHeader" });
    }
    const q = options["quarantineTable"];
    if (options["quarantineFlavor"] !== undefined) keyword("pipe", "quarantineFlavor", String(options["quarantineFlavor"]), ["file"] as const);
    const args: PipeArgs = {
      cmd, inputFormatter, outputFormatter, inVcfHeader, env,
      quarantineTable: q === undefined || q === null || q === "" ? null : path.resolve(String(q)),
      source: { format: frame.source.format, paths: [...frame.source.paths] },
    };
    return frame.mapPartitions(new URL("./pipe.js", import.meta.url).href, "pipePartition", args);
  },
};
