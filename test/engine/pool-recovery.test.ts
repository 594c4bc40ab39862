// The worker pool survives its workers: dead workers (process.exit, heap cap) are replaced and the
// next action works; actions stop on an AbortSignal or timeoutMs with a GlowtsError naming the
// partition; node exits promptly after the last action. Oracle: the synthetic source's closed-form
// row count (partitions × rowsPerPartition).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import * as path from "node:path";
import * as glow from "../../dist/index.js";

const here = path.dirname(new URL(import.meta.url).pathname);
const fixtures = path.join(here, "../fixtures");
const readerUrl = pathToFileURL(path.join(fixtures, "synthetic-reader.mjs")).href;
const bad = pathToFileURL(path.join(fixtures, "bad-map.mjs")).href;
const dummy = path.join(fixtures, "synthetic-reader.mjs");
const frame = () => glow.read("synthetic", dummy, { partitions: 6, rowsPerPartition: 5 });

beforeAll(async () => { await glow.registerFormat("synthetic", readerUrl); });
afterAll(async () => { glow.config({ workerHeapMb: undefined }); await glow.shutdown(); });

async function rejection(p: Promise<unknown>): Promise<glow.GlowtsError> {
  try { await p; } catch (e) { expect(e).toBeInstanceOf(glow.GlowtsError); return e as glow.GlowtsError; }
  throw new Error("expected a rejection");
}

describe("a pool that survives its workers", () => {
  it("replaces a worker that calls process.exit; the next action works", async () => {
    const e = await rejection(frame().mapPartitions(bad, "exitWorker").count({ workers: 2, onProgress: false }));
    expect(e.code).toBe("WORKER_EXIT");
    expect(e.message).toMatch(/partition #\d+ \(rows \d+\.\.\d+\)/);
    expect(e.file).toBe(dummy);
    expect(await frame().count({ workers: 2, onProgress: false })).toBe(30);
    // twice in a row, and with more partitions than workers queued behind the failure
    await rejection(frame().mapPartitions(bad, "exitWorker").collect({ workers: 2, onProgress: false }));
    expect(await glow.read("synthetic", dummy, { partitions: 12, rowsPerPartition: 3 }).count({ workers: 2, onProgress: false })).toBe(36);
  });

  it("caps the workers' heap (glow.config workerHeapMb) and replaces an exhausted worker", async () => {
    glow.config({ workerHeapMb: 48 });
    try {
      const e = await rejection(frame().mapPartitions(bad, "exhaustHeap").count({ workers: 2, onProgress: false }));
      expect(e.code).toBe("WORKER_OUT_OF_MEMORY");
      expect(e.message).toContain("48 MB");
      expect(e.message).toMatch(/partition #\d+/);
      expect(await frame().count({ workers: 2, onProgress: false })).toBe(30);
    } finally {
      glow.config({ workerHeapMb: undefined });
    }
    expect(() => glow.config({ workerHeapMb: -1 })).toThrow(/workerHeapMb/);
  });

  it("stops an infinite loop and a never-resolving function with timeoutMs", async () => {
    for (const fn of ["spinForever", "neverResolve"]) {
      const t0 = Date.now();
      const e = await rejection(frame().mapPartitions(bad, fn).count({ workers: 2, timeoutMs: 400, onProgress: false }));
      expect(e.code).toBe("TIMEOUT");
      expect(e.message).toMatch(/within timeoutMs = 400 ms while partition #0 \(rows 0\.\.5\) was running/);
      expect(Date.now() - t0).toBeLessThan(20_000);
      expect(await frame().count({ workers: 2, onProgress: false })).toBe(30);
    }
  });

  it("stops an action on an AbortSignal, also on the calling thread", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error("stop pressed")), 300);
    const e = await rejection(frame().mapPartitions(bad, "spinForever").collect({ workers: 2, signal: ac.signal, onProgress: false }));
    expect(e.code).toBe("ABORTED");
    expect(e.message).toContain("stop pressed");
    expect(e.message).toMatch(/partition #0/);
    const ac2 = new AbortController();
    setTimeout(() => ac2.abort(), 200);
    const e2 = await rejection(frame().mapPartitions(bad, "neverResolve").count({ workers: 0, signal: ac2.signal, onProgress: false }));
    expect(e2.code).toBe("ABORTED");
    const pre = new AbortController();
    pre.abort();
    expect((await rejection(frame().count({ workers: 2, signal: pre.signal, onProgress: false }))).code).toBe("ABORTED");
    expect(await frame().count({ workers: 2, onProgress: false })).toBe(30);
  });

  it("node exits promptly after the last action, also after a dead worker", () => {
    for (const mode of ["ok", "fail"]) {
      const r = spawnSync(process.execPath, [path.join(fixtures, "exit-after-action.mjs"), mode], { encoding: "utf8", timeout: 60_000 });
      const end = Date.now();
      expect(r.status).toBe(0);
      if (mode === "fail") expect(r.stdout).toContain("failed WORKER_EXIT");
      const at = Number(/rows 30 at (\d+)/.exec(r.stdout)?.[1]);
      // The pool's idle timeout is 2 s; exiting must not wait for it.
      expect(end - at).toBeLessThan(1500);
    }
  });
});

describe("limit is global (Spark semantics)", () => {
  it("limit(n).filter(...) returns only rows among the first n", async () => {
    // rows r have start 10 r; partitions of 5 rows
    const rows = await frame().limit(2).filter(glow.col("start").ge(0)).collect({ workers: 2, onProgress: false });
    expect(rows.map((r) => r["start"])).toEqual([0, 10]);
    const r2 = await frame().limit(7).filter(glow.col("start").ge(30)).collect({ workers: 2, onProgress: false });
    expect(r2.map((r) => r["start"])).toEqual([30, 40, 50, 60]);
    // a filter after a limit is not pushed into the read
    const r3 = await frame().limit(3).filter(glow.col("start").gt(100)).count({ workers: 2, onProgress: false });
    expect(r3).toBe(0);
  });

  it("a limit followed by a map and a second limit", async () => {
    const rows = await frame().filter(glow.col("start").ge(40)).limit(8)
      .mapPartitions(pathToFileURL(path.join(fixtures, "user-map.mjs")).href, "addOffset", { offset: 1 }).limit(3)
      .collect({ workers: 2, onProgress: false });
    expect(rows.map((r) => r["startPlus"])).toEqual([41, 51, 61]);
    expect(await frame().limit(0).count({ workers: 2, onProgress: false })).toBe(0);
    expect(await frame().limit(12).count({ workers: 0, onProgress: false })).toBe(12);
  });
});
