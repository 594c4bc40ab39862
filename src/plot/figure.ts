/**
 * A rendered figure (`.svg`, `.html`, `save(path)`, the MIME-bundle protocol), and the bridge that
 * renders Observable Plot specifications to SVG text in Node through a linkedom document.
 *
 * Plot and linkedom are loaded on the first plot (synchronously, with `require`), so importing
 * glowts stays fast.
 */
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { GlowtsError } from "../core/errors.js";
import { MIME_BUNDLE, escapeHtml, makeBundle, type MimeBundle } from "../core/mime.js";
import { config } from "../engine/config.js";
import { svgToPng, type RasterImage, type RasterOptions } from "./raster.js";

type PlotModule = typeof import("@observablehq/plot");
type PlotOptions = import("@observablehq/plot").PlotOptions;

const require = createRequire(import.meta.url);
let plotModule: PlotModule | undefined;
let parseHTML: ((html: string) => { document: unknown }) | undefined;

/** Observable Plot, loaded on first use. */
export function plotLibrary(): PlotModule {
  if (!plotModule) plotModule = require("@observablehq/plot") as PlotModule;
  return plotModule;
}

/** A fresh DOM document (linkedom) for Plot to render into. */
export function newDocument(): unknown {
  if (!parseHTML) parseHTML = (require("linkedom") as { parseHTML: (html: string) => { document: unknown } }).parseHTML;
  return parseHTML("<!doctype html><html><head></head><body></body></html>").document;
}

/**
 * Renders a Plot specification to SVG (or `<figure>` when Plot adds legends) text.
 * Coordinates in attributes are rounded to 0.1 px, which roughly halves the size of dense plots.
 * @param spec Observable Plot options; `document` is supplied
 */
export function renderPlot(spec: PlotOptions, document: unknown = newDocument()): string {
  const Plot = plotLibrary();
  const el = Plot.plot({ ...spec, document: document as never }) as unknown as { outerHTML: string };
  return compactSvg(el.outerHTML);
}

/** Rounds numbers with 3+ decimals inside attribute values to one decimal. */
export function compactSvg(svg: string): string {
  return svg.replace(/="([^"]*)"/g, (_m, v: string) =>
    `="${v.replace(/-?\d+\.\d{3,}(?:e-?\d+)?/g, (x) => { const r = Math.round(Number(x) * 10) / 10; return String(Object.is(r, -0) ? 0 : r); })}"`);
}

/** A figure made by `glow.plot.*`. */
export class PlotFigure {
  /** The kind of figure: `manhattan`, `qq`, `histogram`, `heatmap`. */
  readonly kind: string;
  /** The title shown above the plot (plain text). */
  readonly title: string;
  /** The plot as SVG markup (no XML declaration; `save()` adds the namespace). */
  readonly svg: string;
  /** One line saying what is drawn (counts, thinning, λGC...), plain text. */
  readonly caption: string;
  /** Figures the plot computed (e.g. `{variants, drawn, lambdaGc}`), for tests and reports. */
  readonly details: Readonly<Record<string, number | string | null>>;

  /** @internal Made by the plot functions. */
  constructor(kind: string, title: string, svg: string, caption: string, details: Record<string, number | string | null> = {}) {
    this.kind = kind;
    this.title = title;
    this.svg = svg;
    this.caption = caption;
    this.details = Object.freeze({ ...details });
  }

  /** A self-contained HTML fragment: title, inline SVG and caption. */
  get html(): string {
    return makeBundle(this.innerHtml(), this.toString(), `plot glowts-${this.kind}`)["text/html"]!;
  }

  private innerHtml(fallback = ""): string {
    const title = this.title ? `<div class="glowts-title">${escapeHtml(this.title)}</div>` : "";
    const caption = this.caption ? `<div class="glowts-meta">${escapeHtml(this.caption)}</div>` : "";
    return `${title}<div class="glowts-figure">${this.svg}${fallback}</div>${caption}`;
  }

  /**
   * Jupyter MIME bundle: `text/html` (title, inline SVG, caption, and the PNG as a fallback image that
   * the stylesheet hides while the SVG is there), `image/svg+xml` (the plot alone), `image/png` (the
   * plot rasterized at 2×) and `text/plain`. Where a viewer strips SVG — an untrusted notebook in
   * JupyterLab sanitizes the HTML, the classic notebook shows only text and PNG of an untrusted output,
   * exports to Markdown/PDF take the PNG — the PNG is what shows.
   */
  async [MIME_BUNDLE](): Promise<MimeBundle> {
    if (!config().figurePng) {
      return { ...makeBundle(this.innerHtml(), this.toString(), `plot glowts-${this.kind}`), "image/svg+xml": this.toSvgFile() };
    }
    const svgFile = this.toSvgFile();
    const { png, width, height } = await svgToPng(svgFile);
    const b64 = Buffer.from(png).toString("base64");
    const alt = escapeHtml(this.title || this.kind);
    const fallback = `<img class="glowts-fallback" alt="${alt}" width="${Math.round(width / 2)}" height="${Math.round(height / 2)}" src="data:image/png;base64,${b64}">`;
    return {
      ...makeBundle(this.innerHtml(fallback), this.toString(), `plot glowts-${this.kind}`),
      "image/svg+xml": svgFile,
      "image/png": b64,
    };
  }

  /** Rasterized figure (PNG bytes and pixel size); `scale` pixels per SVG unit. @defaultValue scale 2 */
  toPng(options: RasterOptions = {}): Promise<RasterImage> {
    return svgToPng(this.toSvgFile(), options);
  }

  /** Standalone SVG file content (with the SVG namespace). */
  toSvgFile(): string {
    const svg = this.svg.startsWith("<svg") ? this.svg : (this.svg.match(/<svg[\s\S]*?<\/svg>/)?.[0] ?? this.svg);
    return svg.includes("xmlns=") ? svg : svg.replace(/^<svg/, '<svg xmlns="http://www.w3.org/2000/svg"');
  }

  /**
   * Writes the figure: `.svg` as an SVG file, `.html`/`.htm` as a standalone page.
   * @returns the path written
   */
  save(file: string): string {
    const ext = path.extname(file).toLowerCase();
    let content: string;
    if (ext === ".svg") content = this.toSvgFile();
    else if (ext === ".png") throw new GlowtsError("OPTION", `save: write PNG with \`await figure.savePng(${JSON.stringify(file)})\``, { file });
    else if (ext === ".html" || ext === ".htm") {
      content = `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(this.title || this.kind)}</title></head><body>${this.html}</body></html>\n`;
    } else throw new GlowtsError("OPTION", `save: unsupported extension '${ext || "(none)"}' for ${file}; use .svg or .html`, { file });
    writeFileSync(file, content);
    return file;
  }

  /**
   * Writes the figure as a PNG file (rasterized at `scale` pixels per SVG unit, default 2).
   * @returns the path written
   */
  async savePng(file: string, options: RasterOptions = {}): Promise<string> {
    writeFileSync(file, (await this.toPng(options)).png);
    return file;
  }

  toString(): string {
    return `${this.title || this.kind}${this.caption ? ` — ${this.caption}` : ""}`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `PlotFigure(${this.toString()})`;
  }
}
