// Benchmark harness: `npm run bench` runs every group, `npm run bench -- read` one group.
// Each group prints rows `name | glowts | reference | ratio | peak RSS` (times in seconds; the
// reference runs in the same script on the same input) and the table is saved as JSON under
// bench/results/ (ignored by git) so runs can be compared.
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const groups = { read: "./read.mjs", wgr: "./wgr.mjs", "wgr-scale": "./wgr-scale.mjs", step2: "./step2.mjs", gwas: "./gwas.mjs", write: "./write.mjs", accuracy: "./accuracy.mjs" };

const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const names = wanted.length ? wanted : Object.keys(groups);
for (const n of names) if (!groups[n]) { console.error(`bench: unknown group '${n}'; groups: ${Object.keys(groups).join(", ")}`); process.exit(2); }

const rows = [];
for (const n of names) {
  console.log(`\n== bench ${n} ==`);
  const mod = await import(groups[n]);
  const out = await mod.run({ log: (s) => console.log(s) });
  rows.push(...out.map((r) => ({ group: n, ...r })));
}

const fmt = (x, d = 2) => (x === undefined || x === null || Number.isNaN(x) ? "-" : typeof x === "number" ? x.toFixed(d) : String(x));
const header = ["group", "name", "glowts", "reference", "ratio", "unit", "peak RSS MB"];
const table = rows.map((r) => [r.group, r.name, fmt(r.glowts, 3), fmt(r.reference, 3), fmt(r.ratio, 2), r.unit ?? "s", fmt(r.peakRssMB, 0)]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
console.log("\n" + [header, ...table].map((r) => r.map((c, i) => c.padEnd(widths[i])).join("  ")).join("\n"));
mkdirSync(path.join(here, "results"), { recursive: true });
const file = path.join(here, "results", `bench-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2));
console.log(`\nsaved ${path.relative(process.cwd(), file)}`);
const glow = await import("../dist/index.js");
await glow.shutdown();
