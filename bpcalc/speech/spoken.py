"""The spoken form of a line of narration: what the voice is given to read.

A caption is read by eye and may hold ``−0.0231``, ``∂C₀/∂w⁽ᴸ⁾`` or ``σ′``; a
speech engine reads those as letters, code points or nothing. Here every
caption word becomes plain words and punctuation: numbers at the precision
shown (``speak_number``), symbols through one table (``SPOKEN``), in the
style of 3Blue1Brown's narration ("the derivative of C zero with respect to
w L"). A line keeps, for each caption word, how many spoken words it became,
so the word timings of the speech can be mapped back onto the caption.

>>> speak_number("-1.16 times 10^(-6)")
'minus one point one six times ten to the minus six'
>>> speak_line(["The cost's slope is", Said("−0.0231", "-0.0231"), "."]).spoken
"The cost's slope is minus zero point zero two three one."
>>> speak_text("∂C₀/∂w⁽ᴸ⁾ and σ′(z⁽ᴸ⁾)")
'the derivative of C zero with respect to w L and sigma prime of z L'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

__all__ = [
    "SPOKEN",
    "Line",
    "Number",
    "Said",
    "speak_line",
    "speak_number",
    "speak_text",
]

# One table of spoken forms: every symbol a caption or an inline Typst formula
# ($…$) may hold. Letters of a formula are read as letter names, except those here.
SPOKEN: dict[str, str] = {
    # Greek letters and operators on names
    "σ": "sigma",
    "sigma": "sigma",
    "δ": "delta",
    "delta": "delta",
    "Δ": "delta",
    "Delta": "delta",
    "η": "eta",
    "eta": "eta",
    "′": "prime",
    "'": "prime",
    "∂": "partial",  # alone; ∂X/∂Y is "the derivative of X with respect to Y"
    "partial": "partial",
    "∇": "the gradient of",
    "nabla": "the gradient of",
    "Σ": "the sum over",  # Σⱼ: "the sum over j"; without an index, "the sum of"
    "sum": "the sum over",
    # a lone "a" is read as a schwa: the variable is "ay"
    "a": "ay",
    # relations and operators
    "=": "equals",
    "≈": "is about",
    "approx": "is about",
    "~": "about",
    "≥": "is at least",
    ">=": "is at least",
    "≤": "is at most",
    "<=": "is at most",
    ">": "is greater than",
    "<": "is less than",
    "+": "plus",
    "−": "minus",
    "-": "minus",
    "×": "times",
    "times": "times",
    "·": "times",
    "⋅": "times",
    "dot": "times",
    "⊙": "times, element by element,",
    "/": "over",
    "→": "to",
    "->": "to",
    "%": "percent",
    "—": "",  # a dash between words is heard as their rhythm, not said
    "–": "",
    "…": "and so on",
    "dots.c": "and so on",
    "²": "squared",
    "³": "cubed",
}

_DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = [(10**9, "billion"), (10**6, "million"), (1000, "thousand"), (100, "hundred")]


def _integer(n: int) -> str:
    """A whole number in words, American style: 1438 is "one thousand four hundred thirty-eight"."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return _TEENS[n - 10]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens - 2] + (f"-{_DIGITS[ones]}" if ones else "")
    for size, name in _SCALES:
        if n >= size:
            high, rest = divmod(n, size)
            return f"{_integer(high)} {name}" + (f" {_integer(rest)}" if rest else "")
    raise AssertionError(n)  # unreachable: every n >= 100 meets a scale


_DECIMAL = re.compile(r"^([-−]?)(\d+)(?:\.(\d+))?$")
_SCIENTIFIC = re.compile(r"^(\S+) times 10\^\(([-−]?\d+)\)$")


def _decimal(text: str) -> str:
    """``-0.0231`` as "minus zero point zero two three one": every digit shown is said."""
    match = _DECIMAL.match(text)
    if not match:
        raise ValueError(f"not a number: {text!r}")
    sign, whole, fraction = match.groups()
    words = ("minus " if sign else "") + _integer(int(whole))
    if fraction:
        words += " point " + " ".join(_DIGITS[int(d)] for d in fraction)
    return words


def _number_parts(typst: str) -> list[str]:
    """A number's spoken form, one part per word of its caption (``1.16``, ``×``, ``10⁻⁶``)."""
    scientific = _SCIENTIFIC.match(typst)
    if scientific:
        mantissa, exponent = scientific.groups()
        return [_decimal(mantissa), "times", f"ten to the {_decimal(exponent)}"]
    return [_decimal(typst)]


def speak_number(typst: str) -> str:
    """A number as :func:`~bpcalc.viz.book.format_value` writes it, spoken at exactly
    that precision: ``-1.16 times 10^(-6)`` is "minus one point one six times ten to
    the minus six", ``0.850`` keeps its last zero, ``1438`` is said as a whole number."""
    return " ".join(_number_parts(typst))


# Formula tokens, for captions (unicode) and inline Typst alike.
_TOKEN = re.compile(
    r"""
    (?P<word>partial|sigma|delta|Delta|nabla|sum|times|dot|approx|eta|dots\.c)(?![A-Za-z])
    | (?P<layer>⁽[^⁾]*⁾|\^\(\([^)]*\)\))       # a superscript in parentheses: a layer
    | (?P<power>[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+|\^\([^)]*\)|\^-?\w)  # a power
    | (?P<sub>[₀₁₂₃₄₅₆₇₈₉ᵢⱼₖₗ]+(?:,[₀₁₂₃₄₅₆₇₈₉ᵢⱼₖₗ]+)*|_\([^)]*\)|_\w)  # indices
    | (?P<number>\d+(?:\.\d+)?)
    | (?P<letter>[A-Za-z])
    | (?P<symbol>>=|<=|->|[^\sA-Za-z0-9])
    """,
    re.VERBOSE,
)
_PLAIN_SCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻ᴸ₀₁₂₃₄₅₆₇₈₉ᵢⱼₖₗ", "0123456789-L0123456789ijkl")
_FUNCTIONS = {"σ", "sigma", "C"}  # a name followed by "(" is applied: "sigma of z"
_GROUPING = "()[],"


def _script(text: str) -> str:
    """The inside of a sub- or superscript, spoken: ``L-1`` is "L minus one", ``3,7``
    is "three seven"."""
    inner = text.translate(_PLAIN_SCRIPT).strip("_^()⁽⁾")
    tokens = re.findall(r"\d+|[A-Za-z]|-|−|\+", inner)
    return " ".join(_integer(int(t)) if t.isdigit() else SPOKEN.get(t, t) for t in tokens)


def _power(text: str, of_number: bool) -> str:
    """``²`` is "squared"; ``10⁻⁶`` is "ten to the minus six", ``x⁴`` "x to the power four"."""
    if text in SPOKEN:
        return SPOKEN[text]
    inner = text.translate(_PLAIN_SCRIPT).strip("^()")
    if inner == "2":
        return "squared"
    spoken = _decimal(inner) if _DECIMAL.match(inner) else _script(inner)
    return f"to the {spoken}" if of_number else f"to the power {spoken}"


def _formula(text: str) -> str:
    """A formula without spaces (``∂C₀/∂w⁽ᴸ⁾``, ``2(a``, ``L−1``) or inline Typst, spoken."""
    tokens = [(m.lastgroup or "", m.group()) for m in _TOKEN.finditer(text)]
    words: list[str] = []
    for i, (kind, token) in enumerate(tokens):
        before_kind = tokens[i - 1][0] if i else ""
        if kind in ("word", "symbol") and token not in SPOKEN and token not in _GROUPING:
            raise ValueError(f"no spoken form for {token!r} in {text!r}")
        if kind == "number":
            words.append(_decimal(token))
        elif kind == "letter":  # a variable: its letter, or the table's word for it
            words.append(SPOKEN.get(token, token))
        elif kind in ("sub", "layer"):
            words.append(_script(token))
        elif kind == "power":
            words.append(_power(token, of_number=before_kind == "number"))
        elif token == "(":
            if before_kind == "number":
                words.append("times")  # 2(a − y)
            elif _applied(tokens[:i]):
                words.append("of")  # σ′(z), C₀(w, b)
        elif token in _GROUPING:
            pass  # grouping is heard from the words around it
        elif token in ("Σ", "sum") and [k for k, _ in tokens[i + 1 : i + 2]] != ["sub"]:
            words.append("the sum of")  # no index: Σ alone
        else:
            words.append(SPOKEN[token])
    return _derivatives(" ".join(word for word in words if word))


def _applied(before: list[tuple[str, str]]) -> bool:
    """Whether the tokens ``before`` a "(" end with a function's name (σ′, C₀)."""
    name = [t for t in before if t[0] not in ("sub", "layer") and t[1] not in ("′", "'")][-1:]
    return bool(name) and name[0][1] in _FUNCTIONS


def _derivatives(spoken: str) -> str:
    """ "partial X over partial Y" as 3Blue1Brown says it: "the derivative of X with
    respect to Y"."""
    return re.sub(r"partial (.+?) over partial ", r"the derivative of \1 with respect to ", spoken)


_PROSODY = ".,;:!?"  # punctuation the voice hears: pauses and questions
_QUOTES = '"“”‘’'  # heard in the voice's tone, not said
_ENGLISH = re.compile(r"^[A-Za-z]+(?:['.-][A-Za-z]+)*$")  # "mini-batch's", "e.g"
# After a lone "a", these words make it the variable ("z, a and C₀", "so a moves"):
# the article is followed by what it names, never by a verb or a conjunction.
_AFTER_VARIABLE = {"and", "or", "is", "moves", "rises", "falls", "changes", "makes", "feeds"}
_OPERATORS = {"=", "≈", "≥", "≤", "+", "−", "-", "×", "·", "⋅", "/", "⊙"}


def _word(word: str, after: str | None) -> str:
    """One caption word, spoken; ``after`` is the next caption word (None at the end)."""
    core = word.rstrip(_PROSODY)
    tail = word[len(core) :]
    core = core.replace("’", "'").strip(_QUOTES)
    bare = core.strip("()[]")  # "(the snapshot)" is words; "2(a" and "σ′(z)" are math
    if not core:
        return tail
    if bare == "a":  # the article, unless nothing follows it that it could name
        following = after.rstrip(_PROSODY) if after is not None else None
        variable = tail or following is None or following in _OPERATORS | _AFTER_VARIABLE
        return (SPOKEN["a"] if variable else "a") + tail
    if _ENGLISH.match(bare):
        return bare + tail
    if _DECIMAL.match(bare):
        return _decimal(bare) + tail
    return _formula(core) + tail


class Number(Protocol):
    """A number in a line: its caption form (``words``) and its Typst form (``text``),
    as :class:`~bpcalc.viz.book.Spoken` has them."""

    @property
    def words(self) -> str: ...

    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class Said:
    """A number given by its two forms, for callers without a book (and for tests)."""

    words: str
    text: str


@dataclass(frozen=True)
class Line:
    """A line of narration in its two renderings.

    ``caption`` is what a viewer reads, ``spoken`` what the voice says, and
    ``spans`` pairs each word of the caption (``caption.split()``) with how many
    words of ``spoken`` (``spoken.split()``) say it, in order: the word timings
    of the speech, summed over each span, time the caption's words. A caption
    word that is only punctuation, or the second word of an inline formula
    spoken as a whole, has a count of 0.
    """

    caption: str
    spoken: str
    spans: tuple[tuple[str, int], ...]


Spans = list[tuple[str, list[str] | None]]  # caption words, spoken parts (None: not yet)


def _caption_words(pieces: Sequence[str | Number]) -> Spans:
    """Each caption word, with its spoken parts where they are known before its context."""
    words: Spans = []
    for piece in pieces:
        if isinstance(piece, str):
            for formula, plain in re.findall(r"\$([^$]*)\$|(\S+)", piece):
                if plain:
                    words.append((plain, None))
                else:  # inline Typst: spoken whole, on its first caption word
                    shown = f"${formula}$".split()
                    words += [(shown[0], [_formula(formula)])] + [(w, []) for w in shown[1:]]
        else:
            shown = piece.words.split()
            parts = _number_parts(piece.text.replace("−", "-"))
            if len(shown) != len(parts):
                raise ValueError(f"{piece.words!r} does not show {piece.text!r}")
            words += [(w, [p]) for w, p in zip(shown, parts, strict=True)]
    return words


def speak_line(pieces: Sequence[str | Number]) -> Line:
    """A line's caption and spoken text from the same pieces: strings of words and
    numbers (:class:`Number`). Words are joined by spaces, and a word that starts
    with punctuation joins the word before it, as in "is 0.850." (the captions' rule).

    Raises ``ValueError`` for a symbol without a spoken form, so nothing reaches
    the voice unspoken.
    """
    joined: Spans = []
    for shown, parts in _caption_words(pieces):
        if joined and shown[0] in _PROSODY:
            before, before_parts = joined[-1]
            merged = None if before_parts is None else [*before_parts, shown]
            joined[-1] = (before + shown, merged)
        else:
            joined.append((shown, parts))
    spans = []
    for i, (shown, parts) in enumerate(joined):
        after = joined[i + 1][0] if i + 1 < len(joined) else None
        spans.append((shown, _word(shown, after) if parts is None else _attach(parts)))
    return Line(
        caption=" ".join(shown for shown, _ in spans),
        spoken=" ".join(said for _, said in spans if said),
        spans=tuple((shown, len(said.split())) for shown, said in spans),
    )


def _attach(parts: list[str]) -> str:
    """Spoken parts of one caption word; punctuation joined to it is heard after it."""
    text = ""
    for part in parts:
        if part[:1] in _PROSODY:
            text += _word(part, None) if text else ""  # nothing to pause after: dropped
        elif part:
            text = f"{text} {part}" if text else part
    return text


def speak_text(text: str) -> str:
    """A string of narration spoken: ``"layer L−1"`` is "layer L minus one"."""
    return speak_line([text]).spoken
