"""Tile PNG stills two to a row into one sheet, to review a whole scene at a glance.

.venv/bin/python scripts/contact_sheet.py OUT.png STILL.png ...
"""

from __future__ import annotations

import sys

from PIL import Image


def main(out: str, stills: list[str]) -> None:
    images = [Image.open(path) for path in stills]
    width, height = images[0].size
    rows = (len(images) + 1) // 2
    sheet = Image.new("RGB", (width * 2, height * rows), "#333333")
    for i, image in enumerate(images):
        sheet.paste(image, ((i % 2) * width, (i // 2) * height))
    sheet.save(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
