#!/usr/bin/env bash
# Set everything up (idempotently) and render the chain-rule scene into renders/.
# Extra arguments go to manim, e.g. `bash scripts/render.sh -qh`. The last line
# printed is the path of the video made.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/manim render "$@" scenes/chain_rule.py ChainRule

# Manim's folder for the quality asked (its default is -qh, 1080p60).
quality=h
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[i]}" in
        -q | --quality) quality=${args[i + 1]:-h} ;;
        --quality=*) quality=${args[i]#--quality=} ;;
        -q?) quality=${args[i]#-q} ;;
    esac
done
case "$quality" in
    l) folder=480p15 ;; m) folder=720p30 ;; h) folder=1080p60 ;; p) folder=1440p60 ;; k) folder=2160p60 ;;
    *) folder=1080p60 ;;
esac
video="renders/videos/chain_rule/$folder/ChainRule.mp4"
if [ -f "$video" ]; then
    echo "video: $(pwd)/$video"
else
    echo "render.sh: expected the video at $video but it is not there" >&2
    exit 1
fi
