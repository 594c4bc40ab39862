/**
 * Packages for notebook cells from the kernel's own install.
 *
 * A cell's `import * as glow from "glowts"` is resolved twice: by tslab's TypeScript compiler
 * (type-check, Node10 module resolution from the notebook's folder, which ignores `NODE_PATH`) and
 * by Node's `require` when the compiled cell runs. Both look in `node_modules` folders from the
 * notebook's folder upwards only, so a notebook in a folder without glowts installed failed with
 * `Cannot find module 'glowts'` although the kernel itself runs from an installed glowts.
 *
 * This module adds the kernel's own install as a fallback to both resolutions, after the normal
 * lookup (a glowts or danfojs installed beside the notebook still wins):
 * - runtime: the install's `node_modules` folders are appended to Node's global lookup paths
 *   (what `NODE_PATH` does, set before the first cell runs);
 * - type-check: a package that no `node_modules` folder from the notebook's folder upwards holds
 *   is looked up in those same folders of the install ({@link addTypeCheckFallback}).
 */
import { createRequire, Module } from "node:module";
import * as path from "node:path";
import { existsSync } from "node:fs";

const require = createRequire(import.meta.url);

/**
 * The `node_modules` folders from which the glowts package at `packageRoot` resolves its own name and
 * its dependencies: `<root>/node_modules` (a checkout links itself there, nested dependencies live
 * there) and the folder holding the package when it is installed (`…/node_modules/glowts`).
 */
export function kernelModuleDirs(packageRoot: string): string[] {
  const dirs: string[] = [];
  const own = path.join(packageRoot, "node_modules");
  if (existsSync(own)) dirs.push(own);
  const parent = path.dirname(packageRoot);
  if (path.basename(parent) === "node_modules") dirs.push(parent);
  else if (path.basename(path.dirname(parent)) === "node_modules" && path.basename(parent).startsWith("@")) dirs.push(path.dirname(parent));
  return dirs;
}

/** Appends `dirs` to Node's global module lookup paths (as `NODE_PATH` would), once each. */
export function addRuntimeFallback(dirs: readonly string[]): void {
  const current = (process.env["NODE_PATH"] ?? "").split(path.delimiter).filter((d) => d !== "");
  const next = [...current, ...dirs.filter((d) => !current.includes(d))];
  process.env["NODE_PATH"] = next.join(path.delimiter);
  // Module._initPaths re-reads NODE_PATH into the global lookup paths; it is how Node documents
  // NODE_PATH to take effect and the only way to change it after start-up.
  (Module as unknown as { _initPaths(): void })._initPaths();
}

/** The file-system functions of TypeScript's `ts.sys` that module resolution calls. */
interface TsSys {
  fileExists(p: string): boolean;
  directoryExists(p: string): boolean;
  readFile(p: string, encoding?: string): string | undefined;
  realpath?(p: string): string;
  getDirectories(p: string): string[];
  readDirectory(p: string, ...rest: unknown[]): string[];
}

const PATCHED = Symbol.for("glowts.kernel.typeCheckFallback");

/**
 * Makes tslab's TypeScript compiler find packages of the kernel's install as if they were in
 * `<rootDir>/node_modules`, for packages that no `node_modules` folder from `rootDir` upwards holds.
 *
 * Why here: tslab creates its compiler host internally (no option reaches it) and TypeScript's
 * module object is frozen, but tslab's host reads files through `ts.sys`, and tslab itself makes
 * `import "tslab"` work the same way (it forwards `<cwd>/node_modules/tslab/…` to its own folder).
 * `realpath` maps forwarded files to their real location, so the rest of the type-check (the
 * package's own imports) resolves from where the package really is.
 * @param sys tslab's TypeScript `ts.sys`
 * @param rootDir the folder cells are compiled in (the notebook's folder)
 * @param fallbackDirs `node_modules` folders to forward to (from {@link kernelModuleDirs})
 */
export function addTypeCheckFallback(sys: TsSys, rootDir: string, fallbackDirs: readonly string[]): void {
  const s = sys as TsSys & { [PATCHED]?: boolean };
  if (s[PATCHED] || fallbackDirs.length === 0) return;
  const prefix = path.join(rootDir, "node_modules") + path.sep;
  const orig = {
    fileExists: sys.fileExists.bind(sys), directoryExists: sys.directoryExists.bind(sys), readFile: sys.readFile.bind(sys),
    realpath: sys.realpath?.bind(sys), getDirectories: sys.getDirectories.bind(sys), readDirectory: sys.readDirectory.bind(sys),
  };
  const target = new Map<string, string | null>(); // package name → fallback node_modules (null: resolvable normally)
  const forward = (p: string): string => {
    const norm = path.normalize(p);
    if (!norm.startsWith(prefix)) return p;
    const rest = norm.slice(prefix.length);
    const parts = rest.split(path.sep);
    const pkg = parts[0]?.startsWith("@") ? parts.slice(0, 2).join(path.sep) : parts[0];
    if (!pkg) return p;
    let dir = target.get(pkg);
    if (dir === undefined) {
      dir = resolvableFromAncestors(rootDir, pkg, orig.directoryExists) ? null
        : fallbackDirs.find((d) => orig.directoryExists(path.join(d, pkg))) ?? null;
      target.set(pkg, dir);
    }
    return dir === null ? p : path.join(dir, rest);
  };
  sys.fileExists = (p) => orig.fileExists(forward(p));
  sys.directoryExists = (p) => orig.directoryExists(forward(p));
  sys.readFile = (p, encoding) => orig.readFile(forward(p), encoding);
  sys.getDirectories = (p) => orig.getDirectories(forward(p));
  sys.readDirectory = (p, ...rest) => orig.readDirectory(forward(p), ...rest);
  if (orig.realpath) { const rp = orig.realpath; sys.realpath = (p) => rp(forward(p)); }
  s[PATCHED] = true;
}

/** Whether `<ancestor>/node_modules/<pkg>` exists for `dir` or one of its ancestors. */
function resolvableFromAncestors(dir: string, pkg: string, directoryExists: (p: string) => boolean): boolean {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (directoryExists(path.join(d, "node_modules", pkg))) return true;
    if (path.dirname(d) === d) return false;
  }
}

/**
 * Lets notebook cells import glowts (and danfojs, apache-arrow…) from the kernel's own install when
 * the notebook's folder has none.
 * @param packageRoot the glowts package the kernel runs from
 */
export function installModuleFallback(packageRoot: string, rootDir: string = process.cwd()): string[] {
  const dirs = kernelModuleDirs(packageRoot);
  addRuntimeFallback(dirs);
  // tslab's own TypeScript, resolved from tslab (it may be nested under tslab/node_modules)
  const tslabRequire = createRequire(require.resolve("tslab/package.json"));
  const ts = tslabRequire("@tslab/typescript-for-tslab") as { sys: TsSys };
  addTypeCheckFallback(ts.sys, rootDir, dirs);
  return dirs;
}
