#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine (root, Python 3.11):
# system libraries for manimpango/pycairo, a .venv, and bpcalc in editable mode.
# Safe to run twice: every step checks first and does nothing when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

needed=(pkg-config libcairo2-dev libpango1.0-dev)
missing=()
for pkg in "${needed[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv

# Reinstall only when pyproject.toml changed since the last successful install.
stamp=.venv/.bpcalc-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e '.[test]'
    touch "$stamp"
fi

# reveal.js for `bpcalc slides` (presentations that work offline): the npm
# package, unpacked once into the venv. The version is manim-slides' default.
reveal_version=6.0.1
reveal=.venv/share/reveal.js
if ! grep -qs "\"version\": \"$reveal_version\"" "$reveal/package.json"; then
    if command -v npm >/dev/null 2>&1; then
        packed=$(mktemp -d)
        (cd "$packed" && npm pack --silent "reveal.js@$reveal_version" >/dev/null)
        rm -rf "$reveal"
        mkdir -p "$reveal"
        tar xzf "$packed/reveal.js-$reveal_version.tgz" -C "$reveal" --strip-components=1
        rm -rf "$packed"
    else
        echo "setup: npm not found, so no reveal.js: bpcalc slides will not work" >&2
    fi
fi

# The web checks the browser tests run (axe-core for accessibility, html-validate
# for valid HTML), from the npm registry into the venv, pinned: installed once,
# used offline afterwards. Node 20 (Debian's) runs html-validate 10.
web_check=.venv/share/web-check
web_packages=(axe-core@4.11.0 html-validate@10.9.0)
if [ "$(cat "$web_check/.installed" 2>/dev/null)" != "${web_packages[*]}" ]; then
    if command -v npm >/dev/null 2>&1; then
        mkdir -p "$web_check"
        npm install --silent --no-audit --no-fund --prefix "$web_check" "${web_packages[@]}" >/dev/null
        echo "${web_packages[*]}" >"$web_check/.installed"
    else
        echo "setup: npm not found, so no axe-core or html-validate: the web checks are skipped" >&2
    fi
fi
