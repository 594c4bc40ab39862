// The package imported the way a tslab notebook cell imports it: tslab's TypeScript 5.0 converter
// (CommonJS output, Node10 resolution, no tsconfig) compiles the cell, and tslab's executor
// `require`s "glowts" from the project folder (node_modules/glowts links to the built package).
import { describe, expect, it } from "vitest";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

describe("import * as glow from 'glowts' in a tslab cell", () => {
  it("type-checks with TS 5.0/Node10 and runs", async () => {
    const { createConverter } = require("tslab/dist/converter.js");
    const { createExecutor } = require("tslab/dist/executor.js");
    const node = createConverter();
    const logs: unknown[] = [];
    const errors: unknown[] = [];
    const convs = { node, browser: node, close: () => node.close() };
    const exec = createExecutor(process.cwd(), convs, {
      log: (...a: unknown[]) => logs.push(a),
      error: (...a: unknown[]) => errors.push(a),
    });
    try {
      const ok1 = await exec.execute(`import * as glow from "glowts";\nconst w: number = glow.config().workers;\nconst e = new glow.GlowtsError("X", "y");\nconst c: glow.Col = glow.functions.genotypeStates("genotypes");`);
      expect(errors).toEqual([]);
      expect(ok1).toBe(true);
      const ok2 = await exec.execute(`c.toString()`);
      expect(ok2).toBe(true);
      expect(JSON.stringify(logs)).toContain("genotype_states(genotypes)");
      // a type error in a cell is reported (proves the cell is type-checked against glowts' .d.ts)
      const bad = await exec.execute(`const z: string = glow.config().workers;`);
      expect(bad).toBe(false);
      expect(JSON.stringify(errors)).toMatch(/not assignable/);
    } finally {
      exec.close();
    }
  });
});
