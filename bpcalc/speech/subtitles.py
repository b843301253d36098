"""Captions cut to subtitle standards, timed by the words of the speech.

A spoken line can be 170 characters and 27 s long; a viewer reads cues of at
most 2 lines of 42 characters, shown between 5/6 s and 7 s, at no more than
20 characters per second (the common broadcast and streaming guidelines).
:func:`fit_cues` cuts one line into such cues, where possible after
punctuation and before the words that start a phrase, each starting as its
first word is spoken. :func:`caption_timings` turns the speech's word timings
into the timings of the caption's words, which differ (``−0.0231`` is one
caption word and five spoken ones).

Plain text and arithmetic only: no audio, no video.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bpcalc.speech.spoken import Line
from bpcalc.speech.voice import Speech

__all__ = [
    "CAPTION_HEIGHT",
    "CHAIN_GAP",
    "Cue",
    "MAX_CHARS",
    "MAX_CPS",
    "MAX_SECONDS",
    "MIN_SECONDS",
    "caption_timings",
    "fit_cues",
    "line_cues",
    "stamp",
    "to_srt",
]

MAX_CHARS = 42  # per line of a cue, of at most two lines
# How much of the picture's height two lines of captions take, as browsers draw them:
# the strip at the bottom the scenes leave clear (bpcalc.viz.renderer), so that a
# caption never covers what they draw.
CAPTION_HEIGHT = 0.12
MIN_SECONDS = 5 / 6
MAX_SECONDS = 7.0
MAX_CPS = 20.0  # characters per second, spaces included, line breaks not
CHAIN_GAP = 0.5  # a shorter pause between two cues of a line is not shown as a blank


@dataclass(frozen=True)
class Cue:
    """One caption: shown from ``start`` to ``end`` seconds."""

    start: float
    end: float
    text: str


Word = tuple[str, float, float]  # a caption word, when its speech starts and ends (s)

# What a cut between two words costs: after a sentence nothing, inside a number
# or after an article a lot; the rules (cps, duration) outweigh any cut.
_AFTER_SENTENCE, _AFTER_CLAUSE, _AFTER_COMMA, _BEFORE_PHRASE, _ANYWHERE, _NEVER = (
    0.0,
    1.0,
    2.0,
    4.0,
    8.0,
    30.0,
)
# Words that start a clause or a loose phrase ("of", "to" bind too tightly to cut before).
_PHRASE_STARTS = {
    "and", "but", "or", "so", "then", "with", "from", "for", "that", "which", "where",
    "when", "because", "if", "while", "until", "unless", "since",
}  # fmt: skip
_OPERATORS = {"×", "=", "+", "−", "·", "≈"}  # inside a number or a formula
_ARTICLES = {"a", "an", "the"}  # bound to the word they name
_PER_CUE = 1.0  # fewer, fuller cues, other things equal
_PER_SENTENCE_START = 1.5  # a sentence starting inside a cue: one sentence a cue reads best
_PER_CPS = 10.0  # each character per second above MAX_CPS
_PER_SHORT_SECOND = 100.0  # each second a cue falls short of MIN_SECONDS


def _cut(before: str, after: str) -> float:
    """How bad a cut between the words ``before`` and ``after`` reads."""
    if before in _ARTICLES or before in _OPERATORS or after in _OPERATORS:
        return _NEVER
    if before.endswith((".", "!", "?")):
        return _AFTER_SENTENCE
    if before.endswith((":", ";")):
        return _AFTER_CLAUSE
    if before.endswith(","):
        return _AFTER_COMMA
    if after.lower() in _PHRASE_STARTS:
        return _BEFORE_PHRASE
    return _ANYWHERE


def _wrap(words: Sequence[str]) -> tuple[str, float] | None:
    """The words as at most two lines of at most MAX_CHARS, with the cost of its line
    break (at a phrase, lines of like length; half a cut between cues), or None when
    they do not fit."""
    whole = " ".join(words)
    if len(whole) <= MAX_CHARS:
        return whole, 0.0
    best: tuple[str, float] | None = None
    for k in range(1, len(words)):
        top, bottom = " ".join(words[:k]), " ".join(words[k:])
        if len(top) > MAX_CHARS or len(bottom) > MAX_CHARS:
            continue
        cost = (_cut(words[k - 1], words[k]) + abs(len(top) - len(bottom)) / MAX_CHARS) / 2
        if best is None or cost < best[1]:
            best = (f"{top}\n{bottom}", cost)
    return best


def fit_cues(text: str, start: float, end: float, words: Sequence[Word]) -> list[Cue]:
    """Cut one spoken line into cues that meet the subtitle limits.

    ``text`` is the caption, ``words`` each of its words (``text.split()``) with
    the times its speech starts and ends, absolute, in order; the line is heard
    from ``start`` and the next line (or the beat's end) comes at ``end``.

    Each cue starts when its first word starts and ends when its last word
    ends, later when it must stay to be read (MIN_SECONDS, and MAX_CPS characters
    a second), or, after a pause shorter than CHAIN_GAP, when the next cue starts;
    never after the next cue's start, ``end``, or MAX_SECONDS from its start.
    Cues are chosen together (the fewest cuts of least cost) so that every cue
    fits two lines of MAX_CHARS; within that, rates above MAX_CPS and cues
    shorter than MIN_SECONDS cost more than any cut, and cuts after a sentence,
    a clause or a comma, or before a phrase, less than other cuts.

    When the rules cannot all be met, the words win: every word is shown, verbatim
    and in its cue. A line spoken faster than MAX_CPS gets cues as long as the
    next cue allows, still faster than MAX_CPS; a line heard for less than
    MIN_SECONDS before ``end`` gets a shorter cue; a word longer than MAX_CHARS
    is a line of its own, longer than MAX_CHARS.
    """
    shown = [word for word, _, _ in words]
    if shown != text.split():
        raise ValueError(f"the timed words are not the words of {text!r}")
    times = [t for _, begin, finish in words for t in (begin, finish)]
    if times and (times != sorted(times) or times[0] < start or times[-1] > end):
        raise ValueError(f"word times of {text!r} are not in order within {start}..{end}")
    count = len(words)
    best: list[tuple[float, list[Cue]]] = [(0.0, [])]
    for j in range(1, count + 1):
        options = []
        for i in range(j - 1, -1, -1):
            speech = words[j - 1][2] - words[i][1]
            if j - i > 1 and speech > MAX_SECONDS:
                break  # longer runs from further back only speak longer
            cue = _cue(words, i, j, end)
            if cue is not None:
                cost = best[i][0] + cue[1] + (_cut(shown[j - 1], shown[j]) if j < count else 0)
                options.append((cost, [*best[i][1], cue[0]]))
        best.append(min(options, key=lambda option: option[0]))
    return best[count][1]


def _cue(words: Sequence[Word], i: int, j: int, end: float) -> tuple[Cue, float] | None:
    """The cue of ``words[i:j]`` and what it costs, or None when it does not fit."""
    shown = [word for word, _, _ in words[i:j]]
    wrapped = _wrap(shown) or ((" ".join(shown), 0.0) if j - i == 1 else None)
    if wrapped is None:
        return None
    text, cost = wrapped
    chars = len(text.replace("\n", ""))
    begin, last = words[i][1], words[j - 1][2]
    following = words[j][1] if j < len(words) else end
    wanted = max(last, begin + MIN_SECONDS, begin + chars / MAX_CPS)
    if j < len(words) and following - last < CHAIN_GAP:
        wanted = max(wanted, following)
    finish = min(wanted, following, begin + MAX_SECONDS)
    duration = finish - begin
    starts = sum(word.endswith((".", "!", "?")) for word in shown[:-1])
    cost += _PER_CUE + _PER_SENTENCE_START * starts
    cost += _PER_SHORT_SECOND * max(MIN_SECONDS - duration, 0)
    cps = chars / max(duration, 0.001)  # no time left before ``end``: very fast
    cost += _PER_CPS * max(cps - MAX_CPS, 0)
    return Cue(begin, finish, text), cost


def caption_timings(line: Line, spoken: Sequence[tuple[float, float]]) -> list[Word]:
    """Each caption word of ``line`` timed by the spoken words that say it.

    ``spoken`` holds when each word of ``line.spoken`` (``line.spoken.split()``)
    starts and ends; a caption word starts with its first spoken word and ends
    with its last. A caption word said by no spoken word (a lone dash, the rest
    of an inline formula) is an instant at the end of the word before it.
    """
    if len(spoken) != sum(n for _, n in line.spans):
        raise ValueError(f"{len(spoken)} timings for the spoken words of {line.spoken!r}")
    timed: list[Word] = []
    at = 0
    for word, n in line.spans:
        if n:
            timed.append((word, spoken[at][0], spoken[at + n - 1][1]))
        else:
            instant = timed[-1][2] if timed else (spoken[0][0] if spoken else 0.0)
            timed.append((word, instant, instant))
        at += n
    return timed


def line_cues(line: Line, start: float, end: float, speech: Speech | None) -> list[Cue]:
    """A narration line shown from ``start`` to ``end`` as cues to the standards: timed by
    its words as spoken, or, in a silent video, by their share of its letters."""
    if speech is not None and len(speech.words) == len(line.spoken.split()):
        words = caption_timings(line, [(start + a, start + b) for a, b in speech.words])
        end = max(end, start + speech.duration)  # shown at least while it is said
    else:
        words, at = [], start
        letters = sum(len(word) + 1 for word in line.caption.split()) or 1
        for word in line.caption.split():
            after = min(end, at + (end - start) * (len(word) + 1) / letters)  # no overshoot
            words.append((word, at, after))
            at = after
    return fit_cues(line.caption, start, end, words)


def stamp(seconds: float, decimal: str = ",") -> str:
    """``00:01:02,500``: SubRip writes a comma before the milliseconds, WebVTT a point."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}{decimal}{rest % 1000:03d}"


def to_srt(cues: Sequence[Cue]) -> str:
    """SubRip text, as ``manim render`` leaves beside its video."""
    blocks = [
        f"{number}\n{stamp(cue.start)} --> {stamp(cue.end)}\n{cue.text}\n"
        for number, cue in enumerate(cues, start=1)
    ]
    return "\n".join(blocks)
