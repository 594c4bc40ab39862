/**
 * Atomic output files: data goes to `<path>.tmp-<pid>` and is renamed into place only when the
 * writer finishes, so a failure never leaves a partial file under the final name.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { GlowtsError } from "../../core/errors.js";

export class AtomicFile {
  private fd: number;
  private readonly tmp: string;
  private closed = false;
  bytesWritten = 0;

  constructor(readonly path: string) {
    this.tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    try { this.fd = openSync(this.tmp, "w"); }
    catch (e) { throw new GlowtsError("WRITE", `cannot create file: ${(e as Error).message}`, { file: path }); }
  }

  write(bytes: Uint8Array): void {
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
    this.bytesWritten += bytes.length;
  }

  /** Overwrites bytes at an absolute offset (e.g. a count in a header). */
  writeAt(offset: number, bytes: Uint8Array): void {
    writeSync(this.fd, bytes, 0, bytes.length, offset);
  }

  /** Finishes the file: closes and renames it into place. */
  commit(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
  }

  /** Abandons the file: closes and deletes the temporary. */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    try { closeSync(this.fd); } catch { /* already closed */ }
    rmSync(this.tmp, { force: true });
  }
}

/** Writes a small text file atomically. */
export function writeTextAtomic(path: string, text: string): void {
  const f = new AtomicFile(path);
  try { f.write(new TextEncoder().encode(text)); f.commit(); }
  catch (e) { f.abort(); throw e; }
}
