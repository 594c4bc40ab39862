#!/usr/bin/env bash
# Executes every tutorial notebook headlessly in the glowts kernel and checks what a reader sees.
#
#  1. installs Debian's Jupyter (jupyter-core, jupyter-client, jupyter-nbconvert, python3-nbclient) and
#     chromium when missing (apt-get, as root);
#  2. runs binder/postBuild — the steps Binder runs — with the kernel installed into a temporary prefix
#     (npm ci is skipped when node_modules already matches the lock file, as right after .ci/run's);
#  3. executes each notebooks/*.ipynb with nbconvert (a failing cell fails the run), then fails on any
#     error output or stderr stream (cells tagged allow-stderr excepted);
#  4. renders the executed notebook to HTML, opens it in headless Chromium, checks that every <svg> plot
#     and glowts table of the outputs is laid out in the DOM, takes a full-page screenshot and checks that
#     each plot's region of it is not blank.
# Outputs (executed notebooks, HTML, screenshots) go to $GLOWTS_NOTEBOOK_OUT (default: a temp folder).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=/usr/bin/python3
CHECK="$ROOT/test/notebooks/check_rendered.py"
OUT=${GLOWTS_NOTEBOOK_OUT:-$(mktemp -d -t glowts-notebooks-XXXXXX)}
mkdir -p "$OUT"
start=$(date +%s)
step() { echo "== notebooks: $* ($(( $(date +%s) - start )) s)"; }

# 1. system packages ------------------------------------------------------------------------------
need=()
if ! [ -x "$PY" ] || ! "$PY" -c "import jupyter_client, nbclient, nbconvert" >/dev/null 2>&1; then
  need+=(jupyter-core jupyter-client jupyter-nbconvert python3-nbclient)
fi
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  step "installing ${need[*]}"
  if [ "$(id -u)" != "0" ]; then
    echo "notebooks: missing ${need[*]} and not root: install them with apt-get" >&2
    exit 1
  fi
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}") >"$OUT/apt.log" 2>&1 \
    || { tail -20 "$OUT/apt.log" >&2; echo "notebooks: apt-get install failed" >&2; exit 1; }
fi

# 2. the Binder build steps ---------------------------------------------------------------------------
PREFIX="$OUT/prefix"
skip_ci=0
if [ -d node_modules ] && npm ls --depth=0 >/dev/null 2>&1; then skip_ci=1; fi
step "binder/postBuild (npm ci skipped: $skip_ci)"
GLOWTS_SKIP_NPM_CI=$skip_ci GLOWTS_KERNEL_INSTALL_ARGS="--prefix $PREFIX" bash binder/postBuild
export JUPYTER_PATH="$PREFIX/share/jupyter"
"$PY" -m jupyter kernelspec list 2>/dev/null | grep -q "glowts" || { echo "notebooks: the glowts kernel was not installed in $JUPYTER_PATH" >&2; exit 1; }

# 3-4. each notebook ----------------------------------------------------------------------------------
CHROME=(chromium --headless --no-sandbox --disable-gpu --disable-quic --disable-background-networking
  --disable-component-update --disable-sync --no-first-run --hide-scrollbars --force-device-scale-factor=1
  --virtual-time-budget=5000)
shopt -s nullglob
notebooks=(notebooks/*.ipynb)
[ ${#notebooks[@]} -gt 0 ] || { echo "notebooks: no notebooks in notebooks/" >&2; exit 1; }
for nb in "${notebooks[@]}"; do
  name=$(basename "$nb" .ipynb)
  step "executing $name"
  t0=$(date +%s)
  timeout 600 "$PY" -m nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=glowts \
    --ExecutePreprocessor.timeout=300 --output-dir "$OUT" --output "$name.executed.ipynb" "$nb" >"$OUT/$name.nbconvert.log" 2>&1 \
    || { tail -40 "$OUT/$name.nbconvert.log" >&2; echo "notebooks: $name failed to execute" >&2; exit 1; }
  echo "$name: executed in $(( $(date +%s) - t0 )) s"
  "$PY" "$CHECK" outputs "$OUT/$name.executed.ipynb"

  step "rendering $name"
  "$PY" -m nbconvert --to html --output-dir "$OUT" --output "$name" "$OUT/$name.executed.ipynb" >"$OUT/$name.html.log" 2>&1 \
    || { tail -20 "$OUT/$name.html.log" >&2; echo "notebooks: $name failed to render to HTML" >&2; exit 1; }
  "$PY" "$CHECK" inject "$OUT/$name.html" "$OUT/$name.layout.html"
  timeout 120 "${CHROME[@]}" --user-data-dir="$(mktemp -d)" --window-size=1200,1600 --dump-dom \
    "file://$OUT/$name.layout.html" >"$OUT/$name.dom.html" 2>"$OUT/$name.chromium.log" || true
  mkdir -p "$OUT/$name.check"
  mv "$OUT/$name.dom.html" "$OUT/$name.check/dom.html"
  # (not `tee /dev/stderr`: when stderr is a file, reopening it truncates the CI log)
  dom_report=$("$PY" "$CHECK" dom "$OUT/$name.check/dom.html" "$OUT/$name.executed.ipynb")
  printf '%s\n' "$dom_report" >&2
  height=$(printf '%s\n' "$dom_report" | tail -1)
  height=$(( height > 16000 ? 16000 : height ))
  timeout 120 "${CHROME[@]}" --user-data-dir="$(mktemp -d)" --window-size="1200,$height" \
    --screenshot="$OUT/$name.png" "file://$OUT/$name.html" >>"$OUT/$name.chromium.log" 2>&1 || true
  [ -s "$OUT/$name.png" ] || { echo "notebooks: no screenshot of $name" >&2; exit 1; }
  "$PY" "$CHECK" pixels "$OUT/$name.png" "$OUT/$name.check/boxes.json"
done
step "all notebooks passed; outputs in $OUT"
