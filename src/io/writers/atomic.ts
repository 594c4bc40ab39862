/**
 * Atomic output files: data goes to `<path>.tmp-<pid>-<rand>` and is renamed into place only when
 * the writer finishes, so a failure never leaves a partial file under the final name.
 *
 * Temporary files are removed on every failure (a write error, a rename onto a directory), when
 * the process exits, and on SIGINT/SIGTERM (then the signal's default action follows). Disk errors
 * become GlowtsErrors naming the file (`NO_SPACE` with "no space left on device" for ENOSPC).
 * {@link writeTextFilesAtomic} writes several files all-or-nothing ({@link commitAll} commits several).
 */
import * as fs from "node:fs";
import { GlowtsError } from "../../core/errors.js";

/** The file-system calls used here (replaceable in tests to inject e.g. ENOSPC). @internal */
export const atomicIo = {
  openSync: fs.openSync,
  writeSync: fs.writeSync as (fd: number, b: Uint8Array, off: number, len: number, pos?: number | null) => number,
  closeSync: fs.closeSync,
  renameSync: fs.renameSync,
};

const live = new Set<string>();
let hooked = false;

function removeLiveTemps(): void {
  for (const t of live) { try { fs.rmSync(t, { force: true }); } catch { /* best effort */ } }
  live.clear();
}

function hookProcess(): void {
  if (hooked) return;
  hooked = true;
  process.on("exit", removeLiveTemps);
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    const onSignal = (): void => {
      removeLiveTemps();
      // Keep the signal's meaning: without other listeners, re-raise it for the default action.
      if (process.listenerCount(sig) <= 1) {
        process.removeListener(sig, onSignal);
        process.kill(process.pid, sig);
      }
    };
    process.on(sig, onSignal);
  }
}

/** Temporary files currently open (for tests). @internal */
export function liveTempFiles(): string[] {
  return [...live];
}

/** A GlowtsError for a failed file operation, naming the file; ENOSPC says "no space left". */
export function ioError(e: unknown, file: string, doing: string): GlowtsError {
  if (e instanceof GlowtsError) return e;
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case "ENOSPC": return new GlowtsError("NO_SPACE", `no space left on device while ${doing}`, { file });
    case "EDQUOT": return new GlowtsError("NO_SPACE", `no space left (disk quota exceeded) while ${doing}`, { file });
    case "EISDIR": return new GlowtsError("WRITE", `cannot write: the path is a directory`, { file });
    case "EACCES": case "EPERM": case "EROFS": return new GlowtsError("WRITE", `cannot write: permission denied (${err.code}) while ${doing}`, { file });
    case "ENOENT": return new GlowtsError("WRITE", `cannot write: the folder does not exist`, { file });
    default: return new GlowtsError("WRITE", `${doing} failed: ${(err as Error | undefined)?.message ?? String(e)}`, { file });
  }
}

export class AtomicFile {
  private fd: number;
  private readonly tmp: string;
  private closed = false;
  bytesWritten = 0;

  constructor(readonly path: string) {
    let st: fs.Stats | undefined;
    try { st = fs.statSync(path); } catch { st = undefined; }
    if (st?.isDirectory()) throw new GlowtsError("WRITE", "cannot write: the path is a directory", { file: path });
    this.tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    hookProcess();
    try { this.fd = atomicIo.openSync(this.tmp, "w"); }
    catch (e) { throw ioError(e, path, "creating the file"); }
    live.add(this.tmp);
  }

  write(bytes: Uint8Array): void {
    let off = 0;
    try {
      while (off < bytes.length) off += atomicIo.writeSync(this.fd, bytes, off, bytes.length - off);
    } catch (e) {
      this.abort();
      throw ioError(e, this.path, "writing");
    }
    this.bytesWritten += bytes.length;
  }

  /** Overwrites bytes at an absolute offset (e.g. a count in a header). */
  writeAt(offset: number, bytes: Uint8Array): void {
    try { atomicIo.writeSync(this.fd, bytes, 0, bytes.length, offset); }
    catch (e) { this.abort(); throw ioError(e, this.path, "writing"); }
  }

  /** Closes the temporary file (data flushed); the file stays under its temporary name. */
  private close(): void {
    try { atomicIo.closeSync(this.fd); }
    catch (e) { this.closed = true; this.removeTemp(); throw ioError(e, this.path, "closing"); }
  }

  /** Finishes the file: closes and renames it into place. */
  commit(): void {
    if (this.closed) return;
    this.close();
    this.closed = true;
    this.rename();
  }

  /** @internal Closes without renaming (for {@link writeTextFilesAtomic}). */
  finish(): void {
    if (this.closed) return;
    this.close();
    this.closed = true;
  }

  /** @internal Renames a finished file into place (removing the temporary on failure). */
  rename(): void {
    try { atomicIo.renameSync(this.tmp, this.path); live.delete(this.tmp); }
    catch (e) { this.removeTemp(); throw ioError(e, this.path, "renaming the finished file into place"); }
  }

  private removeTemp(): void {
    try { fs.rmSync(this.tmp, { force: true }); } catch { /* best effort */ }
    live.delete(this.tmp);
  }

  /** Abandons the file: closes and deletes the temporary. */
  abort(): void {
    if (!this.closed) {
      this.closed = true;
      try { atomicIo.closeSync(this.fd); } catch { /* already closed */ }
    }
    this.removeTemp();
  }
}

/** Writes a small text file atomically. */
export function writeTextAtomic(path: string, text: string): void {
  const f = new AtomicFile(path);
  try { f.write(new TextEncoder().encode(text)); f.commit(); }
  catch (e) { f.abort(); throw e; }
}

/**
 * Writes several text files all-or-nothing: every file is written to its temporary first; only
 * when all are complete are they renamed into place. On any failure no new file appears (files
 * already renamed in the last step are removed) and every temporary is deleted.
 */
export function writeTextFilesAtomic(files: readonly { path: string; text: string }[]): void {
  const open: AtomicFile[] = [];
  try {
    for (const f of files) {
      const a = new AtomicFile(f.path);
      open.push(a);
      a.write(new TextEncoder().encode(f.text));
    }
  } catch (e) {
    for (const a of open) a.abort();
    throw e;
  }
  commitAll(open);
}

/**
 * Commits several files all-or-nothing: each is closed, then each renamed into place; on any
 * failure every temporary is removed and the files already renamed are deleted.
 */
export function commitAll(files: readonly AtomicFile[]): void {
  const renamed: string[] = [];
  try {
    for (const a of files) a.finish();
    for (const a of files) { a.rename(); renamed.push(a.path); }
  } catch (e) {
    for (const a of files) a.abort();
    for (const p of renamed) { try { fs.rmSync(p, { force: true }); } catch { /* best effort */ } }
    throw e;
  }
}
