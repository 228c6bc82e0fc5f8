# Sourced by the scripts: make .venv (once) and install the package with `$1` extras.
# Idempotent: pip skips what is already there.
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$REPO/.venv}"
PY="$VENV/bin/python"

ensure_venv() {
    local spec="$1"
    if [ ! -x "$PY" ]; then
        python3 -m venv "$VENV"
    fi
    "$PY" -m pip install --quiet --disable-pip-version-check -e "$REPO$spec"
}
