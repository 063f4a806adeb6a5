# Sourced by the set-up scripts: finds a Python 3.12+ and prepares .venv with it.
# Django 6 needs Python 3.12 or newer; many machines still default to 3.11.

ssoz_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

ssoz_python_ok() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

ssoz_find_python() {
    local candidate
    for candidate in "${SSOZ_PYTHON:-}" python3.14 python3.13 python3.12 python3 python; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 && ssoz_python_ok "$candidate"; then
            command -v "$candidate"
            return 0
        fi
    done
    # pyenv keeps interpreters that are not on PATH unless selected.
    for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 \
        /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
        if [ -x "$candidate" ] && ssoz_python_ok "$candidate"; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

# ssoz_venv EXTRAS: create .venv (if needed) and install the project with the given extras.
ssoz_venv() {
    local extras="$1" python
    cd "$ssoz_root" || exit 1
    if [ ! -x .venv/bin/python ] || ! ssoz_python_ok .venv/bin/python; then
        python="$(ssoz_find_python)" || {
            echo "SSOZ needs Python 3.12 or newer; none was found. Install one, or set SSOZ_PYTHON." >&2
            exit 1
        }
        echo "Using $python ($("$python" --version 2>&1))"
        rm -rf .venv
        "$python" -m venv .venv
    fi
    if [ "${SSOZ_NO_INSTALL:-0}" = "1" ]; then
        return 0  # already installed (the tests that start the scripts say so)
    fi
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}"
    .venv/bin/python manage.py compiletranslations
}
