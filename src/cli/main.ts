#!/usr/bin/env node
/**
 * The `glowts` command line. Commands are added as they are finished; unknown commands and
 * bad flags print a one-line error and exit with code 2.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as path from "node:path";

interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

function version(): string {
  const pkg = JSON.parse(readFileSync(path.join(here, "../../package.json"), "utf8")) as { version: string };
  return pkg.version;
}

const commands: Record<string, Command> = {
  demo: {
    summary: "simulate a cohort and run QC → GloWGR → GWAS → report: glowts demo [--out DIR] [--samples N] [--variants M]",
    async run(args) {
      const d = await import("./demo.js");
      if (args.includes("--help")) { console.log(d.demoHelp()); return 0; }
      return d.demo(args);
    },
  },
  kernel: {
    summary: "install the Jupyter kernel \"glowts (TypeScript)\": glowts kernel install [--user|--sys-prefix|--prefix <dir>]",
    async run(args) {
      const { kernelCommand } = await import("../display/kernel-install.js");
      return kernelCommand(args);
    },
  },
  step1: {
    summary: "REGENIE-like step 1: GloWGR LOCO predictions (--bed/--bgen, --phenoFile, --covarFile, --bsize, --cv, --out)",
    async run(args) {
      const r = await import("./regenie.js");
      if (args.includes("--help")) { console.log(r.stepHelp(1)); return 0; }
      return r.step1(args);
    },
  },
  step2: {
    summary: "REGENIE-like step 2: association tests (--pred, --bt, --firth --approx, --pThresh, --out)",
    async run(args) {
      const r = await import("./regenie.js");
      if (args.includes("--help")) { console.log(r.stepHelp(2)); return 0; }
      return r.step2(args);
    },
  },
  info: {
    summary: "print the schema, sample count and partitions of a file: glowts info <format> <path>",
    async run(args) {
      const [format, file] = args;
      if (!format || !file) { usageError("info needs <format> <path>"); return 2; }
      const glow = await import("../index.js");
      const df = glow.read(format, file);
      await df.printSchema();
      await df.explain();
      await glow.shutdown();
      return 0;
    },
  },
};

function usageError(msg: string): void {
  process.stderr.write(`glowts: ${msg} (see glowts --help)\n`);
}

function help(): string {
  return [
    `glowts ${version()} — Glow's population-genomics toolkit in TypeScript`,
    "",
    "usage: glowts <command> [args]",
    "",
    ...Object.entries(commands).map(([k, c]) => `  ${k.padEnd(8)} ${c.summary}`),
    "",
    "  --help     this text",
    "  --version  the version",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === "--help" || cmd === "-h" || cmd === "help") { console.log(help()); return 0; }
  if (cmd === "--version" || cmd === "-v") { console.log(version()); return 0; }
  const c = commands[cmd];
  if (!c) { usageError(`unknown command '${cmd}'`); return 2; }
  try {
    return await c.run(rest);
  } catch (e) {
    const err = e as Error & { code?: string };
    process.stderr.write(`glowts ${cmd}: ${err.message.split("\n")[0]}\n`);
    if (process.env["GLOWTS_DEBUG"]) process.stderr.write(`${err.stack}\n`);
    return err.name === "GlowtsError" || err.name === "UsageError" ? 2 : 1;
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
