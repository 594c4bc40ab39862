#!/usr/bin/env bash
# glowts from a user's own folder: packs the package (npm pack), installs the tarball into a fresh
# folder outside the repository (from the npm registry alone: no download outside it), installs the
# kernel from that install, and executes a notebook there through the glowts kernel, checking that
# glowts and danfojs import, a VariantFrame renders, and a failing cell is a Jupyter error.
# Called by .ci/notebooks.sh (needs Debian's Jupyter); takes about a minute (the npm install).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
WORK=$(mktemp -d -t glowts-fresh-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
npm pack --silent --pack-destination "$WORK" >/dev/null
tarball=$(ls "$WORK"/glowts-*.tgz)
mkdir -p "$WORK/analysis"
cd "$WORK/analysis"
npm init -y >/dev/null
npm install --no-audit --no-fund "$tarball" >"$WORK/install.log" 2>&1 || { tail -30 "$WORK/install.log" >&2; echo "fresh-install: npm install of the packed tarball failed" >&2; exit 1; }
if grep -q "ENOTFOUND\|ERR!" "$WORK/install.log"; then cat "$WORK/install.log" >&2; exit 1; fi
npx --no-install glowts kernel install --jupyter-path "$WORK/jupyter" >/dev/null
"$PY" - "$WORK/analysis/fresh.ipynb" <<'PYEOF'
import sys, nbformat
nb = nbformat.v4.new_notebook()
nb.metadata["kernelspec"] = {"name": "glowts", "display_name": "glowts (TypeScript)", "language": "typescript"}
nb.cells = [nbformat.v4.new_code_cell(s) for s in [
    'import * as glow from "glowts";\nimport * as dfd from "danfojs";\nconst c = await glow.simulate.cohort({ samples: 30, variants: 200, out: "cohort", formats: ["vcf"] });',
    'glow.read("vcf", c.files.vcf!)',
    'const df: dfd.DataFrame = await glow.read("vcf", c.files.vcf!).limit(5).toDanfo();\ndf.shape',
]]
err = nbformat.v4.new_code_cell('await glow.read("vcf", "missing.vcf").count()')
err.metadata["tags"] = ["raises-exception"]
nb.cells.append(err)
nbformat.write(nb, sys.argv[1])
PYEOF
JUPYTER_PATH="$WORK/jupyter" timeout 300 "$PY" -m nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=glowts \
  --ExecutePreprocessor.timeout=120 --output executed.ipynb fresh.ipynb >"$WORK/nbconvert.log" 2>&1 \
  || { tail -30 "$WORK/nbconvert.log" >&2; echo "fresh-install: the notebook failed in the fresh folder" >&2; exit 1; }
"$PY" - executed.ipynb <<'PYEOF'
import json, sys
nb = json.load(open(sys.argv[1]))
cells = nb["cells"]
problems = []
for i, c in enumerate(cells[:3]):
    if any(o["output_type"] == "error" or o.get("name") == "stderr" for o in c["outputs"]):
        problems.append(f"cell {i} failed: {c['outputs']}")
if [c.get("execution_count") for c in cells] != [1, 2, 3, 4]:
    problems.append(f"execution counts: {[c.get('execution_count') for c in cells]}")
def text(v):
    return "".join(v) if isinstance(v, list) else (v or "")
if not any('<table class="glowts-table"' in text(o.get("data", {}).get("text/html")) for o in cells[1]["outputs"]):
    problems.append("the VariantFrame did not render as a glowts table")
if "[ 5," not in "".join("".join(o.get("text", "")) for o in cells[2]["outputs"]):
    problems.append(f"toDanfo shape: {cells[2]['outputs']}")
errs = [o for o in cells[3]["outputs"] if o["output_type"] == "error"]
if not errs or errs[0]["ename"] != "GlowtsError[FILE_NOT_FOUND]" or "missing.vcf" not in errs[0]["evalue"]:
    problems.append(f"the failing cell is not a Jupyter error: {cells[3]['outputs']}")
if problems:
    print("fresh-install: " + "\n".join(problems), file=sys.stderr)
    sys.exit(1)
print("fresh-install: packed glowts installed from the registry alone and ran a notebook in a fresh folder")
PYEOF
# a notebook in another folder (no node_modules there or above): cells import glowts and danfojs
# from the install the kernel came from
mkdir -p "$WORK/elsewhere"
cd "$WORK/elsewhere"
"$PY" - "$WORK/elsewhere/other.ipynb" <<'PYEOF'
import sys, nbformat
nb = nbformat.v4.new_notebook()
nb.metadata["kernelspec"] = {"name": "glowts", "display_name": "glowts (TypeScript)", "language": "typescript"}
nb.cells = [nbformat.v4.new_code_cell(s) for s in [
    'import * as glow from "glowts";\nimport * as dfd from "danfojs";\nconst c = await glow.simulate.cohort({ samples: 10, variants: 40, out: "cohort", formats: ["vcf"] });',
    'const n: number = await glow.read("vcf", c.files.vcf!).count();\nn',
]]
nbformat.write(nb, sys.argv[1])
PYEOF
JUPYTER_PATH="$WORK/jupyter" timeout 300 "$PY" -m nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=glowts \
  --ExecutePreprocessor.timeout=120 --output executed.ipynb other.ipynb >"$WORK/nbconvert2.log" 2>&1 \
  || { tail -30 "$WORK/nbconvert2.log" >&2; echo "fresh-install: a notebook outside the install folder failed" >&2; exit 1; }
"$PY" - executed.ipynb <<'PYEOF'
import json, sys
cells = json.load(open(sys.argv[1]))["cells"]
out = "".join("".join(o.get("text", "")) for o in cells[1]["outputs"])
if out.strip() != "40" or any(o["output_type"] == "error" for c in cells for o in c["outputs"]):
    print(f"fresh-install: notebook outside the install folder: {[c['outputs'] for c in cells]}", file=sys.stderr)
    sys.exit(1)
print("fresh-install: a notebook in a folder without node_modules imported glowts from the kernel's install")
PYEOF
