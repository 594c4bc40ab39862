// Figures as PNG (src/plot/raster.ts, PlotFigure's MIME bundle): the resvg raster is compared with
// headless Chromium's rendering of the same SVG (block-wise ink correlation), the PNG fallback inside
// the HTML is hidden while the SVG is there and shown where a sanitizer removed the SVG, and
// nbconvert's sanitizer (Jupyter's untrusted-output rules) keeps the PNG while it drops the SVG.
// Chromium and nbconvert parts skip with a message when those are absent.
import { describe, expect, it } from "vitest";
import { runAsync } from "../helpers/run-async.js";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { inflateSync } from "node:zlib";
import * as glow from "../../dist/index.js";


/** A decoded 8-bit PNG (RGB or RGBA, not interlaced) as grey levels 0..255. */
function decodePng(buf: Uint8Array): { width: number; height: number; grey: Float64Array } {
  const b = Buffer.from(buf);
  expect(b.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  let pos = 8, width = 0, height = 0, colorType = 0;
  const idat: Buffer[] = [];
  while (pos < b.length) {
    const len = b.readUInt32BE(pos), type = b.toString("latin1", pos + 4, pos + 8), data = b.subarray(pos + 8, pos + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      expect(data[8]).toBe(8); colorType = data[9]!; expect(data[12]).toBe(0);
    } else if (type === "IDAT") idat.push(data);
    pos += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
  expect(bpp).toBeGreaterThan(0);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!, src = y * (stride + 1) + 1, dst = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[dst + x - bpp]! : 0, up = y > 0 ? out[dst - stride + x]! : 0, c = x >= bpp && y > 0 ? out[dst - stride + x - bpp]! : 0;
      let pred = 0;
      if (f === 1) pred = a; else if (f === 2) pred = up; else if (f === 3) pred = (a + up) >> 1;
      else if (f === 4) { const p = a + up - c, pa = Math.abs(p - a), pb = Math.abs(p - up), pc = Math.abs(p - c); pred = pa <= pb && pa <= pc ? a : pb <= pc ? up : c; }
      out[dst + x] = (raw[src + x]! + pred) & 255;
    }
  }
  const grey = new Float64Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const o = i * bpp, alpha = bpp === 4 ? out[o + 3]! / 255 : 1;
    const g = (out[o]! + out[o + 1]! + out[o + 2]!) / 3;
    grey[i] = alpha * g + (1 - alpha) * 255; // over white
  }
  return { width, height, grey };
}

/** Mean ink (255 − grey) per block of `size` × `size` pixels over the common area. */
function inkBlocks(img: { width: number; height: number; grey: Float64Array }, w: number, h: number, size: number): number[] {
  const out: number[] = [];
  for (let by = 0; by + size <= h; by += size) {
    for (let bx = 0; bx + size <= w; bx += size) {
      let s = 0;
      for (let y = by; y < by + size; y++) for (let x = bx; x < bx + size; x++) s += 255 - img.grey[y * img.width + x]!;
      out.push(s / (size * size));
    }
  }
  return out;
}

function correlation(a: number[], b: number[]): number {
  const n = a.length, ma = a.reduce((s, v) => s + v, 0) / n, mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { sab += (a[i]! - ma) * (b[i]! - mb); saa += (a[i]! - ma) ** 2; sbb += (b[i]! - mb) ** 2; }
  return sab / Math.sqrt(saa * sbb);
}

const pvalues = Float64Array.from({ length: 400 }, (_, i) => (i + 0.5) / 400);
const figure = glow.plot.qq(pvalues, { title: "QQ of uniform p-values" });
const MIME = Symbol.for("jupyter.mimebundle");
const bundleOf = (f: unknown) => (f as { [MIME](): Promise<Record<string, string>> })[MIME]();

describe("figures as PNG", () => {
  it("the bundle carries a 2× PNG of the plot beside its SVG, and the HTML a hidden fallback image", async () => {
    const b = await bundleOf(figure);
    expect(Object.keys(b).sort()).toEqual(["image/png", "image/svg+xml", "text/html", "text/plain"]);
    const svg = b["image/svg+xml"]!;
    const w = Number(svg.match(/<svg[^>]*\swidth="([\d.]+)"/)![1]), h = Number(svg.match(/<svg[^>]*\sheight="([\d.]+)"/)![1]);
    const png = decodePng(Buffer.from(b["image/png"]!, "base64"));
    expect([png.width, png.height]).toEqual([Math.round(2 * w), Math.round(2 * h)]);
    const inked = png.grey.reduce((n, g) => n + (g < 200 ? 1 : 0), 0) / png.grey.length;
    expect(inked).toBeGreaterThan(0.01); // axes, points, band, labels
    expect(b["text/html"]).toContain(`<img class="glowts-fallback" alt="QQ of uniform p-values" width="${Math.round(w)}" height="${Math.round(h)}" src="data:image/png;base64,${b["image/png"]}">`);
  });

  it("glow.config({ figurePng: false }) sends SVG and HTML only", async () => {
    glow.config({ figurePng: false });
    try {
      const b = await bundleOf(figure);
      expect(Object.keys(b).sort()).toEqual(["image/svg+xml", "text/html", "text/plain"]);
      expect(b["text/html"]).not.toContain(`<img class="glowts-fallback"`);
    } finally {
      glow.config({ figurePng: true });
    }
  });
});

const hasChromium = spawnSync("chromium", ["--version"], { encoding: "utf8" }).status === 0;
if (!hasChromium) console.warn("PNG-vs-Chromium test skipped: chromium is not installed (apt-get install chromium)");
const CHROME = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run", "--hide-scrollbars", "--virtual-time-budget=3000"];

describe.skipIf(!hasChromium)("the PNG against Chromium's rendering of the same SVG (skipped without chromium)", () => {
  it("matches Chromium block by block (ink correlation ≥ 0.98 over 8×8-pixel blocks)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "glowts-png-"));
    const b = await bundleOf(figure);
    const svg = b["image/svg+xml"]!;
    const w = Math.round(Number(svg.match(/<svg[^>]*\swidth="([\d.]+)"/)![1])), h = Math.round(Number(svg.match(/<svg[^>]*\sheight="([\d.]+)"/)![1]));
    writeFileSync(path.join(dir, "svg.html"), `<!doctype html><html><body style="margin:0;background:#fff">${svg}</body></html>`);
    const shot = path.join(dir, "chromium.png");
    const r = await runAsync("chromium", [...CHROME, `--user-data-dir=${path.join(dir, "profile")}`, "--force-device-scale-factor=2",
      `--window-size=${w},${h}`, `--screenshot=${shot}`, `file://${path.join(dir, "svg.html")}`]);
    expect(r.status, r.stderr).toBe(0);
    const ours = decodePng(Buffer.from(b["image/png"]!, "base64"));
    const theirs = decodePng(readFileSync(shot));
    const cw = Math.min(ours.width, theirs.width), ch = Math.min(ours.height, theirs.height);
    expect(cw).toBeGreaterThan(0.95 * ours.width);
    const r8 = correlation(inkBlocks(ours, cw, ch, 8), inkBlocks(theirs, cw, ch, 8));
    console.log(`PNG vs Chromium: ink correlation over 8×8 blocks ${r8.toFixed(4)}`);
    expect(r8).toBeGreaterThan(0.98);
  }, 120_000);

  it("the fallback image is hidden next to the SVG and shown where a sanitizer removed the SVG", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "glowts-fallback-"));
    const html = (await bundleOf(figure))["text/html"]!;
    const probe = `<script>window.addEventListener("load",function(){var i=document.querySelector("img.glowts-fallback");var r=i.getBoundingClientRect();
var p=document.createElement("pre");p.id="probe";p.textContent=JSON.stringify({display:getComputedStyle(i).display,w:r.width,h:r.height,svg:!!document.querySelector("svg")});document.body.appendChild(p);});</script>`;
    const variants: Record<string, string> = {
      trusted: html,
      // what HTML sanitizers do to untrusted outputs: drop <svg> (keeping or dropping <style>)
      noSvg: html.replace(/<svg[\s\S]*?<\/svg>/g, ""),
      noSvgNoStyle: html.replace(/<svg[\s\S]*?<\/svg>/g, "").replace(/<style>[\s\S]*?<\/style>/g, ""),
    };
    const seen: Record<string, { display: string; w: number; h: number; svg: boolean }> = {};
    for (const [name, body] of Object.entries(variants)) {
      const file = path.join(dir, `${name}.html`);
      writeFileSync(file, `<!doctype html><html><body>${body}${probe}</body></html>`);
      const r = await runAsync("chromium", [...CHROME, `--user-data-dir=${path.join(dir, `p-${name}`)}`, "--window-size=1000,900", "--dump-dom", `file://${file}`]);
      expect(r.status, r.stderr).toBe(0);
      const m = r.stdout.match(/<pre id="probe">([^<]*)<\/pre>/);
      expect(m, `probe of ${name}`).not.toBeNull();
      seen[name] = JSON.parse(m![1]!.replace(/&quot;/g, '"')) as { display: string; w: number; h: number; svg: boolean };
    }
    expect(seen["trusted"]).toMatchObject({ display: "none", svg: true });
    for (const name of ["noSvg", "noSvgNoStyle"]) {
      expect(seen[name]!.svg).toBe(false);
      expect(seen[name]!.display).not.toBe("none");
      expect(seen[name]!.w).toBeGreaterThan(100);
      expect(seen[name]!.h).toBeGreaterThan(100);
    }
  }, 120_000);
});

const python = "/usr/bin/python3";
const hasNbconvert = spawnSync(python, ["-c", "import nbformat, nbconvert.preprocessors.sanitize"]).status === 0;
if (!hasNbconvert) console.warn("nbconvert sanitizer test skipped: /usr/bin/python3 cannot import nbconvert (apt-get install jupyter-nbconvert)");

describe.skipIf(!hasNbconvert)("Jupyter's untrusted-output rules (nbconvert's SanitizeHTML; skipped without nbconvert)", () => {
  it("keep the figure's PNG and drop its SVG", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "glowts-sanitize-"));
    writeFileSync(path.join(dir, "bundle.json"), JSON.stringify(await bundleOf(figure)));
    const script = `import json, sys, nbformat
from nbconvert.preprocessors.sanitize import SanitizeHTML
nb = nbformat.v4.new_notebook()
cell = nbformat.v4.new_code_cell("fig")
cell.outputs = [nbformat.v4.new_output("display_data", data=json.load(open(sys.argv[1])))]
nb.cells = [cell]
nb, _ = SanitizeHTML().preprocess(nb, {})
print(json.dumps(sorted(nb.cells[0].outputs[0].data.keys())))`;
    const r = await runAsync(python, ["-c", script, path.join(dir, "bundle.json")]);
    expect(r.status, r.stderr).toBe(0);
    const kept = JSON.parse(r.stdout) as string[];
    expect(kept).toContain("image/png");
    expect(kept).not.toContain("image/svg+xml");
  }, 60_000);
});
