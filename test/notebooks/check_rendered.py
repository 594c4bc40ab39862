"""Checks of executed notebooks and of their HTML rendering in headless Chromium (used by
.ci/notebooks.sh; standard library only, so Debian's python3 runs it without extra packages).

  check_rendered.py outputs  <executed.ipynb>...      fail on error outputs or stderr streams; list rich outputs
  check_rendered.py inject   <in.html> <out.html>     add a script that records, after layout, the page
                                                       height and the boxes of every output <svg> and <table>
  check_rendered.py dom      <dumped-dom.html> <executed.ipynb>
                                                       read those records back from `chromium --dump-dom`:
                                                       every <svg> and glowts table of the notebook's rich
                                                       outputs must be laid out; writes boxes.json beside it
  check_rendered.py pixels   <screenshot.png> <boxes.json>
                                                       each recorded <svg> box in the screenshot must be
                                                       non-blank: ≥ 2% of its pixels away from the
                                                       background and ≥ 3 distinct colours
  check_rendered.py crop     <screenshot.png> <x> <y> <w> <h> <out.png>   (for looking at a region)
"""
import json
import os
import struct
import sys
import zlib


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


# ---------------------------------------------------------------- notebook outputs

def rich_counts(nb):
    rich = {"svg": 0, "table": 0}
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if out["output_type"] in ("display_data", "execute_result"):
                html = out.get("data", {}).get("text/html", "")
                html = "".join(html) if isinstance(html, list) else html
                rich["svg"] += html.count("<svg")
                rich["table"] += html.count('<table class="glowts-table"')
    return rich


def check_outputs(paths):
    for path in paths:
        nb = json.load(open(path, encoding="utf-8"))
        rich = rich_counts(nb)
        problems = []
        counts = [c.get("execution_count") for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
        if counts != list(range(1, len(counts) + 1)):
            problems.append(f"execution counts {counts}: expected 1..{len(counts)} (the kernel sends execute_input)")
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] != "code":
                continue
            allow = "allow-stderr" in cell.get("metadata", {}).get("tags", [])
            for out in cell.get("outputs", []):
                t = out["output_type"]
                if t == "error":
                    problems.append(f"cell {i}: error output {out.get('ename')}: {out.get('evalue')}")
                elif t == "stream" and out.get("name") == "stderr" and not allow:
                    text = "".join(out["text"]) if isinstance(out["text"], list) else out["text"]
                    problems.append(f"cell {i}: stderr: {text.strip()[:500]}")
        if problems:
            fail(f"{path}:\n  " + "\n  ".join(problems))
        print(f"{os.path.basename(path)}: no errors; rich outputs contain {rich['svg']} <svg> and {rich['table']} glowts tables")


# ---------------------------------------------------------------- DOM checks

INJECT = """
<script>
window.addEventListener("load", function () {
  setTimeout(function () {
    var boxes = [];
    var outs = document.querySelectorAll(".jp-OutputArea-output svg, .output_area svg, .output svg");
    var seen = new Set();
    outs.forEach(function (el) {
      if (seen.has(el) || el.closest("svg") !== el) return;  // outermost svgs only
      seen.add(el);
      var r = el.getBoundingClientRect();
      if (r.width > 40 && r.height > 40) boxes.push({kind: "svg", x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height});
    });
    document.querySelectorAll("table.glowts-table").forEach(function (el) {
      var r = el.getBoundingClientRect();
      boxes.push({kind: "table", x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height, rows: el.querySelectorAll("tbody tr").length});
    });
    var pre = document.createElement("pre");
    pre.id = "glowts-layout";
    pre.textContent = JSON.stringify({height: document.documentElement.scrollHeight, boxes: boxes});
    document.body.appendChild(pre);
  }, 300);
});
</script>
"""


def inject(src, dst):
    html = open(src, encoding="utf-8").read()
    k = html.rfind("</body>")
    if k < 0:
        fail(f"{src}: no </body>")
    open(dst, "w", encoding="utf-8").write(html[:k] + INJECT + html[k:])


def check_dom(dumped, notebook):
    expected = rich_counts(json.load(open(notebook, encoding="utf-8")))
    min_svg, min_tables = expected["svg"], expected["table"]
    html = open(dumped, encoding="utf-8").read()
    start = html.find('<pre id="glowts-layout">')
    if start < 0:
        fail(f"{dumped}: the layout record is missing (did the page load?)")
    body = html[start + len('<pre id="glowts-layout">'):html.index("</pre>", start)]
    body = body.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    layout = json.loads(body)
    svgs = [b for b in layout["boxes"] if b["kind"] == "svg"]
    tables = [b for b in layout["boxes"] if b["kind"] == "table"]
    if len(svgs) < min_svg:
        fail(f"{dumped}: {len(svgs)} rendered <svg> outputs, expected at least {min_svg}")
    if len(tables) < min_tables:
        fail(f"{dumped}: {len(tables)} rendered glowts tables, expected at least {min_tables}")
    empty = [t for t in tables if t["rows"] == 0 or t["h"] < 10]
    if empty:
        fail(f"{dumped}: {len(empty)} glowts table(s) without rows")
    out = os.path.join(os.path.dirname(dumped), "boxes.json")
    json.dump(layout, open(out, "w"))
    print(f"{os.path.basename(dumped)}: page {layout['height']} px; {len(svgs)} svg plots, {len(tables)} tables in the DOM")
    print(layout["height"])


# ---------------------------------------------------------------- PNG

def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path}: not a PNG")
    pos = 8
    idat = b""
    width = height = bitdepth = colortype = None
    while pos < len(data):
        length, = struct.unpack(">I", data[pos:pos + 4])
        ctype = data[pos + 4:pos + 8]
        chunk = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if ctype == b"IHDR":
            width, height, bitdepth, colortype, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            if bitdepth != 8 or colortype not in (2, 6) or interlace != 0:
                fail(f"{path}: unsupported PNG (bit depth {bitdepth}, colour type {colortype}, interlace {interlace})")
        elif ctype == b"IDAT":
            idat += chunk
        elif ctype == b"IEND":
            break
    bpp = 3 if colortype == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows = []
    prev = bytearray(stride)
    p = 0
    for _ in range(height):
        f = raw[p]
        line = bytearray(raw[p + 1:p + 1 + stride])
        p += 1 + stride
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 255
        elif f == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 255
        rows.append(line)
        prev = line
    return width, height, bpp, rows


def write_png(path, width, height, bpp, rows):
    raw = b"".join(b"\x00" + bytes(r) for r in rows)
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2 if bpp == 3 else 6, 0, 0, 0)
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def check_pixels(png, boxes_json):
    width, height, bpp, rows = read_png(png)
    layout = json.load(open(boxes_json))
    svgs = [b for b in layout["boxes"] if b["kind"] == "svg"]
    if not svgs:
        fail("no svg boxes to check")
    checked = 0
    for k, b in enumerate(svgs):
        x0, y0 = max(0, int(b["x"])), max(0, int(b["y"]))
        x1, y1 = min(width, int(b["x"] + b["w"])), min(height, int(b["y"] + b["h"]))
        if x1 - x0 < 20 or y1 - y0 < 20:
            print(f"svg #{k}: below the {width}x{height} screenshot, not checked")
            continue
        checked += 1
        bg = tuple(rows[y0 + 1][(x0 + 1) * bpp:(x0 + 1) * bpp + 3])
        colours = set()
        ink = total = 0
        for y in range(y0, y1, 2):
            line = rows[y]
            for x in range(x0, x1, 2):
                px = tuple(line[x * bpp:x * bpp + 3])
                total += 1
                if sum(abs(px[i] - bg[i]) for i in range(3)) > 60:
                    ink += 1
                if len(colours) < 64:
                    colours.add(px)
        frac = ink / max(1, total)
        if frac < 0.02 or len(colours) < 3:
            fail(f"svg #{k} at ({x0},{y0}) {x1 - x0}x{y1 - y0}: looks blank ({frac:.1%} ink, {len(colours)} colours)")
        print(f"svg #{k} at ({x0},{y0}) {x1 - x0}x{y1 - y0}: {frac:.1%} ink, {len(colours)}{'+' if len(colours) >= 64 else ''} colours")
    if checked == 0:
        fail("no plot lies inside the screenshot")


def crop(png, x, y, w, h, out):
    width, height, bpp, rows = read_png(png)
    sub = [r[x * bpp:(x + w) * bpp] for r in rows[y:y + h]]
    write_png(out, w, len(sub), bpp, sub)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "outputs":
        check_outputs(args)
    elif cmd == "inject":
        inject(*args)
    elif cmd == "dom":
        check_dom(args[0], args[1])
    elif cmd == "pixels":
        check_pixels(*args)
    elif cmd == "crop":
        crop(args[0], *map(int, args[1:5]), args[5])
    else:
        fail(f"unknown command {cmd}")
