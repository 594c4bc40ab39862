/**
 * The import direction of src/: every import (static, dynamic, `import("…")` types and re-exports)
 * goes from a layer to the same module or a lower layer, never upward, and never sideways between
 * two modules of one layer. The layer order is written once, here; docs/architecture.md explains it.
 * Oracle: the source text itself (the TypeScript compiler's own scanner lists the imports).
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/** Bottom to top. A module is a directory of src/ (or a top-level file, without `.ts`). */
export const LAYERS: readonly (readonly string[])[] = [
  ["core"],
  ["stats", "linalg"],
  ["io"],
  ["functions"],
  ["engine"],
  ["frame"],
  ["transform"],
  ["wgr", "gwas", "sim"],
  ["plot"],
  ["display"],
  ["internal"],
  ["index"],
  ["cli"],
];

const SRC = path.resolve(process.cwd(), "src");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|mts)$/.test(e.name) && !e.name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

/** Relative module specifiers of a file: imports, re-exports, `import()` calls and types. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const specs: string[] = [];
  const visit = (n: ts.Node): void => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      specs.push(n.moduleSpecifier.text);
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteralLike(n.arguments[0])) {
      specs.push(n.arguments[0].text);
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      specs.push(n.argument.literal.text);
    } else if (ts.isNewExpression(n) && n.expression.getText(sf) === "URL" && n.arguments?.[0] && ts.isStringLiteralLike(n.arguments[0])
      && n.arguments[1]?.getText(sf) === "import.meta.url" && n.arguments[0].text.startsWith(".")) {
      specs.push(n.arguments[0].text); // worker entry points: new URL("./worker.js", import.meta.url)
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return specs.filter((s) => s.startsWith("."));
}

/** The module of a src/ path: its first directory, or the file name for top-level files. */
function moduleOf(file: string): string {
  const rel = path.relative(SRC, file).split(path.sep);
  return rel.length > 1 ? rel[0]! : rel[0]!.replace(/\.(ts|js|mts|mjs)$/, "");
}

function layerOf(module: string): number {
  return LAYERS.findIndex((l) => l.includes(module));
}

describe("src/ layering", () => {
  const files = sourceFiles(SRC);

  it("assigns every src module to a layer", () => {
    const unknown = [...new Set(files.map(moduleOf))].filter((m) => layerOf(m) < 0);
    expect(unknown, `modules missing from LAYERS: ${unknown.join(", ")}`).toEqual([]);
  });

  it("imports only from the same module or a lower layer", () => {
    const violations: string[] = [];
    let edges = 0;
    for (const f of files) {
      const from = moduleOf(f);
      for (const spec of importsOf(f)) {
        const target = path.resolve(path.dirname(f), spec);
        if (!target.startsWith(SRC + path.sep)) continue; // e.g. ../package.json from cli
        const to = moduleOf(target);
        edges++;
        if (to === from) continue;
        const lf = layerOf(from), lt = layerOf(to);
        if (lt < 0 || lt >= lf) {
          violations.push(`${path.relative(SRC, f)} → ${spec} (${from}, layer ${lf} → ${to}, layer ${lt})`);
        }
      }
    }
    expect(edges).toBeGreaterThan(300); // the scanner sees the imports at all
    expect(violations, `upward or sideways imports:\n${violations.join("\n")}`).toEqual([]);
  });

  it("keeps models free of renderers", () => {
    for (const f of files) {
      if (!["wgr", "gwas", "sim", "functions", "io", "core", "engine", "frame", "stats", "linalg"].includes(moduleOf(f))) continue;
      for (const spec of importsOf(f)) {
        const to = moduleOf(path.resolve(path.dirname(f), spec));
        expect(["display", "plot"], `${path.relative(SRC, f)} imports ${spec}`).not.toContain(to);
      }
    }
  });
});
