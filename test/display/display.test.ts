// Rich display (src/display): structure of the HTML (elements present, rows shown), escaping of
// hostile strings, and normalised snapshots in test/display/output/. Inputs are synthetic and
// seeded: test/display/fixtures/hostile-reader.mjs defines its rows in closed form.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pathToFileURL } from "node:url";
import * as path from "node:path";
import * as glow from "../../dist/index.js";
import {
  display, escapeHtml, htmlTable, isRichDisplayable, toMimeBundle, MIME_BUNDLE, ELLIPSIS_ROW, formatNumber,
  genotypeSummaryText, rowCallCounts,
} from "../../dist/display/index.js";
import { dom } from "./dom.js";
import { expectSnapshot } from "./snapshot.js";

const here = path.dirname(new URL(import.meta.url).pathname);
const readerUrl = pathToFileURL(path.join(here, "fixtures/hostile-reader.mjs")).href;
const anyFile = path.join(here, "fixtures/hostile-reader.mjs");

beforeAll(async () => { await glow.registerFormat("hostile", readerUrl); });
afterAll(async () => { await glow.shutdown(); });

describe("escaping and tables", () => {
  it("escapeHtml escapes the five HTML metacharacters", () => {
    expect(escapeHtml(`<a href="x">&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  });

  it("htmlTable escapes headers, cells and dtypes, and draws ellipsis rows", () => {
    const html = htmlTable(
      [{ a: "<script>x</script>", b: 1.5 }, ELLIPSIS_ROW, { a: null, b: 2 }],
      [{ key: "a", label: "<th>", dtype: "<t>" }, "b"],
    );
    const d = dom(html);
    expect(d.querySelectorAll("script").length).toBe(0);
    expect(d.querySelectorAll("tbody tr").length).toBe(3);
    expect(d.querySelector("th")!.textContent).toBe("<th><t>");
    expect(d.querySelector("tbody td")!.textContent).toBe("<script>x</script>");
    expect(d.querySelector("tr.glowts-ellipsis td")!.getAttribute("colspan")).toBe("2");
    expect(d.querySelectorAll(".glowts-null").length).toBe(1);
  });

  it("formatNumber keeps integers and gives 4 significant digits otherwise", () => {
    expect(formatNumber(12345)).toBe("12345");
    expect(formatNumber(0.123456)).toBe("0.1235");
    expect(formatNumber(3.2e-12)).toBe("3.2e-12");
    expect(formatNumber(NaN)).toBe("NaN");
  });
});

describe("VariantFrame display (hostile reader)", () => {
  it("shows plan, counts and the first rows, all strings escaped", async () => {
    const frame = glow.read("hostile", anyFile, { rows: 12 });
    expect(isRichDisplayable(frame)).toBe(true);
    const b = await toMimeBundle(frame);
    const html = b["text/html"]!;
    const d = dom(html);
    // no element came from the data
    expect(d.querySelectorAll("script").length).toBe(0);
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<b>bold?");
    expect(html).toContain("&lt;b&gt;bold?&lt;/b&gt;");
    expect(html).toContain("[&lt;script&gt;alert(0)&lt;/script&gt;]");
    // 10 rows + an ellipsis row (12 > 10)
    expect(d.querySelectorAll("table.glowts-table tbody tr").length).toBe(11);
    expect(d.querySelectorAll("tr.glowts-ellipsis").length).toBe(1);
    expect([...d.querySelectorAll("th")].map((th) => th.firstChild!.textContent)).toEqual(["contigName", "start", "names", "genotypes"]);
    // counts line and plan
    expect(d.querySelector(".glowts-meta")!.textContent).toContain("1 partition · 3 samples · 4 columns");
    expect(d.querySelector("pre")!.textContent).toContain("Scan hostile");
    // genotypes summary of row 3: calls [1,1] for samples 0 and 1, sample 2 missing
    const row3 = d.querySelectorAll("table.glowts-table tbody tr")[3]!;
    expect(row3.textContent).toContain("0 / 0 / 2 / 1");
    expect(row3.textContent).toMatch(/"s1":\s1\|1/);
    expect(b["text/plain"]).toContain("VariantFrame(hostile:");
    expectSnapshot("variant-frame-hostile", html);
  });

  it("shows a frame with transforms and no rows", async () => {
    const frame = glow.read("hostile", anyFile, { rows: 3 }).filter(glow.col("start").gt(1e9));
    const b = await toMimeBundle(frame);
    expect(b["text/html"]).toContain("(no rows)");
    expect(b["text/html"]).toContain("Filter (start &gt; 1000000000)");
  });

  it("summarises genotype calls per row from the columnar fields", async () => {
    const batch = await glow.read("hostile", anyFile, { rows: 4 }).collectBatch({ onProgress: false });
    const g = batch.columns["genotypes"] as Parameters<typeof rowCallCounts>[0];
    // closed form: row r has calls [r%2, (r>>1)%2] for two samples and one missing sample
    const expected = [0, 1, 2, 3].map((r) => {
      const a = r % 2, c = (r >> 1) % 2;
      const cls = a === 0 && c === 0 ? "homRef" : a === c ? "homAlt" : "het";
      return { homRef: 0, het: 0, homAlt: 0, missing: 1, [cls]: 2 };
    });
    expect([0, 1, 2, 3].map((r) => rowCallCounts(g, r))).toEqual(expected);
    expect(genotypeSummaryText(g, 1)).toBe(`3 samples; hom-ref 0, het 2, hom-alt 0, missing 1; s<0> 1/0, "s1" 1|0, s&2 ./.`);
  });
});

describe("danfo DataFrame display", () => {
  let dfd: typeof import("danfojs");
  beforeAll(async () => { dfd = await import("danfojs"); }, 60_000);

  it("shows a small frame whole, with dtypes and escaped strings", async () => {
    const df = new dfd.DataFrame({ id: ["<i>a</i>", "b"], x: [1.5, 2.25], n: [1, 2] });
    const b = await toMimeBundle(df);
    const d = dom(b["text/html"]!);
    expect(d.querySelector(".glowts-title")!.textContent).toBe("DataFrame 2 rows × 3 columns");
    expect(d.querySelectorAll("tbody tr").length).toBe(2);
    expect([...d.querySelectorAll(".glowts-dtype")].map((e) => e.textContent)).toEqual(["string", "float32", "int32"]);
    expect(d.querySelectorAll("i").length).toBe(0);
    expectSnapshot("dataframe-small", b["text/html"]!);
  });

  it("shows the corners of a big frame: head, tail, first and last columns", async () => {
    const cols: Record<string, number[]> = {};
    for (let j = 0; j < 30; j++) cols[`c${j}`] = Array.from({ length: 100 }, (_, i) => i * 100 + j);
    const b = await toMimeBundle(new dfd.DataFrame(cols));
    const d = dom(b["text/html"]!);
    expect(d.querySelector(".glowts-title")!.textContent).toBe("DataFrame 100 rows × 30 columns");
    const rows = d.querySelectorAll("tbody tr");
    expect(rows.length).toBe(11); // 5 head + ellipsis + 5 tail
    const headers = [...d.querySelectorAll("thead th")].map((th) => th.firstChild?.textContent ?? "");
    expect(headers.length).toBe(1 + 10 + 1 + 10);
    expect(headers[1]).toBe("c0");
    expect(headers[11]).toBe("…");
    expect(headers[21]).toBe("c29");
    // last row is row 99: index label and the value of c29 = 99*100 + 29
    const last = rows[10]!.querySelectorAll("td");
    expect(last[0]!.textContent).toBe("99");
    expect(last[last.length - 1]!.textContent).toBe("9929");
  });

  it("shows a Series", async () => {
    const s = new dfd.Series([1, 2, 3]);
    const b = await toMimeBundle(s);
    expect(b["text/html"]).toContain("Series");
    expect(dom(b["text/html"]!).querySelectorAll("tbody tr").length).toBe(3);
  });
});

describe("matrices, vectors, protocol and fallbacks", () => {
  it("shows a DenseMatrix-like value with stats, a corner and a heatmap", async () => {
    const rows = 30, cols = 20;
    const data = Float64Array.from({ length: rows * cols }, (_, k) => (k % 7) - 3);
    const b = await toMimeBundle({ rows, cols, data });
    const d = dom(b["text/html"]!);
    expect(d.querySelector(".glowts-title")!.textContent).toBe("matrix 30 × 20");
    expect(d.querySelectorAll("svg").length).toBeGreaterThan(0);
    expect(d.querySelectorAll("rect").length).toBeGreaterThan(100); // heatmap cells
    expect(d.querySelector(".glowts-meta")!.textContent).toContain("min -3 · max 3");
    expectSnapshot("matrix-dense", b["text/html"]!);
  });

  it("shows a typed-array vector with a histogram", async () => {
    const b = await toMimeBundle(Float64Array.from({ length: 50 }, (_, i) => i));
    expect(b["text/plain"]).toContain("Float64Array(50)");
    expect(b["text/html"]).toContain("<svg");
  });

  it("uses an object's own MIME bundle (sync or async) before anything else", async () => {
    const sync = { [MIME_BUNDLE]: () => ({ "text/html": "<b>x</b>", "text/plain": "x" }) };
    const asyncOne = { [MIME_BUNDLE]: async () => ({ "text/html": "<i>y</i>" }), toString: () => "Y" };
    expect(await toMimeBundle(sync)).toEqual({ "text/html": "<b>x</b>", "text/plain": "x" });
    expect(await toMimeBundle(asyncOne)).toEqual({ "text/html": "<i>y</i>", "text/plain": "Y" });
  });

  it("renders other values as escaped text (own toString, else inspect)", async () => {
    class Thing { toString() { return "<thing>"; } }
    const b = await toMimeBundle(new Thing());
    expect(b["text/plain"]).toBe("<thing>");
    expect(b["text/html"]).toContain("&lt;thing&gt;");
    expect(isRichDisplayable(new Thing())).toBe(false);
    expect((await toMimeBundle({ a: 1 }))["text/plain"]).toBe("{ a: 1 }");
  });

  it("display() prints the text form outside a notebook", async () => {
    const lines: string[] = [];
    const orig = console.log;
    console.log = (s: string) => { lines.push(s); };
    try {
      await display({ [MIME_BUNDLE]: () => ({ "text/plain": "plain form", "text/html": "<b>html</b>" }) });
    } finally {
      console.log = orig;
    }
    expect(lines).toEqual(["plain form"]);
  });
});
