"""The spoken form of narration: numbers at the precision shown, every symbol through the
table, and every line of every scene plain words the voice can read."""

from __future__ import annotations

import re

import pytest
from scene_support import ROOT

from bpcalc.numbers.quantities import (
    OUTPUT,
    Quantity,
    activation,
    bias,
    cost,
    sigma_prime,
    target,
    weight,
    weighted_input,
)
from bpcalc.speech.spoken import Said, speak_line, speak_number, speak_text
from bpcalc.viz import symbols


@pytest.mark.parametrize(
    ("typst", "spoken"),
    [
        ("-0.0231", "minus zero point zero two three one"),
        ("1", "one"),
        ("0", "zero"),
        ("-4.89", "minus four point eight nine"),
        ("0.850", "zero point eight five zero"),  # the shown zero is said: three figures
        ("0.000588", "zero point zero zero zero five eight eight"),
        ("-1.16 times 10^(-6)", "minus one point one six times ten to the minus six"),
        ("1.00 times 10^(-12)", "one point zero zero times ten to the minus twelve"),
        ("1438", "one thousand four hundred thirty-eight"),
        ("1482", "one thousand four hundred eighty-two"),
        ("144", "one hundred forty-four"),
        ("30", "thirty"),
        ("17", "seventeen"),
        ("1000", "one thousand"),
        ("120005", "one hundred twenty thousand five"),
        ("2000000", "two million"),
    ],
)
def test_numbers_are_said_at_the_precision_shown(typst: str, spoken: str) -> None:
    assert speak_number(typst) == spoken


def test_a_number_that_is_not_one_is_refused() -> None:
    with pytest.raises(ValueError, match="not a number"):
        speak_number("1e-6")


@pytest.mark.parametrize(
    ("caption", "spoken"),
    [
        # derivatives, gradients and sums, as 3Blue1Brown says them
        ("∂C₀/∂w⁽ᴸ⁾", "the derivative of C zero with respect to w L"),
        ("∂z⁽ᴸ⁾/∂b⁽ᴸ⁾", "the derivative of z L with respect to b L"),
        ("∂C₀/∂a⁽ᴸ⁻¹⁾", "the derivative of C zero with respect to ay L minus one"),
        (
            "∂C₀/∂w⁽ᴸ⁾=∂z/∂w·∂a/∂z",
            "the derivative of C zero with respect to w L equals the derivative of z with"
            " respect to w times the derivative of ay with respect to z",
        ),
        ("∇C", "the gradient of C"),
        ("Σⱼ", "the sum over j"),
        ("Σ (a − y)", "the sum of ay minus y"),
        # layers are superscripts in parentheses; indices are subscripts
        ("a⁽ᴸ⁻¹⁾", "ay L minus one"),
        ("w⁽ᴸ⁻²⁾", "w L minus two"),
        ("w⁽¹⁾", "w one"),
        ("a₃⁽ᴸ⁻¹⁾", "ay three L minus one"),
        ("w₃,₇⁽ᴸ⁾", "w three seven L"),
        ("C₀", "C zero"),
        ("C0", "C zero"),
        ("w_(3,7)", "w three seven"),
        ("δ_j", "delta j"),
        ("δⱼ", "delta j"),
        # functions, primes and powers
        ("σ′(z⁽ᴸ⁾)", "sigma prime of z L"),
        ("σ′:", "sigma prime:"),
        ("C₀(w⁽¹⁾, b⁽¹⁾, …)", "C zero of w one, b one, and so on"),
        ("(a_j − y_j)²", "ay j minus y j squared"),
        ("~10⁻⁸", "about ten to the minus eight"),
        ("2(a − y)", "two times ay minus y"),
        # operators and relations
        ("L−1", "L minus one"),
        ("δ = x", "delta equals x"),
        ("a × b", "ay times b"),
        ("a · b", "ay times b"),
        ("a ⊙ b", "ay times, element by element, b"),
        ("x ≥ 0.5", "x is at least zero point five"),
        ("ΔC₀/Δw", "delta C zero over delta w"),
        ("96.7 %", "ninety-six point seven percent"),
        # inline Typst, as a scene may write it
        ("when $x >=$", "when x is at least"),
        ("layer $L-1$", "layer L minus one"),
        ("$(partial C_k)/(partial w^((L)))$ is", "the derivative of C k with respect to w L is"),
        ("$sigma'(z^((L)))$", "sigma prime of z L"),
    ],
)
def test_every_kind_of_symbol_is_said(caption: str, spoken: str) -> None:
    assert speak_text(caption) == spoken


@pytest.mark.parametrize(
    ("quantity", "caption", "spoken"),
    [
        (weight(OUTPUT), "w⁽ᴸ⁾", "w L"),
        (weight(OUTPUT - 2, 12, 3), "w₁₂,₃⁽ᴸ⁻²⁾", "w twelve three L minus two"),
        (bias(OUTPUT - 1), "b⁽ᴸ⁻¹⁾", "b L minus one"),
        (weighted_input(OUTPUT, 2), "z₂⁽ᴸ⁾", "z two L"),
        (activation(OUTPUT - 1, 4), "a₄⁽ᴸ⁻¹⁾", "ay four L minus one"),
        (sigma_prime(OUTPUT), "σ′(z⁽ᴸ⁾)", "sigma prime of z L"),
        (target(3), "y₃", "y three"),
        (target(), "y", "y"),
        (cost(), "C₀", "C zero"),
    ],
)
def test_every_caption_symbol_of_a_quantity_is_said(
    quantity: Quantity, caption: str, spoken: str
) -> None:
    assert symbols.spoken(quantity) == caption
    assert speak_text(caption) == spoken


@pytest.mark.parametrize(
    ("caption", "spoken"),
    [
        ("z makes the output a.", "z makes the output ay."),
        ("Put w, z, a and C₀ on lines", "Put w, z, ay and C zero on lines"),
        ("z moves, so a moves,", "z moves, so ay moves,"),
        ("a − y", "ay minus y"),
        ("(a − y)²", "ay minus y squared"),
        ("it reads it as a 9", "it reads it as a nine"),
        ("a tree of dependencies", "a tree of dependencies"),
    ],
)
def test_a_lone_a_is_the_variable_unless_it_names_what_follows(caption: str, spoken: str) -> None:
    assert speak_text(caption) == spoken


def test_words_quotes_dashes_and_abbreviations() -> None:
    assert speak_text("the “last” weight — e.g. w") == "the last weight e.g. w"
    assert speak_text("Backpropagation's mini-batch") == "Backpropagation's mini-batch"
    assert speak_text("(the snapshot, at 1 epoch)") == "the snapshot, at one epoch"
    assert speak_text("(a small aside)") == "a small aside"


def test_a_symbol_without_a_spoken_form_is_refused() -> None:
    with pytest.raises(ValueError, match="no spoken form for '⊗'"):
        speak_text("a ⊗ b")


def test_a_line_from_words_and_numbers_keeps_its_caption_and_spans() -> None:
    line = speak_line(
        [
            "Nudge",
            "w⁽ᴸ⁾",
            "by",
            Said("0.500", "0.500"),
            ": the cost moves by",
            Said("−1.16 × 10⁻⁶", "-1.16 times 10^(-6)"),
            ".",
        ]
    )
    assert line.caption == "Nudge w⁽ᴸ⁾ by 0.500: the cost moves by −1.16 × 10⁻⁶."
    assert line.spoken == (
        "Nudge w L by zero point five zero zero: the cost moves by"
        " minus one point one six times ten to the minus six."
    )
    assert line.spans == (
        ("Nudge", 1),
        ("w⁽ᴸ⁾", 2),
        ("by", 1),
        ("0.500:", 5),
        ("the", 1),
        ("cost", 1),
        ("moves", 1),
        ("by", 1),
        ("−1.16", 5),
        ("×", 1),
        ("10⁻⁶.", 5),
    )


def test_an_inline_formula_is_spoken_on_its_first_caption_word() -> None:
    line = speak_line(["fire when $x >=$", Said("0.500", "0.500")])
    assert line.caption == "fire when $x >=$ 0.500"
    assert line.spoken == "fire when x is at least zero point five zero zero"
    assert line.spans == (("fire", 1), ("when", 1), ("$x", 4), (">=$", 0), ("0.500", 5))


def test_a_number_whose_forms_disagree_is_refused() -> None:
    with pytest.raises(ValueError, match="does not show"):
        speak_line([Said("1.16", "1.16 times 10^(-6)")])


# What the voice may be given: ASCII letters, spaces and .,;:!?'- (no digits: every
# number is said in words; no unicode math, no _ ^ $ ( of Typst).
PLAIN = re.compile(r"^[A-Za-z .,;:!?'\-]+$")


@pytest.fixture(scope="module")
def scenes(params) -> dict:
    from bpcalc.pipeline.catalog import discover
    from bpcalc.pipeline.check import dry_run

    return {entry.name: dry_run(entry.file, entry.name, params) for entry in discover(ROOT)}


@pytest.mark.render
def test_every_line_of_every_scene_reaches_the_voice_as_plain_words(scenes: dict) -> None:
    assert len(scenes) == 8
    for name, scene in scenes.items():
        book = scene.book
        assert len(book.lines) == len(book.narration) > 0, name
        for line in book.lines:
            assert PLAIN.match(line.spoken), f"{name}: {line.spoken!r}"
            assert not re.search(r"\s[.,;:!?]|[.,;:!?]{2}", line.spoken), line.spoken
            assert [word for word, _ in line.spans] == line.caption.split()
            assert sum(count for _, count in line.spans) == len(line.spoken.split())


@pytest.mark.render
def test_symbols_in_the_scenes_are_said_in_the_original_style(scenes: dict) -> None:
    spoken = {name: [line.spoken for line in scene.book.lines] for name, scene in scenes.items()}
    assert "z makes the output ay." in spoken["ChainRule"]
    assert any(
        "most about ay L minus one, then b L, then w L." in line for line in spoken["NudgeCost"]
    )
    assert any("Put w L, z, ay and C zero each" in line for line in spoken["NudgeCost"])
    assert any("times its own sigma prime, is" in line for line in spoken["Summary"])
    assert any("w three five goes to neuron three" in line for line in spoken["GeneralFormulas"])
    assert any("the place of two times ay minus y," in line for line in spoken["GeneralFormulas"])
    assert any("gradient delta j:" in line for line in spoken["FireTogether"])


@pytest.mark.render
def test_every_line_of_every_scene_fits_subtitle_cues_at_a_speaking_pace(scenes: dict) -> None:
    """Spoken at 15 characters a second (about the bundled voice's pace), every line
    is cut into cues within the limits, each starting as its first word is said."""
    from bpcalc.speech.subtitles import caption_timings, fit_cues

    for scene in scenes.values():
        for line in scene.book.lines:
            spoken, at = [], 0.0
            for word in line.spoken.split():
                spoken.append((at, at + len(word) / 15))
                at += (len(word) + 1) / 15
            words = caption_timings(line, spoken)
            cues = fit_cues(line.caption, 0.0, at + 1.0, words)
            assert " ".join(cue.text.replace("\n", " ") for cue in cues) == line.caption
            for cue, after in zip(cues, [*cues[1:], None], strict=True):
                rows = cue.text.split("\n")
                assert len(rows) <= 2 and all(len(row) <= 42 for row in rows), cue
                assert 5 / 6 - 1e-9 <= cue.end - cue.start <= 7 + 1e-9, cue
                assert len(cue.text.replace("\n", "")) / (cue.end - cue.start) <= 20 + 1e-9, cue
                assert cue.start in {start for _, start, _ in words}, cue
                assert after is None or cue.end <= after.start, cue


@pytest.mark.render
def test_the_voice_carries_each_scene(scenes: dict) -> None:
    """Spoken lines cover most of each scene, none is cut or overlaps the next, and
    no stretch but the closing hold is silent for more than 6 s."""
    for name, scene in scenes.items():
        said = [(n.start, n.start + n.speech.duration, n.end) for n in scene.narrated]
        assert len(said) == len(scene.book.lines), name
        heard = 0.0
        for start, spoken_until, shown_until in said:
            assert start - heard <= 6.0, (name, heard, start)  # a silence before this line
            # the picture holds until the line is said, and a breath: the next line
            # (or the next beat) starts after it
            assert shown_until >= spoken_until + 0.3, (name, start)
            heard = spoken_until
        assert scene.time - heard <= 8.0, name  # the closing hold
        covered = sum(until - start for start, until, _ in said)
        assert covered / scene.time >= 0.65, (name, covered / scene.time)
