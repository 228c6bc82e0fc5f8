# Sourced by the scripts: make .venv (once) and install the package with `$1` extras.
# pip runs only when the venv lacks this pyproject.toml + extras: a stamp file in the venv
# holds one line "<sha256 of pyproject.toml> <extras>" per install done since it changed.
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$REPO/.venv}"
PY="$VENV/bin/python"
STAMP="$VENV/.installed"

ensure_venv() {
    local spec="$1" hash want
    if [ ! -x "$PY" ]; then
        python3 -m venv "$VENV"
    fi
    hash="$(sha256sum "$REPO/pyproject.toml" | cut -d' ' -f1)"
    want="$hash $spec"
    if [ -f "$STAMP" ] && grep -qxF -- "$want" "$STAMP"; then
        return
    fi
    "$PY" -m pip install --quiet --disable-pip-version-check -e "$REPO$spec"
    { grep -s -- "^$hash " "$STAMP" || true; echo "$want"; } >"$STAMP.new"
    mv "$STAMP.new" "$STAMP"
}
