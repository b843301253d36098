#!/usr/bin/env bash
# Set everything up (idempotently) and render the chain-rule scene into renders/.
# Extra arguments go to manim, e.g. `bash scripts/render.sh -qh`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/manim render "$@" scenes/chain_rule.py ChainRule
