// The tutorial notebooks (notebooks/*.ipynb) as committed: valid nbformat 4 for the glowts kernel,
// no outputs, and every code cell type-checks the way the kernel compiles it (tslab's TypeScript 5.0
// converter, cell after cell, against the built glowts .d.ts). Execution and rendering are checked by
// .ci/notebooks.sh (it needs Jupyter and Chromium).
import { describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

const require = createRequire(import.meta.url);
const dir = path.resolve(process.cwd(), "notebooks");
const notebooks = readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort();

interface Cell { cell_type: string; source: string | string[]; outputs?: unknown[]; execution_count?: number | null; metadata?: Record<string, unknown> }
interface Notebook { nbformat: number; metadata: { kernelspec?: { name: string; display_name: string; language: string } }; cells: Cell[] }

const text = (s: string | string[]): string => (Array.isArray(s) ? s.join("") : s);

describe("tutorial notebooks", () => {
  it("include 01-tour", () => {
    expect(notebooks).toContain("01-tour.ipynb");
  });

  describe.each(notebooks)("%s", (file) => {
    const nb = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Notebook;

    it("is nbformat 4 for the glowts kernel, committed without outputs, and starts with a title", () => {
      expect(nb.nbformat).toBe(4);
      expect(nb.metadata.kernelspec).toEqual({ name: "glowts", display_name: "glowts (TypeScript)", language: "typescript" });
      const code = nb.cells.filter((c) => c.cell_type === "code");
      expect(code.length).toBeGreaterThan(0);
      for (const c of code) {
        expect(c.outputs).toEqual([]);
        expect(c.execution_count ?? null).toBeNull();
      }
      expect(nb.cells[0]!.cell_type).toBe("markdown");
      expect(text(nb.cells[0]!.source)).toMatch(/^# /);
    });

    it("type-checks cell by cell as the kernel compiles it (tslab's TypeScript 5.0)", () => {
      const { createConverter } = require("tslab/dist/converter.js") as {
        createConverter(): { convert(prev: string, src: string): { diagnostics: { messageText: string; start: { line: number } }[]; declOutput?: string }; close(): void };
      };
      const conv = createConverter();
      const problems: string[] = [];
      try {
        let prevDecl = "";
        nb.cells.forEach((c, i) => {
          if (c.cell_type !== "code") return;
          const r = conv.convert(prevDecl, text(c.source));
          for (const d of r.diagnostics) problems.push(`cell ${i} line ${d.start.line + 1}: ${d.messageText}`);
          if (r.diagnostics.length === 0) prevDecl = r.declOutput ?? "";
        });
      } finally {
        conv.close();
      }
      expect(problems).toEqual([]);
    }, 60_000);
  });
});
