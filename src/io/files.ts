/** File helpers shared by the readers: path expansion, byte-range reads, existence checks. */
import { promises as fsp, openSync, readSync, closeSync, fstatSync, statSync, existsSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { GlowtsError } from "../core/errors.js";

/** Expands a path, a list of paths, a directory or a glob (`*`, `?`, `**`) to sorted file paths. */
export function expandPaths(input: string | string[], caller = "read"): string[] {
  const list = Array.isArray(input) ? input : [input];
  if (list.length === 0) throw new GlowtsError("FILE_NOT_FOUND", `${caller}: no path given`);
  const out: string[] = [];
  for (const p of list) {
    if (/[*?[]/.test(p)) {
      const matches = globFiles(p);
      if (matches.length === 0) throw new GlowtsError("FILE_NOT_FOUND", `${caller}: no file matches ${p}`, { file: p });
      out.push(...matches);
    } else if (existsSync(p) && statSync(p).isDirectory()) {
      const files = readdirSync(p)
        .filter((f) => !f.startsWith(".") && !f.startsWith("_"))
        .map((f) => path.join(p, f))
        .filter((f) => statSync(f).isFile())
        .sort();
      out.push(...files);
    } else {
      if (!existsSync(p)) throw new GlowtsError("FILE_NOT_FOUND", `${caller}: file not found`, { file: p });
      out.push(p);
    }
  }
  return out;
}

function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*") {
      if (glob[i + 1] === "*") { re += ".*"; i++; if (glob[i + 1] === "/") i++; }
      else re += "[^/]*";
    } else if (ch === "?") re += "[^/]";
    else if ("\\^$+.()|{}[]".includes(ch)) re += "\\" + ch;
    else re += ch;
  }
  return new RegExp(`^${re}$`);
}

function globFiles(pattern: string): string[] {
  const abs = path.resolve(pattern);
  const parts = abs.split(path.sep);
  let base = "";
  let i = 0;
  for (; i < parts.length; i++) {
    if (/[*?[]/.test(parts[i]!)) break;
    base = base === "" && parts[i] === "" ? path.sep : path.join(base, parts[i]!);
  }
  const re = globToRegExp(abs);
  const results: string[] = [];
  const walk = (dir: string): void => {
    let entries: string[];
    try { entries = readdirSync(dir); } catch { return; }
    for (const e of entries) {
      const full = path.join(dir, e);
      let st;
      try { st = statSync(full); } catch { continue; }
      if (st.isDirectory()) walk(full);
      else if (re.test(full)) results.push(full);
    }
  };
  walk(base || path.sep);
  const rel = !path.isAbsolute(pattern);
  return results.sort().map((r) => (rel ? path.relative(process.cwd(), r) : r));
}

/** Size of a file in bytes. */
export function fileSize(file: string): number {
  try { return statSync(file).size; }
  catch { throw new GlowtsError("FILE_NOT_FOUND", "file not found", { file }); }
}

/** Reads `length` bytes at `offset` (fewer at end of file). Synchronous: used inside workers. */
export function readRange(file: string, offset: number, length: number): Uint8Array {
  let fd: number;
  try { fd = openSync(file, "r"); } catch { throw new GlowtsError("FILE_NOT_FOUND", "cannot open file", { file }); }
  try {
    const size = fstatSync(fd).size;
    const n = Math.max(0, Math.min(length, size - offset));
    const buf = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      const r = readSync(fd, buf, got, n - got, offset + got);
      if (r <= 0) break;
      got += r;
    }
    return got === n ? buf : buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** Reads a whole file. */
export async function readWhole(file: string): Promise<Uint8Array> {
  try { return new Uint8Array(await fsp.readFile(file)); }
  catch { throw new GlowtsError("FILE_NOT_FOUND", "cannot read file", { file }); }
}

/** An open file for many small positioned reads (header scans). Call `close()`. */
export class RandomAccessFile {
  readonly size: number;
  private fd: number;
  constructor(readonly file: string) {
    try { this.fd = openSync(file, "r"); } catch { throw new GlowtsError("FILE_NOT_FOUND", "cannot open file", { file }); }
    this.size = fstatSync(this.fd).size;
  }
  read(offset: number, length: number): Uint8Array {
    const n = Math.max(0, Math.min(length, this.size - offset));
    const buf = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      const r = readSync(this.fd, buf, got, n - got, offset + got);
      if (r <= 0) break;
      got += r;
    }
    return got === n ? buf : buf.subarray(0, got);
  }
  close(): void { closeSync(this.fd); }
}
