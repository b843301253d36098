#!/usr/bin/env bash
# Set everything up (idempotently), then make the chain-rule scene's whole set
# with `bpcalc render ChainRule` into renders/: the video with its captions and
# chapters, the narration script, the poster and figures, and the gallery.
# 720p30 unless asked otherwise; extra arguments go to `bpcalc render`
# (`-q h` for 1080p60, `--webm`, ...). The last line printed is the video's path.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# The quality asked for (the last -q wins, as in bpcalc render), its folder, and
# about how long the first render takes on 2 cores (then seconds, until an edit).
quality=m
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[i]}" in
        -q | --quality) quality=${args[i + 1]:-m} ;;
        --quality=*) quality=${args[i]#--quality=} ;;
        -q?) quality=${args[i]#-q} ;;
    esac
done
case "$quality" in
    l) folder=480p15 took="half a minute" ;;
    m) folder=720p30 took="a minute" ;;
    h) folder=1080p60 took="two minutes" ;;
    k) folder=2160p60 took="a quarter of an hour" ;;
    *) folder="" took="" ;;  # bpcalc render says what it takes
esac
[ -z "$took" ] || echo "render.sh: ChainRule at $folder, about $took on 2 cores the first time"
.venv/bin/bpcalc render ChainRule -q m "$@"

video="renders/$folder/ChainRule.mp4"
if [ -f "$video" ]; then
    echo "video: $(pwd)/$video"
else
    echo "render.sh: expected the video at $video but it is not there" >&2
    exit 1
fi
