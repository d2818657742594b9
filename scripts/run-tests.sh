#!/usr/bin/env bash
# The test run behind `make test` (and so .ci/run): the real window offscreen,
# real servers on loopback; PostgreSQL is started by the test session itself.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
export PYSIDE6_OPTION_PYTHON_ENUM=0x11   # unscoped enum names fail (STYLE.md 7)
export PYTHONDONTWRITEBYTECODE=1
exec .venv/bin/python -X faulthandler -m pytest "$@"
