"""The scene base: every scene is a :class:`StoryScene` telling one story in named beats.

The base loads the parameter file (a bad one stops the render before any frame,
with one line and exit status 2), gathers the story's numbers from the core into
a :class:`NumberBook`, and gives scenes the shared pieces: captions, symbols,
neurons, the typography scale. A scene file then reads as a storyboard.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, NoReturn

from manim import (
    BLACK,
    RIGHT,
    UP,
    WHITE,
    Animation,
    AnimationGroup,
    Circle,
    Mobject,
    Typst,
    VGroup,
    config,
)
from manim.utils.exceptions import EndSceneEarlyException

from bpcalc.numbers import STORY_TABLES, chain_numbers, digits_numbers, nudge_numbers
from bpcalc.numbers.quantities import TRAINED, Quantity, State
from bpcalc.numbers.values import ChainStory, DigitsStory, Story
from bpcalc.params import Params, ParamsError, load_params
from bpcalc.speech.spoken import Line
from bpcalc.speech.subtitles import line_cues, to_srt
from bpcalc.speech.track import MIXED_BY_PIPELINE, Placed, mix, mux
from bpcalc.speech.voice import Speech, Voice
from bpcalc.viz.book import NumberBook, Part, Spoken
from bpcalc.viz.motion import Appear, Vanish
from bpcalc.viz.palette import BRIGHT
from bpcalc.viz.pixels import PixelImage
from bpcalc.viz.renderer import FrugalScene
from bpcalc.viz.symbols import partial, symbol
from bpcalc.viz.typography import TYPE

__all__ = ["StoryScene", "scene_params", "story_of", "neuron", "STORY_TABLES"]

MARGIN = 0.4  # the least space between text and the frame's edge
READING_SPEED = 3.0  # words per second a caption reader keeps up with
READING_PAUSE = 0.8  # seconds to notice a new caption
BREATH = 0.35  # seconds of silence after a spoken line before the next one
WORD_SPACE = 0.1  # between the pieces of a line at the title's size: one space, not two


def reading_time(text: str) -> float:
    """Seconds a viewer needs to read a caption: a moment to notice it, then ~3 words/s."""
    return READING_PAUSE + len(text.split()) / READING_SPEED


@dataclass(frozen=True)
class Narrated:
    """A line of narration as it was shown: from when, until when, and its speech."""

    line: Line
    start: float
    end: float
    speech: Speech | None


def scene_params() -> Params:
    """The scenes' parameters (``$BPCALC_PARAMS`` or ``bpcalc.toml``).

    A bad file stops the render before any frame with one line and exit 2, so
    nothing already rendered is touched.
    """
    try:
        return load_params()
    except ParamsError as exc:
        _refuse(exc)


def _refuse(error: ParamsError) -> NoReturn:
    """Stop the render before its first frame: one line, exit 2."""
    print(f"bpcalc: {error}", file=sys.stderr)
    raise SystemExit(2) from None


def story_of(name: str, params: Params) -> Story:
    """The numbers of the story ``name`` (a key of :data:`STORY_TABLES`)."""
    if name == "chain":
        return ChainStory(chain_numbers(params))
    if name == "nudge":
        return ChainStory(chain_numbers(params), nudge_numbers(params))
    if name == "digits":
        return DigitsStory(digits_numbers(params))
    raise ValueError(f"unknown story {name!r}; known: {', '.join(STORY_TABLES)}")


def baseline(mobject: Mobject) -> float:
    """The height of the line ``mobject``'s glyphs sit on: the median of their bottoms, as
    most letters and digits rest on it (descenders, superscripts and signs are the few)."""
    bottoms = [glyph.get_bottom()[1] for glyph in mobject.family_members_with_points()]
    return float(statistics.median(bottoms)) if bottoms else mobject.get_bottom()[1]


def neuron(book: NumberBook, activation: Quantity, radius: float, font_size: float) -> VGroup:
    """A circle filled white with opacity equal to its activation, the activation inside."""
    value = book.value(activation)
    circle = Circle(radius=radius, color=WHITE, stroke_width=3).set_fill(WHITE, opacity=value)
    inside = book.number(activation, BLACK if value > BRIGHT else WHITE, font_size)
    return VGroup(circle, inside.move_to(circle))


class StoryScene(FrugalScene):
    """A scene of bpcalc: its story's numbers, its place in the episode, its beats.

    Drawn by :class:`~bpcalc.viz.renderer.FrugalRenderer`: held pictures are
    encoded once, skipped animations are not drawn.
    """

    story: ClassVar[str]  # "chain", "nudge" or "digits"
    story_order: ClassVar[int]
    title: ClassVar[str]
    poster_beat: ClassVar[str]  # the beat whose last frame is the poster

    def setup(self) -> None:
        self.params = scene_params()
        self.beats: list[str] = []
        self._line: tuple[Line, float, Speech | None] | None = None  # on screen, since, voice
        self.narrated: list[Narrated] = []  # every line once it is closed
        try:  # some values are checked against the data, e.g. the example's index
            story = story_of(self.story, self.params)
            self.voice = Voice(self.params) if self.params.voice.enabled else None
            if self.voice is not None:
                self.voice.check()  # a bad voice file stops the render before any frame
        except ParamsError as exc:
            _refuse(exc)
        self.book = NumberBook(story)
        self.picture_runs: frozenset[State] = frozenset({TRAINED})  # what the picture shows
        self.replacements: list[tuple[Mobject, Mobject]] = []  # (old, new) pairs in transition

    def replace_with(self, old: Mobject, new: Mobject, *animations: Animation, **kwargs) -> None:
        """A dissolve: ``animations`` (which bring in ``new``) start as ``old`` is half
        gone, so the frame is never blank and the two are never both plain; their text
        may cross while both are faint. For a heading or a row taking another's place;
        a picture that has a heading clears the rest first and keeps the heading."""
        with self.replacing(old, new):
            fade = AnimationGroup(Vanish(old), AnimationGroup(*animations), lag_ratio=0.5)
            self.play(fade, **kwargs)

    def showing(self, *runs: State) -> None:
        """Say which runs the picture now shows (``self.showing(SNAPSHOT)`` when the network
        drawn becomes the snapshot's; several for a comparison of runs side by side).

        Numbers of other runs on screen are stale: ``bpcalc check --scenes`` fails them.
        Every scene starts showing the trained network (the chain's only one).
        """
        self.picture_runs = frozenset(runs)

    @contextmanager
    def replacing(self, old: Mobject, new: Mobject) -> Iterator[None]:
        """Within the block, ``new`` takes the place of ``old``: the frame check lets their
        text overlap (a cross-fade, a caption swapped in place) in the animations played."""
        self.replacements.append((old, new))
        try:
            yield
        finally:
            self.replacements.remove((old, new))

    def beat(self, name: str) -> None:
        """Start the beat ``name``: a section of the video, and a slide when the scene is
        also a manim-slides ``Slide`` (``bpcalc slides``); a plain render is unchanged."""
        self._end_line()
        self.beats.append(name)
        next_slide = getattr(self, "next_slide", None)
        if next_slide is None:
            self.next_section(name)
        else:
            next_slide(name)  # a slide boundary; it starts the section too

    def say(self, *parts: Part) -> None:
        """Narrate: words and quantities, e.g. ``say("The cost is", cost(), ".")``.

        The line becomes the video's caption (Manim's subcaptions, so ``manim
        render`` writes an .srt beside the video) from now until the next line or
        the end of the beat, and the book keeps it with its numbers for the check.
        """
        self._end_line()
        self.book.narrate(self.beats[-1], *parts)
        line, speech = self.book.lines[-1], None
        if self.voice is not None:
            try:
                speech = self.voice.speak(line.spoken)
            except ParamsError as exc:
                _refuse(exc)
        self._line = (line, self.time, speech)

    def until_word(self, word: str | Quantity) -> None:
        """Hold the picture until ``word`` of the line being said is spoken (its first
        time), so that the animation played next lands on it: ``until_word("cost")``;
        a quantity is waited for as its number is said (its last time in the line)."""
        ahead = self.ahead_of(word)
        if ahead is not None and ahead >= 1 / config.frame_rate:
            self.wait(ahead)

    def land_on(self, word: str | Quantity, *animations: Animation, run_time: float) -> None:
        """Play ``animations`` so that they end as ``word`` is said: after a wait if the
        voice is behind, quicker (down to a third of ``run_time``) if it is ahead."""
        ahead = self.ahead_of(word)
        if ahead is not None and ahead > run_time:
            self.wait(ahead - run_time)
        elif ahead is not None:
            run_time = max(run_time / 3, ahead)
        self.play(*animations, run_time=run_time)

    def ahead_of(self, word: str | Quantity) -> float | None:
        """Seconds from now until ``word`` (a spoken word, its first time) or a
        quantity's number (its last time) is said in the line being said, so that an
        animation can be paced to land on it; ``None`` without a voice."""
        if self._line is None or self._line[2] is None:
            return None
        line, start, speech = self._line
        said = [w.strip(".,;:!?").lower() for w in line.spoken.split()]
        if len(said) != len(speech.words):
            raise ValueError(f"the voice's words are not those of {line.spoken!r}")
        if isinstance(word, Quantity):
            index = self._number_word(line, word)
        elif word.lower() in said:
            index = said.index(word.lower())
        else:
            index = None
        if index is None:
            raise ValueError(f"{word!r} is not said in the line {line.spoken!r}")
        return start + speech.words[index][0] - self.time

    def _number_word(self, line: Line, quantity: Quantity) -> int | None:
        """The index, among the spoken words of ``line`` (the last line narrated), of the
        first word of ``quantity``'s number, at its last place in the line."""
        pieces = self.book.narration[-1][1]
        shown = [p.words for p in pieces if isinstance(p, Spoken) and p.quantity == quantity]
        if not shown:
            return None
        index, count = None, 0
        for caption_word, words in line.spans:
            if caption_word.rstrip(".,;:!?") == shown[-1].split()[0] and words:
                index = count
            count += words
        return index

    def plural(self, count: Quantity, word: str, words: str | None = None) -> str:
        """``word`` or its plural, as the value of ``count`` asks: "1 epoch", "3 epochs"."""
        return word if self.book.value(count) == 1 else (words or word + "s")

    def _end_line(self) -> None:
        """Close the caption on screen, first holding the picture until it can be read."""
        if self._line is not None:
            line, start, speech = self._line
            self._line = None
            needed = reading_time(line.caption)
            if speech is not None:  # the picture holds until the line is said, and a breath
                needed = max(needed, speech.duration + BREATH)
            unread = needed - (self.time - start)
            try:
                if unread > 0:  # at least a frame: Manim warns of less, then shows one
                    self.wait(max(unread, 1 / config.frame_rate))
            except EndSceneEarlyException:  # a render of a range of animations ends here
                pass
            shown_for = self.time - start
            self.add_subcaption(line.caption, duration=shown_for, offset=-shown_for)
            self.narrated.append(Narrated(line, start, self.time, speech))

    def tear_down(self) -> None:
        self._end_line()
        super().tear_down()

    def after_movie(self, movie: Path) -> None:
        """Once Manim has written the video: say what each caption is as speech (for
        ``bpcalc render``, which mixes the voice and cuts the subtitles itself); in a
        plain ``manim render``, give the video its voice and cut its subtitles here."""
        record = {
            n.line.caption: {
                "spoken": n.line.spoken,
                "spans": n.line.spans,
                "key": n.speech.wav.stem if n.speech else "",
            }
            for n in self.narrated
        }
        sidecar = movie.with_suffix(".voice.json")
        sidecar.write_text(json.dumps(record, indent=1), encoding="utf-8")
        if os.environ.get(MIXED_BY_PIPELINE):
            return
        subtitles = movie.with_suffix(".srt")
        cues = [c for n in self.narrated for c in line_cues(n.line, n.start, n.end, n.speech)]
        subtitles.write_text(to_srt(cues), encoding="utf-8")
        spoken = [Placed(n.start, n.speech) for n in self.narrated if n.speech is not None]
        if not spoken:
            return
        voiced = movie.with_name(f".{movie.stem}.voiced{movie.suffix}")
        try:
            mux(movie, mix(spoken, self.time), voiced)
            voiced.replace(movie)
        finally:
            voiced.unlink(missing_ok=True)

    @staticmethod
    def room_right(mobject: Mobject) -> float:
        """How far ``mobject`` may reach further right before it leaves the frame's margin
        (negative: by how much it is already out)."""
        return config.frame_width / 2 - MARGIN - mobject.get_right()[0]

    def caption(self, *parts: Part, font_size: float = TYPE.title) -> VGroup:
        """Words (Typst text) with quantities in them, at the top of the frame:
        ``caption("A real handwritten", Q(LABEL, TARGET), "from the test set")``."""
        line = self.line(*parts, font_size=font_size)
        if line.width > config.frame_width - 2 * MARGIN:  # long sentences shrink to fit
            line.scale_to_fit_width(config.frame_width - 2 * MARGIN)
        return line.to_edge(UP, buff=0.3)

    def retitle(self, *parts: Part, font_size: float = TYPE.title) -> None:
        """Swap the caption at the top (``self.heading``) for a new one: the old one is gone
        before the new one comes, so the two are never seen across each other."""
        new = self.caption(*parts, font_size=font_size)
        with self.replacing(self.heading, new):  # one after the other: never two titles
            self.play(
                AnimationGroup(
                    Vanish(self.heading, shift=UP * 0.2), Appear(new, shift=UP * 0.2), lag_ratio=1
                )
            )
        self.heading = new

    def line(self, *parts: Part, font_size: float = TYPE.body) -> VGroup:
        """Words (Typst text) and quantities side by side, word-spaced: a sentence on screen,
        its words and numbers on one baseline (not centred: "after 1 epoch" would put the 1
        above the words with descenders and below those without)."""
        pieces = (self.book.piece(part, font_size) for part in parts)
        mobjects = [Typst(p, font_size=font_size) if isinstance(p, str) else p for p in pieces]
        # a word space between pieces: the width of a space plus the letters' side bearings
        sentence = VGroup(*mobjects).arrange(RIGHT, buff=WORD_SPACE * font_size / TYPE.title)
        for mobject in mobjects[1:]:
            mobject.shift(UP * (baseline(mobjects[0]) - baseline(mobject)))
        return sentence

    @staticmethod
    def sym(quantity: Quantity, index: bool = True) -> str:
        return symbol(quantity, index)

    @staticmethod
    def d(top: Quantity, bottom: Quantity, index: bool = True) -> str:
        return partial(top, bottom, index)

    def example_digit(self, size: float) -> PixelImage:
        """The handwritten digit the digits story follows, ``size`` wide, as the network
        reads it (its 8×8 inputs): the picture a scene's numbers are about."""
        return PixelImage(self.book.image(), size=size)

    def neuron(self, activation: Quantity, radius: float = 0.42, font_size: float = 22) -> VGroup:
        return neuron(self.book, activation, radius, font_size)
