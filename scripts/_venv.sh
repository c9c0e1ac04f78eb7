# Shared by scripts/demo and scripts/test: make .venv with Python 3.11+ and install into it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "everydesk needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
    exit 1
fi
# The digest's PDF report (WeasyPrint) draws text with pango.
if ! { /sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null; } | grep -q libpangoft2-1.0; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null
    else
        echo "The pango libraries are missing: run 'sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0' (PDF reports need them)" >&2
        exit 1
    fi
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
# Installing again is skipped while pyproject.toml is what was installed (the editable
# install follows the code by itself), so a second run, or two at once, starts at once.
stamp=".venv/.installed-$1"
wanted="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[$1]"
    echo "$wanted" > "$stamp"
fi
