/**
 * `glowts kernel install`: copies the kernelspec in `kernel/kernels/glowts` (kernel.json, the
 * launcher, the logo) into a Jupyter data folder, with the absolute path of this Node and of this
 * glowts package recorded, so Jupyter lists "glowts (TypeScript)". No Python package is needed
 * except for `--sys-prefix`, which asks Python for its `sys.prefix`.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { GlowtsError } from "../core/errors.js";

/** Where and how to install. Give at most one of `user`, `sysPrefix`, `prefix`, `jupyterPath`. */
export interface KernelInstallOptions {
  /** Install into the user's Jupyter data folder (the default when no location is given). */
  user?: boolean | undefined;
  /** Install into `sys.prefix/share/jupyter` of `python` (a virtualenv/conda env, e.g. Binder). */
  sysPrefix?: boolean | undefined;
  /** Install into `<prefix>/share/jupyter`. */
  prefix?: string | undefined;
  /** Install into `<jupyterPath>/kernels` (a folder to put on JUPYTER_PATH). */
  jupyterPath?: string | undefined;
  /** Kernel name (folder name). @defaultValue "glowts" */
  name?: string | undefined;
  /** Name shown in Jupyter's launcher. @defaultValue "glowts (TypeScript)" */
  displayName?: string | undefined;
  /** Python used for `sysPrefix`. @defaultValue "python3" */
  python?: string | undefined;
  /** Node binary the kernel runs with. @defaultValue the running Node (process.execPath) */
  node?: string | undefined;
}

/** What was installed. */
export interface KernelInstallResult {
  /** The kernelspec folder written. */
  path: string;
  name: string;
  kernelJson: { argv: string[]; display_name: string; language: string; [k: string]: unknown };
}

/** The glowts package folder (…/dist/display → …). */
export function packageRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
}

/** The committed kernelspec folder of this package. */
export function kernelSpecSource(): string {
  return path.join(packageRoot(), "kernel", "kernels", "glowts");
}

/** Jupyter's per-user data folder, as jupyter_core computes it. */
export function userDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env["JUPYTER_DATA_DIR"]) return env["JUPYTER_DATA_DIR"];
  const home = os.homedir();
  if (process.platform === "darwin") return path.join(home, "Library", "Jupyter");
  if (process.platform === "win32") return path.join(env["APPDATA"] ?? path.join(home, "AppData", "Roaming"), "jupyter");
  return path.join(env["XDG_DATA_HOME"] || path.join(home, ".local", "share"), "jupyter");
}

function pythonSysPrefix(python: string): string {
  const r = spawnSync(python, ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    throw new GlowtsError("KERNEL_INSTALL", `kernel install --sys-prefix: could not run '${python}' to find sys.prefix (${r.error?.message ?? r.stderr.trim()}); pass --python <path> or use --user/--prefix`);
  }
  return r.stdout.trim();
}

/** The kernelspec folder that an install with these options writes. */
export function kernelDestination(options: KernelInstallOptions = {}): string {
  const name = options.name ?? "glowts";
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new GlowtsError("KERNEL_INSTALL", `kernel install: invalid kernel name '${name}' (letters, digits, . _ - only)`, { option: "name" });
  const given = [options.user, options.sysPrefix, options.prefix !== undefined, options.jupyterPath !== undefined].filter(Boolean).length;
  if (given > 1) throw new GlowtsError("KERNEL_INSTALL", "kernel install: give at most one of --user, --sys-prefix, --prefix, --jupyter-path");
  if (options.jupyterPath !== undefined) return path.resolve(options.jupyterPath, "kernels", name);
  if (options.prefix !== undefined) return path.resolve(options.prefix, "share", "jupyter", "kernels", name);
  if (options.sysPrefix) return path.join(pythonSysPrefix(options.python ?? "python3"), "share", "jupyter", "kernels", name);
  return path.join(userDataDir(), "kernels", name);
}

/**
 * Installs the glowts kernelspec (replacing an existing one of the same name).
 * @returns the folder written and the kernel.json content
 * @example
 * ```ts
 * installKernel({ user: true });                  // ~/.local/share/jupyter/kernels/glowts
 * installKernel({ jupyterPath: "/tmp/jp" });      // then JUPYTER_PATH=/tmp/jp jupyter kernelspec list
 * ```
 */
export function installKernel(options: KernelInstallOptions = {}): KernelInstallResult {
  const src = kernelSpecSource();
  if (!existsSync(path.join(src, "kernel.json"))) throw new GlowtsError("KERNEL_INSTALL", `kernel install: the kernelspec is missing from the package (${src})`, { file: src });
  if (!existsSync(path.join(packageRoot(), "dist", "display", "kernel.js"))) {
    throw new GlowtsError("KERNEL_INSTALL", `kernel install: glowts is not built (${path.join(packageRoot(), "dist")} has no display/kernel.js); run npm run build first`);
  }
  const dest = kernelDestination(options);
  const name = options.name ?? "glowts";
  const spec = JSON.parse(readFileSync(path.join(src, "kernel.json"), "utf8")) as KernelInstallResult["kernelJson"];
  spec.argv = [options.node ?? process.execPath, ...spec.argv.slice(1)];
  if (options.displayName) spec.display_name = options.displayName;
  if (existsSync(dest)) rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  for (const f of readdirSync(src)) {
    if (f === "kernel.json" || f === "install.json") continue;
    cpSync(path.join(src, f), path.join(dest, f), { recursive: true });
  }
  writeFileSync(path.join(dest, "kernel.json"), `${JSON.stringify(spec, null, 2)}\n`);
  const version = (JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
  writeFileSync(path.join(dest, "install.json"), `${JSON.stringify({ packageRoot: packageRoot(), version, node: spec.argv[0] }, null, 2)}\n`);
  return { path: dest, name, kernelJson: spec };
}

const USAGE = [
  "usage: glowts kernel install [--user | --sys-prefix | --prefix <dir> | --jupyter-path <dir>]",
  "                             [--name <name>] [--display-name <text>] [--python <python>] [--node <node>]",
  "",
  "Installs the Jupyter kernel \"glowts (TypeScript)\" (default: --user).",
].join("\n");

/**
 * The `glowts kernel` command line: `glowts kernel install [flags]`.
 * @returns the exit code (0 ok, 2 usage error)
 */
export async function kernelCommand(args: readonly string[], out: (s: string) => void = (s) => console.log(s)): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === "--help" || sub === "-h" || sub === "help") { out(USAGE); return sub ? 0 : 2; }
  if (sub !== "install") { process.stderr.write(`glowts kernel: unknown subcommand '${sub}'\n${USAGE}\n`); return 2; }
  const o: KernelInstallOptions = {};
  const valueOf = (i: number, flag: string): string => {
    const v = rest[i + 1];
    if (v === undefined || v.startsWith("--")) throw new GlowtsError("OPTION", `kernel install: ${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const [flag, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const take = (): string => (inline !== undefined ? inline : valueOf(i++, flag));
    switch (flag) {
      case "--user": o.user = true; break;
      case "--sys-prefix": o.sysPrefix = true; break;
      case "--prefix": o.prefix = take(); break;
      case "--jupyter-path": o.jupyterPath = take(); break;
      case "--name": o.name = take(); break;
      case "--display-name": o.displayName = take(); break;
      case "--python": o.python = take(); break;
      case "--node": o.node = take(); break;
      case "--help": case "-h": out(USAGE); return 0;
      default: process.stderr.write(`glowts kernel install: unknown flag '${a}'\n${USAGE}\n`); return 2;
    }
  }
  const r = installKernel(o);
  out(`Installed kernelspec ${r.name} ("${r.kernelJson.display_name}") in ${r.path}`);
  return 0;
}
