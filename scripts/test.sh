#!/usr/bin/env bash
# Set everything up (Chromium too) and run the whole test suite: SQLite and the
# PostgreSQL server at 127.0.0.1:5432, browser tests in Debian's headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

# The tests need PostgreSQL over a real connection: start it if this machine has it stopped,
# and fail loudly (not skip) when it cannot be reached.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    sleep 2
  fi
fi
pg_isready -h 127.0.0.1 -p 5432 || { echo "FAIL: PostgreSQL is not reachable at 127.0.0.1:5432" >&2; exit 1; }
[ -x /usr/bin/chromium ] || { echo "FAIL: /usr/bin/chromium is missing" >&2; exit 1; }

.venv/bin/ruff check diagnostics tests benchmarks
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
