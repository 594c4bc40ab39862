#!/usr/bin/env node
// Starts the glowts Jupyter kernel (kernel.json runs `node {resource_dir}/launcher.mjs {connection_file}`).
// This file may be a copy in a Jupyter data folder, so it first finds the glowts package, in order:
//   1. the glowts that the notebook's cells import (resolved from the kernel's working directory,
//      which Jupyter sets to the notebook's folder), so display and progress hooks share its modules;
//   2. the package recorded by `glowts kernel install` in install.json beside this file;
//   3. the package this folder is part of (kernel/kernels/glowts in a glowts checkout or install).
// and then runs its dist/display/kernel.js `startKernel`.
import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const connectionFile = process.argv[2];
if (!connectionFile) {
  console.error("usage: node launcher.mjs <connection_file>");
  process.exit(2);
}

function candidateRoots() {
  const roots = [];
  try {
    roots.push(path.dirname(createRequire(path.join(process.cwd(), "__glowts_kernel__.js")).resolve("glowts/package.json")));
  } catch { /* not installed beside the notebook */ }
  try {
    const info = JSON.parse(readFileSync(path.join(here, "install.json"), "utf8"));
    if (typeof info.packageRoot === "string") roots.push(info.packageRoot);
  } catch { /* not installed by `glowts kernel install` */ }
  roots.push(path.resolve(here, "../../.."));
  return roots;
}

const roots = candidateRoots();
const root = roots.find((r) => existsSync(path.join(r, "dist", "display", "kernel.js")));
if (!root) {
  console.error(`glowts kernel: cannot find a built glowts package (looked in ${roots.join(", ")}).\n`
    + "Install glowts in the notebook's folder (npm install glowts) or reinstall the kernel with `npx glowts kernel install`.");
  process.exit(1);
}
const kernel = await import(pathToFileURL(path.join(root, "dist", "display", "kernel.js")).href);
await kernel.startKernel(connectionFile);
