# Sourced by the scripts: make .venv (once) and install the package with `$1` extras.
# pip runs only when the venv lacks this pyproject.toml + C extension + extras: a stamp file
# in the venv holds one line "<sha256 of pyproject.toml, setup.py and csrc/*> <extras>" per
# install done since they changed (an edited .c is built again).
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$REPO/.venv}"
PY="$VENV/bin/python"
STAMP="$VENV/.installed"

ensure_venv() {
    local spec="$1" hash want
    if [ ! -x "$PY" ]; then
        python3 -m venv "$VENV"
    fi
    hash="$(cat "$REPO/pyproject.toml" "$REPO/setup.py" "$REPO"/csrc/* | sha256sum | cut -d' ' -f1)"
    want="$hash $spec"
    if [ -f "$STAMP" ] && grep -qxF -- "$want" "$STAMP"; then
        return
    fi
    "$PY" -m pip install --quiet --disable-pip-version-check -e "$REPO$spec"
    { grep -s -- "^$hash " "$STAMP" || true; echo "$want"; } >"$STAMP.new"
    mv "$STAMP.new" "$STAMP"
}
