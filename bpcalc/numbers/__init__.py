"""Every quantity a scene or the CLI shows, gathered per parameter file from the core."""

from bpcalc.numbers.stories import (
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
    "ChainNumbers",
    "DigitsExample",
    "DigitsNumbers",
    "NudgeNumbers",
    "chain_numbers",
    "digits_numbers",
    "nudge_numbers",
    "to_json",
]
