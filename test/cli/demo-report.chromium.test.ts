// The demo report as a reader sees it, laid out by headless Chromium at 1280 px: no horizontal
// scroll, the cohort first, per trait a titled Manhattan and QQ plot side by side, the plan and
// timings last and collapsed; then a screenshot whose plot regions are checked for ink the way the
// notebook checks do (test/notebooks/check_rendered.py pixels). Skipped without chromium/python3.
import { describe, expect, it } from "vitest";
import { runAsync } from "../helpers/run-async.js";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const CLI = path.resolve("dist/cli/main.js");


const python = "/usr/bin/python3";
const hasChromium = spawnSync("chromium", ["--version"], { encoding: "utf8" }).status === 0;
if (!hasChromium) console.warn("demo report layout test skipped: chromium is not installed (apt-get install chromium)");
const CHROME = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run", "--hide-scrollbars", "--force-device-scale-factor=1", "--virtual-time-budget=5000"];

const PROBE = `<script>window.addEventListener("load",function(){setTimeout(function(){
var box=function(el){var r=el.getBoundingClientRect();return {x:r.left+window.scrollX,y:r.top+window.scrollY,w:r.width,h:r.height};};
var figs=[].map.call(document.querySelectorAll(".plots figure"),function(f){var s=f.querySelector("svg");var b=box(s);b.kind="svg";b.caption=f.querySelector("figcaption").textContent;return b;});
var h2=[].map.call(document.querySelectorAll("h2"),function(h){return {text:h.textContent,y:box(h).y};});
var d=document.querySelector("details");
var pre=document.createElement("pre");pre.id="probe";
pre.textContent=JSON.stringify({scrollWidth:document.documentElement.scrollWidth,height:document.documentElement.scrollHeight,boxes:figs,h2:h2,detailsOpen:d?d.open:null,detailsY:d?box(d).y:null});
document.body.appendChild(pre);},300);});</script>`;

describe.skipIf(!hasChromium)("demo report layout in headless Chromium (skipped without chromium)", () => {
  it("fits 1280 px, leads with the cohort, shows titled plots side by side, and keeps the plan last and collapsed", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "glowts-report-"));
    const r = await runAsync(process.execPath, [CLI, "demo", "--out", out, "--samples", "300", "--variants", "800", "--threads", "1"]);
    expect(r.status, r.stderr).toBe(0);
    const html = readFileSync(path.join(out, "report.html"), "utf8");
    const probe = path.join(out, "probe.html");
    writeFileSync(probe, html.replace("</body>", `${PROBE}</body>`));
    const dom = await runAsync("chromium", [...CHROME, `--user-data-dir=${mkdtempSync(path.join(tmpdir(), "chr-"))}`, "--window-size=1280,1000", "--dump-dom", `file://${probe}`]);
    const m = /<pre id="probe">([\s\S]*?)<\/pre>/.exec(dom.stdout);
    expect(m, "the page loaded and the probe ran").not.toBeNull();
    const layout = JSON.parse(m![1]!.replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")) as {
      scrollWidth: number; height: number; boxes: { x: number; y: number; w: number; h: number; caption: string }[];
      h2: { text: string; y: number }[]; detailsOpen: boolean; detailsY: number;
    };
    expect(layout.scrollWidth).toBeLessThanOrEqual(1280);
    expect(layout.h2[0]!.text).toBe("Cohort");
    expect(layout.detailsOpen).toBe(false);
    expect(layout.detailsY).toBeGreaterThan(Math.max(...layout.h2.map((h) => h.y)));
    for (const t of ["Q1", "Q2", "B1"]) {
      const man = layout.boxes.find((b) => b.caption === `Manhattan plot — ${t}`);
      const qq = layout.boxes.find((b) => b.caption === `QQ plot — ${t}`);
      expect(man && qq, `both plots of ${t}`).toBeTruthy();
      expect(Math.abs(man!.y - qq!.y), `${t}: side by side`).toBeLessThan(40);
      expect(qq!.x).toBeGreaterThan(man!.x + man!.w - 1);
      expect(man!.w).toBeGreaterThan(300);
      expect(layout.h2.some((h) => h.text.startsWith(`${t} — `) && h.y < man!.y)).toBe(true);
    }
    expect(html).toMatch(/B1 \(binary\)<\/dt><dd>\d+ cases, \d+ controls/);
    expect(html).not.toContain("AS id AS id");
    expect(html).not.toContain(out + "/data"); // partitions by relative path (or file name), not absolute
    if (!existsSync(python)) return;
    const png = path.join(out, "report.png");
    const height = Math.min(16000, Math.ceil(layout.height));
    await runAsync("chromium", [...CHROME, `--user-data-dir=${mkdtempSync(path.join(tmpdir(), "chr-"))}`, `--window-size=1280,${height}`, `--screenshot=${png}`, `file://${path.join(out, "report.html")}`]);
    expect(existsSync(png)).toBe(true);
    const boxes = path.join(out, "boxes.json");
    writeFileSync(boxes, JSON.stringify({ height: layout.height, boxes: layout.boxes.map((b) => ({ ...b, kind: "svg" })) }));
    const px = await runAsync(python, ["test/notebooks/check_rendered.py", "pixels", png, boxes]);
    expect(px.status, px.stdout + px.stderr).toBe(0);
  }, 240_000);
});
