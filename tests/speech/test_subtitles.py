"""Subtitle cues cut from a spoken line: 2 lines of 42 characters, 5/6 s to 7 s, 20
characters per second where the speech allows, cut at punctuation, timed by the words."""

from __future__ import annotations

import pytest

from bpcalc.pipeline.captions import Cue
from bpcalc.speech.spoken import Line
from bpcalc.speech.subtitles import caption_timings, fit_cues


def steady(text: str, start: float = 0.0, every: float = 0.5, length: float = 0.4) -> list:
    """The words of ``text`` spoken one every ``every`` seconds, each ``length`` long."""
    return [
        (word, start + i * every, start + i * every + length) for i, word in enumerate(text.split())
    ]


def approx(cues: list[Cue]) -> list[tuple]:
    return [(pytest.approx(cue.start), pytest.approx(cue.end), cue.text) for cue in cues]


def test_a_short_line_is_one_cue_from_its_first_word_to_its_last() -> None:
    words = [("The", 1.0, 1.2), ("cost", 1.25, 1.5), ("is", 1.55, 1.7), ("0.0874.", 1.75, 3.0)]
    cues = fit_cues("The cost is 0.0874.", 0.8, 5.0, words)
    assert cues == [Cue(1.0, 3.0, "The cost is 0.0874.")]


def test_a_cue_lasts_at_least_five_sixths_of_a_second() -> None:
    assert approx(fit_cues("Yes.", 2.0, 10.0, [("Yes.", 2.0, 2.3)])) == [(2.0, 2.0 + 5 / 6, "Yes.")]


def test_a_cue_never_overlaps_the_next_line_even_if_that_makes_it_short() -> None:
    assert fit_cues("Yes.", 2.0, 2.5, [("Yes.", 2.0, 2.3)]) == [Cue(2.0, 2.5, "Yes.")]


def test_a_cue_stays_until_it_can_be_read_at_twenty_characters_a_second() -> None:
    text = "The sigmoid squashes it into the output."  # 40 characters: 2 s to read
    words = steady(text, every=0.2, length=0.15)  # said in 1.35 s
    assert approx(fit_cues(text, 0.0, 5.0, words)) == [(0.0, 2.0, text)]


def test_a_line_said_faster_than_twenty_characters_a_second_keeps_its_words() -> None:
    text = "The sigmoid squashes it into the output."
    words = steady(text, every=0.2, length=0.15)
    # the next line at 1.6 s: 25 characters a second, as fast as it was said
    assert approx(fit_cues(text, 0.0, 1.6, words)) == [(0.0, 1.6, text)]


def test_a_long_cue_takes_two_lines_of_at_most_42_characters_cut_at_the_comma() -> None:
    text = "Summed for neuron five, they make its gradient minus a little."
    cues = fit_cues(text, 0.0, 8.0, steady(text))
    assert approx(cues) == [
        (0.0, 5.4, "Summed for neuron five,\nthey make its gradient minus a little.")
    ]


def test_a_line_is_cut_into_cues_at_its_sentences_the_first_held_until_the_next() -> None:
    text = "The brightest output is its answer: nine. That is wrong."
    # words every 0.5 s: "That" starts at 3.5 s, 0.1 s after "nine." ends, so no blank between
    assert approx(fit_cues(text, 0.0, 6.0, steady(text))) == [
        (0.0, 3.5, "The brightest output is its answer: nine."),
        (3.5, 4.9, "That is wrong."),
    ]


def test_a_pause_of_a_second_between_cues_is_shown_as_a_blank() -> None:
    words = [
        ("Nudge", 0.0, 0.3),
        ("the", 0.35, 0.45),
        ("weight.", 0.5, 0.9),
        ("So", 1.9, 2.0),
        ("z", 2.05, 2.2),
        ("rises.", 2.25, 2.7),
    ]
    assert approx(fit_cues("Nudge the weight. So z rises.", 0.0, 4.0, words)) == [
        (0.0, 0.9, "Nudge the weight."),
        (1.9, 1.9 + 5 / 6, "So z rises."),  # 2.7 s would be shorter than 5/6 s
    ]


def test_a_short_pause_between_cues_is_bridged() -> None:
    words = [
        ("Nudge", 0.0, 0.3),
        ("the", 0.35, 0.45),
        ("weight.", 0.5, 0.9),
        ("So", 1.2, 1.3),
        ("z", 1.35, 1.5),
        ("rises.", 1.55, 2.0),
    ]
    assert approx(fit_cues("Nudge the weight. So z rises.", 0.0, 4.0, words)) == [
        (0.0, 1.2, "Nudge the weight."),
        (1.2, 1.2 + 5 / 6, "So z rises."),
    ]


def test_no_cue_lasts_longer_than_seven_seconds() -> None:
    text = "one two three four five six, seven eight nine ten eleven twelve."
    # a word a second: 11.8 s of speech in 63 characters, which two lines would hold
    words = steady(text, every=1.0, length=0.8)
    assert approx(fit_cues(text, 0.0, 13.0, words)) == [
        (0.0, 6.0, "one two three four five six,"),
        (6.0, 11.8, "seven eight nine ten eleven twelve."),
    ]


def test_a_number_is_never_cut() -> None:
    # 80 characters: as one cue of two lines its only cut would be "−1.16 | × 10⁻⁶ …"
    # (the 35 characters before the number, then 44 or 49 on either side otherwise)
    text = "The cost's slope at a weight is now −1.16 × 10⁻⁶ for each of the nudges we make."
    cues = fit_cues(text, 0.0, 10.0, steady(text, every=0.3, length=0.25))
    assert len(cues) == 2 and cues[1].text == "for each of the nudges we make."
    assert "−1.16 × 10⁻⁶" in cues[0].text.splitlines()[-1]


def test_a_word_longer_than_a_line_is_a_line_of_its_own() -> None:
    long = "https://example.org/a/rather/long/address/for/a/caption/line"
    cues = fit_cues(f"see {long} now", 0.0, 5.0, steady(f"see {long} now"))
    assert [cue.text for cue in cues] == ["see", long, "now"]


def test_the_timed_words_must_be_the_words_of_the_line_in_order() -> None:
    with pytest.raises(ValueError, match="not the words"):
        fit_cues("The cost", 0.0, 2.0, [("The", 0.0, 0.5)])
    with pytest.raises(ValueError, match="not in order"):
        fit_cues("The cost", 0.0, 2.0, [("The", 0.6, 0.9), ("cost", 0.0, 0.5)])
    with pytest.raises(ValueError, match="not in order"):
        fit_cues("The cost", 0.0, 0.7, [("The", 0.0, 0.5), ("cost", 0.5, 0.9)])


def test_caption_words_are_timed_by_the_spoken_words_that_say_them() -> None:
    line = Line(
        caption="Nudge by 0.500.",
        spoken="Nudge by zero point five zero zero.",
        spans=(("Nudge", 1), ("by", 1), ("0.500.", 5)),
    )
    spoken = [(0.0, 0.3), (0.35, 0.5), (0.6, 0.8), (0.85, 1.0), (1.05, 1.3), (1.35, 1.6), (1.7, 2)]
    assert caption_timings(line, spoken) == [
        ("Nudge", 0.0, 0.3),
        ("by", 0.35, 0.5),
        ("0.500.", 0.6, 2.0),
    ]


def test_a_caption_word_said_by_no_spoken_word_is_an_instant_after_the_one_before() -> None:
    line = Line(
        "when $x >=$ now",
        "when x is at least now",
        (("when", 1), ("$x", 4), (">=$", 0), ("now", 1)),
    )
    spoken = [(0.0, 0.2), (0.3, 0.4), (0.45, 0.5), (0.55, 0.6), (0.65, 0.8), (1.0, 1.3)]
    assert caption_timings(line, spoken) == [
        ("when", 0.0, 0.2),
        ("$x", 0.3, 0.8),
        (">=$", 0.8, 0.8),
        ("now", 1.0, 1.3),
    ]
    with pytest.raises(ValueError, match="5 timings"):
        caption_timings(line, spoken[:5])


def test_a_silent_line_is_timed_within_its_time_whatever_the_rounding() -> None:
    """Shares of the letters summed in floating point may overshoot the line's end by an
    ulp; a silent render (``--no-voice``) must still get its cues."""
    from bpcalc.speech.spoken import speak_line
    from bpcalc.speech.subtitles import line_cues

    text = "the over cost's close The is to the their"
    start, end = 139.1665733536887, 142.29721783734678
    cues = line_cues(speak_line([text]), start, end, None)
    assert " ".join(c.text.replace("\n", " ") for c in cues) == text
    assert cues[0].start == start and cues[-1].end <= end
