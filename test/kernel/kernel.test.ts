// The glowts kernel (src/display/kernel.ts, kernel/kernels/glowts): the hook into tslab's executor
// (in process), the progress display, the kernelspec install, and — when Debian's jupyter_client is
// importable by /usr/bin/python3 — a real kernel started by jupyter_client whose cells return
// display_data with text/html for glowts objects.
import { afterAll, describe, expect, it } from "vitest";
import { runAsync } from "../helpers/run-async.js";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createRichConsole, notebookProgress, wrapExecutor, type DisplayData } from "../../dist/display/kernel.js";
import { installKernel, kernelCommand, kernelDestination } from "../../dist/display/kernel-install.js";
import { addTypeCheckFallback, kernelModuleDirs } from "../../dist/display/kernel-resolve.js";
import type { MimeBundle } from "../../dist/display/index.js";

const require = createRequire(import.meta.url);
const tmp = mkdtempSync(path.join(os.tmpdir(), "glowts-kernel-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));


const richValue = `({ [Symbol.for("jupyter.mimebundle")]() { return { "text/html": "<b>rich</b>", "text/plain": "rich" }; } })`;

describe("the kernel's own install as a fallback for cells' imports (in process)", () => {
  it("forwards only packages that no node_modules from the notebook's folder upwards holds", () => {
    const real = new Set(["/home/u/node_modules/danfojs", "/kernel/node_modules/glowts", "/kernel/node_modules/glowts/package.json",
      "/kernel/node_modules/danfojs", "/kernel/node_modules/@scope/pkg", "/kernel/node_modules/@scope/pkg/index.d.ts"]);
    const has = (p: string) => real.has(p);
    const sys = { fileExists: has, directoryExists: has, readFile: (p: string) => (has(p) ? `file ${p}` : undefined),
      realpath: (p: string) => p, getDirectories: () => [], readDirectory: () => [] };
    addTypeCheckFallback(sys, "/home/u/nb", ["/kernel/node_modules"]);
    expect(sys.fileExists("/home/u/nb/node_modules/glowts/package.json")).toBe(true);
    expect(sys.realpath("/home/u/nb/node_modules/glowts/package.json")).toBe("/kernel/node_modules/glowts/package.json");
    expect(sys.fileExists("/home/u/nb/node_modules/@scope/pkg/index.d.ts")).toBe(true);
    // danfojs is installed in an ancestor folder: TypeScript finds that one, as Node's require does
    expect(sys.directoryExists("/home/u/nb/node_modules/danfojs")).toBe(false);
    expect(sys.fileExists("/home/u/nb/node_modules/nothing/package.json")).toBe(false);
    expect(sys.readFile("/home/u/nb/notes.ts")).toBeUndefined();
  });

  it("finds the folders a package resolves from, installed or a checkout", () => {
    expect(kernelModuleDirs(process.cwd())).toEqual([path.join(process.cwd(), "node_modules")]);
    expect(kernelModuleDirs("/nowhere/node_modules/glowts")).toEqual(["/nowhere/node_modules"]);
  });
});

describe("the hook into tslab's executor (in process)", () => {
  it("sends rich last values as bundles before execute resolves, and prints others as tslab does", async () => {
    const { createConverter } = require("tslab/dist/converter.js");
    const { createExecutor } = require("tslab/dist/executor.js");
    const node = createConverter();
    const convs = { node, browser: node, close: () => node.close() };
    const sent: MimeBundle[] = [];
    const logs: unknown[][] = [];
    const errors: unknown[][] = [];
    const base = { log: (...a: unknown[]) => logs.push(a), error: (...a: unknown[]) => errors.push(a) };
    const rich = createRichConsole((b) => sent.push(b), base);
    const exec = wrapExecutor(createExecutor(process.cwd(), convs, rich), rich, base);
    try {
      expect(await exec.execute(richValue)).toBe(true);
      expect(sent).toEqual([{ "text/html": "<b>rich</b>", "text/plain": "rich" }]);
      // an async bundle is awaited
      expect(await exec.execute(`({ [Symbol.for("jupyter.mimebundle")]: async () => { await new Promise((r) => setTimeout(r, 50)); return { "text/plain": "later" }; } })`)).toBe(true);
      expect(sent[1]).toEqual({ "text/plain": "later" });
      // plain values go to console.log unchanged
      expect(await exec.execute("1 + 2")).toBe(true);
      expect(logs).toEqual([[3]]);
      // a failing rendering fails the cell and is reported
      expect(await exec.execute(`({ [Symbol.for("jupyter.mimebundle")]() { throw new Error("render failed"); } })`)).toBe(false);
      expect(String(errors.at(-1)?.[0])).toContain("render failed");
      expect(rich.pending()).toBe(0);
    } finally {
      exec.close();
    }
  });
});

describe("glow.display in the stock tslab kernel", () => {
  it("sends the HTML through tslab.display.html (tslab's own executor and display writer)", async () => {
    const { createConverter } = require("tslab/dist/converter.js");
    const { createExecutor } = require("tslab/dist/executor.js");
    const jupyter = require("tslab/dist/jupyter.js") as { lastWriteDisplayData: unknown };
    const node = createConverter();
    const errors: unknown[][] = [];
    const exec = createExecutor(process.cwd(), { node, browser: node, close: () => node.close() }, { log: () => undefined, error: (...a: unknown[]) => errors.push(a) });
    const writes: { data: Record<string, string> }[] = [];
    const saved = jupyter.lastWriteDisplayData;
    jupyter.lastWriteDisplayData = (d: { data: Record<string, string> }) => writes.push(d);
    try {
      const ok = await exec.execute(`import { display } from "./dist/display/index.js";\nawait display(${richValue})`);
      expect(errors).toEqual([]);
      expect(ok).toBe(true);
      expect(writes.map((w) => w.data)).toEqual([{ "text/html": "<b>rich</b>" }]);
    } finally {
      jupyter.lastWriteDisplayData = saved;
      exec.close();
    }
  });
});

describe("notebookProgress", () => {
  const progress = (done: number, total: number, ms: number, finished = false) =>
    ({ action: "count", partitionsDone: done, partitionsTotal: total, rows: done * 10, elapsedMs: ms, done: finished });

  it("draws a bar after the delay, updates it in place, and ends with a summary", () => {
    const writes: { d: DisplayData; update: boolean }[] = [];
    const factory = notebookProgress(() => (d, update) => writes.push({ d, update }), { delayMs: 100, intervalMs: 0 });
    const cb = factory("count");
    cb(progress(1, 4, 50)); // before the delay: nothing
    cb(progress(2, 4, 150));
    cb(progress(3, 4, 250));
    cb(progress(4, 4, 300, true));
    expect(writes.length).toBe(3);
    expect(writes.map((w) => w.update)).toEqual([false, true, true]);
    const ids = new Set(writes.map((w) => w.d.transient.display_id));
    expect(ids.size).toBe(1);
    expect(writes[0]!.d.data["text/html"]).toContain('<progress value="2" max="4"');
    expect(writes[2]!.d.data["text/plain"]).toBe("count: 4/4 partitions, 40 rows, 0.3 s (done)");
  });

  it("shows nothing for an action that ends before the delay, or outside a cell", () => {
    const writes: unknown[] = [];
    notebookProgress(() => (d) => writes.push(d), { delayMs: 100 })("count")(progress(1, 1, 20, true));
    notebookProgress(() => null, { delayMs: 0 })("count")(progress(1, 2, 20));
    expect(writes).toEqual([]);
  });
});

describe("kernel install", () => {
  it("writes the kernelspec with this Node and this package recorded", () => {
    const r = installKernel({ jupyterPath: path.join(tmp, "jp") });
    expect(r.path).toBe(path.join(tmp, "jp", "kernels", "glowts"));
    expect(r.kernelJson.argv).toEqual([process.execPath, "{resource_dir}/launcher.mjs", "{connection_file}"]);
    expect(r.kernelJson.display_name).toBe("glowts (TypeScript)");
    expect(existsSync(path.join(r.path, "launcher.mjs"))).toBe(true);
    const info = JSON.parse(readFileSync(path.join(r.path, "install.json"), "utf8"));
    expect(info.packageRoot).toBe(process.cwd());
  });

  it("resolves --prefix and --user locations and rejects two locations at once", () => {
    expect(kernelDestination({ prefix: "/opt/x" })).toBe("/opt/x/share/jupyter/kernels/glowts");
    const saved = process.env["JUPYTER_DATA_DIR"];
    process.env["JUPYTER_DATA_DIR"] = "/data/jd";
    try {
      expect(kernelDestination({ user: true, name: "g2" })).toBe("/data/jd/kernels/g2");
    } finally {
      if (saved === undefined) delete process.env["JUPYTER_DATA_DIR"]; else process.env["JUPYTER_DATA_DIR"] = saved;
    }
    expect(() => kernelDestination({ user: true, prefix: "/x" })).toThrow(/at most one/);
    expect(() => kernelDestination({ name: "../evil" })).toThrow(/invalid kernel name/);
  });

  it("the command line parses flags and reports usage errors", async () => {
    const out: string[] = [];
    expect(await kernelCommand(["install", `--jupyter-path=${path.join(tmp, "jp2")}`, "--display-name", "G"], (s) => out.push(s))).toBe(0);
    expect(out[0]).toContain(`Installed kernelspec glowts ("G") in ${path.join(tmp, "jp2", "kernels", "glowts")}`);
    const err = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      expect(await kernelCommand(["install", "--bogus"], () => undefined)).toBe(2);
      expect(await kernelCommand(["remove"], () => undefined)).toBe(2);
    } finally {
      process.stderr.write = err;
    }
  });
});

const python = "/usr/bin/python3";
const hasJupyterClient = existsSync(python) && spawnSync(python, ["-c", "import jupyter_client"]).status === 0;
if (!hasJupyterClient) console.warn("kernel integration test skipped: /usr/bin/python3 cannot import jupyter_client (apt-get install jupyter-client)");

describe.skipIf(!hasJupyterClient)("the glowts kernel under jupyter_client (skipped without Debian's jupyter-client)", () => {
  it("returns display_data with text/html for a glowts object and a progress bar for a long action", async () => {
    const jp = path.join(tmp, "jp-int");
    installKernel({ jupyterPath: jp });
    const data = path.join(tmp, "cohort");
    const cells = [
      `import * as glow from "glowts";\nconst c = await glow.simulate.cohort({ samples: 20, variants: 200, out: ${JSON.stringify(data)}, formats: ["vcf"] });`,
      `glow.read("vcf", c.files.vcf!)`,
      richValue,
      `1 + 1`,
      `await glow.read("vcf", c.files.vcf!).count()`,
    ];
    const outFile = path.join(tmp, "cells-out.json");
    const r = await runAsync(python, [path.join(process.cwd(), "test/kernel/run_cells.py"), "glowts", process.cwd(), outFile], {
      input: JSON.stringify(cells), timeout: 90_000,
      env: { ...process.env, JUPYTER_PATH: jp, GLOWTS_PROGRESS_DELAY_MS: "0" },
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(readFileSync(outFile, "utf8")) as ({ status: string; outputs: { msg_type: string; content: { data?: Record<string, string>; text?: string } }[] } | { kernel_info: { banner: string } })[];
    const cell = (i: number) => out[i] as { status: string; outputs: { msg_type: string; content: { data?: Record<string, string>; text?: string } }[] };
    expect(out.slice(0, 5).map((c) => (c as { status: string }).status)).toEqual(["ok", "ok", "ok", "ok", "ok"]);
    const frame = cell(1).outputs;
    expect(frame.map((o) => o.msg_type)).toEqual(["display_data"]);
    expect(frame[0]!.content.data!["text/html"]).toContain('<table class="glowts-table">');
    expect(frame[0]!.content.data!["text/plain"]).toContain("20 samples");
    expect(cell(2).outputs[0]!.content.data).toEqual({ "text/html": "<b>rich</b>", "text/plain": "rich" });
    expect(cell(3).outputs).toEqual([{ msg_type: "stream", content: expect.objectContaining({ text: "2\n" }) }]);
    const count = cell(4).outputs;
    expect(count.some((o) => o.msg_type === "display_data" && o.content.data!["text/plain"]!.startsWith("count:"))).toBe(true);
    expect(count.some((o) => o.msg_type === "update_display_data" && o.content.data!["text/plain"]!.endsWith("(done)"))).toBe(true);
    expect(count.at(-1)!.content.text).toBe("200\n");
    expect((out[5] as { kernel_info: { banner: string } }).kernel_info.banner).toMatch(/^glowts \(TypeScript\) — tslab 1\.0\.22/);
  }, 90_000);
});

describe.skipIf(!hasJupyterClient)("cells import glowts from the kernel's own install (skipped without Debian's jupyter-client)", () => {
  type Out = { status: string; outputs: { msg_type: string; content: { text?: string; ename?: string; evalue?: string } }[] };
  it("a notebook in a folder without node_modules imports glowts and danfojs, with their types", async () => {
    const jp = path.join(tmp, "jp-own");
    installKernel({ jupyterPath: jp });
    // outside the repository: no node_modules in this folder or any parent (os.tmpdir())
    const folder = mkdtempSync(path.join(os.tmpdir(), "glowts-own-install-"));
    try {
      let ancestor = folder, found = "";
      for (; path.dirname(ancestor) !== ancestor; ancestor = path.dirname(ancestor)) {
        if (existsSync(path.join(ancestor, "node_modules", "glowts"))) found = ancestor;
      }
      expect(found, "the test folder must not see an installed glowts").toBe("");
      const cells = [
        `import * as glow from "glowts";\nimport * as dfd from "danfojs";\nconst c = await glow.simulate.cohort({ samples: 20, variants: 50, out: "cohort", formats: ["vcf"] });`,
        `const n: number = await glow.read("vcf", c.files.vcf!).count();\nn`,
        // a type error proves the cell was type-checked against glowts' real declarations (not `any`)
        `const s: string = await glow.read("vcf", c.files.vcf!).count();`,
        `const df: dfd.DataFrame = await glow.read("vcf", c.files.vcf!).limit(3).toDanfo();\ndf.shape`,
      ];
      const outFile = path.join(folder, "cells-own.json");
      const r = await runAsync(python, [path.join(process.cwd(), "test/kernel/run_cells.py"), "glowts", folder, outFile], {
        input: JSON.stringify(cells), timeout: 90_000, env: { ...process.env, JUPYTER_PATH: jp },
      });
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(readFileSync(outFile, "utf8")) as Out[];
      expect(out.slice(0, 4).map((c) => c.status)).toEqual(["ok", "ok", "error", "ok"]);
      expect(out[1]!.outputs.at(-1)!.content.text).toBe("50\n");
      const typeError = out[2]!.outputs.find((o) => o.msg_type === "error")!.content;
      expect(typeError.ename).toBe("TypeScriptError");
      expect(typeError.evalue).toBe("line 1:7: Type 'number' is not assignable to type 'string'.");
      expect(out[3]!.outputs.at(-1)!.content.text).toBe("[ 3, 10 ]\n");
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 90_000);
});

describe.skipIf(!hasJupyterClient)("failing cells as Jupyter errors under jupyter_client (skipped without Debian's jupyter-client)", () => {
  type Out = { status: string; input_count: number | null; reply: { ename?: string; evalue?: string; traceback?: string[]; execution_count?: number }; outputs: { msg_type: string; content: { ename?: string; evalue?: string; traceback?: string[]; text?: string } }[] };
  it("sends error replies with ename/evalue for a missing file, a wrong option and a type error; counts executions", async () => {
    const jp = path.join(tmp, "jp-err");
    installKernel({ jupyterPath: jp });
    const data = path.join(tmp, "cohort-err");
    const cells = [
      `import * as glow from "glowts";\nconst c = await glow.simulate.cohort({ samples: 20, variants: 50, out: ${JSON.stringify(data)}, formats: ["vcf"] });`,
      `const x = 1;\nawait glow.read("vcf", "no-such-file.vcf").count();`,
      `glow.read("vcf", c.files.vcf!, { validationStringency: "sloppy" } as never)`,
      `const n: number = "five";`,
      `glow.config({ debug: true });\nawait glow.read("vcf", "no-such-file.vcf").count();`,
      `glow.config({ debug: false });\n40 + 2`,
    ];
    const outFile = path.join(tmp, "cells-err.json");
    const r = await runAsync(python, [path.join(process.cwd(), "test/kernel/run_cells.py"), "glowts", process.cwd(), outFile], {
      input: JSON.stringify(cells), timeout: 90_000, env: { ...process.env, JUPYTER_PATH: jp },
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(readFileSync(outFile, "utf8")) as Out[];
    expect(out.slice(0, 6).map((c) => c.status)).toEqual(["ok", "error", "error", "error", "error", "ok"]);
    // execute_input carries the execution count (nbconvert keeps it), matching the reply's
    expect(out.slice(0, 6).map((c) => c.input_count)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(out.slice(0, 6).map((c) => c.reply.execution_count)).toEqual([1, 2, 3, 4, 5, 6]);
    const err = (i: number) => {
      const e = out[i]!.outputs.filter((o) => o.msg_type === "error");
      expect(e.length, `cell ${i} has one error output`).toBe(1);
      // no stderr dump of the stack next to the error
      expect(out[i]!.outputs.filter((o) => o.msg_type === "stream").map((o) => o.content.text).join("")).toBe("");
      expect(out[i]!.reply.ename).toBe(e[0]!.content.ename);
      expect(out[i]!.reply.evalue).toBe(e[0]!.content.evalue);
      return e[0]!.content as { ename: string; evalue: string; traceback: string[] };
    };
    const missing = err(1);
    expect(missing.ename).toBe("GlowtsError[FILE_NOT_FOUND]");
    expect(missing.evalue).toBe("no-such-file.vcf: read(vcf): file not found");
    // the short traceback shows the user's cell with the failing line marked, not glowts' internals
    expect(missing.traceback.some((l) => l.includes("---->") && l.includes(`glow.read("vcf", "no-such-file.vcf")`))).toBe(true);
    expect(missing.traceback.join("\n")).not.toMatch(/dist\/|node_modules|evalmachine/);
    const option = err(2);
    expect(option.ename).toBe("GlowtsError[OPTION]");
    expect(option.evalue).toMatch(/validationStringency/);
    expect(option.evalue).not.toContain("\n");
    const typeError = err(3);
    expect(typeError.ename).toBe("TypeScriptError");
    expect(typeError.evalue).toBe("line 1:7: Type 'string' is not assignable to type 'number'.");
    // debug: the full stack is appended
    expect(err(4).traceback.join("\n")).toMatch(/at .*dist\/io\/files\.js/);
    expect(out[5]!.outputs.at(-1)!.content.text).toBe("42\n");
  }, 90_000);
});
