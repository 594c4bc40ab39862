// Outputs are whole or absent: temporary files are removed on failures and signals, disk errors are
// GlowtsErrors naming the file, multi-file outputs are all-or-nothing, trait names in file names
// are sanitized. Oracle: the file system's state after each operation.
import { afterEach, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { AtomicFile, atomicIo, liveTempFiles, writeTextAtomic, writeTextFilesAtomic } from "../../../dist/io/writers/atomic.js";
import { checkOutFolder, traitFileNames } from "../../../dist/cli/regenie.js";
import { GlowtsError } from "../../../dist/core/errors.js";

const realWrite = atomicIo.writeSync;
afterEach(() => { atomicIo.writeSync = realWrite; });

function fresh(): string { return mkdtempSync(path.join(tmpdir(), "glowts-atomic-")); }

function thrown(f: () => unknown): GlowtsError {
  try { f(); } catch (e) { expect(e).toBeInstanceOf(GlowtsError); return e as GlowtsError; }
  throw new Error("expected a GlowtsError");
}

describe("atomic outputs", () => {
  it("a full disk (ENOSPC) is a GlowtsError naming the file with 'no space left', and no file remains", () => {
    const dir = fresh();
    const file = path.join(dir, "out.txt");
    let calls = 0;
    atomicIo.writeSync = ((fd: number, b: Uint8Array, off: number, len: number, pos?: number | null) => {
      if (++calls > 1) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      return realWrite(fd, b, off, Math.min(len, 4), pos);
    }) as typeof atomicIo.writeSync;
    const e = thrown(() => writeTextAtomic(file, "0123456789".repeat(10)));
    expect(e.code).toBe("NO_SPACE");
    expect(e.file).toBe(file);
    expect(e.message).toMatch(/no space left/);
    expect(readdirSync(dir)).toEqual([]);
    expect(liveTempFiles()).toEqual([]);
  });

  it("a real full disk: a 64 kB tmpfs (needs root to mount; skipped otherwise)", (ctx) => {
    const dir = fresh();
    const m = spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]);
    if (m.status !== 0) { ctx.skip(); return; }
    try {
      const file = path.join(dir, "big.regenie");
      const e = thrown(() => writeTextAtomic(file, "x".repeat(1 << 20)));
      expect(e.code).toBe("NO_SPACE");
      expect(e.file).toBe(file);
      expect(e.message).toMatch(/no space left/);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      spawnSync("umount", [dir]);
    }
  });

  it("writing to a path that is a directory leaves nothing behind and says so", () => {
    const dir = fresh();
    mkdirSync(path.join(dir, "x.regenie"));
    const e = thrown(() => writeTextAtomic(path.join(dir, "x.regenie"), "data"));
    expect(e.code).toBe("WRITE");
    expect(e.message).toMatch(/is a directory/);
    expect(readdirSync(dir)).toEqual(["x.regenie"]);
    expect(thrown(() => writeTextAtomic(path.join(dir, "missing", "f"), "d")).message).toMatch(/folder does not exist/);
  });

  it("a multi-file output is all-or-nothing", () => {
    const dir = fresh();
    writeFileSync(path.join(dir, "keep.txt"), "old");
    mkdirSync(path.join(dir, "c.txt"));
    const files = ["a.txt", "b.txt", "c.txt"].map((n) => ({ path: path.join(dir, n), text: `${n}\n` }));
    thrown(() => writeTextFilesAtomic(files));
    expect(readdirSync(dir).sort()).toEqual(["c.txt", "keep.txt"]);
    // and a disk that fills while the second file is written
    let calls = 0;
    atomicIo.writeSync = ((fd: number, b: Uint8Array, off: number, len: number, pos?: number | null) => {
      if (++calls === 2) throw Object.assign(new Error("no space"), { code: "ENOSPC" });
      return realWrite(fd, b, off, len, pos);
    }) as typeof atomicIo.writeSync;
    const e = thrown(() => writeTextFilesAtomic(files.slice(0, 2)));
    expect(e.code).toBe("NO_SPACE");
    expect(e.file).toBe(files[1]!.path);
    expect(readdirSync(dir).sort()).toEqual(["c.txt", "keep.txt"]);
    atomicIo.writeSync = realWrite;
    writeTextFilesAtomic(files.slice(0, 2));
    expect(readFileSync(files[1]!.path, "utf8")).toBe("b.txt\n");
  });

  it("SIGTERM and SIGINT remove the temporary files of an unfinished output", async () => {
    for (const sig of ["SIGTERM", "SIGINT"] as const) {
      const dir = fresh();
      const script = `import { AtomicFile } from ${JSON.stringify(new URL("../../../dist/io/writers/atomic.js", import.meta.url).href)};
        const f = new AtomicFile(${JSON.stringify(path.join(dir, "cohort.bed"))}); f.write(new Uint8Array(100));
        console.log("ready"); setInterval(() => {}, 1000);`;
      const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
      await new Promise<void>((resolve) => child.stdout!.on("data", (d: Buffer) => { if (d.toString().includes("ready")) resolve(); }));
      expect(readdirSync(dir).length).toBe(1); // the temporary exists while writing
      const exited = new Promise<string | null>((resolve) => child.on("exit", (_c, s) => resolve(s)));
      child.kill(sig);
      expect(await exited).toBe(sig); // the signal keeps its default action
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it("an AtomicFile commits whole", () => {
    const dir = fresh();
    const f = new AtomicFile(path.join(dir, "a.bin"));
    f.write(new Uint8Array([1, 2, 3]));
    f.writeAt(0, new Uint8Array([9]));
    expect(existsSync(path.join(dir, "a.bin"))).toBe(false);
    f.commit();
    expect([...readFileSync(path.join(dir, "a.bin"))]).toEqual([9, 2, 3]);
  });
});

describe("CLI output names", () => {
  it("trait names are sanitized in file names; collisions are errors", () => {
    const m = traitFileNames(["Y1", "../../etc/x", "a/b", "..", "ok.trait-2"]);
    expect(m.get("Y1")).toBe("Y1");
    expect(m.get("../../etc/x")).toBe(".._.._etc_x");
    expect(m.get("a/b")).toBe("a_b");
    expect(m.get("..")).toBe("_..");
    expect(m.get("ok.trait-2")).toBe("ok.trait-2");
    for (const v of m.values()) expect(v).not.toContain("/");
    expect(() => traitFileNames(["a/b", "a_b"])).toThrow(/both be written as a_b/);
  });

  it("--out's folder is checked before computing", () => {
    const dir = fresh();
    expect(() => checkOutFolder(path.join(dir, "nope", "out"))).toThrow(/folder does not exist/);
    writeFileSync(path.join(dir, "file"), "");
    expect(() => checkOutFolder(path.join(dir, "file", "out"))).toThrow(/not a folder/);
    expect(() => checkOutFolder(path.join(dir, "out"))).not.toThrow();
  });
});
