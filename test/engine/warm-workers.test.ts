// Worker warm-up: an action starts its worker threads (and has them load the reader and the plan's
// function modules) before the calling thread plans. Oracles: the pool's thread count right after
// warmWorkers (before any task), the synthetic source's closed-form row count, and the error of a
// function module that cannot be imported, which must still come from the task (warm-up ignores it).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pathToFileURL } from "node:url";
import * as path from "node:path";
import * as glow from "../../dist/index.js";
import { partitionWorkerThreads, warmWorkers } from "../../dist/engine/pool.js";

const here = path.dirname(new URL(import.meta.url).pathname);
const fixtures = path.join(here, "../fixtures");
const readerUrl = pathToFileURL(path.join(fixtures, "synthetic-reader.mjs")).href;
const dummy = path.join(fixtures, "synthetic-reader.mjs");
const missing = pathToFileURL(path.join(fixtures, "no-such-module.mjs")).href;

beforeAll(async () => { await glow.registerFormat("synthetic", readerUrl); });
afterAll(async () => { await glow.shutdown(); });

describe("warmWorkers", () => {
  it("starts the threads before any task; an unloadable module is reported by the task, not the warm-up", async () => {
    await glow.shutdown();
    expect(partitionWorkerThreads()).toBe(0);
    warmWorkers(2, { format: "synthetic", readerModule: { url: readerUrl, exportName: "default" }, modules: [missing] });
    expect(partitionWorkerThreads()).toBe(2);
    const frame = glow.read("synthetic", dummy, { partitions: 6, rowsPerPartition: 5 });
    expect(await frame.count({ workers: 2, onProgress: false })).toBe(30);
    await expect(frame.mapPartitions(missing, "f").count({ workers: 2, onProgress: false })).rejects.toThrow(/cannot import .*no-such-module/);
    expect(await frame.count({ workers: 2, onProgress: false })).toBe(30);
  });

  it("does nothing without workers", async () => {
    await glow.shutdown();
    warmWorkers(0, { format: "synthetic", modules: [] });
    expect(partitionWorkerThreads()).toBe(0);
  });
});
