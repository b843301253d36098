"""Save the last frame of every section clip as a PNG, to look at before publishing.

manim render -ql --save_sections scenes/chain_rule.py ChainRule
.venv/bin/python scripts/section_stills.py renders/videos/chain_rule/480p15/sections OUT
"""

from __future__ import annotations

import sys
from pathlib import Path

from bpcalc.pipeline.media import last_frame


def main(sections: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for video in sorted(sections.glob("*.mp4")):
        png = out / f"{video.stem}.png"
        last_frame(video, png)
        print(png)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
