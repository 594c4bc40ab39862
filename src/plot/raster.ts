/**
 * SVG → PNG for figures, so that plots stay visible where a notebook viewer drops SVG: untrusted
 * notebooks (Jupyter's sanitizer removes `<svg>` from HTML outputs; the classic notebook shows
 * only text and raster images of an untrusted output), GitHub's notebook preview, and exports that
 * take `image/png` (nbconvert to Markdown, LaTeX or PDF).
 *
 * Rasterizing is resvg (`@resvg/resvg-wasm`, WebAssembly, no native binary), with the DejaVu Sans
 * fonts from `dejavu-fonts-ttf` (resvg in WebAssembly cannot read the system's fonts, and Observable
 * Plot's `system-ui, sans-serif` falls back to them). Both load on the first figure that is
 * rasterized, so importing glowts stays fast.
 */
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);

type ResvgModule = typeof import("@resvg/resvg-wasm");

let ready: Promise<{ Resvg: ResvgModule["Resvg"]; fonts: Uint8Array[] }> | undefined;

/** resvg and its fonts, initialized once per process (or worker). */
function resvg(): Promise<{ Resvg: ResvgModule["Resvg"]; fonts: Uint8Array[] }> {
  ready ??= (async () => {
    const mod = require("@resvg/resvg-wasm") as ResvgModule;
    await mod.initWasm(readFileSync(require.resolve("@resvg/resvg-wasm/index_bg.wasm")));
    const fontDir = require.resolve("dejavu-fonts-ttf/package.json").replace(/package\.json$/, "ttf/");
    const fonts = ["DejaVuSans.ttf"].map((f) => new Uint8Array(readFileSync(fontDir + f)));
    return { Resvg: mod.Resvg, fonts };
  })();
  return ready;
}

/** Options of {@link svgToPng}. */
export interface RasterOptions {
  /** Pixels per SVG user unit (2 = sharp on high-density screens). @defaultValue 2 */
  scale?: number | undefined;
  /** Background colour (CSS). @defaultValue "white" */
  background?: string | undefined;
}

/** A rasterized figure. */
export interface RasterImage {
  /** PNG file bytes. */
  png: Uint8Array;
  /** Size in pixels. */
  width: number;
  height: number;
}

/**
 * Renders standalone SVG (with its namespace) to PNG.
 * @param svg an SVG document, e.g. `PlotFigure.toSvgFile()`
 */
export async function svgToPng(svg: string, options: RasterOptions = {}): Promise<RasterImage> {
  const { Resvg, fonts } = await resvg();
  const r = new Resvg(svg, {
    fitTo: { mode: "zoom", value: options.scale ?? 2 },
    background: options.background ?? "white",
    font: { fontBuffers: fonts, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
  });
  try {
    const img = r.render();
    const out = { png: img.asPng(), width: img.width, height: img.height };
    img.free();
    return out;
  } finally {
    r.free();
  }
}
