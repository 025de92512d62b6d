# Shared by scripts/demo and scripts/test: create .venv if missing and install the project.
# Usage: . scripts/_venv.sh EXTRAS   (EXTRAS may be empty, or e.g. "[test]")
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
if [ ! -x "$ROOT/.venv/bin/python" ]; then
    echo "Tạo môi trường ảo .venv ..." >&2
    "$PY" -m venv "$ROOT/.venv"
fi
VENV_PY="$ROOT/.venv/bin/python"
"$VENV_PY" -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
echo "Cài đặt broadcast$1 ..." >&2
"$VENV_PY" -m pip install --quiet --disable-pip-version-check -e "$ROOT$1"
