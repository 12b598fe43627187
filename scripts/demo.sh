#!/usr/bin/env bash
# Set everything up and run the demo on the embedded default: the committed sample
# province imported into SQLite ($ZHENGAI_HOME/zhengai.db, default ~/.zhengai) and computed,
# then the dashboards served on http://127.0.0.1:8866 (set ZHENGAI_NO_SERVE=1 to stop before serving).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
Z=.venv/bin/zhengai
$Z init
$Z import data/sample
if $Z --help | grep -q " compute "; then $Z compute; fi
if [ -z "${ZHENGAI_NO_SERVE:-}" ] && $Z --help | grep -q " serve "; then
  exec $Z serve --port "${ZHENGAI_PORT:-8866}"
fi
echo "演示数据已导入 / demo data imported"
