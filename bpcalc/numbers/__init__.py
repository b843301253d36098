"""Every quantity a scene or the CLI shows, gathered per parameter file from the core."""

from bpcalc.numbers.stories import (
    STORY_TABLES,
    ChainNumbers,
    DigitsExample,
    DigitsNumbers,
    NudgeNumbers,
    chain_numbers,
    digits_numbers,
    nudge_numbers,
    to_json,
)

__all__ = [
    "STORY_TABLES",
    "ChainNumbers",
    "DigitsExample",
    "DigitsNumbers",
    "NudgeNumbers",
    "chain_numbers",
    "digits_numbers",
    "nudge_numbers",
    "to_json",
]
