// Snapshot comparison for display output (after Observable Plot's test/plot-snapshot.js idea):
// HTML is normalised — numbers inside <svg> become "#", Plot's class hashes "plot-X", the project
// folder "<root>", the worker count "#" — and
// compared with test/display/output/<name>.html. On a difference the new output is written to
// <name>-changed.html and the test fails; a missing snapshot is written and the test passes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { expect } from "vitest";

const OUTPUT = path.resolve(process.cwd(), "test/display/output");

/** Normalises rendered HTML so that snapshots survive float noise and generated ids. */
export function normalise(html: string): string {
  return html
    .split(process.cwd()).join("<root>")
    .replace(/workers: \d+/g, "workers: #")
    .replace(/plot-[0-9a-f]{6}/g, "plot-X")
    .replace(/<svg[\s\S]*?<\/svg>/g, (svg) => svg.replace(/-?\d+(\.\d+)?(e-?\d+)?/g, "#"))
    .replace(/></g, ">\n<");
}

/** Compares `html` (normalised) with the stored snapshot `name`. */
export function expectSnapshot(name: string, html: string): void {
  mkdirSync(OUTPUT, { recursive: true });
  const file = path.join(OUTPUT, `${name}.html`);
  const changed = path.join(OUTPUT, `${name}-changed.html`);
  const actual = normalise(html);
  if (!existsSync(file)) {
    writeFileSync(file, actual);
    console.warn(`snapshot ${name}: written (no previous snapshot)`);
    return;
  }
  const expected = readFileSync(file, "utf8");
  if (expected !== actual) writeFileSync(changed, actual);
  expect(actual === expected, `snapshot ${name} differs: compare ${file} with ${changed}`).toBe(true);
}
