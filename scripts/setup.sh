#!/usr/bin/env bash
# Set up zhengai in this checkout: a virtual environment in .venv, the package and its
# dependencies, and a CJK font from Debian's packages where none is installed.
#   scripts/setup.sh          runtime only
#   scripts/setup.sh --test   also the test tools, Debian's Chromium and poppler-utils (and the hub's parts)
#   scripts/setup.sh --hub    also the shared deployment: JupyterHub, its idle culler and configurable-http-proxy
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0 want_hub=0
[ "${1:-}" = "--test" ] && want_test=1 && want_hub=1
[ "${1:-}" = "--hub" ] && want_hub=1

need_apt=()
# (grep without -q: with pipefail, an early exit of grep -q would fail the pipeline by SIGPIPE)
[ -n "$(fc-list 2>/dev/null | grep -i "Noto Sans CJK")" ] || need_apt+=(fonts-noto-cjk)
if [ "$want_test" = 1 ]; then
  [ -x /usr/bin/chromium ] || need_apt+=(chromium)
  command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
fi
if [ "$want_hub" = 1 ]; then
  command -v npm >/dev/null || need_apt+=(nodejs npm)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
extra=""
[ "$want_hub" = 1 ] && extra="[hub]"
[ "$want_test" = 1 ] && extra="[test,hub]"
echo "== installing zhengai$extra into .venv"
.venv/bin/python -m pip install -q -e ".$extra" 2>&1 | grep -vE "^(WARNING: Location|  )" || true
.venv/bin/python -m pip check >/dev/null || { .venv/bin/python -m pip check; exit 1; }
if [ "$want_hub" = 1 ] && [ ! -x .venv/chp/node_modules/.bin/configurable-http-proxy ]; then
  echo "== installing configurable-http-proxy (npm) into .venv/chp"
  npm install -s --no-audit --no-fund --prefix .venv/chp configurable-http-proxy@5 >/dev/null
fi
# matplotlib caches its font list: make it see fonts installed after its first run
rm -rf "${MPLCONFIGDIR:-$HOME/.cache/matplotlib}"/fontlist-*.json 2>/dev/null || true
# the PDF reports embed a TrueType subset of Noto Sans CJK SC: build it once now, not on the first report
.venv/bin/python -c "from diagnostics.reports.fonts import pdf_fonts; pdf_fonts()" \
  || { echo "FAIL: could not prepare the CJK font for PDF reports" >&2; exit 1; }
echo "== set-up done"
